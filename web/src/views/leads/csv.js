// CSV in the browser: read a picked file (UTF-8, or GBK as Excel in Chinese saves it), split it
// into rows for the preview, write rows back as CSV text for the upload.

// The columns the server reads, by header in Chinese or English (api-contract.md). Any other
// column is kept with the lead as notes.
export const LEAD_FIELDS = [
  { key: 'name', zh: '姓名' },
  { key: 'id_number', zh: '身份证号' },
  { key: 'phone', zh: '手机号' },
  { key: 'address', zh: '现住址' },
  { key: 'origin', zh: '来源地' },
  { key: 'category', zh: '人员类别' },
  { key: 'reported_at', zh: '报告时间' },
]

function normHeader(h) {
  return String(h ?? '').replace(/^\uFEFF/, '').trim().toLowerCase()
}

// The field a header names, or '' for a notes column.
export function fieldOf(header) {
  const h = normHeader(header)
  if (!h) return ''
  const f = LEAD_FIELDS.find((x) => x.key === h || x.zh === h)
  return f ? f.key : ''
}

// [{ index, title, field }] for a header row.
export function detectColumns(header) {
  return (header || []).map((title, index) => ({ index, title: String(title ?? '').trim(), field: fieldOf(title) }))
}

export function isBlankRow(row) {
  return !row || row.every((c) => String(c ?? '').trim() === '')
}

// Bytes to text: UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else GB18030 (a
// superset of GBK, what Excel in Chinese writes for "CSV").
export function decodeText(buffer) {
  const bytes = new Uint8Array(buffer)
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
    return { text, encoding: 'utf-8' }
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gbk' }
  }
}

// RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. Returns the records with
// the physical line each one starts on (1-based), as the server counts lines.
export function parseCsv(text) {
  const src = String(text || '').replace(/^\uFEFF/, '')
  const records = []
  let row = []
  let field = ''
  let quoted = false
  let line = 1
  let startLine = 1
  let i = 0
  const n = src.length
  const endRow = () => {
    row.push(field)
    records.push({ line: startLine, cells: row })
    row = []
    field = ''
  }
  while (i < n) {
    const ch = src[i]
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') { field += '"'; i += 2; continue }
        quoted = false; i++; continue
      }
      if (ch === '\n') line++
      field += ch; i++; continue
    }
    if (ch === '"' && field === '') { quoted = true; i++; continue }
    if (ch === ',') { row.push(field); field = ''; i++; continue }
    if (ch === '\r' || ch === '\n') {
      endRow()
      if (ch === '\r' && src[i + 1] === '\n') i++
      i++
      line++
      startLine = line
      continue
    }
    field += ch; i++
  }
  if (field !== '' || row.length) endRow()
  return records
}

function quote(v) {
  const s = String(v ?? '')
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s
}

// Rows (arrays of strings) to CSV text, one record a line.
export function toCsv(rows) {
  return rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n'
}
