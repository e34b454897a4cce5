// Checks of the self-report form, run in the page so that mistakes show before anything is sent.
// The server applies the same rules (src/base/id_number.cc, src/base/phone.cc) and has the last word.

// GB 11643-1999: 17 digits weighted 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 picks the
// check character from 1 0 X 9 8 7 6 5 4 3 2.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

export function idCheckChar(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]
  return CHECK[sum % 11]
}

// The ID number as it is sent: no spaces, a capital X.
export function normalizeId(v) {
  return String(v || '').replace(/\s+/g, '').toUpperCase()
}

function validBirth(id) {
  const y = Number(id.slice(6, 10))
  const m = Number(id.slice(10, 12))
  const d = Number(id.slice(12, 14))
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false
  return date.getTime() <= Date.now()
}

// '' when the number is a valid 18-character resident ID; otherwise the key of the problem:
// 'chars' (not digits / a final X), 'length' (short of 18; only when `complete`), 'birth', 'check'.
// While typing (`complete` false) a number that is merely short is not an error yet.
export function idProblem(raw, complete = true) {
  const id = normalizeId(raw)
  if (!id) return complete ? 'required' : ''
  if (id.length > 18 || !/^\d{0,17}$/.test(id.slice(0, 17)) || !/^[\dX]?$/.test(id.slice(17))) return 'chars'
  if (id.length < 18) return complete ? 'length' : ''
  if (!validBirth(id)) return 'birth'
  if (idCheckChar(id) !== id[17]) return 'check'
  return ''
}

// The phone as it is sent: digits only (spaces and dashes that people type are dropped, and a
// +86 / 0086 country prefix, as the server does).
export function normalizePhone(v) {
  const p = String(v || '').replace(/[\s-]+/g, '')
  return p.replace(/^(\+86|0086)/, '')
}

// '' when the phone is an 11-digit mainland mobile number (1, then 3–9); otherwise the key.
export function phoneProblem(raw, complete = true) {
  const p = normalizePhone(raw)
  if (!p) return complete ? 'required' : ''
  if (!/^\d+$/.test(p)) return 'digits'
  if (p[0] !== '1') return 'start'
  if (p.length > 1 && p[1] < '3') return 'second'
  if (p.length > 11) return 'length'
  if (p.length < 11) return complete ? 'length' : ''
  return ''
}

// Dates as the server counts them: days in China Standard Time (the configured offset).
const OFFSET_MS = 8 * 3600e3
export const MAX_DAYS_AGO = 60

export function cstDate(msAgo = 0) {
  return new Date(Date.now() + OFFSET_MS - msAgo).toISOString().slice(0, 10)
}

export function arrivalRange() {
  return { min: cstDate(MAX_DAYS_AGO * 86400e3), max: cstDate(0) }
}

// A Date from the picker (local midnight of the day shown) as YYYY-MM-DD.
export function localYmd(d) {
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}
