// 数据销毁 (security.md F3): at the end of an incident an administrator asks for the deletion of
// every person-level row of the installation (a reason and a typed confirmation phrase); a second
// person (another admin, or a commander of the whole city) approves, and the server deletes it
// all at once, keeps the statistics per district and the audit trail, and signs a deletion
// certificate (Ed25519). Admin and commander read; only admin asks; 403 for the others.
import { request } from '../../api/client.js'

const enc = encodeURIComponent

// What the user must type, exactly, to ask (the server checks it in every language).
export const CONFIRM_PHRASE = '销毁全部个人数据'
// The reason's length as the server checks it (in characters).
export const REASON_MIN = 4
export const REASON_MAX = 500

export const STATUS_TAG = { pending: 'warning', rejected: 'info', done: 'success' }

// The person-level tables, roughly from the person outwards: the order of the counts and of the
// certificate's table (tables the UI does not know yet come last, by name).
export const TABLES = [
  'people', 'households', 'household_staff', 'person_merges', 'duplicate_pairs',
  'lead_imports', 'leads', 'tasks', 'tip_offs',
  'measures', 'measure_events', 'measure_test_days', 'followups', 'followup_links', 'alerts', 'home_services',
  'cases', 'case_investigation', 'case_contacts', 'exposures', 'clusters',
  'checkin_log', 'checkins', 'exports',
]

// The statistics per district kept by the certificate, in this order (unknown keys last).
export const STAT_KEYS = ['confirmed', 'asymptomatic', 'suspected', 'close_contacts', 'measures', 'tip_offs']

export const purgesApi = {
  // → { items: [purge] (newest first), counts: { table: rows now } }
  list: () => request('GET', '/purges'),
  // → 201 the purge (pending). 400 naming `reason` or `confirm`; 409 while another one waits.
  create: (reason, confirm) => request('POST', '/purges', { body: { reason, confirm } }),
  // Deletes everything now (may take seconds) → the purge, done, with `tables` = rows deleted.
  approve: (id, note) => request('POST', '/purges/' + enc(id) + '/approve', { body: note ? { note } : {} }),
  // → the purge, rejected. The note is required.
  reject: (id, note) => request('POST', '/purges/' + enc(id) + '/reject', { body: { note } }),
  // → { certificate, signature, public_key, verified } for a done purge; 404 otherwise.
  certificate: (id) => request('GET', '/purges/' + enc(id) + '/certificate'),
}

// The entries of a { table: n } map in TABLES order, then by name. `all` keeps the zeros.
export function tableRows(map, { all = true } = {}) {
  const rank = (k) => {
    const i = TABLES.indexOf(k)
    return i < 0 ? TABLES.length : i
  }
  return Object.entries(map || {})
    .map(([key, n]) => ({ key, n: Number(n) || 0 }))
    .filter((x) => all || x.n > 0)
    .sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key))
}

export function total(map) {
  return Object.values(map || {}).reduce((s, n) => s + (Number(n) || 0), 0)
}

// The columns of the statistics: STAT_KEYS first, then any other numeric key the server sent.
export function statKeys(summary) {
  const seen = new Set()
  const add = (o) => {
    for (const [k, v] of Object.entries(o || {})) {
      if (typeof v === 'number' && !['code'].includes(k)) seen.add(k)
    }
  }
  add(summary && summary.totals)
  for (const d of (summary && summary.districts) || []) add(d)
  const extra = [...seen].filter((k) => !STAT_KEYS.includes(k)).sort()
  return STAT_KEYS.filter((k) => seen.has(k) || !seen.size).concat(extra)
}

// The certificate's number: the year it was executed and the purge's id, e.g. 2022 / 0001.
export function certNumber(cert) {
  const id = cert && cert.purge_id
  const y = /^(\d{4})/.exec(String((cert && (cert.executed_at || cert.approved_at)) || ''))
  return { year: y ? y[1] : '', no: String(id || 0).padStart(4, '0') }
}

// Seconds between two ISO times (null when either is missing).
export function seconds(from, to) {
  const a = Date.parse(from || '')
  const b = Date.parse(to || '')
  if (Number.isNaN(a) || Number.isNaN(b)) return null
  return Math.max(0, Math.round((b - a) / 1000))
}
