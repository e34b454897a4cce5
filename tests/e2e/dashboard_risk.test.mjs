// Browser test: 指挥大屏 › 风险人员管控. Three people of one district are put under measures (one
// 次密接 → 居家隔离, two 密接 → 集中隔离) and two leads become 排查任务 (one routed to the district,
// one whose address matches no grid: 待分配). The dashboard shows 管控中 3 for the city, the
// district's bar and row; a click on the district's bar drills down (the tree follows), rows drill
// further down to the grid. On a phone (390×844) the section stacks. A site manager sees the
// measures half only; the auditor does not see the section. The dashboard's refresh updates it.
//
// Run by ctest as `node --test tests/e2e/dashboard_risk.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules; the browser is Debian's /usr/bin/chromium.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { CordonE2E, DESKTOP, PHONE, log, shot, runCli } from './harness.mjs'

const SITE_USER = 'site_risk_e2e'
const SITE_PASSWORD = 'Passw0rd-site-5'
const REASON = '核实排查任务住址（e2e）'

const e2e = new CordonE2E('dashboard_risk')
let adminPassword = ''
let rootCode = '' // the administrator's node (the city)
let rootName = ''
let district = null // { code, name } of the three people's district
let otherDistricts = [] // the city's other districts: { code, name }
let admin = null // { context, page } of the administrator at 1366×900

