// Plain helpers of the follow-up and alert pages: the state of a slot by the time of day (in the
// configured offset, as the server decides it) and the ui.md colours.
import { MISSED_AFTER_MINUTES } from '../../api/followups.js'

const OFFSET_MS = 8 * 3600 * 1000 // China Standard Time, as utils/format.js

// Minutes since midnight now, in the configured offset.
export function minutesNow(now = Date.now()) {
  const d = new Date(now + OFFSET_MS)
  return d.getUTCHours() * 60 + d.getUTCMinutes()
}

export function minutesOf(hhmm) {
  const m = /^(\d{1,2}):(\d{2})/.exec(String(hhmm || ''))
  return m ? Number(m[1]) * 60 + Number(m[2]) : null
}

// done | missed (more than two hours late) | due (its time has come) | later (not yet).
export function slotState(slot, nowMinutes = minutesNow()) {
  if (!slot) return 'later'
  if (slot.done) return 'done'
  const at = minutesOf(slot.time)
  if (at === null || at > nowMinutes) return 'later'
  return nowMinutes - at > MISSED_AFTER_MINUTES ? 'missed' : 'due'
}

// The colour of a recorded outcome: green normal, red fever or leaving home, orange the rest.
export const OUTCOME_TONE = {
  ok: 'green', fever: 'red', symptoms: 'orange', unreachable: 'orange', refused: 'orange', left_home: 'red',
}

export const ALERT_TONE = {
  fever: 'red', violation: 'purple', symptoms: 'orange', refused: 'orange', unreachable: 'yellow', missed: 'yellow',
}

export const LEVEL_TONE = { grid: 'blue', community: 'orange', street: 'red' }

export function fmtTemp(t) {
  if (t === null || t === undefined || t === '' || Number.isNaN(Number(t))) return ''
  return Number(t).toFixed(1) + '℃'
}

// Whether anyone on this item reported by themselves today.
export function selfReported(item) {
  return !!(item && Array.isArray(item.slots) && item.slots.some((s) => s && s.done && s.source === 'self'))
}
