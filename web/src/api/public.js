// The public (no-session) endpoints. They never send the user to /login: a 401 here would only
// mean the server refused the form, and the public page handles every error itself.
import { request } from './client.js'

export const publicApi = {
  // 入境/来返人员主动报备 → { receipt, message }. Nothing else is read back.
  selfReport: (form) => request('POST', '/public/self-report', { body: form, skipAuthRedirect: true }),
  // 自我健康申报 by the person under a measure. The link's token travels in the body only (the
  // page reads it from the URL's fragment, which no server or log ever sees).
  // → { name (masked), measure, date, current_slot, slots: [{ slot, time, done, source }] }
  followupStatus: (token) => request('POST', '/public/followup/status', { body: { token }, skipAuthRedirect: true }),
  // body { temperature, symptoms?, note? } → { slot, time, outcome, message }; 409 when the slot is recorded.
  followupReport: (token, { temperature, symptoms, note }) =>
    request('POST', '/public/followup/report', {
      body: { token, temperature, symptoms: symptoms || undefined, note: note || undefined },
      skipAuthRedirect: true,
    }),
}
