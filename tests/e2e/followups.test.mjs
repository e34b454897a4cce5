// Browser test: 健康随访, 预警 and the printed notices. A 次密接 under 居家隔离医学观察 since two days
// ago; a grid worker of that person's grid, on a phone (390×844), records today's two follow-ups
// (36.6 ℃, then 38.2 ℃ — a fever that raises an alert), finds the alert on 预警 and closes it with an
// outcome; then prints the 居家隔离医学观察告知书 from the measure's page, which reveals the full name
// (audited) after saying so. The administrator sees the follow-ups as a table and prints the
// notices in bulk from 告知书打印.
//
// The slot times (08:00, 16:00) decide only the colours: both slots are recorded whatever the
// time of day (the API accepts a slot before its time), so the test does not depend on the clock.
//
// Run by ctest as `node --test tests/e2e/followups.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules; the browser is Debian's /usr/bin/chromium.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { CordonE2E, DESKTOP, PHONE, SHOTS, log, shot, runCli } from './harness.mjs'

const GRID_USER = 'grid_followups_e2e'
const GRID_PASSWORD = 'Passw0rd-grid-7'
const CLOSE_OUTCOME = '医护上门复测体温 36.8℃，已采样核酸（e2e）'

const e2e = new CordonE2E('followups')
let adminPassword = ''
let measure = null // the 次密接's 居家隔离医学观察, started 2 days ago
let person = null // { id, region, name (full) }
let phone = null // { context, page } of the grid worker at 390×844
let alertId = null

// A date N days before today in China Standard Time (the server's configured offset).
function daysAgo(n) {
  return new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10)
}

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

// The toasts fade before a screenshot.
async function noToasts(page) {
  await page.waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 10_000 })
}

