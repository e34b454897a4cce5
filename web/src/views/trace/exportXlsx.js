// The current tab of 密接/次密接查询 as an .xlsx workbook, made in the browser with exceljs (loaded
// as leads/xlsx.js loads it: a separate asset, fetched only when needed). Only what the server
// answered goes in, and it answered masked names and ID numbers: the ID number the user typed is
// never written (the index person is the answer's masked one).
import { i18n } from '../../i18n.js'
import { fmtDateTime, nowText } from '../../utils/format.js'
import { closeIndex, evidenceKind, evidenceOf, firstContact, gapMinutes, rowsOf } from './traceUtil.js'

const t = (k, a) => i18n.global.t(k, a)

function kindText(k) { return k && i18n.global.te('trace.kinds.' + k) ? t('trace.kinds.' + k) : k || '' }

function evidenceText(e, from) {
  const kind = evidenceKind(e, from)
  if (kind === 'household') return t('trace.ev.household')
  if (kind === 'named') return t('trace.ev.namedAt', { time: fmtDateTime(e.contact_time) })
  return t('trace.ev.line', {
    venue: e.venue_name || e.venue_code,
    index: fmtDateTime(e.index_time),
    contact: fmtDateTime(e.contact_time),
    n: gapMinutes(e) ?? '—',
  })
}

function viaText(row, via) {
  const v = via.get(String(row.via_person_id))
  return v ? `${v.name} ${v.id_number}` : row.via_person_id ? '#' + row.via_person_id : ''
}

function contactSheet(wb, answer, tab) {
  const ws = wb.addWorksheet(t('trace.tabs.' + tab))
  const via = closeIndex(answer)
  const cols = [
    { key: 'no', header: t('trace.col.no'), width: 6 },
    { key: 'name', header: t('trace.col.name'), width: 10 },
    { key: 'id', header: t('trace.col.idNumber'), width: 22 },
    { key: 'region', header: t('trace.col.region'), width: 18 },
    { key: 'kind', header: t('trace.col.kind'), width: 10 },
    { key: 'first', header: t('trace.col.first'), width: 18 },
    ...(tab === 'secondary' ? [{ key: 'via', header: t('trace.col.via'), width: 26 }] : []),
    { key: 'count', header: t('trace.col.evidenceCount'), width: 10 },
    { key: 'evidence', header: t('trace.col.evidence'), width: 90 },
  ]
  ws.columns = cols
  rowsOf(answer, tab).forEach((r, i) => {
    const ev = evidenceOf(r)
    ws.addRow({
      no: i + 1,
      name: r.name || '',
      id: r.id_number || '',
      region: r.region_name || r.region || '',
      kind: kindText(r.kind),
      first: fmtDateTime(firstContact(r)),
      via: viaText(r, via),
      count: ev.length,
      evidence: ev.map((e) => evidenceText(e, answer.from)).join('\n'),
    })
  })
  ws.getRow(1).font = { bold: true }
  ws.views = [{ state: 'frozen', ySplit: 1 }]
  ws.getColumn('evidence').alignment = { wrapText: true, vertical: 'top' }
}

function querySheet(wb, answer, depth) {
  const ws = wb.addWorksheet(t('trace.export.querySheet'))
  ws.columns = [{ width: 16 }, { width: 40 }]
  const c = answer.counts || {}
  const rows = [
    [t('trace.export.index'), `${answer.index ? answer.index.name : ''} ${answer.index ? answer.index.id_number : ''}`],
    [t('trace.form.from'), fmtDateTime(answer.from)],
    [t('trace.form.to'), fmtDateTime(answer.to)],
    [t('trace.form.depth'), t(depth === 2 ? 'trace.form.depth2' : 'trace.form.depth1')],
    [t('trace.counts.close'), Number(c.close) || 0],
    [t('trace.counts.secondary'), depth === 2 ? Number(c.secondary) || 0 : '—'],
    [t('trace.counts.companions'), Number(c.companions) || 0],
    [t('trace.export.at'), nowText()],
    [t('trace.export.note'), t('trace.export.masked')],
  ]
  for (const r of rows) ws.addRow(r)
  ws.getColumn(1).font = { bold: true }
}

// Builds and saves the workbook; → the file name.
export async function exportTab(answer, tab, depth) {
  const { loadExcelJS } = await import('../leads/xlsx.js')
  const ExcelJS = await loadExcelJS()
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Cordon'
  contactSheet(wb, answer, tab)
  querySheet(wb, answer, depth)
  const buffer = await wb.xlsx.writeBuffer()
  const name = t('trace.export.fileName', { tab: t('trace.tabs.' + tab), date: nowText().slice(0, 10) }) + '.xlsx'
  const blob = new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
  const href = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = href
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 10_000)
  return name
}
