// The public (no-session) endpoints. They never send the user to /login: a 401 here would only
// mean the server refused the form, and the public page handles every error itself.
import { request } from './client.js'

export const publicApi = {
  // 入境/来返人员主动报备 → { receipt, message }. Nothing else is read back.
  selfReport: (form) => request('POST', '/public/self-report', { body: form, skipAuthRedirect: true }),
}
