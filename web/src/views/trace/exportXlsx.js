// The current tab of 密接/次密接查询 as an .xlsx workbook, made in the browser with exceljs (loaded
// as leads/xlsx.js loads it: a separate asset, fetched only when needed). Only what the server
// answered goes in, and it answered masked names and ID numbers: the ID number the user typed is
// never written (the index person is the answer's masked one). The 次密接 are the ones loaded so
// far (the server names them a page at a time): when that is not all of them, the sheet's name
// and its first row say so.
import { i18n } from '../../i18n.js'
import { fmtDateTime, fmtNumber, nowText } from '../../utils/format.js'
import { closeIndex, evidenceKind, evidenceOf, evidenceTotal, firstContact, gapMinutes, rowsOf } from './traceUtil.js'

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

// "仅含已加载的 X / N 名次密接", or '' when every one is in.
function partialText(tab, paging) {
  if (tab !== 'secondary' || !paging || !paging.partial) return ''
  return t('trace.export.partial', { n: fmtNumber(paging.loaded), total: fmtNumber(paging.total), tab: t('trace.tabs.' + tab) })
}

function contactSheet(wb, answer, tab, paging) {
  const partial = partialText(tab, paging)
  const tabName = t('trace.tabs.' + tab)
  const ws = wb.addWorksheet(partial ? t('trace.export.partialSheet', { tab: tabName }) : tabName)
  const via = closeIndex(answer)
  const secondary = tab === 'secondary'
  const cols = [
    { key: 'no', header: t('trace.col.no'), width: 6 },
    { key: 'name', header: t('trace.col.name'), width: 10 },
    { key: 'id', header: t('trace.col.idNumber'), width: 22 },
    { key: 'region', header: t('trace.col.region'), width: 18 },
    { key: 'kind', header: t('trace.col.kind'), width: 10 },
    { key: 'first', header: t('trace.col.first'), width: 18 },
    ...(secondary ? [{ key: 'via', header: t('trace.col.via'), width: 26 }] : []),
    { key: 'count', header: t(secondary ? 'trace.col.meetings' : 'trace.col.evidenceCount'), width: 10 },
    { key: 'evidence', header: t(secondary ? 'trace.col.firstMeeting' : 'trace.col.evidence'), width: 90 },
  ]
  // Keys and widths only: the header row is written by hand, under the note when there is one.
  ws.columns = cols.map(({ key, width }) => ({ key, width }))
  if (partial) {
    ws.addRow([partial])
    ws.mergeCells(1, 1, 1, cols.length)
    ws.getRow(1).font = { bold: true, color: { argb: 'FF9A6A00' } }
  }
  const head = ws.addRow(cols.map((c) => c.header))
  head.font = { bold: true }
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
      count: evidenceTotal(r),
      evidence: ev.map((e) => evidenceText(e, answer.from)).join('\n'),
    })
  })
  ws.views = [{ state: 'frozen', ySplit: head.number }]
  ws.getColumn('evidence').alignment = { wrapText: true, vertical: 'top' }
}

function querySheet(wb, answer, tab, depth, paging) {
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
    [t('trace.export.tab'), t('trace.tabs.' + tab)],
    [t('trace.export.rows'), rowsOf(answer, tab).length],
    [t('trace.export.at'), nowText()],
    [t('trace.export.note'), t('trace.export.masked')],
  ]
  const partial = partialText(tab, paging)
  if (partial) rows.push([t('trace.export.note'), partial])
  for (const r of rows) ws.addRow(r)
  ws.getColumn(1).font = { bold: true }
}

// Builds and saves the workbook; → the file name. `paging` ({ loaded, total, partial }, from
// secondaryPaging) says whether the 次密接 are only partly loaded.
export async function exportTab(answer, tab, depth, paging = null) {
  const { loadExcelJS } = await import('../leads/xlsx.js')
  const ExcelJS = await loadExcelJS()
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Cordon'
  contactSheet(wb, answer, tab, paging)
  querySheet(wb, answer, tab, depth, paging)
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
