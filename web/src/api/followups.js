import { request } from './client.js'

// 健康随访 and 预警 (shared/domain.md §4): twice a day by phone or video, temperature and
// symptoms; a fever, symptoms, a refusal, nobody answering or leaving home raises an alert that
// climbs from the grid to the community and the street while nobody handles it.

// What a worker records. The server turns "ok"/"symptoms" with ≥ 37.3 ℃ into "fever".
export const OUTCOMES = ['ok', 'symptoms', 'unreachable', 'refused', 'left_home']
// Every outcome a slot can show (the recorded ones and the server's "fever").
export const SLOT_OUTCOMES = ['ok', 'fever', 'symptoms', 'unreachable', 'refused', 'left_home']
// The outcomes recorded without a temperature.
export const NO_TEMPERATURE = ['unreachable', 'refused', 'left_home']

export const FEVER_CELSIUS = 37.3
export const TEMP_MIN = 34.0
export const TEMP_MAX = 43.0
export const TEMP_DEFAULT = 36.5

// The symptom chips of the record sheet: "none" is exclusive, "other" asks for text.
export const SYMPTOMS = ['none', 'fever', 'cough', 'fatigue', 'sore_throat', 'other']

export const ALERT_KINDS = ['fever', 'symptoms', 'unreachable', 'refused', 'violation', 'missed']
export const ALERT_STATES = ['open', 'closed', 'all']
// The escalation steps the server names, and who an alert has reached.
export const ESCALATION_STEPS = ['medical_visit', 'test', 'transfer', 'police', 'call', 'visit']
export const ALERT_LEVELS = ['grid', 'community', 'street']

// A missed follow-up: its time passed more than this long ago with nothing recorded.
export const MISSED_AFTER_MINUTES = 120

const enc = encodeURIComponent

export const followupsApi = {
  // { date, times: ["08:00","16:00"], items: [...], counts: { people, due, done, alerts_open } }
  today: ({ region } = {}) => request('GET', '/followups/today', { query: { region } }),
  // body { slot, outcome, temperature?, symptoms?, note? } → { followup, alert|null }
  record: (measureId, { slot, outcome, temperature, symptoms, note }) =>
    request('POST', '/measures/' + enc(measureId) + '/followups', {
      body: {
        slot,
        outcome,
        temperature: temperature === null || temperature === undefined ? undefined : temperature,
        symptoms: symptoms || undefined,
        note: note || undefined,
      },
    }),
  // 自报链接: a new personal link for the person (the old one stops working) → { token, path }.
  // The token is shown once: the server keeps only its hash.
  selfLink: (measureId) => request('POST', '/measures/' + enc(measureId) + '/self-report-link'),
}

export const alertsApi = {
  list: ({ state, region, limit, after } = {}) => request('GET', '/alerts', { query: { state, region, limit, after } }),
  close: (id, outcome) => request('POST', '/alerts/' + enc(id) + '/close', { body: { outcome } }),
}
