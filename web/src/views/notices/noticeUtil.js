// The printed documents of home quarantine (shared/domain.md §4, seed 004 items 16–24):
// 居家隔离医学观察告知书, 三公示 (户门, 楼栋, 小区门口), 门磁/封条 and 解除隔离证明.
import { CURRENT_STATES } from '../../api/measures.js'

export const KINDS = ['notice', 'public', 'seal', 'release']

// The 告知书, the 三公示 and the door seal belong to 居家隔离医学观察 (their rules are its rules).
const AT_HOME = ['home_quarantine']

// The fields each document prints, revealed (and audited) before it is drawn.
export const FIELDS = {
  notice: ['name', 'id_number', 'address'],
  public: ['address'],
  seal: ['address'],
  release: ['name', 'id_number', 'address'],
}

// Most documents one print job holds (one reveal each).
export const MAX_BATCH = 100

export function applies(kind, m) {
  if (!m) return false
  const current = CURRENT_STATES.includes(m.state)
  if (kind === 'notice') return current && AT_HOME.includes(m.measure)
  if (kind === 'public' || kind === 'seal') return current && AT_HOME.includes(m.measure)
  if (kind === 'release') return m.state === 'released'
  return false
}

// The documents a measure's detail page offers.
export function kindsFor(m) {
  return KINDS.filter((k) => applies(k, m))
}

// "东湖区体育西路123号5栋2单元301室" → compound "东湖区体育西路123号", building "…5栋",
// flat the whole. Addresses of another shape stay whole at every level.
export function splitAddress(address) {
  const a = String(address || '').trim()
  const out = { compound: a, building: a, flat: a }
  const hao = a.search(/号(?=\s*\d+\s*(栋|幢|号楼))/)
  if (hao >= 0) out.compound = a.slice(0, hao + 1)
  const dong = /^(.*?\d+\s*(栋|幢|号楼))/.exec(a)
  if (dong) out.building = dong[1]
  return out
}

// 2026-11-24 → { y: '2026', m: '11', d: '24' } for the "YYYY年MM月DD日" of official documents.
export function ymdParts(dateStr) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(dateStr || ''))
  return m ? { y: m[1], m: String(Number(m[2])), d: String(Number(m[3])) } : null
}

// The date a measure was released: its release in the history, else its end date.
export function releasedOn(m) {
  const h = (m && Array.isArray(m.history) ? m.history : []).filter((x) => x && x.action === 'release')
  const at = h.length ? h[h.length - 1].at : ''
  const d = /^(\d{4}-\d{2}-\d{2})/.exec(String(at || ''))
  return d ? d[1] : (m && m.end_date) || ''
}

// A document number: the year and the measure id ("2026-000123").
export function docNo(m, dateStr) {
  const y = /^(\d{4})/.exec(String(dateStr || ''))
  return `${y ? y[1] : ''}-${String(m && m.id ? m.id : '').padStart(6, '0')}`
}