// Records one slot through the open sheet and gives the server's answer.
async function recordThroughSheet(page, slot, setTemperature) {
  const card = page.locator(`[data-test="fu-cards"] .fu-row-${measure.id}`)
  await card.locator(`[data-test="slot-${slot}"]`).click()
  const sheet = page.locator('.fu-sheet')
  await sheet.waitFor({ state: 'visible' })
  assert.match(await sheet.locator('[data-test="fu-sheet-title"]').innerText(), new RegExp(`随访`))
  const temp = sheet.locator('[data-test="fu-temp"]')
  assert.equal(await temp.inputValue(), '36.5', 'the temperature starts at 36.5')
  await setTemperature(sheet)
  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/measures/${measure.id}/followups`) && r.request().method() === 'POST')
  await sheet.locator('[data-test="fu-save"]').click()
  const res = await saved
  const text = await res.text()
  assert.equal(res.status(), 200, `POST followups slot ${slot}: ${text}`)
  await sheet.waitFor({ state: 'hidden' })
  return { sent: res.request().postDataJSON(), body: JSON.parse(text) }
}

describe('follow-ups: a grid worker records two follow-ups, handles the fever alert, prints the notice', () => {
  before(async () => {
    const city = await e2e.start({ population: 3000, seed: 23 })
    adminPassword = city.adminPassword
    const cookie = await e2e.apiLogin('admin', adminPassword)

    const people = await e2e.apiGet(cookie, '/api/v1/people?limit=1')
    assert.ok(Array.isArray(people.items) && people.items.length === 1, 'GET /people?limit=1 gives a person')
    const p = people.items[0]
    const full = await post(cookie, `/api/v1/people/${p.id}/reveal`, { fields: ['name'], reason: 'e2e 核对打印结果' }, 200)
    person = { id: p.id, region: p.region, name: full.name }
    assert.ok(person.name && !person.name.includes('*'), 'the revealed name is whole: ' + person.name)

    measure = await post(cookie, `/api/v1/people/${p.id}/measures`, { category: 'secondary_contact', start_date: daysAgo(2) }, 201)
    log('measure', measure.id, measure.measure, measure.state, measure.start_date, '→', measure.end_date, 'follow-ups a day:', measure.followups_per_day)
    assert.equal(measure.measure, 'home_quarantine')
    assert.equal(measure.state, 'active', 'started two days ago: active')

    runCli(['user', 'add', '--username', GRID_USER, '--role', 'grid_worker', '--region', person.region, '--data', e2e.dataDir],
      GRID_PASSWORD + '\n')

    await e2e.launchBrowser()
    phone = await e2e.newPage(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  })

  after(() => e2e.stop())

  it('opens 健康随访 from the menu on a phone: the person, 第 3 天, two slots', async () => {
    const { page } = phone
    await e2e.loginThroughPage(page, GRID_USER, GRID_PASSWORD)
    await page.locator('[data-test="menu-toggle"]').click()
    await page.locator('.nav-drawer [data-menu="followUps"]').click()
    await page.waitForURL((u) => u.pathname === '/followups')
    await page.getByRole('heading', { name: '健康随访' }).waitFor()

    const card = page.locator(`[data-test="fu-cards"] .fu-row-${measure.id}`)
    await card.waitFor()
    const text = await card.innerText()
    assert.match(text, /居家隔离医学观察/, text)
    assert.match(text, /第 3 天/, 'started 2 days ago: day 3: ' + text)
    assert.ok(!text.includes(person.name), 'the card shows the masked name only')
    assert.equal(await card.locator('[data-test^="slot-"]').count(), 2, 'two follow-ups a day')
    const sub = await page.locator('[data-test="fu-date"]').innerText()
    assert.match(sub, /\d{4}-\d{2}-\d{2}/, 'today\'s date: ' + sub)
    assert.match(sub, /08:00/, 'the times of the day: ' + sub)
    const chip = await card.locator('[data-test="slot-1"]').boundingBox()
    assert.ok(chip && chip.height >= 44, 'a slot is a big touch target')
  })

  it('records slot 1 with 36.6 ℃ (the stepper) and slot 2 with 38.2 ℃ (a fever)', async () => {
    const { page } = phone
    const card = page.locator(`[data-test="fu-cards"] .fu-row-${measure.id}`)

    const one = await recordThroughSheet(page, 1, async (sheet) => {
      await sheet.locator('[data-test="fu-plus"]').click()
      assert.equal(await sheet.locator('[data-test="fu-temp"]').inputValue(), '36.6')
      assert.equal((await sheet.locator('[data-test="fu-save"]').innerText()).replace(/\s+/g, ''), '正常36.6℃')
      const btn = await sheet.locator('[data-test="fu-save"]').boundingBox()
      assert.ok(btn && btn.height >= 48, 'the save button is a big target')
    })
    assert.deepEqual({ slot: one.sent.slot, outcome: one.sent.outcome, temperature: one.sent.temperature }, { slot: 1, outcome: 'ok', temperature: 36.6 })
    assert.equal(one.body.followup.outcome, 'ok')
    assert.equal(one.body.alert, null, 'a normal follow-up raises no alert')
    await card.locator('[data-test="slot-1"][data-state="done"]').getByText('36.6℃').waitFor()

    const two = await recordThroughSheet(page, 2, async (sheet) => {
      await sheet.locator('[data-test="fu-temp"]').fill('38.2')
      await sheet.locator('[data-test="fu-save"]', { hasText: '发热' }).waitFor()
      await sheet.locator('[data-test="fu-sym-cough"]').click()
      await sheet.locator('[data-test="fu-sym-cough"][aria-pressed="true"]').waitFor()
      await page.waitForTimeout(400) // the sheet has slid in
      await page.screenshot({ path: path.join(SHOTS, 'followups-sheet.png') })
    })
    assert.equal(two.sent.slot, 2)
    assert.equal(two.sent.temperature, 38.2)
    assert.equal(two.sent.symptoms, '咳嗽', 'the symptoms go as the seeds\' words')
    assert.equal(two.body.followup.outcome, 'fever', 'the server calls 38.2 a fever')
    assert.ok(two.body.alert && two.body.alert.kind === 'fever', 'a fever raises an alert: ' + JSON.stringify(two.body.alert))
    alertId = two.body.alert.id
    await card.locator('[data-test="slot-2"][data-state="done"]').getByText(/38\.2℃/).waitFor()
    await page.locator('.el-message', { hasText: '已生成预警' }).first().waitFor()

    // The counters follow: both slots done, an alert open.
    await page.waitForFunction(() => {
      const n = (k) => Number((document.querySelector(`[data-kpi="${k}"] .k-value`) || {}).textContent || NaN)
      return n('done') >= 2 && n('alerts') >= 1
    })
    await noToasts(page)
    await shot(page, 'followups-phone.png')
  })

  it('shows the fever alert on 预警 with its steps and level, and closes it with an outcome', async () => {
    const { page } = phone
    await page.locator('[data-kpi="alerts"]').click()
    await page.waitForURL((u) => u.pathname === '/alerts')
    await page.getByRole('heading', { name: '预警' }).waitFor()
    const card = page.locator(`[data-test="alerts-cards"] .alert-${alertId}`)
    await card.waitFor()
    const text = await card.innerText()
    assert.match(text, /发热/, text)
    assert.match(text, /38\.2/, 'the detail names the temperature: ' + text)
    const steps = await card.locator('[data-test="alert-steps"]').innerText()
    for (const s of ['医护上门', '核酸检测', '转运']) assert.match(steps, new RegExp(s), `step ${s}: ${steps}`)
    assert.match(await card.locator('[data-test="alert-level"]').innerText(), /^(网格|社区|街道)$/)
    assert.ok(Number(await page.locator('[data-kpi="fever"] .k-value').innerText()) >= 1, 'the fever counter counts it')
    await noToasts(page)
    await shot(page, 'alerts.png')

    await card.locator('[data-test="alert-handle"]').click()
    const dialog = page.locator('.alert-close-dialog')
    await dialog.waitFor()
    // An empty outcome is refused on the page.
    await dialog.locator('[data-test="alert-close-submit"]').click()
    await dialog.getByText('请填写处置结果').waitFor()
    await dialog.locator('textarea[data-test="alert-outcome"]').fill(CLOSE_OUTCOME)
    const closed = page.waitForResponse((r) => r.url().endsWith(`/api/v1/alerts/${alertId}/close`))
    await dialog.locator('[data-test="alert-close-submit"]').click()
    const res = await closed
    assert.equal(res.status(), 200, 'close: ' + (await res.text()))
    assert.deepEqual(res.request().postDataJSON(), { outcome: CLOSE_OUTCOME })
    await dialog.waitFor({ state: 'hidden' })
    await card.locator('[data-test="alert-closed"]').waitFor()
    assert.match(await card.innerText(), /医护上门复测体温/)

    const cookie = await e2e.apiLogin('admin', adminPassword)
    const list = await e2e.apiGet(cookie, '/api/v1/alerts?state=closed')
    const a = (list.items || []).find((x) => x.id === alertId)
    assert.ok(a, 'the alert is closed on the server')
    assert.equal(a.outcome, CLOSE_OUTCOME)
    assert.equal(a.closed_by, GRID_USER)
  })

  it('prints the 居家隔离医学观察告知书 from the measure, revealing the full name after saying so', async () => {
    const { context, page } = await e2e.newPage(DESKTOP)
    await e2e.loginThroughPage(page, GRID_USER, GRID_PASSWORD)
    await page.goto(e2e.baseURL + '/measures/' + measure.id)
    await page.locator('[data-test="measure-print"]').waitFor()
    assert.equal(await page.locator('[data-test="btn-print-release"]').count(), 0, 'no release certificate while under quarantine')
    await page.locator('[data-test="btn-print-notice"]').click()
    await page.waitForURL((u) => u.pathname === '/notices/print' && u.searchParams.get('kind') === 'notice' && u.searchParams.get('ids') === String(measure.id))

    const gate = page.locator('[data-test="print-reveal"]')
    await gate.waitFor()
    assert.match(await gate.innerText(), /打印需显示完整信息，将记录在审计日志/)
    assert.ok(!(await page.locator('body').innerText()).includes(person.name), 'nothing is revealed before the click')
    assert.equal(await page.locator('input[data-test="print-reason"]').inputValue(), '打印居家隔离告知书')

    const revealed = page.waitForResponse((r) => r.url().endsWith(`/api/v1/people/${person.id}/reveal`))
    await gate.locator('[data-test="print-reveal-submit"]').click()
    const res = await revealed
    assert.equal(res.status(), 200, 'reveal: ' + (await res.text()))
    const sent = res.request().postDataJSON()
    assert.equal(sent.reason, '打印居家隔离告知书')
    assert.deepEqual([...sent.fields].sort(), ['address', 'id_number', 'name'])

    const doc = page.locator(`[data-test="doc-notice"][data-measure="${measure.id}"]`)
    await doc.waitFor()
    const text = await doc.innerText()
    assert.match(text, /居家隔离医学观察告知书/)
    assert.ok(text.includes(person.name), `the notice shows the full name ${person.name}`)
    assert.match(text, /回\s*执/, 'the tear-off receipt')
    assert.match(text, /社区干部/, 'the 四包一 contacts')
    assert.match(text, /公安机关/, 'the rules of seed 004')

    // 打印 calls the browser's print; on paper only the sheet is left.
    await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1 } })
    await page.locator('[data-test="print-go"]').click()
    assert.equal(await page.evaluate(() => window.__printed), 1, '打印 opens the print dialog')
    await page.emulateMedia({ media: 'print' })
    assert.equal(await page.locator('.aside').isVisible(), false, 'no menu on paper')
    assert.equal(await page.locator('.topbar').isVisible(), false, 'no header on paper')
    assert.equal(await page.locator('[data-test="print-toolbar"]').isVisible(), false, 'no toolbar on paper')
    assert.equal(await doc.isVisible(), true)
    await page.emulateMedia({ media: 'screen' })
    await shot(page, 'notice.png')

    const cookie = await e2e.apiLogin('admin', adminPassword)
    const audit = await e2e.apiGet(cookie, '/api/v1/audit?limit=200')
    const hit = (audit.items || []).find((x) => x.actor === GRID_USER && x.reason === '打印居家隔离告知书')
    assert.ok(hit, 'the reveal for printing is in the audit log')
    await context.close()
  })

  it('shows the follow-ups as a table at a desk and prints the notices in bulk from 告知书打印', async () => {
    const { context, page } = await e2e.newPage(DESKTOP)
    await e2e.loginThroughPage(page, 'admin', adminPassword)
    await page.locator('.app-menu [data-menu="followUps"]').click()
    await page.waitForURL((u) => u.pathname === '/followups')
    const row = page.locator(`[data-test="fu-table"] .fu-row-${measure.id}`)
    await row.waitFor()
    const text = await row.innerText()
    assert.match(text, /36\.6℃/, text)
    assert.match(text, /38\.2℃/, text)
    await shot(page, 'followups-desk.png')

    // 预警 at a desk: the closed alert under 全部, with its outcome.
    await page.locator('.app-menu [data-menu="alerts"]').click()
    await page.waitForURL((u) => u.pathname === '/alerts')
    await page.locator('[data-test="alerts-state"] label', { hasText: '全部' }).click()
    const arow = page.locator(`[data-test="alerts-table"] .alert-${alertId}`)
    await arow.waitFor()
    assert.match(await arow.innerText(), /已处置/)
    await shot(page, 'alerts-desk.png')

    await page.locator('.app-menu [data-menu="notices"]').click()
    await page.waitForURL((u) => u.pathname === '/notices')
    const nrow = page.locator(`[data-test="notices-table"] .n-row-${measure.id}`)
    await nrow.waitFor()
    await nrow.locator('.el-checkbox').click()
    await page.locator('[data-test="notices-picked"]', { hasText: '已选 1 人' }).waitFor()
    await page.locator('[data-test="notices-bulk-notice"]').click()
    await page.waitForURL((u) => u.pathname === '/notices/print' && u.searchParams.get('ids') === String(measure.id))
    await page.locator('[data-test="print-reveal-submit"]').click()
    await page.locator(`[data-test="doc-notice"][data-measure="${measure.id}"]`).waitFor()

    // The 三公示 of the same measure: three sheets, door, building and compound gate.
    await page.goto(e2e.baseURL + `/notices/print?kind=public&ids=${measure.id}`)
    await page.locator('[data-test="print-reveal-submit"]').click()
    const sheets = page.locator('[data-test="doc-public"]')
    await sheets.first().waitFor()
    assert.equal(await sheets.count(), 3)
    assert.deepEqual(await sheets.evaluateAll((els) => els.map((e) => e.dataset.place)), ['household', 'building', 'compound'])
    assert.match(await sheets.first().innerText(), /本户有居家隔离人员\s*1\s*人/)
    await shot(page, 'notice-public.png')
    await context.close()
  })

  it('raised no uncaught errors in the pages', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
