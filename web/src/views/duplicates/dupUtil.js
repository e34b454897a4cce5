// Plain helpers of the duplicate pages: how a person file's fields read, which differ between
// the two files of a pair, and the queue's reason and source codes in the UI's words.
import { i18n } from '../../i18n.js'
import { fmtDate, fmtDateTime, fmtSex, localMsg } from '../../utils/format.js'

// The merge group each field belongs to. The identity group moves together: ID type, ID number,
// birth date and sex come from one file (the birth date and sex are read off the ID number).
// Fields of no group (grid, file date) are the kept file's.
export const FIELD_GROUP = {
  id_number: 'identity', sex: 'identity', birth_date: 'identity', name: 'name', phone: 'phone', address: 'address',
}

// The compare page's rows, in reading order: the identity group's three rows together.
export const COMPARE_FIELDS = ['id_number', 'sex', 'birth_date', 'name', 'phone', 'address', 'region', 'created_at']

export function idTypeText(code) {
  const { t, te } = i18n.global
  return code && te('person.idTypes.' + code) ? t('person.idTypes.' + code) : code || ''
}

// One field as the page shows it ('' when empty). Values come masked from the server.
export function fieldText(p, key) {
  if (!p) return ''
  switch (key) {
    case 'sex': return p.sex ? fmtSex(p.sex) : ''
    case 'birth_date': return p.birth_date ? fmtDate(p.birth_date) : ''
    case 'region': return p.region_name || p.region || ''
    case 'created_at': return p.created_at ? fmtDateTime(p.created_at) : ''
    default: return p[key] === null || p[key] === undefined ? '' : String(p[key])
  }
}

// Whether the two files of a pair differ in a field. The server compares the unmasked values
// and names the fields that differ in `differs` (empty when a side is not visible): masks can
// hide a difference (two addresses on one road) or show one that is not there. The ID number row
// also shows the ID type, so it differs when either does.
export function pairDiffers(pair, key) {
  const list = (pair && Array.isArray(pair.differs)) ? pair.differs : []
  if (key === 'id_number') return list.includes('id_number') || list.includes('id_type')
  return list.includes(key)
}

// Why a pair is in the queue: a code the UI knows, or the server's own words.
export function reasonText(r) {
  const { t, te } = i18n.global
  if (!r) return '—'
  return te('duplicates.reasons.' + r) ? t('duplicates.reasons.' + r) : localMsg(r)
}

// Where a pair came from: 手工建档 (people), 辖区扫描 (scan), 人工标记 (reported), or the lead
// source of the file that raised it (assist_notice, self_report …: web/src/api/leads.js
// IMPORT_SOURCES), named as the lead pages name it.
export function sourceText(s) {
  const { t, te } = i18n.global
  if (!s) return '—'
  if (te('duplicates.sources.' + s)) return t('duplicates.sources.' + s)
  if (te('leads.sources.' + s)) return t('leads.sources.' + s)
  return s
}
