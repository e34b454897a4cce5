// 导出管理 (security.md E1–E6): exports go through the server's exports service, which
// watermarks, audits and rate-limits them. Masked files are ready at once; a full (unmasked) list
// is a request that a commander or admin of the jurisdiction approves, and only the requester
// downloads it (within 24 h).
import { request } from '../../api/client.js'
import { download } from '../../api/cases.js'

const enc = encodeURIComponent

export const EXPORT_STATUSES = ['ready', 'pending_approval', 'rejected', 'expired']
export const STATUS_TAG = { ready: 'success', pending_approval: 'warning', rejected: 'danger', expired: 'info' }

export const exportsApi = {
  // { kind: 'measures', format: 'csv'|'xlsx', filter: { region?, state }, unmasked, reason } → 201 export.
  // 403 without the export right, 429 after 20 exports an hour.
  create: ({ kind = 'measures', format, filter, unmasked = false, reason }) =>
    request('POST', '/exports', { body: { kind, format, filter, unmasked, reason: reason || undefined } }),
  // view 'mine' | 'approvals' → { items: [export], counts: { awaiting_me } }
  list: (view = 'mine') => request('GET', '/exports', { query: { view: view === 'approvals' ? 'approvals' : undefined } }),
  approve: (id, note) => request('POST', '/exports/' + enc(id) + '/approve', { body: note ? { note } : {} }),
  reject: (id, note) => request('POST', '/exports/' + enc(id) + '/reject', { body: { note } }),
  // Saves the file under its Content-Disposition name (the session cookie goes with the fetch).
  download: (e) => download('/api/v1/exports/' + enc(e.id) + '/file', `export-${e.id}.${e.format || 'xlsx'}`),
  // The shortcut: a masked measures list at once.
  measuresMasked: ({ format, region, state }) => {
    const qs = new URLSearchParams()
    if (region) qs.set('region', region)
    if (state) qs.set('state', state)
    const s = qs.toString()
    return download('/api/v1/measures/export.' + format + (s ? '?' + s : ''), 'measures.' + format)
  },
}

export function shortSha(sha) {
  return sha ? sha.slice(0, 12) : '—'
}
