import { i18n } from '../i18n.js'

// Counts with thousands separators: 1,234,567.
export function fmtNumber(n) {
  if (n === null || n === undefined || n === '' || Number.isNaN(Number(n))) return '—'
  return Number(n).toLocaleString('en-US', { maximumFractionDigits: 0 })
}

// Percentages with one decimal.
export function fmtPercent(part, whole) {
  if (!whole) return '—'
  return ((100 * Number(part)) / Number(whole)).toFixed(1) + '%'
}

// The configured offset for times given as Unix seconds (China Standard Time).
const OFFSET_MINUTES = 8 * 60

function pad(n) { return String(n).padStart(2, '0') }

function partsFromEpoch(seconds) {
  const d = new Date((Number(seconds) * 1000) + OFFSET_MINUTES * 60000)
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    seconds: pad(d.getUTCSeconds()),
  }
}

// ISO 8601 strings carry their own offset: show their wall-clock date and time as written.
function parts(v) {
  if (v === null || v === undefined || v === '') return null
  if (typeof v === 'number' || /^\d+$/.test(String(v))) return partsFromEpoch(v)
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2}))?)?/.exec(String(v))
  if (m) return { date: m[1], time: m[2] || '', seconds: m[3] || '00' }
  return null
}

// 2022-04-30
export function fmtDate(v) {
  const p = parts(v)
  return p ? p.date : '—'
}

// 2022-04-30 08:15
export function fmtDateTime(v, withSeconds = false) {
  const p = parts(v)
  if (!p) return '—'
  if (!p.time) return p.date
  return `${p.date} ${p.time}${withSeconds ? ':' + p.seconds : ''}`
}

export function nowText() {
  return fmtDateTime(Math.floor(Date.now() / 1000), true)
}

export function fmtSex(sex) {
  const t = i18n.global.t
  if (sex === 'M') return t('people.sexM')
  if (sex === 'F') return t('people.sexF')
  return '—'
}

export function fmtAge(age) {
  if (age === null || age === undefined || age === '') return ''
  return i18n.global.t('common.ageYears', { n: age })
}

// The server writes messages in both languages: "中文说明 (English text)". Show the part that
// matches the UI language; anything else is shown as it is.
export function localMsg(msg) {
  if (!msg) return ''
  const m = /^(.*[\u3400-\u9fff].*?)\s*\(([^()\u3400-\u9fff]+)\)\s*$/.exec(String(msg))
  if (!m) return String(msg)
  return i18n.global.locale.value === 'en' ? m[2].trim() : m[1].trim()
}

// A readable message for any ApiError (or other failure).
export function errorText(err) {
  const t = i18n.global.t
  if (!err) return ''
  if (err.status === 0) return t('common.networkError')
  if (err.serverMessage) return localMsg(err.serverMessage)
  if (err.status === 403) return t('common.forbidden')
  if (err.status === 404) return t('common.notFound')
  if (err.status === 401) return t('common.sessionExpired')
  if (err.status >= 500) return t('common.serverError', { status: err.status })
  return err.message || String(err)
}
