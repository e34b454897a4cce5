// Plain helpers of 密接/次密接查询: the answer's rows by tab, the first contact of a row, what an
// evidence row is, and the close contacts by venue for the chart.

export const TABS = ['close', 'secondary', 'companions']
export const LOOKBACK_DAYS = 4 // 发病前 4 天
export const TOP_VENUES = 10
// 次密接 listed per request (the server's default is 1000, its limit 10000).
export const PAGE_SIZES = [200, 1000, 5000]
export const DEFAULT_PAGE_SIZE = 1000

const list = (x) => (Array.isArray(x) ? x : [])

// The rows of one tab: 密接 (degree 1), 次密接 (degree 2), 时空伴随者 (the companions list).
export function rowsOf(answer, tab) {
  if (!answer) return []
  if (tab === 'companions') return list(answer.companions)
  const degree = tab === 'secondary' ? 2 : 1
  return list(answer.contacts).filter((c) => Number(c.degree) === degree)
}

export function evidenceOf(row) { return list(row && row.evidence) }

// How many meetings are behind a row: the server lists only the earliest (20 for a close
// contact, one for a secondary contact) and counts them all in evidence_total.
export function evidenceTotal(row) {
  const n = Number(row && row.evidence_total)
  return Number.isFinite(n) && n > 0 ? n : evidenceOf(row).length
}

// The answer with the next page of 次密接 appended: a new object (the answer is markRaw, so only
// a new one makes the computed rows change). The close contacts and companions of `page` are
// the same people again and are not taken; its total and cursor are.
export function appendSecondary(answer, page) {
  const have = new Set(rowsOf(answer, 'secondary').map((c) => String(c.person_id)))
  const fresh = rowsOf(page, 'secondary').filter((c) => !have.has(String(c.person_id)))
  const counts = { ...(answer.counts || {}) }
  if (page && page.counts && page.counts.secondary !== undefined) counts.secondary = page.counts.secondary
  return {
    ...answer,
    contacts: list(answer.contacts).concat(fresh),
    counts,
    secondary_next: page && page.secondary_next !== undefined ? page.secondary_next : null,
  }
}

// Whether the 次密接 of an answer are only partly listed: { loaded, total, next }.
export function secondaryPaging(answer) {
  const loaded = rowsOf(answer, 'secondary').length
  const total = Number(answer && answer.counts && answer.counts.secondary) || 0
  const next = answer && answer.secondary_next !== undefined && answer.secondary_next !== null ? answer.secondary_next : null
  return { loaded, total, next, partial: loaded < total }
}

// The earliest contact time of a row (Unix seconds), or null.
export function firstContact(row) {
  let first = null
  for (const e of evidenceOf(row)) {
    const t = Number(e.contact_time)
    if (Number.isFinite(t) && e.venue_code && (first === null || t < first)) first = t
  }
  if (first !== null) return first
  // Only household or named evidence: the time it carries.
  for (const e of evidenceOf(row)) {
    const t = Number(e.contact_time)
    if (Number.isFinite(t) && (first === null || t < first)) first = t
  }
  return first
}

// An evidence row with no venue is a household member (timed at the window's start) or a
// contact the investigation named (timed when it happened).
export function evidenceKind(e, from) {
  if (e && e.venue_code) return 'venue'
  return Number(e && e.contact_time) === Number(from) ? 'household' : 'named'
}

export function gapMinutes(e) {
  const g = e && e.gap_seconds !== undefined && e.gap_seconds !== null
    ? Number(e.gap_seconds)
    : Math.abs(Number(e && e.contact_time) - Number(e && e.index_time))
  return Number.isFinite(g) ? Math.round(g / 60) : null
}

// The close contacts (degree 1) by venue, a contact counted once per venue, most first.
// → [{ code, name, n }]
export function venuesOf(answer, top = TOP_VENUES) {
  const by = new Map()
  for (const c of rowsOf(answer, 'close')) {
    const seen = new Set()
    for (const e of evidenceOf(c)) {
      if (!e.venue_code || seen.has(e.venue_code)) continue
      seen.add(e.venue_code)
      const v = by.get(e.venue_code) || { code: e.venue_code, name: e.venue_name || e.venue_code, n: 0 }
      v.n++
      by.set(e.venue_code, v)
    }
  }
  return [...by.values()].sort((a, b) => b.n - a.n || a.code.localeCompare(b.code)).slice(0, top)
}

// person_id → the masked { name, id_number } of the close contacts, for the 次密接's "via".
export function closeIndex(answer) {
  return new Map(rowsOf(answer, 'close').map((c) => [String(c.person_id), { name: c.name, id_number: c.id_number }]))
}

// A row matches a filter text on its venues (name or code), region, masked name or masked ID.
export function matches(row, q) {
  const s = String(q || '').trim().toLowerCase()
  if (!s) return true
  const hay = [row.name, row.id_number, row.region_name, row.region]
    .concat(evidenceOf(row).flatMap((e) => [e.venue_name, e.venue_code]))
  return hay.some((x) => x && String(x).toLowerCase().includes(s))
}
