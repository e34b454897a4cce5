import { request } from './client.js'

// Control measures (管控措施, shared/domain.md §3): the codes, their states and the calls.

// In the order of the default plans: strongest first.
export const MEASURES = ['central_quarantine', 'home_quarantine', 'home_monitoring', 'health_monitoring',
  'hospital', 'temporary_control']

// planned → active → (extended) → released | escalated | transferred | cancelled.
export const STATES = ['planned', 'active', 'extended', 'released', 'escalated', 'transferred', 'cancelled']
export const CURRENT_STATES = ['planned', 'active', 'extended']

// The list filter: 在管 (planned, active, extended), 已解除, 全部.
export const LIST_STATES = ['current', 'released', 'all']

// The transitions the detail page offers, by the state they start from.
export const ACTIONS_FROM = {
  start: ['planned'],
  test: ['active', 'extended'],
  extend: ['active', 'extended'],
  release: ['active', 'extended'],
  transfer: ['planned', 'active', 'extended'],
  cancel: ['planned', 'active', 'extended'],
  classify: ['planned', 'active', 'extended'],
}

// Profiles change rarely: keep the current one for a minute in memory.
const PROFILE_TTL_MS = 60_000
let profileHit = null

export function currentProfile({ fresh = false } = {}) {
  if (!fresh && profileHit && Date.now() - profileHit.at < PROFILE_TTL_MS) return profileHit.promise
  const promise = request('GET', '/profiles/current')
  profileHit = { at: Date.now(), promise }
  promise.catch(() => { if (profileHit && profileHit.promise === promise) profileHit = null })
  return promise
}

const enc = encodeURIComponent

export const measuresApi = {
  list: ({ region, state, limit, after }) => request('GET', '/measures', { query: { region, state, limit, after } }),
  get: (id) => request('GET', '/measures/' + enc(id)),
  // The first step of the category's plan; 409 when the person already has a current measure.
  create: (personId, { category, start_date: startDate, place }) =>
    request('POST', '/people/' + enc(personId) + '/measures', {
      body: { category, start_date: startDate || undefined, place: place || undefined },
    }),
  // 升级: a stronger category; the current measure becomes escalated and a new one starts.
  classify: (personId, { category, reason }) =>
    request('POST', '/people/' + enc(personId) + '/classify', { body: { category, reason } }),
  recordTest: (id, day, result) => request('POST', '/measures/' + enc(id) + '/tests', { body: { day, result } }),
  // action: start | extend | release | cancel | transfer; days for extend; reason for extend, cancel, transfer.
  transition: (id, { action, days, reason }) =>
    request('POST', '/measures/' + enc(id) + '/transition', {
      body: { action, days: days || undefined, reason: reason || undefined },
    }),
}
