// Plain helpers of the measure pages: dates in the configured offset, the day index and the
// colours of shared/ui.md (red cases and overdue, orange close contacts and warnings, yellow
// secondary contacts, blue under measures, green released and done).

const OFFSET_MS = 8 * 3600 * 1000 // China Standard Time, as utils/format.js
const DAY_MS = 86400 * 1000

export const CATEGORY_TONE = {
  confirmed: 'red', asymptomatic: 'red', suspected: 'red', pool_positive: 'red',
  close_contact: 'orange', inbound: 'orange', high_risk_area: 'orange',
  secondary_contact: 'yellow', medium_risk_area: 'yellow', fever: 'yellow',
  low_risk_area: 'blue', recovered: 'green',
}

export const STATE_TONE = {
  planned: 'grey', active: 'blue', extended: 'orange', released: 'green',
  escalated: 'red', transferred: 'purple', cancelled: 'grey',
}

export const MEASURE_TONE = {
  hospital: 'red', central_quarantine: 'orange', home_quarantine: 'yellow',
  home_monitoring: 'blue', health_monitoring: 'blue', temporary_control: 'purple',
}

// Today's date (YYYY-MM-DD) in the configured offset.
export function todayStr(now = Date.now()) {
  return new Date(now + OFFSET_MS).toISOString().slice(0, 10)
}

function epochDay(dateStr) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(dateStr || ''))
  if (!m) return null
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS
}

// Whole days from a to b (b − a); null when either is not a date.
export function daysBetween(a, b) {
  const x = epochDay(a)
  const y = epochDay(b)
  return x === null || y === null ? null : y - x
}

export function addDays(dateStr, n) {
  const d = epochDay(dateStr)
  if (d === null) return ''
  return new Date((d + n) * DAY_MS).toISOString().slice(0, 10)
}

// The number of days the measure runs (extensions included); 0 when open-ended (hospital).
export function totalDays(m) {
  if (!m) return 0
  const span = daysBetween(m.start_date, m.end_date)
  if (span !== null && span >= 0) return span + 1
  const days = Number(m.days) || 0
  return days > 0 ? days + (Number(m.extended_days) || 0) : 0
}

// Today's day index (1 = the first day): the server's when it gives one, else from the dates.
// Below 1 before the start, above the total after the end.
export function dayIndex(m, today = todayStr()) {
  if (!m) return null
  if (m.day !== null && m.day !== undefined && m.day !== '') return Number(m.day)
  const d = daysBetween(m.start_date, today)
  return d === null ? null : d + 1
}

export function isCurrent(m) {
  return !!m && ['planned', 'active', 'extended'].includes(m.state)
}

// { text key, params, pct, tone } for the "第 N 天 / 共 M 天" cell and its bar.
export function progressOf(m, today = todayStr()) {
  const total = totalDays(m)
  const day = dayIndex(m, today)
  if (!m) return { key: '', params: {}, pct: 0, tone: 'grey' }
  if (m.state === 'released') {
    return total ? { key: 'measures.progress.done', params: { m: total }, pct: 100, tone: 'green' }
      : { key: 'measures.progress.doneOpen', params: {}, pct: 100, tone: 'green' }
  }
  if (!isCurrent(m)) {
    return total ? { key: 'measures.progress.total', params: { m: total }, pct: 0, tone: 'grey', noBar: true }
      : { key: 'measures.progress.openEnded', params: {}, pct: 0, tone: 'grey', noBar: true }
  }
  if (day === null || day < 1) {
    return { key: total ? 'measures.progress.notStarted' : 'measures.progress.notStartedOpen', params: { m: total, date: m.start_date || '' }, pct: 0, tone: 'grey' }
  }
  if (!total) return { key: 'measures.progress.openDay', params: { n: day }, pct: 0, tone: 'blue', noBar: true }
  if (day > total) return { key: 'measures.progress.overdue', params: { m: total, n: day - total }, pct: 100, tone: m.release_ready ? 'green' : 'red' }
  return { key: 'measures.progress.day', params: { n: day, m: total }, pct: Math.round((100 * day) / total), tone: day === total ? 'green' : 'blue' }
}

// The recorded result of one day (the last one recorded, when there are several). The server
// lists every scheduled test day in `tests`, with a null result until one is recorded.
export function resultOf(m, day) {
  const list = ((m && m.tests) || []).filter((x) => Number(x.day) === Number(day) && (x.result === 'negative' || x.result === 'positive'))
  return list.length ? list[list.length - 1] : null
}

// The test days of a measure: the plan's (test_days) and any scheduled since (an extension adds
// one on the new last day), in order.
export function testDaysOf(m) {
  const set = new Set()
  for (const d of (m && m.test_days) || []) set.add(Number(d))
  for (const x of (m && m.tests) || []) set.add(Number(x.day))
  return [...set].filter((d) => d >= 1).sort((a, b) => a - b)
}
