// The state of 扫码记录导入, kept in memory at module level (as the lead import does) so that an
// upload goes on when the user leaves the page and its report is there when they come back.
// The file is sent as it is on disk (the server reads UTF-8 or GBK); only its first bytes are
// read here, for the preview.
import { reactive, markRaw } from 'vue'
import { ElMessage } from 'element-plus'
import { uploadCheckins } from '../../api/trace.js'
import { i18n } from '../../i18n.js'
import { errorText, localMsg } from '../../utils/format.js'
import { decodeText, isBlankRow, parseCsv, toCsv } from '../leads/csv.js'

export const MAX_FILE_MB = 64 // the server's limit for one request
export const PREVIEW_ROWS = 20
const SAMPLE_BYTES = 256 * 1024

// The columns the server reads, by any of their names.
export const COLUMNS = [
  { key: 'person_id_number', names: ['person_id_number', 'id_number', '身份证号'] },
  { key: 'venue_code', names: ['venue_code', '场所码'] },
  { key: 'time', names: ['time', '时间'] },
]

const t = (k, a) => i18n.global.t(k, a)

function fresh() {
  return {
    phase: 'idle', // idle | reading | ready | uploading | processing | done | error
    file: null, // the File (markRaw)
    readError: '',
    preview: null, // { header, columns: { key: index }, rows, lines, encoding, whole, estimate }
    progress: 0,
    error: '',
    result: null,
    resultName: '',
    viewing: false,
    owner: null,
  }
}

export const state = reactive(fresh())
let current = null

// The first bytes, cut at the last line break (a byte 0x0A is never inside a UTF-8 or GBK
// character, so the cut never splits one).
async function sample(file) {
  const whole = file.size <= SAMPLE_BYTES
  let bytes = new Uint8Array(await file.slice(0, SAMPLE_BYTES).arrayBuffer())
  if (!whole) {
    const nl = bytes.lastIndexOf(0x0a)
    if (nl > 0) bytes = bytes.subarray(0, nl + 1)
  }
  return { bytes, whole }
}

function columnsOf(header) {
  const norm = header.map((h) => String(h || '').replace(/^\uFEFF/, '').trim())
  const out = {}
  for (const c of COLUMNS) out[c.key] = norm.findIndex((h) => c.names.includes(h))
  return out
}

export async function pickFile(raw) {
  if (state.phase === 'uploading' || state.phase === 'processing') return
  Object.assign(state, fresh(), { viewing: state.viewing, owner: state.owner })
  state.file = markRaw(raw)
  const lower = String(raw.name || '').toLowerCase()
  if (!lower.endsWith('.csv') && !lower.endsWith('.txt')) { state.readError = t('checkins.badType'); return }
  if (raw.size > MAX_FILE_MB * 1024 * 1024) { state.readError = t('checkins.tooLarge', { n: MAX_FILE_MB }); return }
  state.phase = 'reading'
  try {
    const { bytes, whole } = await sample(raw)
    const { text, encoding } = decodeText(bytes)
    const records = parseCsv(text).filter((r) => !isBlankRow(r.cells))
    if (records.length < 2) throw Object.assign(new Error('empty'), { code: 'empty' })
    const header = records[0].cells.map((c) => String(c).replace(/^\uFEFF/, '').trim())
    const data = records.slice(1)
    const perLine = bytes.length / Math.max(1, records.length)
    state.preview = markRaw({
      header,
      columns: columnsOf(header),
      rows: data.slice(0, PREVIEW_ROWS).map((r) => r.cells),
      lines: data.slice(0, PREVIEW_ROWS).map((r) => r.line),
      encoding,
      whole,
      count: whole ? data.length : Math.round(raw.size / perLine) - 1,
    })
    state.phase = 'ready'
  } catch (e) {
    state.phase = 'idle'
    state.readError = e && e.code === 'empty' ? t('checkins.emptyFile') : t('checkins.readFailed', { reason: (e && e.message) || String(e) })
  }
}

export function clearFile() {
  if (state.phase === 'uploading' || state.phase === 'processing') return
  Object.assign(state, fresh(), { viewing: state.viewing, owner: state.owner })
}

// Another user signing in on the same tab starts empty.
export function claimFor(user) {
  if (state.owner !== null && state.owner !== user) {
    cancelUpload()
    Object.assign(state, fresh(), { viewing: state.viewing })
  }
  state.owner = user
}

export async function upload() {
  if (!state.file || state.phase !== 'ready') return
  state.phase = 'uploading'
  state.progress = 0
  state.error = ''
  const name = state.file.name
  current = uploadCheckins({
    file: state.file,
    onProgress: ({ loaded, total, sent }) => {
      state.progress = total ? Math.min(100, Math.round((100 * loaded) / total)) : 0
      if (sent) state.phase = 'processing'
    },
  })
  try {
    const data = (await current.promise) || {}
    state.result = markRaw(data)
    state.resultName = name
    state.phase = 'done'
    if (!state.viewing) {
      const rejected = Array.isArray(data.rejected) ? data.rejected.length : 0
      ElMessage({ type: rejected ? 'warning' : 'success', showClose: true, duration: 8000,
        message: t('checkins.doneToast', { accepted: data.accepted || 0, rejected }) })
    }
  } catch (e) {
    if (e && e.code === 'aborted') {
      state.phase = 'ready'
      ElMessage({ type: 'info', message: t('checkins.canceled') })
    } else {
      state.phase = 'error'
      state.error = errorText(e)
      if (!state.viewing) ElMessage({ type: 'error', showClose: true, duration: 8000, message: t('checkins.failedToast', { reason: state.error }) })
    }
  } finally {
    current = null
  }
}

export function cancelUpload() { if (current) current.abort() }

export function backToPreview() { if (state.phase === 'error') state.phase = state.file && state.preview ? 'ready' : 'idle' }

// "id_number: 身份证号应为 18 位…" → { field: 'id_number', message } in the UI's language.
export function splitReason(reason) {
  const m = /^([a-z_]+):\s*(.*)$/.exec(String(reason || ''))
  return m ? { field: m[1], message: localMsg(m[2]) } : { field: '', message: localMsg(String(reason || '')) }
}

// The rejected lines as a CSV download (UTF-8 with a BOM, so that Excel reads the Chinese).
export function downloadRejected() {
  const r = state.result
  if (!r || !Array.isArray(r.rejected)) return
  const rows = [[t('checkins.col.line'), t('checkins.col.field'), t('checkins.col.reason')]]
  for (const x of r.rejected) {
    const s = splitReason(x.reason)
    rows.push([String(x.line), s.field ? t('checkins.fields.' + s.field) : '', s.message])
  }
  const blob = new Blob(['\uFEFF' + toCsv(rows)], { type: 'text/csv;charset=utf-8' })
  const base = String(state.resultName || 'checkins').replace(/\.[^.]+$/, '')
  const href = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = href
  a.download = t('checkins.rejectedFile', { name: base }) + '.csv'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 10_000)
}
