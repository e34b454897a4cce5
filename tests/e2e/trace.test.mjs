// Browser test: 扫码记录导入 and 密接/次密接查询. The administrator imports a small check-in CSV
// through the page (three people of the demo city meeting at two new venue codes, a duplicate
// line, an unknown ID number and two bad lines), reads the report and downloads the refused
// lines; then searches the first person's contacts over the last 3 hours with 密接 + 次密接: the
// loading state, the three counts, the close contact's evidence (venue, both times, 相隔 N 分钟),
// the secondary contact through the close one, the top-venues chart and the .xlsx export (masked
// values only). Then the same person over the last 4 days, when the 次密接 are most of the demo
// city: listed 200 at a time (the smallest 次密接每次加载), 已列出 X / 共 N, 加载更多 (a failed one
// said plainly, then the next page appended), each with 共 N 次接触, and an export that says it
// holds only the loaded part. A wrong check digit is caught in the browser; a person outside the
// jurisdiction is told plainly. The command centre may search but not import; a grid worker may do neither.
//
// Run by ctest as `node --test tests/e2e/trace.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core (and exceljs, to read the export) come from web/node_modules.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { CordonE2E, DESKTOP, PHONE, log, shot, webRequire } from './harness.mjs'

const HOUR = 3600
const V1 = 'E2E-TRACE-01'
const V2 = 'E2E-TRACE-02'

const e2e = new CordonE2E('trace')
let adminPassword = ''
let admin = null // { context, page } at 1366×900
let people = null // { a, b, c }: { id, id_number, name } from the demo DB
let unknownId = '' // a valid ID number nobody in the city has
let csvFile = ''
let t0 = 0 // "now" of the CSV

const now = () => Math.floor(Date.now() / 1000)
// Unix seconds → "YYYY-MM-DD HH:mm" (and ISO 8601) in China Standard Time.
const local = (sec) => new Date((sec + 8 * HOUR) * 1000).toISOString().slice(0, 16).replace('T', ' ')
const iso = (sec) => new Date((sec + 8 * HOUR) * 1000).toISOString().slice(0, 19) + '+08:00'
const masked = (id) => id.slice(0, 6) + '********' + id.slice(14)

