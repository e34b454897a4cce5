// Browser test: the command centre imports a list of leads (协查通报), sees 受理/合并/退回 with the
// rejected row's reason, re-imports the same file (nothing changes), adds a 主动报备 of the same
// person, and finds one 排查任务 with two source tags; a grid worker on a phone checks it.
//
// Run by ctest as `node --test tests/e2e/leads_import.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core (and exceljs, to write a test workbook) come from web/node_modules; the browser
// is Debian's /usr/bin/chromium.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { CordonE2E, DESKTOP, PHONE, log, shot, runCli, webRequire } from './harness.mjs'

const GRID_USER = 'grid_leads_e2e'
const GRID_PASSWORD = 'Passw0rd-grid-2'
const REASON = '线索导入核对身份（e2e）'

const e2e = new CordonE2E('leads_import', { contextOptions: { acceptDownloads: true } })
let baseURL = ''
let adminPassword = ''
let target = null // { id, name (full), idNumber (full), maskedId, region }
let admin = null // { context, page } of the administrator at 1366×900

// A resident ID number with a wrong check digit (GB 11643: exactly one digit is right).
function wrongCheckDigit(id) {
  const last = id.slice(-1).toUpperCase()
  return id.slice(0, 17) + (last === '0' ? '1' : '0')
}

function csv(rows) {
  return rows.map((r) => r.join(',')).join('\r\n') + '\r\n'
}

// The file input of the import page, and a file for it.
async function pickFile(page, name, mimeType, buffer) {
  await page.locator('.leads-import input[type="file"]').setInputFiles({ name, mimeType, buffer })
}

async function counter(page, outcome) {
  return (await page.locator(`[data-test="count-${outcome}"] .c-value`).innerText()).trim()
}

async function startImport(page) {
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/leads/import?') && r.request().method() === 'POST')
  await page.locator('[data-test="import-start"]').click()
  const res = await answered
  const body = await res.text()
  assert.equal(res.status(), 200, `POST /leads/import: HTTP ${res.status()} ${body}`)
  await page.locator('[data-test="import-report"]').waitFor()
  return { res, body: JSON.parse(body) }
}

