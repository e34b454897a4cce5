// The one way the UI talks to the server: same-origin JSON with the HttpOnly session cookie.
// The token in the login answer is ignored on purpose: the browser keeps the cookie.

export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {}
    super(err.message || `HTTP ${status}`)
    this.status = status
    this.code = err.code || (status === 0 ? 'network' : `http_${status}`)
    this.serverMessage = err.message || ''
    this.details = Array.isArray(err.details) ? err.details : []
  }
  // The message of the detail for one field, if the server named it.
  fieldMessage(field) {
    const d = this.details.find((x) => x && x.field === field)
    return d ? d.message || this.serverMessage : ''
  }
}

let onUnauthorized = () => {}
export function setUnauthorizedHandler(fn) { onUnauthorized = fn }

export async function request(method, path, { body, query, skipAuthRedirect = false } = {}) {
  let url = '/api/v1' + path
  if (query) {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') qs.set(k, String(v))
    }
    const s = qs.toString()
    if (s) url += '?' + s
  }
  const init = {
    method,
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { Accept: 'application/json' },
  }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  let res
  try {
    res = await fetch(url, init)
  } catch {
    throw new ApiError(0, null)
  }
  let data = null
  if (res.status !== 204) {
    const text = await res.text()
    if (text) {
      try { data = JSON.parse(text) } catch { data = null }
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !skipAuthRedirect) onUnauthorized()
    throw new ApiError(res.status, data)
  }
  return data
}

export const api = {
  login: (username, password) =>
    request('POST', '/session', { body: { username, password }, skipAuthRedirect: true }),
  // The second step of a login (双因素认证): the challenge from login() and a 6-digit code.
  loginMfa: (challenge, code) =>
    request('POST', '/session/mfa', { body: { challenge, code }, skipAuthRedirect: true }),
  // 系统初始化 (security.md D6): whether the first administrator is still to be created, and its
  // creation with the one-time bootstrap token (both public, no session).
  bootstrapStatus: () => request('GET', '/bootstrap', { skipAuthRedirect: true }),
  bootstrap: ({ token, username, display_name, password }) =>
    request('POST', '/bootstrap', { body: { token, username, display_name, password }, skipAuthRedirect: true }),
  mfaStatus: () => request('GET', '/session/mfa'),
  mfaEnroll: () => request('POST', '/session/mfa/enroll', { body: {} }),
  mfaConfirm: (code) => request('POST', '/session/mfa/confirm', { body: { code } }),
  session: () => request('GET', '/session', { skipAuthRedirect: true }),
  logout: () => request('DELETE', '/session', { skipAuthRedirect: true }),
  changePassword: (oldPassword, newPassword) =>
    request('POST', '/session/password', { body: { old_password: oldPassword, new_password: newPassword } }),
  region: (code) => request('GET', '/regions/' + encodeURIComponent(code)),
  people: ({ region, limit, after }) => request('GET', '/people', { query: { region, limit, after } }),
  // Names, ID numbers and phones travel only in a POST body, never in a URL.
  searchPeople: ({ q, region, limit, after }) =>
    request('POST', '/people/search', { body: { q, region, limit, after: after || undefined } }),
  person: (id) => request('GET', '/people/' + encodeURIComponent(id)),
  reveal: (id, fields, reason) =>
    request('POST', '/people/' + encodeURIComponent(id) + '/reveal', { body: { fields, reason } }),
  audit: ({ after, before, limit, actor, action, object_type, object_id, from, to }) =>
    request('GET', '/audit', { query: { after, before, limit, actor, action, object_type, object_id, from, to } }),
}
