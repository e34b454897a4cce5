// The state of the lead import, kept in memory at module level so that an upload goes on when
// the user leaves the page and its result is there when they come back (ui.md: long work can be
// left and revisited). Nothing is written to storage.
import { reactive, markRaw } from 'vue'
import { ElMessage } from 'element-plus'
import { importLeads } from '../../api/leads.js'
import { i18n } from '../../i18n.js'
import { errorText, localMsg } from '../../utils/format.js'
import { decodeText, detectColumns, isBlankRow, parseCsv } from './csv.js'

export const MAX_FILE_MB = 20
export const PREVIEW_ROWS = 20

// An ID number as Excel writes a number in scientific notation into a CSV: 1.10101E+17.
const SCI_NUMBER = /^\s*\d(?:\.\d+)?e\+?\d+\s*$/i

function fresh() {
  return {
    source: 'assist_notice',
    phase: 'idle', // idle | reading | ready | uploading | processing | done | error
    file: null, // { name, size, kind: 'csv' | 'xlsx' }
    readError: '',
    prepared: null, // see prepare*(); markRaw (rows can be many thousands)
    progress: 0,
    error: '',
    errorDetails: [],
    result: null, // the server's answer, markRaw
    resultFile: null, // { name, kind, excelRows, problems } of the file the result is for
    viewing: false, // the page is on screen
    owner: null, // the user who picked the file
  }
}

export const state = reactive(fresh())
let current = null // { abort } of the upload in flight

function t(key, args) { return i18n.global.t(key, args) }

export function rowsList(nums, max = 12) {
  const sep = t('common.listSep')
  const shown = nums.slice(0, max).join(sep)
  return nums.length > max ? shown + sep + '…' : shown
}

function prepareCsv(text, encoding) {
  const records = parseCsv(text).filter((r) => !isBlankRow(r.cells))
  if (records.length < 2) throw Object.assign(new Error('empty'), { code: 'empty' })
  const header = records[0].cells.map((c) => String(c).trim())
  const data = records.slice(1)
  const columns = detectColumns(header)
  const idCols = columns.filter((c) => c.field === 'id_number').map((c) => c.index)
  const sciLines = data.filter((r) => idCols.some((i) => SCI_NUMBER.test(r.cells[i] || ''))).map((r) => r.line)
  const sciExample = sciLines.length ? data.find((r) => r.line === sciLines[0]).cells[idCols[0]] : ''
  return markRaw({
    kind: 'csv',
    text,
    encoding,
    header,
    columns,
    rows: data.map((r) => r.cells),
    lines: data.map((r) => r.line),
    excelRows: null,
    problems: [],
    sciLines,
    sciExample,
    skippedTitleRows: 0,
    sheetName: '',
  })
}

async function prepareXlsx(buffer) {
  const { xlsxToCsv } = await import('./xlsx.js')
  const x = await xlsxToCsv(buffer)
  if (!x.rows.length && !x.problems.length) throw Object.assign(new Error('empty'), { code: 'empty' })
  return markRaw({
    kind: 'xlsx',
    text: x.text,
    encoding: 'utf-8',
    header: x.header,
    columns: detectColumns(x.header),
    rows: x.rows,
    lines: x.rows.map((_, i) => i + 2), // the generated CSV has one record a line
    excelRows: x.excelRows,
    problems: x.problems,
    sciLines: [],
    sciExample: '',
    skippedTitleRows: x.skippedTitleRows,
    sheetName: x.sheetName,
  })
}

// A file picked in the page: read it and make the preview. Nothing is sent yet.
export async function pickFile(raw) {
  if (state.phase === 'uploading' || state.phase === 'processing') return
  const name = raw.name || 'leads.csv'
  const lower = name.toLowerCase()
  const kind = lower.endsWith('.xlsx') ? 'xlsx' : lower.endsWith('.csv') || lower.endsWith('.txt') ? 'csv' : ''
  state.file = { name, size: raw.size, kind }
  state.prepared = null
  state.result = null
  state.resultFile = null
  state.error = ''
  state.errorDetails = []
  state.readError = ''
  if (!kind) { state.readError = t('leads.badType'); state.phase = 'idle'; return }
  if (raw.size > MAX_FILE_MB * 1024 * 1024) { state.readError = t('leads.tooLarge', { n: MAX_FILE_MB }); state.phase = 'idle'; return }
  state.phase = 'reading'
  try {
    const buffer = await raw.arrayBuffer()
    if (kind === 'xlsx') {
      state.prepared = await prepareXlsx(buffer)
    } else {
      const { text, encoding } = decodeText(buffer)
      state.prepared = prepareCsv(text, encoding)
    }
    state.phase = 'ready'
  } catch (e) {
    state.phase = 'idle'
    if (e && e.code === 'empty') state.readError = t('leads.emptyFile')
    else if (kind === 'xlsx') state.readError = t('leads.readFailedXlsx')
    else state.readError = t('leads.readFailed', { reason: (e && e.message) || String(e) })
  }
}

export function clearFile() {
  if (state.phase === 'uploading' || state.phase === 'processing') return
  const source = state.source
  Object.assign(state, fresh(), { source, viewing: state.viewing })
}

// The file and its result belong to the user who picked it: another user signing in on the
// same tab starts empty.
export function claimFor(user) {
  if (state.owner !== null && state.owner !== user) {
    cancelUpload()
    Object.assign(state, fresh(), { viewing: state.viewing })
  }
  state.owner = user
}

export async function upload() {
  const p = state.prepared
  if (!p || !state.file || !state.source || state.phase === 'uploading' || state.phase === 'processing') return
  state.phase = 'uploading'
  state.progress = 0
  state.error = ''
  state.errorDetails = []
  const file = { name: state.file.name, kind: p.kind, excelRows: p.excelRows, problems: p.problems }
  current = importLeads({
    source: state.source,
    fileName: state.file.name,
    text: p.text,
    onProgress: ({ loaded, total, sent }) => {
      state.progress = total ? Math.min(100, Math.round((100 * loaded) / total)) : 0
      if (sent) state.phase = 'processing'
    },
  })
  try {
    const data = await current.promise
    state.result = markRaw(data || {})
    state.resultFile = markRaw(file)
    state.phase = 'done'
    // The file's rows are not needed any more: keep no copy of the list in memory.
    state.prepared = null
    if (!state.viewing) {
      ElMessage({
        type: data && data.rejected ? 'warning' : 'success', showClose: true, duration: 8000,
        message: data && data.already_imported
          ? t('leads.alreadyImported')
          : t('leads.doneToast', { accepted: data.accepted || 0, merged: data.merged || 0, rejected: data.rejected || 0 }),
      })
    }
  } catch (e) {
    if (e && e.code === 'aborted') {
      state.phase = 'ready'
      ElMessage({ type: 'info', message: t('leads.canceled') })
    } else {
      state.phase = 'error'
      state.error = errorText(e)
      state.errorDetails = (e && e.details ? e.details : []).map((d) => ({
        field: d.field || '', message: localMsg(d.message || ''),
      }))
      if (!state.viewing) ElMessage({ type: 'error', showClose: true, duration: 8000, message: t('leads.failedToast', { reason: state.error }) })
    }
  } finally {
    current = null
  }
}

export function cancelUpload() {
  if (current) current.abort()
}

// Back to the preview of the same file after a failed upload.
export function backToPreview() {
  if (state.phase === 'error') state.phase = state.prepared ? 'ready' : 'idle'
}