describe('leads: import a list, dedup into one task, check it', () => {
  let fileA = null // the 协查通报 CSV: a new lead, its duplicate, a bad ID number

  before(async () => {
    // 1. A small city, generated without serving, then served (see harness.mjs).
    const city = await e2e.start({ population: 3000, seed: 7 })
    baseURL = city.baseURL
    adminPassword = city.adminPassword

    // 2. Take one resident and their whole ID number (revealed with a reason); add a grid worker
    //    in their grid.
    const cookie = await e2e.apiLogin('admin', adminPassword)
    const list = await e2e.apiGet(cookie, '/api/v1/people?limit=1')
    assert.ok(Array.isArray(list.items) && list.items.length === 1, 'GET /people?limit=1 gives one person')
    const row = list.items[0]
    const full = await e2e.apiGet(cookie, '/api/v1/people/' + row.id)
    const revealed = await e2e.apiPost(cookie, '/api/v1/people/' + row.id + '/reveal', { fields: ['id_number'], reason: REASON })
    target = { id: row.id, name: full.name, idNumber: revealed.id_number, maskedId: row.id_number, region: row.region }
    log('target person', target.id, 'in grid', target.region)
    assert.match(target.idNumber, /^\d{17}[\dX]$/, 'the reveal gives the whole ID number')
    runCli(['user', 'add', '--username', GRID_USER, '--role', 'grid_worker', '--region', target.region, '--data', e2e.dataDir],
      GRID_PASSWORD + '\n')

    fileA = Buffer.from(csv([
      ['姓名', '身份证号', '人员类别', '报告时间', '来源地', '备注'],
      [target.name, target.idNumber, '密接', '2022-04-30 08:15', '上海市', '协查第1批'],
      [target.name, target.idNumber, '密接', '2022-04-30 09:40', '上海市', '同一人重复上报'],
      ['张测试', wrongCheckDigit(target.idNumber), '次密接', '2022-04-30 10:05', '上海市', ''],
    ]), 'utf8')

    await e2e.launchBrowser()
    admin = await e2e.newPage(DESKTOP)
  })

  after(() => e2e.stop())

  it('opens 批量导入 from the 风险人员 menu as admin', async () => {
    const { page } = admin
    await e2e.loginThroughPage(page, 'admin', adminPassword)
    await page.locator('.app-menu [data-menu="import"]').click()
    await page.waitForURL((u) => u.pathname === '/leads/import')
    await page.getByRole('heading', { name: '线索导入' }).waitFor()
  })

  it('previews the CSV with the columns it found', async () => {
    const { page } = admin
    await page.locator('.leads-import label', { hasText: '协查通报' }).click()
    await pickFile(page, '协查通报-e2e.csv', 'text/csv', fileA)
    const preview = page.locator('[data-test="import-preview"]')
    await preview.waitFor()
    const cols = page.locator('[data-test="import-columns"]')
    assert.equal((await cols.locator('[data-field="id_number"]').innerText()).trim(), '身份证号', 'the ID number column is recognised')
    assert.equal((await cols.locator('[data-field="reported_at"]').innerText()).trim(), '报告时间')
    assert.equal((await cols.locator('[data-field="notes"]').innerText()).trim(), '备注', 'an unknown column is kept as notes')
    assert.equal(await preview.locator('.el-table__body tr').count(), 3, 'three data rows in the preview')
    await shot(page, 'leads-preview.png')
  })

  it('imports it: 1 accepted, 1 merged, 1 rejected with the reason', async () => {
    const { page } = admin
    const { res, body } = await startImport(page)
    const url = new URL(res.request().url())
    assert.equal(url.searchParams.get('source'), 'assist_notice')
    assert.equal(url.searchParams.get('file_name'), '协查通报-e2e.csv')
    assert.match(res.request().headers()['content-type'] || '', /^text\/csv/)
    assert.equal(body.already_imported, false)

    assert.equal(await counter(page, 'accepted'), '1')
    assert.equal(await counter(page, 'merged'), '1')
    assert.equal(await counter(page, 'rejected'), '1')
    // The rejected rows are shown first, with the line and the server's reason.
    const rows = page.locator('[data-test="import-rows"] .el-table__body tr')
    assert.equal(await rows.count(), 1, 'only the rejected row under the 退回 filter')
    const text = await rows.first().innerText()
    assert.match(text, /\b4\b/, 'line 4 is the bad row: ' + text)
    assert.match(text, /身份证/, 'the reason names the ID number: ' + text)
    await shot(page, 'leads-report.png')

    // The report download is a CSV of every row.
    const href = await page.locator('[data-test="import-download"]').getAttribute('href')
    assert.equal(href, `/api/v1/leads/imports/${body.import_id}/report.csv`)
    const dl = await page.context().request.get(baseURL + href)
    assert.equal(dl.status(), 200)
    const report = await dl.text()
    assert.match(report, /身份证/, 'the report CSV carries the reason')

    // All rows under 全部.
    await page.locator('[data-test="import-filter"] label', { hasText: '全部' }).click()
    assert.equal(await rows.count(), 3)
  })

  it('says so when the same file is imported again, and changes nothing', async () => {
    const { page } = admin
    await page.locator('[data-test="import-another"]').click()
    await pickFile(page, '协查通报-e2e.csv', 'text/csv', fileA)
    await page.locator('[data-test="import-preview"]').waitFor()
    const { body } = await startImport(page)
    assert.equal(body.already_imported, true)
    await page.locator('[data-test="import-already"]').getByText('该文件已导入过，未做任何更改').waitFor()
    assert.equal(await counter(page, 'accepted'), '1')
    assert.equal(await counter(page, 'merged'), '1')
    assert.equal(await counter(page, 'rejected'), '1')
  })

  it('merges a 主动报备 of the same person into the same task', async () => {
    const { page } = admin
    await page.locator('[data-test="import-another"]').click()
    await page.locator('.leads-import label', { hasText: '主动报备' }).click()
    const fileB = Buffer.from(csv([
      ['name', 'id_number', 'category', 'reported_at'],
      [target.name, target.idNumber, 'close_contact', '2022-05-01 07:30'],
    ]), 'utf8')
    await pickFile(page, 'self-report-e2e.csv', 'text/csv', fileB)
    await page.locator('[data-test="import-preview"]').waitFor()
    const { res } = await startImport(page)
    assert.equal(new URL(res.request().url()).searchParams.get('source'), 'self_report')
    assert.equal(await counter(page, 'accepted'), '0')
    assert.equal(await counter(page, 'merged'), '1')
    assert.equal(await counter(page, 'rejected'), '0')
  })

  it('reads an Excel workbook in the browser: title row, empty row, merged cell, date, numeric ID', async () => {
    const { page } = admin
    const ExcelJS = webRequire('exceljs')
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('名单')
    ws.addRow(['清沙市协查通报名单（第2批）'])
    ws.mergeCells('A1:F1')
    ws.addRow(['序号', '姓名', '身份证号', '来源地', '人员类别', '报告时间'])
    ws.addRow([1, target.name, target.idNumber, '北京市', '密接', new Date(Date.UTC(2022, 3, 30, 8, 15))])
    ws.addRow([])
    ws.addRow([2, '李测试', Number(target.idNumber.slice(0, 17) + '0'), '上海市', '次密接', new Date(Date.UTC(2022, 3, 30, 9, 5))])
    ws.addRow([3, '王测试', '11010519491231002X', null, '密接', new Date(Date.UTC(2022, 4, 1, 18, 30))])
    ws.mergeCells('D5:D6') // 来源地 上海市 for Excel rows 5 and 6
    const buffer = Buffer.from(await wb.xlsx.writeBuffer())

    const excelFetched = []
    page.on('request', (r) => { if (/exceljs/.test(r.url())) excelFetched.push(r.url()) })
    await page.locator('[data-test="import-another"]').click()
    assert.equal(excelFetched.length, 0, 'exceljs is not loaded before a workbook is picked')
    await pickFile(page, '协查通报-第2批.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer)
    const preview = page.locator('[data-test="import-preview"]')
    await preview.waitFor()
    assert.ok(excelFetched.length >= 1, 'exceljs is fetched when a workbook is picked')

    const info = await page.locator('[data-test="import-file-info"]').innerText()
    assert.match(info, /跳过表头上方的 1 行标题/, info)
    const alert = await page.locator('[data-test="import-numeric-id"]').innerText()
    assert.match(alert, /1 行的身份证号在 Excel 中被存成了数字/, alert)
    assert.match(alert, /第 5 行/, 'the problem names Excel row 5: ' + alert)
    const body = preview.locator('.el-table__body')
    const rows = body.locator('tr')
    assert.equal(await rows.count(), 2, 'Excel rows 3 and 6: the empty row is skipped, row 5 is held back')
    const first = await rows.nth(0).innerText()
    const second = await rows.nth(1).innerText()
    assert.match(first, /^3\b/, 'first preview row is Excel row 3: ' + first)
    assert.match(first, /2022-04-30 08:15/, 'a date cell becomes YYYY-MM-DD HH:MM: ' + first)
    assert.match(second, /^6\b/, 'second preview row is Excel row 6: ' + second)
    assert.match(second, /上海市/, 'the merged 来源地 reaches row 6: ' + second)
    assert.match(second, /2022-05-01 18:30/, second)
    await shot(page, 'leads-xlsx-preview.png')
  })

  it('shows one 排查任务 for the person with both sources as tags', async () => {
    const { page } = admin
    await page.locator('.app-menu [data-menu="checkTasks"]').click()
    await page.waitForURL((u) => u.pathname === '/tasks')
    const row = page.locator('[data-test="tasks-table"] .el-table__body tr', { hasText: target.maskedId })
    await row.first().waitFor()
    assert.equal(await row.count(), 1, 'one task for the person')
    const tags = row.locator('[data-test="task-sources"] .el-tag')
    assert.deepEqual((await tags.allInnerTexts()).map((s) => s.trim()).sort(), ['主动报备', '协查通报'].sort())
    const text = await row.innerText()
    assert.match(text, /密接/, 'the category in Chinese: ' + text)
    assert.doesNotMatch(text, new RegExp(target.idNumber), 'the ID number is masked')
    const open = (await page.locator('[data-kpi="open"] .k-value').innerText()).trim()
    assert.ok(Number(open.replace(/,/g, '')) >= 1, 'at least one task to check: ' + open)
    await shot(page, 'tasks.png')
  })

  it('lets the grid worker check it on a phone (390×844)', async () => {
    const { context, page } = await e2e.newPage(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    await e2e.loginThroughPage(page, GRID_USER, GRID_PASSWORD)
    await page.waitForURL((u) => u.pathname === '/tasks')
    const card = page.locator('[data-test="tasks-cards"] .t-card', { hasText: target.maskedId })
    await card.waitFor()
    assert.equal(await card.locator('[data-test="task-sources"] .el-tag').count(), 2, 'two source tags on the card')
    const btn = await card.locator('[data-test="task-check"]').boundingBox()
    assert.ok(btn && btn.height >= 44, 'the 核查 button is a big touch target')
    await shot(page, 'tasks-phone.png')

    await card.locator('[data-test="task-check"]').click()
    const dialog = page.locator('.check-dialog')
    await dialog.waitFor()
    // No method: refused in the form, nothing sent.
    await dialog.locator('[data-test="check-submit"]').click()
    await dialog.getByText('请选择核查方式').waitFor()
    await dialog.locator('[data-test="check-visit"]').click()
    await dialog.locator('textarea[data-test="check-note"]').fill('本人在家，已告知健康监测要求（e2e）')
    const checked = page.waitForResponse((r) => /\/api\/v1\/tasks\/\d+\/check$/.test(r.url()))
    await dialog.locator('[data-test="check-submit"]').click()
    const res = await checked
    assert.equal(res.status(), 200, 'POST /tasks/{id}/check: ' + (await res.text()))
    assert.deepEqual(res.request().postDataJSON(), { method: 'visit', note: '本人在家，已告知健康监测要求（e2e）' })
    await dialog.waitFor({ state: 'hidden' })
    await card.getByText('已核查 · 上门').waitFor()
    await shot(page, 'tasks-phone-checked.png')
    await context.close()
  })

  it('raised no uncaught errors in the pages', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
