// 数据保留 (security.md F1, F2): per kind of record, how many days it is kept after its reference
// date, and the deletion job that removes (physically, in batches) what is past its period. The
// job runs every hour and at every server start; an administrator may also run it at once. The
// audit trail keeps the ids of what was deleted, nothing else. Admin only: 403 for the others.
import { request } from '../../api/client.js'

const enc = encodeURIComponent

// The kinds of record, in the order shown (the server may list them in another).
export const ENTITIES = ['close_contact', 'case', 'quarantine_stay', 'tip_off', 'person']

// The limits of a period, as the server checks them.
export const DAYS_MIN = 1
export const DAYS_MAX = 3650

// Who ran a deletion when no person did.
export const JOB_ACTOR = 'retention-job'

export const retentionApi = {
  // → { policies: [{ entity, days, updated_at, updated_by, due }], runs: [run] (newest first, ≤ 20),
  //     checkins_days }
  get: () => request('GET', '/retention'),
  // → the policy. 400 naming `days` outside 1–3650; 404 for an unknown kind.
  setDays: (entity, days) => request('PATCH', '/retention/' + enc(entity), { body: { days } }),
  // Deletes what is past due now → the run: { id, started_at, finished_at, actor, outcome: ok|error,
  // records: { entity: n }, rows: { table: n }, error }.
  run: () => request('POST', '/retention/run'),
}

// The policies in ENTITIES order; kinds the UI does not know yet come last, as the server sent them.
export function orderPolicies(policies) {
  const list = Array.isArray(policies) ? policies : []
  const rank = (e) => {
    const i = ENTITIES.indexOf(e)
    return i < 0 ? ENTITIES.length : i
  }
  return list.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p.entity) - rank(b.p.entity) || a.i - b.i).map((x) => x.p)
}

// The entries of a { key: n } map with n > 0, in `order` first and then by name.
export function countsOf(map, order = []) {
  const entries = Object.entries(map || {}).filter(([, n]) => Number(n) > 0)
  const rank = (k) => {
    const i = order.indexOf(k)
    return i < 0 ? order.length : i
  }
  return entries.sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0])).map(([key, n]) => ({ key, n: Number(n) }))
}

export function total(map) {
  return Object.values(map || {}).reduce((s, n) => s + (Number(n) || 0), 0)
}

// Seconds between two ISO times (null when either is missing).
export function seconds(from, to) {
  const a = Date.parse(from || '')
  const b = Date.parse(to || '')
  if (Number.isNaN(a) || Number.isNaN(b)) return null
  return Math.max(0, Math.round((b - a) / 1000))
}
