// Rules of 线索登记 shared by the door-to-door form and the line listing: the categories the
// server reads, the checks run as people type (the ID and phone checks of the self-report form),
// and the row as it is sent. The server (src/leads/rules.cc) applies the same rules and has the
// last word.
import { idProblem, normalizeId, phoneProblem, normalizePhone } from '../../public/validate.js'

export { normalizeId, normalizePhone }

export const NAME_MAX = 50
export const TEXT_MAX = 200 // address, origin (the server's limit, in characters)
export const NOTE_MAX = 500

// The categories of src/leads/rules.cc: the code and the Chinese name the server reads (sent as
// the Chinese name, as a list would carry it), with the other words the seeds use for them.
// In the order a form offers them: the usual ones of a door-to-door round first.
export const CATEGORIES = [
  { code: 'close_contact', zh: '密接', aliases: ['密切接触者'] },
  { code: 'secondary_contact', zh: '次密接', aliases: ['次密切接触者', '密接的密接'] },
  { code: 'high_risk_area', zh: '高风险区来返', aliases: ['高风险地区', '高风险区'] },
  { code: 'medium_risk_area', zh: '中风险区来返', aliases: ['中风险地区', '中风险区'] },
  { code: 'low_risk_area', zh: '低风险区来返', aliases: ['低风险地区', '低风险区'] },
  { code: 'inbound', zh: '入境', aliases: ['入境人员'] },
  { code: 'fever', zh: '发热', aliases: [] },
  { code: 'pool_positive', zh: '混管阳性', aliases: [] },
  { code: 'suspected', zh: '疑似', aliases: ['疑似病例'] },
  { code: 'asymptomatic', zh: '无症状感染者', aliases: ['无症状'] },
  { code: 'confirmed', zh: '确诊', aliases: ['确诊病例'] },
  { code: 'recovered', zh: '治愈出院', aliases: [] },
  { code: 'unclassified', zh: '待研判', aliases: [] },
]
const BY_CODE = Object.fromEntries(CATEGORIES.map((c) => [c.code, c]))

// The code a typed or pasted category names (the code, the Chinese name or another word the
// seeds use); '' → 'unclassified' (as the server reads an empty cell); null when the text names nothing.
export function categoryCode(text) {
  const s = String(text ?? '').trim().toLowerCase()
  if (!s) return 'unclassified'
  for (const c of CATEGORIES) {
    if (s === c.code || s === c.zh || c.aliases.includes(s)) return c.code
  }
  return null
}

// The value sent for a category code.
export function categoryZh(code) {
  return (BY_CODE[code] || BY_CODE.unclassified).zh
}

// What is sent: one line, no runs of white space (a line break inside a value would also shift
// the server's line numbers, and with them the row index of its report).
export function clean(v) {
  return String(v ?? '').replace(/\s+/g, ' ').trim()
}

// ---- checks ------------------------------------------------------------------------------
// Each returns '' or { key, params } for leadsEntry.errors.<key>. `complete` false while the
// field is being typed: a value that is merely short is not an error yet.

const err = (key, params = {}) => ({ key, params })

export function nameCheck(v, { required = true } = {}) {
  const s = clean(v)
  if (!s) return required ? err('nameRequired') : ''
  if ([...s].length > NAME_MAX) return err('nameTooLong', { n: NAME_MAX })
  return ''
}

// The ID number: optional when a phone is given (the server then matches by name and phone).
export function idCheck(v, { complete = true, phone = '' } = {}) {
  const id = normalizeId(v)
  if (!id) return complete && !normalizePhone(phone) ? err('idOrPhone') : ''
  const p = idProblem(id, complete)
  if (!p) return ''
  return err({ chars: 'idChars', length: 'idLength', birth: 'idBirth', check: 'idCheck' }[p] || 'idChars', { n: id.length })
}

export function phoneCheck(v, { complete = true, id = '' } = {}) {
  const p = normalizePhone(v)
  if (!p) return complete && !normalizeId(id) ? err('phoneOrId') : ''
  const problem = phoneProblem(p, complete)
  if (!problem) return ''
  return err({ digits: 'phoneDigits', start: 'phoneStart', second: 'phoneSecond', length: 'phoneLength' }[problem] || 'phoneDigits', { n: p.length })
}

export function textCheck(v, { required = false, requiredKey = 'addressRequired', max = TEXT_MAX } = {}) {
  const s = clean(v)
  if (!s) return required ? err(requiredKey) : ''
  if ([...s].length > max) return err('tooLong', { n: max })
  return ''
}

export function categoryCheck(v) {
  return categoryCode(v) ? '' : err('categoryUnknown', { value: clean(v) })
}

// 接触时间 as people type or paste it: 2022-04-30 08:15, 2022/4/30 8:15, 2022年4月30日 8时15分,
// 2022-04-30. The normal form is YYYY-MM-DD or YYYY-MM-DD HH:MM (what the server reads).
const TIME_RE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*分?(?:\s*[:：]\s*\d{1,2}\s*秒?)?)?$/

export function normalizeTime(v) {
  const s = String(v ?? '').trim()
  const m = TIME_RE.exec(s)
  if (!m) return s
  const p = (x) => String(x).padStart(2, '0')
  const date = `${m[1]}-${p(m[2])}-${p(m[3])}`
  return m[4] !== undefined ? `${date} ${p(m[4])}:${p(m[5])}` : date
}

// Milliseconds of a normal time in China Standard Time (the configured offset), or NaN.
function cstMs(normal) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/.exec(normal)
  if (!m) return NaN
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4] || 0, m[5] || 0].map(Number)
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) return NaN
  const ms = Date.UTC(y, mo - 1, d, h, mi) - 8 * 3600e3
  const back = new Date(ms + 8 * 3600e3)
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return NaN
  return ms
}

export function timeCheck(v, { complete = true } = {}) {
  const s = String(v ?? '').trim()
  if (!s) return ''
  const normal = normalizeTime(s)
  const ms = cstMs(normal)
  if (Number.isNaN(ms)) return complete ? err('timeFormat') : ''
  if (ms > Date.now() + 3600e3) return err('timeFuture')
  return ''
}

// ---- the door-to-door building -------------------------------------------------------------

// The part of an address a grid worker keeps for the next door: up to the unit (单元), else the
// building (栋, 幢, 号楼), else the house number (号). '' when there is none.
export function buildingPrefix(address) {
  const a = clean(address)
  const at = (mark) => { const i = a.lastIndexOf(mark); return i >= 0 ? i + mark.length : -1 }
  let end = at('单元')
  if (end < 0) end = Math.max(at('号楼'), at('栋'), at('幢'))
  if (end < 0) end = at('号')
  return end > 0 ? a.slice(0, end) : ''
}

// ---- display -----------------------------------------------------------------------------

// 350103********5491: the first six and the last four, as the server masks.
export function maskId(id) {
  const s = normalizeId(id)
  if (s.length < 10) return s
  return s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4)
}

export function maskPhone(phone) {
  const p = normalizePhone(phone)
  return p.length === 11 ? p.slice(0, 3) + '****' + p.slice(-4) : p
}