// POST through the API with the expected status (the harness's apiPost expects 200).
async function post(cookie, p, body, status) {
  const res = await fetch(e2e.baseURL + p, {
    method: 'POST',
    headers: { Cookie: cookie, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  assert.equal(res.status, status, `POST ${p}: HTTP ${res.status} ${text}`)
  return JSON.parse(text)
}

// A resident ID number with the right GB 11643 check digit.
function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * w[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

const section = (page) => page.locator('[data-test="risk-section"]')
const kpi = async (page, key) => (await page.locator(`[data-risk-kpi="${key}"] .rkpi-value`).innerText()).replace(/[^\d,]/g, '').replace(/,/g, '')
const tableRow = (page, code, kind = 'child') => page.locator(`[data-test="risk-table"] tbody tr[data-kind="${kind}"][data-code="${code}"]`)
const cell = async (row, col) => (await row.locator(`td[data-col="${col}"]`).innerText()).trim()

// Waits until the section shows the region (its name in the heading, nothing loading).
async function sectionAt(page, name) {
  await page.locator('[data-test="risk-region"]', { hasText: name }).waitFor()
  await page.waitForFunction(() => !document.querySelector('[data-test="risk-section"] > .el-loading-mask'))
}

async function scrollTo(page, selector, block = 'start') {
  await page.locator(selector).first().evaluate((el, b) => el.scrollIntoView({ block: b }), block)
  await page.waitForTimeout(700) // the charts finish their animation
}

describe('dashboard: 风险人员管控 per region, drill-down', () => {
  before(async () => {
    const city = await e2e.start({ population: 3000, seed: 13 })
    adminPassword = city.adminPassword
    const cookie = await e2e.apiLogin('admin', adminPassword)
    const session = await e2e.apiGet(cookie, '/api/v1/session')
    rootCode = session.user.region

    // Three people of one district (the one the most of the first 60 people live in).
    const people = (await e2e.apiGet(cookie, '/api/v1/people?limit=60')).items
    const byDistrict = new Map()
    for (const p of people) {
      const d = String(p.region).slice(0, 6)
      if (!byDistrict.has(d)) byDistrict.set(d, [])
      byDistrict.get(d).push(p)
    }
    const [dCode, inD] = [...byDistrict.entries()].sort((a, b) => b[1].length - a[1].length)[0]
    assert.ok(inD.length >= 3, 'three of the first people live in one district')
    const root = await e2e.apiGet(cookie, '/api/v1/regions/' + rootCode)
    rootName = root.name
    const kids = root.children || []
    const d = kids.find((c) => c.code === dCode)
    assert.ok(d, `district ${dCode} is a child of ${rootCode}: ` + JSON.stringify(kids.map((c) => c.code)))
    district = { code: d.code, name: d.name }
    otherDistricts = kids.filter((c) => c.code !== dCode).map((c) => ({ code: c.code, name: c.name }))
    log('district', district.code, district.name, '· others', otherDistricts.map((c) => c.name).join(', '))

    const [p1, p2, p3] = inD
    const m1 = await post(cookie, `/api/v1/people/${p1.id}/measures`, { category: 'secondary_contact' }, 201)
    const m2 = await post(cookie, `/api/v1/people/${p2.id}/measures`, { category: 'close_contact' }, 201)
    const m3 = await post(cookie, `/api/v1/people/${p3.id}/measures`, { category: 'close_contact' }, 201)
    assert.equal(m1.measure, 'home_quarantine')
    assert.equal(m2.measure, 'central_quarantine')
    assert.equal(m3.measure, 'central_quarantine')

    // Two 排查任务: a lead at p1's address (routed to p1's grid) and one whose address matches no
    // grid (待分配, on the city's own node).
    const revealed = await e2e.apiPost(cookie, `/api/v1/people/${p1.id}/reveal`, { fields: ['address'], reason: REASON })
    assert.ok(revealed.address, 'the full address of p1: ' + JSON.stringify(revealed))
    const leads = await e2e.apiPost(cookie, '/api/v1/leads', {
      source: 'tip_off',
      rows: [
        { name: '测试甲', id_number: idNumber('11010119500101001'), phone: '13900000001', address: revealed.address, category: 'close_contact' },
        { name: '测试乙', id_number: idNumber('11010119500101002'), phone: '13900000002', address: '外省某市某路1号', category: 'high_risk_area' },
      ],
    })
    log('leads:', leads.rows.map((r) => `${r.outcome} task ${r.task_id} · ${r.reason}`).join(' | '))
    assert.equal(leads.accepted, 2, 'both leads are accepted: ' + JSON.stringify(leads.rows))

    runCli(['user', 'add', '--username', SITE_USER, '--role', 'site_manager', '--region', rootCode, '--data', e2e.dataDir],
      SITE_PASSWORD + '\n')

    await e2e.launchBrowser()
    admin = await e2e.newPage(DESKTOP)
  })

  after(() => e2e.stop())

  it('shows 管控中 3 for the city, the district in the charts and the table', async () => {
    const { page } = admin
    const answered = page.waitForResponse((r) => /\/api\/v1\/measures\/summary\?region=/.test(r.url()))
    await e2e.loginThroughPage(page, 'admin', adminPassword)
    if (new URL(page.url()).pathname !== '/') await page.goto(e2e.baseURL + '/')
    const res = await answered
    assert.equal(res.status(), 200, 'GET /measures/summary: ' + (await res.text()))
    await section(page).waitFor()
    await sectionAt(page, rootName)
    await page.locator('[data-risk-kpi="under"]').waitFor()

    assert.equal(await kpi(page, 'under'), '3', '管控中 3')
    assert.equal(await kpi(page, 'releases'), '0', '今日应解除 0: all three started today')
    assert.equal(await kpi(page, 'open'), '2', '排查任务 2')
    assert.equal(await kpi(page, 'overdue'), '0')
    assert.equal(await page.locator('[data-risk-kpi="overdue"].hot').count(), 0, 'no overdue: not red')
    assert.equal(await kpi(page, 'unrouted'), '1', '待分配 1: the lead whose address matched no grid')
    await page.locator('[data-test="risk-measures-chart"] canvas').waitFor()
    await page.locator('[data-test="risk-category-chart"] canvas').waitFor()
    await page.locator('[data-test="risk-tasks-chart"] canvas').waitFor()

    const row = tableRow(page, district.code)
    await row.waitFor()
    assert.match(await row.innerText(), new RegExp(district.name))
    assert.equal(await cell(row, 'under'), '3')
    assert.equal(await cell(row, 'home_quarantine'), '1')
    assert.equal(await cell(row, 'central_quarantine'), '2')
    assert.equal(await cell(row, 'open'), '1', 'the routed lead is a task of the district')
    for (const o of otherDistricts) {
      assert.equal(await cell(tableRow(page, o.code), 'under'), '0', o.name + ' has nobody under measures')
    }
    const unassigned = page.locator('[data-test="risk-table"] tbody tr[data-kind="unassigned"]')
    await unassigned.waitFor()
    assert.match(await unassigned.innerText(), /本级待分配/)
    assert.equal(await cell(unassigned, 'unrouted'), '1')
    assert.equal(await cell(unassigned, 'under'), '0')
    const total = page.locator('[data-test="risk-table"] tfoot tr')
    assert.equal(await cell(total, 'under'), '3')
    assert.equal(await cell(total, 'open'), '2')

    await scrollTo(page, '[data-test="risk-section"]')
    await shot(page, 'dashboard-risk.png')
    await scrollTo(page, '[data-test="risk-table"]', 'center')
    await shot(page, 'dashboard-risk-table.png')
  })

  it('drills down to the district by clicking its bar; the tree follows', async () => {
    const { page } = admin
    // The bar of the district: the charts show the children in the table's order.
    const codes = await page.locator('[data-test="risk-table"] tbody tr[data-kind="child"]').evaluateAll((rows) => rows.map((r) => r.dataset.code))
    const i = codes.indexOf(district.code)
    assert.ok(i >= 0, 'the district is a row of the table')
    const chart = page.locator('[data-test="risk-measures-chart"]')
    await chart.scrollIntoViewIfNeeded()
    const box = await chart.boundingBox()
    // Inside the plot: past the y-axis labels on the left, below the legend, above the x labels.
    const left = box.x + 40
    const width = box.width - 40 - 12
    const x = left + (width * (i + 0.5)) / codes.length
    const y = box.y + box.height * 0.55
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/measures/summary?region=' + district.code))
    await page.mouse.click(x, y)
    assert.equal((await answered).status(), 200)
    await sectionAt(page, district.name)
    await page.locator('.dash-tree .el-tree-node.is-current > .el-tree-node__content', { hasText: district.name }).waitFor()
    assert.match(await page.locator('.node-name').innerText(), new RegExp(district.name), 'the figures above follow')
    assert.equal(await kpi(page, 'under'), '3')
    assert.equal(await kpi(page, 'open'), '1')
    assert.equal(await kpi(page, 'unrouted'), '0')
    await scrollTo(page, '[data-test="risk-section"]')
    await shot(page, 'dashboard-risk-drill.png')
  })

  it('drills further down by the table rows to the grid', async () => {
    const { page } = admin
    let name = district.name
    for (let level = 0; level < 4; level++) {
      const rows = page.locator('[data-test="risk-table"] tbody tr[data-kind="child"]')
      if (!(await rows.count())) break
      // The child with the three people.
      const under = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td[data-col="under"]').textContent.trim()))
      const j = under.indexOf('3')
      assert.ok(j >= 0, `a child of ${name} holds the three people: ${under}`)
      const next = rows.nth(j)
      const code = await next.getAttribute('data-code')
      name = (await next.locator('.nm').innerText()).trim()
      await next.click()
      await sectionAt(page, name)
      await page.locator('.dash-tree .el-tree-node.is-current > .el-tree-node__content', { hasText: name }).waitFor()
      assert.equal(await kpi(page, 'under'), '3', `管控中 3 at ${name} (${code})`)
    }
    // A grid: no children, its own figures in one row.
    const self = page.locator('[data-test="risk-table"] tbody tr[data-kind="self"]')
    await self.waitFor()
    assert.equal(await cell(self, 'under'), '3')
    assert.equal(await cell(self, 'open'), '1')
    assert.match(await section(page).innerText(), /网格为最小单元/)
    await scrollTo(page, '[data-test="risk-section"]')
    await shot(page, 'dashboard-risk-grid.png')
  })

  it('stacks the section on a phone (390×844)', async () => {
    const { context, page } = await e2e.newPage(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    await e2e.loginThroughPage(page, 'admin', adminPassword)
    if (new URL(page.url()).pathname !== '/') await page.goto(e2e.baseURL + '/')
    await section(page).waitFor()
    await page.locator('[data-risk-kpi="under"]').waitFor()
    await sectionAt(page, rootName)
    assert.equal(await kpi(page, 'under'), '3')

    // Two figures a row, nothing wider than the screen.
    const a = await page.locator('[data-risk-kpi="under"]').boundingBox()
    const b = await page.locator('[data-risk-kpi="releases"]').boundingBox()
    assert.ok(Math.abs(a.y - b.y) < 2 && b.x > a.x, 'two figures a row')
    assert.ok(b.x + b.width <= PHONE.width, 'the figures fit the screen')
    const m = await page.locator('[data-test="risk-measures-chart"]').boundingBox()
    const r = await page.locator('[data-test="risk-category-chart"]').boundingBox()
    assert.ok(r.y >= m.y + m.height, 'the charts stack')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 1, 'no sideways scrolling of the page: ' + overflow)

    await scrollTo(page, '[data-test="risk-section"]')
    await shot(page, 'dashboard-risk-phone.png')
    await scrollTo(page, '[data-test="risk-table"]', 'center')
    // The compact table: 管控中 and the tasks, no sideways scrolling.
    assert.equal(await page.locator('[data-test="risk-table"] td[data-col="home_quarantine"]').count(), 0, 'the kinds stay in the chart')
    const sideways = await page.locator('[data-test="risk-table"]').evaluate((t) => t.parentElement.scrollWidth - t.parentElement.clientWidth)
    assert.ok(sideways <= 1, 'the table fits the phone: ' + sideways)
    assert.equal(await cell(tableRow(page, district.code), 'under'), '3')
    assert.equal(await cell(tableRow(page, district.code), 'open'), '1')
    await shot(page, 'dashboard-risk-phone-table.png')

    // A tap on the district's row drills down on the phone too.
    await tableRow(page, district.code).tap()
    await sectionAt(page, district.name)
    assert.equal(await kpi(page, 'under'), '3')
    await context.close()
  })

  it('shows a site manager the measures only, and the auditor nothing of it', async () => {
    const site = await e2e.newPage(DESKTOP)
    await e2e.loginThroughPage(site.page, SITE_USER, SITE_PASSWORD)
    await site.page.goto(e2e.baseURL + '/')
    await section(site.page).waitFor()
    await site.page.locator('[data-risk-kpi="under"]').waitFor()
    assert.equal(await kpi(site.page, 'under'), '3')
    assert.equal(await site.page.locator('[data-risk-kpi="open"]').count(), 0, 'no 排查任务 figures for a site manager')
    assert.equal(await site.page.locator('[data-test="risk-tasks-chart"]').count(), 0)
    await site.context.close()

    const aud = await e2e.newPage(DESKTOP)
    const asked = []
    aud.page.on('request', (r) => { if (/\/summary(\?|$)/.test(r.url())) asked.push(r.url()) })
    await e2e.loginThroughPage(aud.page, 'auditor', adminPassword)
    await aud.page.goto(e2e.baseURL + '/')
    await aud.page.locator('.kpi[data-kpi="population"] .kpi-value').waitFor()
    await aud.page.waitForTimeout(500)
    assert.equal(await section(aud.page).count(), 0, 'no 风险人员管控 for the auditor')
    assert.deepEqual(asked, [], 'nor a request the server would refuse')
    await aud.context.close()
  })

  it('updates with the refresh: a fourth person in another district', async () => {
    const { page } = admin
    assert.ok(otherDistricts.length, 'the city has another district')
    const other = otherDistricts[0]
    await page.locator('.dash-tree .el-tree-node__content', { hasText: rootName }).first().click()
    await sectionAt(page, rootName)
    assert.equal(await kpi(page, 'under'), '3')

    const cookie = await e2e.apiLogin('admin', adminPassword)
    const there = (await e2e.apiGet(cookie, `/api/v1/people?region=${other.code}&limit=1`)).items
    assert.equal(there.length, 1, 'someone lives in ' + other.name)
    await post(cookie, `/api/v1/people/${there[0].id}/measures`, { category: 'close_contact' }, 201)

    // The dashboard's refresh (the button does what the timer does) reloads the section quietly.
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/measures/summary?region=' + rootCode))
    await page.locator('.node-actions .dh-btn').click()
    assert.equal((await answered).status(), 200)
    await page.locator('[data-risk-kpi="under"] .rkpi-value', { hasText: '4' }).waitFor()
    assert.equal(await cell(tableRow(page, other.code), 'under'), '1', other.name + ' now has one')
    assert.equal(await cell(tableRow(page, other.code), 'central_quarantine'), '1')
    assert.equal(await cell(tableRow(page, district.code), 'under'), '3')
  })

  it('raised no uncaught errors in the pages', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
