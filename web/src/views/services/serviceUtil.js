// Plain helpers of the 居家服务 and 举报线索 pages: money as people type it and as it is shown,
// and the receipt number of a tip-off.
import { YUAN_MAX } from '../../api/services.js'

// ¥86.50, ¥1,234.00 (cents from the server).
export function fmtYuan(cents) {
  if (cents === null || cents === undefined || cents === '' || Number.isNaN(Number(cents))) return '—'
  const n = Math.round(Number(cents))
  const sign = n < 0 ? '-' : ''
  const abs = Math.abs(n)
  const whole = Math.floor(abs / 100).toLocaleString('en-US')
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, '0')}`
}

// 8650 → "86.50" (the text of an amount field).
export function centsToText(cents) {
  const n = Math.max(0, Math.round(Number(cents) || 0))
  return `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`
}

// What people type, as it is sent: full-width digits (输入法) made plain, no spaces, no ¥ or
// thousands commas. "" stays "".
export function normalizeYuan(v) {
  return String(v ?? '')
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[\s,，¥￥元]/g, '')
}

// '' when the text is an amount the server takes (yuan, at most two decimals, at most 100,000);
// otherwise the key of the problem: 'format', 'decimals', 'max'.
export function yuanProblem(v) {
  const s = normalizeYuan(v)
  if (!s) return ''
  if (!/^\d+(\.\d*)?$/.test(s)) return 'format'
  if (/\.$/.test(s)) return 'format'
  if (/\.\d{3,}$/.test(s)) return 'decimals'
  if (yuanToCents(s) > YUAN_MAX * 100) return 'max'
  return ''
}

// "86.5" → 8650; NaN when it is not an amount.
export function yuanToCents(v) {
  const s = normalizeYuan(v)
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s)
  if (!m) return NaN
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'))
}

// The number on the tipster's receipt: JB + the day it came in (its own offset) + the id,
// as the server writes it (JB20261124-000001).
export function tipReceipt(tip) {
  if (!tip || tip.id === undefined || tip.id === null) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(tip.created_at || ''))
  if (!m) return ''
  return `JB${m[1]}${m[2]}${m[3]}-${String(tip.id).padStart(6, '0')}`
}

export const TIP_TONE = { open: 'orange', verified: 'green', unfounded: 'grey' }
export const SERVICE_TONE = { open: 'orange', done: 'green' }

// Home services are for people at home: not in a hospital or a 集中隔离 site.
export const AWAY_MEASURES = ['central_quarantine', 'hospital']
export const RUNNING_STATES = ['active', 'extended']
export function serviceable(measure) {
  return !!measure && RUNNING_STATES.includes(measure.state) && !AWAY_MEASURES.includes(measure.measure)
}
