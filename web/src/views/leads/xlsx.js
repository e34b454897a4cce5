// An .xlsx workbook to the CSV text the import endpoint reads, in the browser. This module is
// itself loaded with import() when a workbook is picked, and it loads exceljs's prebuilt browser
// file only then: vite.config.js puts every node_modules module in the start-up "vendor" chunk,
// so a bundled exceljs (about 1 MB) would be downloaded on every visit. As a plain asset it is a
// separate same-origin file fetched once, when needed (allowed by the CSP's script-src 'self').
//
// The first worksheet is read:
// - rows with nothing in them are left out, and so are title rows above the header row (the
//   first row that names a known column, e.g. 姓名 or 身份证号);
// - a cell merged down a column repeats its value in each row; a cell merged across columns
//   keeps its value in its first column only;
// - a date cell becomes "YYYY-MM-DD HH:MM"; line breaks inside a cell become spaces;
// - an ID number that Excel stored as a number has lost its last digits (Excel keeps 15): the
//   row is not uploaded and is reported as a problem, never converted.
import exceljsUrl from 'exceljs/dist/exceljs.min.js?url'
import { fieldOf, isBlankRow, toCsv } from './csv.js'

const HEADER_SEARCH_ROWS = 10

function pad(n) { return String(n).padStart(2, '0') }

// exceljs gives date cells as Date objects holding the sheet's wall-clock time in UTC.
function fmtCellDate(d) {
  if (Number.isNaN(d.getTime())) return ''
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

// Line breaks inside a cell (Alt+Enter) become spaces, so one sheet row is one CSV line and the
// server's line numbers map back to sheet rows.
function oneLine(s) { return s.replace(/\s*[\r\n]+\s*/g, ' ') }

function fmtNumber(v) {
  if (!Number.isFinite(v)) return ''
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return v.toFixed(0)
  return String(v)
}

// A cell's value to { text, numeric } (numeric: the value was a number in the sheet).
function cellText(v) {
  if (v === null || v === undefined) return { text: '', numeric: false }
  if (v instanceof Date) return { text: fmtCellDate(v), numeric: false }
  if (typeof v === 'number') return { text: fmtNumber(v), numeric: true }
  if (typeof v === 'string') return { text: v, numeric: false }
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE', numeric: false }
  if (typeof v === 'object') {
    if (Array.isArray(v.richText)) return { text: v.richText.map((r) => r.text || '').join(''), numeric: false }
    if ('result' in v || 'formula' in v || 'sharedFormula' in v) return cellText(v.result)
    if ('text' in v) return cellText(v.text) // hyperlink
    if ('error' in v) return { text: '', numeric: false }
  }
  return { text: String(v), numeric: false }
}

// The value to show for a cell, following merges (down a column only).
function cellValue(cell) {
  if (cell.isMerged && cell.master && cell.master !== cell) {
    return cell.master.col === cell.col ? cell.master.value : null
  }
  return cell.value
}

let loading = null
export function loadExcelJS() {
  if (window.ExcelJS) return Promise.resolve(window.ExcelJS)
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement('script')
      script.src = exceljsUrl
      script.async = true
      script.onload = () => (window.ExcelJS ? resolve(window.ExcelJS) : reject(new Error('exceljs did not load')))
      script.onerror = () => { loading = null; script.remove(); reject(new Error('exceljs could not be fetched')) }
      document.head.appendChild(script)
    })
  }
  return loading
}

/**
 * @returns {Promise<{ text, header: string[], rows: string[][], excelRows: number[],
 *   problems: { excelRow, kind, value }[], skippedTitleRows: number, sheetName: string }>}
 * rows and excelRows are the data rows that go into text (header excluded); excelRows[i] is
 * the sheet row of rows[i], and CSV line i + 2.
 */
export async function xlsxToCsv(buffer) {
  const ExcelJS = await loadExcelJS()
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(buffer)
  const ws = (wb.worksheets || []).find(Boolean)
  if (!ws) throw Object.assign(new Error('no worksheet'), { code: 'no_sheet' })

  // Every non-empty row, as texts, with the numeric flag kept for the ID-number check.
  const width = ws.columnCount || 0
  const all = []
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r)
    const cells = []
    for (let c = 1; c <= width; c++) cells.push(cellText(cellValue(row.getCell(c))))
    const texts = cells.map((x) => x.text)
    if (isBlankRow(texts)) continue
    all.push({ excelRow: r, cells })
  }
  if (!all.length) throw Object.assign(new Error('empty sheet'), { code: 'empty' })

  // The header: the first row (of the first few) that names a known column.
  let h = all.slice(0, HEADER_SEARCH_ROWS).findIndex((x) => x.cells.some((c) => fieldOf(c.text)))
  if (h < 0) h = 0
  const headerRow = all[h]
  // Columns up to the last one that has a header or any value.
  let last = 0
  for (const x of all.slice(h)) {
    x.cells.forEach((c, i) => { if (c.text.trim() !== '') last = Math.max(last, i + 1) })
  }
  const header = headerRow.cells.slice(0, last).map((c) => oneLine(c.text).trim())
  const idCols = header.map((t, i) => (fieldOf(t) === 'id_number' ? i : -1)).filter((i) => i >= 0)

  const rows = []
  const excelRows = []
  const problems = []
  for (const x of all.slice(h + 1)) {
    const bad = idCols.find((i) => x.cells[i] && x.cells[i].numeric)
    if (bad !== undefined) {
      problems.push({ excelRow: x.excelRow, kind: 'id_number_numeric', value: x.cells[bad].text })
      continue
    }
    const texts = x.cells.slice(0, last).map((c) => oneLine(c.text))
    while (texts.length < last) texts.push('')
    rows.push(texts)
    excelRows.push(x.excelRow)
  }
  return {
    text: toCsv([header, ...rows]),
    header,
    rows,
    excelRows,
    problems,
    skippedTitleRows: h,
    sheetName: ws.name || '',
  }
}
