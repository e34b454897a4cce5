// Text copied from a spreadsheet (Excel, WPS, a web table): tab-separated cells, one row a line,
// cells holding tabs, quotes or line breaks in double quotes ("" for a quote).

export function parseTsv(text) {
  const src = String(text || '').replace(/\r\n?/g, '\n').replace(/\n+$/, '')
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') { field += '"'; i++ } else quoted = false
      } else field += ch
      continue
    }
    if (ch === '"' && field === '') { quoted = true; continue }
    if (ch === '\t') { row.push(field); field = ''; continue }
    if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; continue }
    field += ch
  }
  row.push(field)
  rows.push(row)
  return rows.filter((r) => r.some((c) => String(c).trim() !== ''))
}

// Whether a paste is more than one cell (a single value pastes as usual into the input).
export function isMultiCell(text) {
  const s = String(text || '').replace(/[\r\n]+$/, '')
  return /[\t\n\r]/.test(s)
}

// Column titles a copied header row may carry → the field of the grid.
const HEADERS = {
  name: ['姓名', 'name'],
  id_number: ['身份证号', '身份证号码', '证件号码', '身份证', 'id_number', 'id number'],
  phone: ['手机号', '手机号码', '联系电话', '电话', 'phone'],
  address: ['现住址', '住址', '现居住地址', '地址', 'address'],
  category: ['类别', '人员类别', 'category'],
  contact_time: ['接触时间', '报告时间', 'contact_time', 'reported_at', 'contact time'],
  contact_place: ['接触地点', 'contact_place', 'contact place'],
}

export function headerField(title) {
  const h = String(title ?? '').replace(/^\uFEFF/, '').replace(/[*＊\s]/g, '').toLowerCase()
  if (!h) return ''
  for (const [field, names] of Object.entries(HEADERS)) {
    if (names.some((n) => n.replace(/\s/g, '') === h)) return field
  }
  return ''
}

// The fields of the pasted columns: by the first line when it is a header row (two or more known
// titles; columns it does not name, such as 序号, are left out), else in the grid's order from the
// column pasted into. Returns { fields: [field|''], skipFirst }.
export function pasteColumns(lines, gridFields, startCol) {
  const first = lines[0] || []
  const named = first.map(headerField)
  if (named.filter(Boolean).length >= 2) return { fields: named, skipFirst: true }
  const width = Math.max(...lines.map((l) => l.length))
  return { fields: Array.from({ length: width }, (_, j) => gridFields[startCol + j] || ''), skipFirst: false }
}
