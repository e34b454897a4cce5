import { ApiError, request } from './client.js'

// 流调溯源 (shared/domain.md §7, docs/design/cases-api.md): cases, the 流调报告, contacts of a
// case, exposures and clusters (传播链), the epidemic curve and the clock (时效).
// Times are Unix seconds; dates YYYY-MM-DD in the configured offset.

export const CLASSIFICATIONS = ['confirmed', 'asymptomatic', 'suspected']
export const OUTCOMES = ['under_treatment', 'recovered', 'died', 'excluded']
export const ENTRY_KINDS = ['place', 'person', 'activity', 'travel']
export const EXPOSURE_KINDS = ['household', 'named', 'co_presence', 'unknown']
// The three legs of the clock, each measured from positive_at, with the Case field that closes it.
export const CLOCK_LEGS = [
  { leg: 'reported', field: 'reported_at', target: 'reported_hours' },
  { leg: 'listed', field: 'contacts_listed_at', target: 'listed_hours' },
  { leg: 'controlled', field: 'contacts_controlled_at', target: 'controlled_hours' },
]
export const DEFAULT_TARGETS = { reported_hours: 2, listed_hours: 12, controlled_hours: 24 }

const enc = encodeURIComponent

export const casesApi = {
  // { cases: [Case], next } newest positive_at first.
  list: ({ classification, region, cluster, late, after, limit } = {}) =>
    request('GET', '/cases', { query: { classification, region, cluster, late: late ? 1 : undefined, after, limit } }),
  // body { person_id, classification, positive_at, sampling_at?, onset_date?, reported_at?, hospital?, cluster_id? }
  // → 201 Case; 409 when the person has an open case.
  create: (body) => request('POST', '/cases', { body }),
  // Case + investigation: [Entry] + exposures: [Exposure]
  get: (id) => request('GET', '/cases/' + enc(id)),
  // Optimistic: 409 on a stale version.
  patch: (id, body) => request('PATCH', '/cases/' + enc(id), { body }),
  // { targets, cases: [...], late }
  clock: ({ region } = {}) => request('GET', '/cases/clock', { query: { region } }),
  // preview → { counts, contacts: [first 200], companions? }; otherwise { counts, leads_created, merged }.
  contacts: (id, { depth, preview }) => request('POST', '/cases/' + enc(id) + '/contacts', { body: { depth, preview } }),
}

export const investigationApi = {
  list: (caseId) => request('GET', '/cases/' + enc(caseId) + '/investigation'),
  add: (caseId, entry) => request('POST', '/cases/' + enc(caseId) + '/investigation', { body: entry }),
  update: (caseId, entryId, entry) =>
    request('PUT', '/cases/' + enc(caseId) + '/investigation/' + enc(entryId), { body: entry }),
  remove: (caseId, entryId) => request('DELETE', '/cases/' + enc(caseId) + '/investigation/' + enc(entryId)),
  exportUrl: (caseId, format = 'docx') =>
    '/api/v1/cases/' + enc(caseId) + '/investigation/export?format=' + enc(format),
}

export const traceApi = {
  // { checkins: [{ venue_code, venue_name, venue_type, time, source }] }
  trajectory: (personId, { from, to }) =>
    request('GET', '/people/' + enc(personId) + '/trajectory', { query: { from, to } }),
}

export const exposuresApi = {
  // 409 duplicate, 422 a cycle (the message names the loop).
  create: (body) => request('POST', '/exposures', { body }),
  remove: (id) => request('DELETE', '/exposures/' + enc(id)),
}

export const clustersApi = {
  list: () => request('GET', '/clusters'),
  create: ({ name, region }) => request('POST', '/clusters', { body: { name, region } }),
  rename: (id, name) => request('PATCH', '/clusters/' + enc(id), { body: { name } }),
  // { nodes: [...], links: [...] }
  graph: (id) => request('GET', '/clusters/' + enc(id) + '/graph'),
}

export const epicurveApi = {
  // { by, days: [{ date, confirmed, asymptomatic, suspected }], no_onset? }
  get: ({ by, region, from, to }) => request('GET', '/epicurve', { query: { by, region, from, to } }),
}

// Downloads a same-origin file (the session cookie goes with it) and saves it under the name of
// its Content-Disposition. Errors come back as ApiError, like every other call.
export async function download(url, fallbackName) {
  let res
  try {
    res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' })
  } catch {
    throw new ApiError(0, null)
  }
  if (!res.ok) {
    let body = null
    try { body = await res.json() } catch { body = null }
    throw new ApiError(res.status, body)
  }
  const blob = await res.blob()
  const name = fileNameOf(res.headers.get('Content-Disposition')) || fallbackName
  const href = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = href
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 10_000)
  return { name, size: blob.size }
}

// attachment; filename*=UTF-8''%E6%B5%81….docx or filename="x.docx"
export function fileNameOf(disposition) {
  if (!disposition) return ''
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition)
  if (star) {
    try { return decodeURIComponent(star[1].trim().replace(/^"|"$/g, '')) } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition)
  return plain ? plain[1].trim() : ''
}