// GB 11643: the check character of 17 digits.
function withCheck(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * w[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

function sql(query) {
  const r = spawnSync('sqlite3', ['-readonly', '-json', path.join(e2e.dataDir, 'cordon.db'), query], { encoding: 'utf8' })
  assert.equal(r.status, 0, 'sqlite3: ' + r.stderr)
  return r.stdout.trim() ? JSON.parse(r.stdout) : []
}

// An input by its data-test (Element Plus puts the attribute on the inner input of el-input and
// el-date-picker, on the root of others).
const field = (scope, name) => scope.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first()

async function pick(page, name, value) {
  const input = field(page, name)
  await input.click()
  await input.fill(value)
  await input.press('Enter')
}

const count = async (scope, key) => Number((await scope.locator(`[data-count="${key}"] .c-value`).innerText()).replace(/,/g, ''))

describe('trace: 扫码记录导入 and 密接/次密接查询', () => {
  before(async () => {
    const city = await e2e.start({ population: 3000, seed: 23 })
    adminPassword = city.adminPassword
    // Three people of three different households, with resident ID numbers.
    const rows = sql("SELECT id, name, household_id FROM people WHERE id_type = 'resident_id' AND unverified = 0 AND merged_into IS NULL ORDER BY id LIMIT 400")
    const picked = []
    for (const r of rows) {
      if (!picked.some((p) => p.household_id === r.household_id)) picked.push(r)
      if (picked.length === 3) break
    }
    assert.equal(picked.length, 3, 'three households in the demo city')
    // The database holds ID numbers only sealed (security.md B3): an audited reveal gives them.
    const cookie = await e2e.apiLogin('admin', adminPassword)
    for (const p of picked) {
      const r = await e2e.apiPost(cookie, `/api/v1/people/${p.id}/reveal`, { fields: ['id_number'], reason: '测试准备扫码记录' })
      p.id_number = r.id_number
      assert.match(p.id_number, /^\d{17}[\dX]$/)
    }
    people = { a: picked[0], b: picked[1], c: picked[2] }
    for (let n = 100; ; n++) {
      unknownId = withCheck('11010119900307' + String(n).padStart(3, '0'))
      const masked = unknownId.slice(0, 6) + '********' + unknownId.slice(14)
      if (!sql(`SELECT 1 FROM people WHERE id_number_masked = '${masked}'`).length) break
    }
    log('people', people.a.id, people.b.id, people.c.id, 'unknown', unknownId)

    // A meets B at V1 (5 minutes apart); later B meets C at V2: C is a secondary contact of A.
    t0 = now()
    const { a, b, c } = people
    const csv = [
      'person_id_number,venue_code,time',
      `${a.id_number},${V1},${t0 - 2 * HOUR}`, // line 2
      `${b.id_number},${V1},${iso(t0 - 2 * HOUR + 300)}`, // 3
      `${b.id_number},${V1},${iso(t0 - 2 * HOUR + 300)}`, // 4: the same again
      `${b.id_number},${V2},${t0 - 90 * 60}`, // 5
      `${c.id_number},${V2},${t0 - 88 * 60}`, // 6
      `${unknownId},${V1},${t0 - HOUR}`, // 7: a new person file
      `12345,${V1},${t0 - HOUR}`, // 8: refused, the ID number
      `${a.id_number},${V1},${t0 + 86400}`, // 9: refused, in the future
    ].join('\n') + '\n'
    csvFile = path.join(e2e.dataDir, '扫码记录-e2e.csv')
    fs.writeFileSync(csvFile, csv)

    await e2e.launchBrowser()
    admin = await e2e.newPage(DESKTOP)
  })

  after(() => e2e.stop())

  it('imports a check-in CSV through the page and shows the report', async () => {
    const { page } = admin
    await e2e.loginThroughPage(page, 'admin', adminPassword)
    await page.locator('.app-menu [data-menu="checkinsImport"]').click()
    await page.waitForURL((u) => u.pathname === '/checkins/import')
    assert.match(await page.locator('[data-test="checkins-explain"]').innerText(), /待核实场所.*待核实人员/)

    await page.locator('[data-test="checkins-file"] input[type="file"]').setInputFiles(csvFile)
    const preview = page.locator('[data-test="checkins-preview"]')
    await preview.waitFor()
    assert.equal(await preview.locator('.el-table__body-wrapper .el-table__row').count(), 8, 'eight data rows in the preview')
    assert.match(await page.locator('[data-test="checkins-file-info"]').innerText(), /共 8 行/)
    await shot(page, 'checkins-preview.png')

    const posted = page.waitForResponse((r) => r.url().endsWith('/api/v1/checkins') && r.request().method() === 'POST')
    await page.locator('[data-test="checkins-start"]').click()
    const res = await posted
    assert.equal(res.status(), 200, 'POST /checkins')
    assert.match(res.request().headers()['content-type'], /^text\/csv/)

    const box = page.locator('[data-test="checkins-report"]')
    await box.waitFor()
    for (const [k, n] of [['accepted', 5], ['duplicates', 1], ['new_venues', 2], ['new_people', 1], ['rejected', 2]]) {
      assert.equal(await count(box, k), n, k)
    }
    const rejected = box.locator('[data-test="checkins-rejected"] .el-table__body-wrapper .el-table__row')
    assert.equal(await rejected.count(), 2)
    assert.match(await rejected.nth(0).innerText(), /8\s+身份证号\s+身份证号应为 18 位/)
    assert.match(await rejected.nth(1).innerText(), /9\s+时间\s+时间晚于当前/)
    await shot(page, 'checkins-report.png')

    const downloaded = page.waitForEvent('download')
    await box.locator('[data-test="checkins-download"]').click()
    const file = await downloaded
    assert.match(file.suggestedFilename(), /退回行\.csv$/)
    const text = fs.readFileSync(await file.path(), 'utf8')
    assert.match(text, /^\uFEFF行号,字段,原因\r\n8,身份证号,/)
    assert.match(text, /\r\n9,时间,时间晚于当前/)
  })

  it('catches a wrong check digit in the browser, before anything is sent', async () => {
    const { page } = admin
    await page.locator('.app-menu [data-menu="contacts"]').click()
    await page.waitForURL((u) => u.pathname === '/trace')
    await page.locator('[data-test="trace-empty"]').waitFor()
    let sent = 0
    const onReq = (r) => { if (r.url().endsWith('/api/v1/trace/contacts')) sent++ }
    page.on('request', onReq)
    const id = people.a.id_number
    const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0')
    await field(page, 'trace-id').fill(wrong)
    await page.locator('[data-test="trace-submit"]').click()
    await page.locator('[data-test="trace-id-error"]', { hasText: '校验位不正确' }).waitFor()
    await field(page, 'trace-id').fill(id.slice(0, 15))
    await page.locator('[data-test="trace-id-error"]', { hasText: '应为 18 位，当前 15 位' }).waitFor()
    await page.waitForTimeout(300)
    page.off('request', onReq)
    assert.equal(sent, 0, 'nothing sent for a number that fails the check')
    // The default window is the 4 days before now (发病前4天).
    const from = await field(page, 'trace-from').inputValue()
    const to = await field(page, 'trace-to').inputValue()
    assert.ok(Math.abs(new Date(to.replace(' ', 'T') + ':00+08:00') - new Date(from.replace(' ', 'T') + ':00+08:00') - 4 * 86400e3) <= 60e3, `${from} … ${to}`)
  })

  it('tells plainly when the person is not in the jurisdiction', async () => {
    const { page } = admin
    // The unknown ID number made a 待核实人员 file with no grid: outside every jurisdiction.
    await field(page, 'trace-id').fill(unknownId)
    const asked = page.waitForResponse((r) => r.url().endsWith('/api/v1/trace/contacts'))
    await page.locator('[data-test="trace-submit"]').click()
    assert.equal((await asked).status(), 404)
    await page.locator('[data-test="trace-error"]', { hasText: '人员不存在或不在管辖范围内' }).waitFor()
  })

  it('searches 密接 + 次密接 and shows the counts, the evidence and the secondary contact', async () => {
    const { page } = admin
    const { a, b, c } = people
    await field(page, 'trace-id').fill(a.id_number)
    await pick(page, 'trace-from', local(t0 - 3 * HOUR))
    await page.locator('[data-test="trace-depth"]').getByText('密接 + 次密接').click()
    // Slow the answer a little so that the loading state can be seen.
    await page.route('**/api/v1/trace/contacts', async (route) => { await new Promise((r) => setTimeout(r, 1200)); await route.continue() })
    const asked = page.waitForResponse((r) => r.url().endsWith('/api/v1/trace/contacts'))
    await page.locator('[data-test="trace-submit"]').click()
    await page.locator('[data-test="trace-loading"]', { hasText: '次密接' }).waitFor()
    const res = await asked
    await page.unroute('**/api/v1/trace/contacts')
    const answer = await res.json()
    assert.equal(res.status(), 200, 'POST /trace/contacts: ' + JSON.stringify(answer))
    const body = res.request().postDataJSON()
    assert.equal(body.id_number, a.id_number)
    assert.equal(body.depth, 2)
    assert.equal(body.secondary_limit, 1000, 'the default page of 次密接')
    assert.equal(body.secondary_after, undefined)
    assert.equal(body.from, Math.floor((t0 - 3 * HOUR) / 60) * 60)
    assert.ok(Number.isInteger(body.to) && body.to >= t0 - 120 && body.to <= now(), 'to: the page\'s now')
    assert.ok(!page.url().includes(a.id_number), 'the ID number is not in the URL')
    log('counts', JSON.stringify(answer.counts))
    assert.ok(answer.counts.close >= 1 && answer.counts.secondary >= 1)

    const counts = page.locator('[data-test="trace-counts"]')
    await counts.waitFor()
    assert.equal(await count(counts, 'close'), answer.counts.close)
    assert.equal(await count(counts, 'secondary'), answer.counts.secondary)
    assert.equal(await count(counts, 'companions'), answer.counts.companions)
    assert.match(await page.locator('[data-test="trace-index"]').innerText(), new RegExp(masked(a.id_number).replace(/\*/g, '\\*')))

    // B, found by the venue code, with the evidence under the arrow.
    await field(page.locator('[data-tab="close"]'), 'trace-filter').fill(V1)
    const row = page.locator(`[data-tab="close"] .tr-p-${b.id}`)
    await row.waitFor()
    const rowText = await row.innerText()
    assert.ok(rowText.includes(masked(b.id_number)), 'the masked ID number')
    assert.ok(!rowText.includes(b.id_number), 'never the full one')
    await row.locator('.el-table__expand-icon').click()
    const ev = page.locator('[data-tab="close"] [data-test="trace-evidence"] .el-table__row', { hasText: V1 })
    await ev.waitFor()
    const evText = await ev.innerText()
    assert.match(evText, /待核实场所/)
    assert.ok(evText.includes(local(t0 - 2 * HOUR)) && evText.includes(local(t0 - 2 * HOUR + 300)), evText)
    assert.match(evText, /相隔 5 分钟/)
    await page.locator('[data-test="trace-venue-chart"] canvas').waitFor()
    await page.waitForTimeout(600)
    await shot(page, 'trace-close.png')

    // C, a secondary contact through B.
    await page.locator('[data-test="trace-counts"] [data-count="secondary"]').click()
    await field(page.locator('[data-tab="secondary"]'), 'trace-filter').fill(V2)
    const sec = page.locator(`[data-tab="secondary"] .tr-p-${c.id}`)
    await sec.waitFor()
    const bMasked = answer.contacts.find((x) => x.person_id === b.id)
    assert.ok(bMasked, 'B is in the answer')
    assert.ok((await sec.locator('[data-test="trace-via"]').innerText()).includes(bMasked.id_number), 'via B (masked)')
    await shot(page, 'trace-secondary.png')
  })

  it('exports the current tab to .xlsx with masked values only', async () => {
    const { page } = admin
    await page.locator('[data-test="trace-counts"] [data-count="close"]').click()
    const downloaded = page.waitForEvent('download')
    await page.locator('[data-test="trace-export"]').click()
    const file = await downloaded
    assert.match(file.suggestedFilename(), /^密接次密接查询_密接_\d{4}-\d{2}-\d{2}\.xlsx$/)
    const ExcelJS = webRequire('exceljs')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(await file.path())
    const ws = wb.worksheets[0]
    assert.equal(ws.name, '密接')
    const values = []
    ws.eachRow((r) => values.push(r.values.slice(1).map((v) => String(v ?? ''))))
    const all = JSON.stringify(values) + JSON.stringify(wb.worksheets[1].getSheetValues())
    assert.deepEqual(values[0].slice(0, 3), ['序号', '姓名', '身份证号'])
    const answerClose = Number((await page.locator('[data-count="close"] .c-value').innerText()).replace(/,/g, ''))
    assert.equal(values.length - 1, answerClose, 'one row per close contact')
    assert.ok(all.includes(masked(people.b.id_number)), 'B masked')
    for (const p of Object.values(people)) assert.ok(!all.includes(p.id_number), 'no full ID number in the workbook')
    assert.ok(all.includes(V1))
  })

  it('lists 次密接 a page at a time: 已列出 X / 共 N, 加载更多 and a partial export', async () => {
    const { page } = admin
    const { a } = people
    const SMALL = 200
    const fmt = (n) => n.toLocaleString('en-US')
    const secondaryOf = (answer) => answer.contacts.filter((x) => x.degree === 2)
    const isTrace = (r) => r.url().endsWith('/api/v1/trace/contacts')

    // A over the last 4 days: the demo city has three check-ins a person a day, mostly in the
    // person's own grid, so the secondary contacts are most of the city, many pages of 200.
    await field(page, 'trace-id').fill(a.id_number)
    await page.locator('[data-test="trace-lookback"]').click()
    await page.locator('[data-test="trace-depth"]').getByText('密接 + 次密接').click()
    await page.locator('[data-test="trace-page-size"]').getByText(`${SMALL} 名`, { exact: true }).click()
    let asked = page.waitForResponse(isTrace)
    await page.locator('[data-test="trace-submit"]').click()
    let res = await asked
    const first = await res.json()
    assert.equal(res.status(), 200, 'POST /trace/contacts: ' + JSON.stringify(first).slice(0, 400))
    const body = res.request().postDataJSON()
    assert.equal(body.secondary_limit, SMALL)
    assert.equal(body.secondary_after, undefined)
    const total = first.counts.secondary
    log('secondary contacts over 4 days', total, 'next', first.secondary_next)
    assert.ok(total > 2 * SMALL, `more than two pages of 次密接 in the demo city (${total})`)
    const page1 = secondaryOf(first)
    assert.equal(page1.length, SMALL, 'one page of 次密接')
    assert.equal(first.contacts.length - page1.length, first.counts.close, 'every close contact')
    assert.notEqual(first.secondary_next, null)

    await page.locator('[data-test="trace-counts"] [data-count="secondary"]').click()
    const tab = page.locator('[data-tab="secondary"]')
    const listed = page.locator('[data-test="trace-listed"]')
    await listed.waitFor()
    assert.equal((await listed.innerText()).trim(), `已列出 ${SMALL} / 共 ${fmt(total)} 名次密接`)
    assert.equal((await tab.locator('[data-test="trace-total"]').innerText()).trim(), `共 ${SMALL} 人`)
    assert.equal(await count(page.locator('[data-test="trace-counts"]'), 'secondary'), total, 'the card keeps the total')
    assert.match(await page.locator('[data-test="trace-export-partial"]').innerText(), new RegExp(`仅导出已加载的 ${SMALL} / ${fmt(total)} 名`))
    // A secondary contact lists its earliest meeting and how many there were.
    const r0 = page1[0]
    assert.equal(r0.evidence.length, 1, 'only the earliest meeting')
    const row0 = tab.locator(`.tr-p-${r0.person_id}`)
    assert.equal((await row0.locator('[data-test="trace-ev-total"]').innerText()).trim(), `共 ${fmt(r0.evidence_total)} 次接触`)
    if (r0.evidence_total > 1) {
      await row0.locator('.el-table__expand-icon').click()
      await tab.locator('[data-test="trace-ev-note"]', { hasText: `仅列出最早的一次接触，共 ${fmt(r0.evidence_total)} 次接触` }).waitFor()
      await row0.locator('.el-table__expand-icon').click()
    }

    // 加载更多 that fails is said plainly, and what is listed stays.
    await page.route('**/api/v1/trace/contacts', (route) => route.abort())
    await page.locator('[data-test="trace-more"]').click()
    await page.locator('[data-test="trace-more-error"]', { hasText: '无法连接服务器' }).waitFor()
    await page.unroute('**/api/v1/trace/contacts')
    assert.equal((await listed.innerText()).trim(), `已列出 ${SMALL} / 共 ${fmt(total)} 名次密接`)

    // Then it works: the next page of the same query, after the last one, appended.
    await page.route('**/api/v1/trace/contacts', async (route) => { await new Promise((r) => setTimeout(r, 1000)); await route.continue() })
    asked = page.waitForResponse(isTrace)
    await page.locator('[data-test="trace-more"]').click()
    await page.locator('[data-test="trace-more"].is-loading').waitFor()
    res = await asked
    await page.unroute('**/api/v1/trace/contacts')
    const second = await res.json()
    assert.equal(res.status(), 200, 'POST /trace/contacts (more): ' + JSON.stringify(second).slice(0, 400))
    const body2 = res.request().postDataJSON()
    assert.deepEqual(body2, { ...body, secondary_after: first.secondary_next }, 'the same query, the next page')
    const page2 = secondaryOf(second)
    assert.equal(page2.length, SMALL)
    assert.ok(page2.every((x) => x.person_id > first.secondary_next), 'after the cursor')
    const seen = new Set(page1.map((x) => x.person_id))
    assert.ok(page2.every((x) => !seen.has(x.person_id)), 'nobody twice')
    await page.locator('[data-test="trace-listed"]', { hasText: `已列出 ${2 * SMALL} / 共 ${fmt(total)} 名次密接` }).waitFor()
    assert.equal((await tab.locator('[data-test="trace-total"]').innerText()).trim(), `共 ${2 * SMALL} 人`)
    assert.match(await tab.locator('.pager').innerText(), new RegExp(`共 ${2 * SMALL} 条`))
    assert.equal(await page.locator('[data-test="trace-more-error"]').count(), 0, 'the error is gone')
    assert.equal(await count(page.locator('[data-test="trace-counts"]'), 'secondary'), total)
    // A row of the new page, found by its masked ID number.
    const r1 = page2[page2.length - 1]
    await field(tab, 'trace-filter').fill(r1.id_number)
    await tab.locator(`.tr-p-${r1.person_id}`).waitFor()
    await field(tab, 'trace-filter').fill('')
    await shot(page, 'trace-secondary-paging.png')

    // On a phone the line and the button fit the screen.
    await page.setViewportSize(PHONE)
    await page.waitForTimeout(300)
    const box = await page.locator('[data-test="trace-more"]').boundingBox()
    assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, 'the button fits: ' + JSON.stringify(box))
    await page.locator('[data-test="trace-paging"]').scrollIntoViewIfNeeded()
    await shot(page, 'trace-secondary-paging-phone.png')
    await page.setViewportSize(DESKTOP)

    // The export holds the loaded rows and says that it is only part.
    const downloaded = page.waitForEvent('download')
    await page.locator('[data-test="trace-export"]').click()
    const file = await downloaded
    assert.match(file.suggestedFilename(), /^密接次密接查询_次密接_\d{4}-\d{2}-\d{2}\.xlsx$/)
    const ExcelJS = webRequire('exceljs')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(await file.path())
    const ws = wb.worksheets[0]
    assert.equal(ws.name, '次密接（仅已加载部分）')
    const values = []
    ws.eachRow((r) => values.push(r.values.slice(1).map((v) => String(v ?? ''))))
    assert.equal(values[0][0], `仅含已加载的 ${fmt(2 * SMALL)} / ${fmt(total)} 名次密接`)
    assert.deepEqual(values[1].slice(0, 3), ['序号', '姓名', '身份证号'])
    const meetings = values[1].indexOf('接触次数')
    assert.ok(meetings > 0 && values[1].includes('证据（最早一次接触）'), values[1].join(','))
    assert.equal(values.length - 2, 2 * SMALL, 'one row per loaded secondary contact')
    assert.equal(values[2][2], r0.id_number, 'by person_id, the first page first')
    assert.equal(Number(values[2][meetings]), r0.evidence_total)
    const query = JSON.stringify(wb.worksheets[1].getSheetValues())
    assert.ok(query.includes('导出人数') && query.includes(`仅含已加载的 ${fmt(2 * SMALL)} / ${fmt(total)} 名次密接`), query)
    const all = JSON.stringify(values) + query
    for (const p of Object.values(people)) assert.ok(!all.includes(p.id_number), 'no full ID number in the workbook')
  })

  it('lets the command centre search but not import, and a grid worker neither', async () => {
    for (const [user, search, imp] of [['commander', true, false], ['grid_demo', false, false]]) {
      const { context, page } = await e2e.newPage(user === 'grid_demo' ? PHONE : DESKTOP)
      await e2e.loginThroughPage(page, user, adminPassword)
      if (user !== 'grid_demo') {
        assert.equal(await page.locator('.app-menu [data-menu="contacts"]').count(), search ? 1 : 0)
        assert.equal(await page.locator('.app-menu [data-menu="checkinsImport"]').count(), imp ? 1 : 0)
      }
      await page.goto(e2e.baseURL + '/checkins/import')
      await page.waitForURL((u) => u.pathname !== '/checkins/import')
      await page.goto(e2e.baseURL + '/trace')
      if (search) await page.locator('[data-test="trace-form"]').waitFor()
      else await page.waitForURL((u) => u.pathname !== '/trace')
      await context.close()
    }
  })

  it('raised no page errors', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
