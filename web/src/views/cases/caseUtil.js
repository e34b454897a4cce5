// Plain helpers of the 流调溯源 pages: the colours of the classifications, the clock legs and
// times in the configured offset (China Standard Time, as utils/format.js).
import { CLOCK_LEGS, DEFAULT_TARGETS } from '../../api/cases.js'

const OFFSET_S = 8 * 3600

// ui.md: red for cases. Three reds/oranges that still tell the classifications apart.
export const CLASS_COLORS = { confirmed: '#d8363a', asymptomatic: '#f08a5d', suspected: '#e6b422' }
// People on a chain who are not cases (yet).
export const NON_CASE_COLOR = '#8a95a6'
export const CLASS_TONE = { confirmed: 'red', asymptomatic: 'orange', suspected: 'yellow' }

export function nowEpoch() { return Math.floor(Date.now() / 1000) }

function pad(n) { return String(n).padStart(2, '0') }

// Unix seconds → "YYYY-MM-DD HH:mm" in the configured offset (the pickers' value format).
export function toLocalText(sec) {
  if (sec === null || sec === undefined || sec === '') return ''
  const d = new Date((Number(sec) + OFFSET_S) * 1000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

// "YYYY-MM-DD HH:mm[:ss]" in the configured offset → Unix seconds; null when empty or unreadable.
export function toEpoch(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(String(text || '').trim())
  if (!m) return null
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0))
  return Math.floor(ms / 1000) - OFFSET_S
}

// Unix seconds → YYYY-MM-DD in the configured offset.
export function dateOfEpoch(sec) {
  const s = toLocalText(sec)
  return s ? s.slice(0, 10) : ''
}

export function todayLocal() { return dateOfEpoch(nowEpoch()) }

// YYYY-MM-DD plus n days.
export function shiftDate(date, n) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(date || ''))
  if (!m) return ''
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]) + n * 86400000).toISOString().slice(0, 10)
}

// The state of one clock leg: the server's word when it gives one, else from the times.
// → { leg, at (done time or null), elapsed (seconds from positive_at to done or now), target
//    (seconds), status: ok | late | pending }
export function clockLeg(c, leg, targets = DEFAULT_TARGETS, now = nowEpoch()) {
  const def = CLOCK_LEGS.find((x) => x.leg === leg)
  const target = Number((targets && targets[def.target]) || DEFAULT_TARGETS[def.target]) * 3600
  const start = c && c.positive_at ? Number(c.positive_at) : null
  const at = c && c[def.field] ? Number(c[def.field]) : null
  const elapsed = start === null ? null : Math.max(0, (at === null ? now : at) - start)
  let status = (c && c.clock && c.clock[leg]) || (c && c[leg] && typeof c[leg] === 'string' ? c[leg] : '')
  if (!['ok', 'late', 'pending'].includes(status)) {
    if (elapsed === null) status = 'pending'
    else if (at !== null) status = elapsed <= target ? 'ok' : 'late'
    else status = elapsed > target ? 'late' : 'pending'
  }
  return { leg, at, elapsed, target, status }
}

export function clockLegs(c, targets, now) {
  return CLOCK_LEGS.map((x) => clockLeg(c, x.leg, targets, now))
}

export function isLate(c, targets) {
  return clockLegs(c, targets).some((l) => l.status === 'late')
}

// Seconds → { key, params } for "1 小时 20 分" and friends (locale keys under caseClock.dur).
export function durationParts(sec) {
  const s = Math.max(0, Math.round(Number(sec) || 0))
  const d = Math.floor(s / 86400)
  const h = Math.floor((s % 86400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d) return { key: 'caseClock.dur.dh', params: { d, h } }
  if (h) return { key: m ? 'caseClock.dur.hm' : 'caseClock.dur.h', params: { h, m } }
  return { key: 'caseClock.dur.m', params: { m } }
}
