// Browser test: 管控措施. A 次密接 entered after the fact (start 10 days ago: 7 days of 居家隔离医学观察,
// tests on days 1, 4, 7) cannot be released while its tests are missing; the tests are recorded
// through the dialog, the measure is released and shows 已解除. A grid worker sees the list of
// measures as cards on a phone.
//
// Run by ctest as `node --test tests/e2e/measures.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules; the browser is Debian's /usr/bin/chromium.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { CordonE2E, DESKTOP, PHONE, log, shot, runCli } from './harness.mjs'

const GRID_USER = 'grid_measures_e2e'
const GRID_PASSWORD = 'Passw0rd-grid-3'
const CURRENT = ['planned', 'active', 'extended']

const e2e = new CordonE2E('measures')
let adminPassword = ''
let quarantine = null // the 次密接's 居家隔离 measure, started 10 days ago
let central = null // a 密接's 集中隔离 measure, started 2 days ago, for the phone list
let chained = null // a 密接's 集中隔离 measure, started 10 days ago, tests all in: released into 居家健康监测
let admin = null // { context, page } of the administrator at 1366×900

// A date N days before today in China Standard Time (the server's configured offset).
function daysAgo(n) {
  return new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10)
}

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

describe('measures: back-entered home quarantine, tests recorded, released', () => {
  before(async () => {
    const city = await e2e.start({ population: 3000, seed: 11 })
    adminPassword = city.adminPassword

    const cookie = await e2e.apiLogin('admin', adminPassword)
    const profile = await e2e.apiGet(cookie, '/api/v1/profiles/current')
    const plan = (profile.plans || []).find((p) => p.category === 'secondary_contact')
    assert.ok(plan, 'the current profile has a plan for secondary_contact: ' + JSON.stringify(profile).slice(0, 400))
    assert.equal(plan.steps[0].measure, 'home_quarantine')

    const people = await e2e.apiGet(cookie, '/api/v1/people?limit=3')
    assert.ok(Array.isArray(people.items) && people.items.length === 3, 'GET /people?limit=3 gives three people')
    const [p1, p2, p3] = people.items

    quarantine = await post(cookie, `/api/v1/people/${p1.id}/measures`,
      { category: 'secondary_contact', start_date: daysAgo(10), place: '居家（e2e）' }, 201)
    log('measure', quarantine.id, quarantine.measure, quarantine.state, quarantine.start_date, '→', quarantine.end_date)
    assert.equal(quarantine.measure, 'home_quarantine')
    assert.equal(quarantine.category, 'secondary_contact')
    assert.equal(quarantine.start_date, daysAgo(10))
    assert.equal(quarantine.end_date, daysAgo(4), '7 days from 10 days ago: the last day was 4 days ago')
    assert.deepEqual(quarantine.test_days.map(Number), [1, 4, 7])
    assert.ok(CURRENT.includes(quarantine.state), 'a new measure is current: ' + quarantine.state)
    assert.equal(quarantine.release_ready, false, 'no tests yet: not ready')

    // The person already under a measure: a second one is refused (409), 升级 is the way.
    const res = await fetch(e2e.baseURL + `/api/v1/people/${p1.id}/measures`, {
      method: 'POST',
      headers: { Cookie: cookie, Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ category: 'secondary_contact' }),
    })
    assert.equal(res.status, 409, 'a second current measure is refused: ' + (await res.clone().text()))

    central = await post(cookie, `/api/v1/people/${p2.id}/measures`, { category: 'close_contact', start_date: daysAgo(2) }, 201)
    assert.equal(central.measure, 'central_quarantine')

    chained = await post(cookie, `/api/v1/people/${p3.id}/measures`, { category: 'close_contact', start_date: daysAgo(10) }, 201)
    assert.equal(chained.measure, 'central_quarantine')
    for (const day of chained.test_days) {
      await post(cookie, `/api/v1/measures/${chained.id}/tests`, { day, result: 'negative' }, 200)
    }

    runCli(['user', 'add', '--username', GRID_USER, '--role', 'grid_worker', '--region', p2.region, '--data', e2e.dataDir],
      GRID_PASSWORD + '\n')

    await e2e.launchBrowser()
    admin = await e2e.newPage(DESKTOP)
  })

  after(() => e2e.stop())

  it('opens 管控中人员 from the menu with the counters and the list', async () => {
    const { page } = admin
    await e2e.loginThroughPage(page, 'admin', adminPassword)
    await page.locator('.app-menu [data-menu="underMeasures"]').click()
    await page.waitForURL((u) => u.pathname === '/measures')
    await page.getByRole('heading', { name: '管控中人员' }).waitFor()
    await page.locator('[data-test="measures-chart"] canvas').waitFor()
    const table = page.locator('[data-test="measures-table"]')
    await table.locator('.el-table__body tr').first().waitFor()
    const under = (await page.locator('[data-kpi="under"] .k-value').innerText()).trim()
    assert.ok(Number(under.replace(/,/g, '')) >= 2, 'at least the two measures are counted: ' + under)

    const row = table.locator(`.m-row-${quarantine.id}`)
    if (await row.count()) {
      const text = await row.innerText()
      assert.match(text, /次密接/, text)
      assert.match(text, /居家隔离医学观察/, text)
      assert.match(text, /缺 \d+ 项/, 'the missing items are counted: ' + text)
      await shot(page, 'measures.png')
      await row.click()
    } else {
      log('the measure is not on the first page of the list; opening it directly')
      await shot(page, 'measures.png')
      await page.goto(e2e.baseURL + '/measures/' + quarantine.id)
    }
    await page.waitForURL((u) => u.pathname === '/measures/' + quarantine.id)
  })

  it('shows the days, the missing tests and 解除 disabled', async () => {
    const { page } = admin
    const state = page.locator('[data-test="measure-state"]')
    await state.waitFor()
    if ((await state.innerText()).trim() === '待执行') {
      const started = page.waitForResponse((r) => r.url().endsWith(`/measures/${quarantine.id}/transition`))
      await page.locator('[data-test="btn-start"]').click()
      assert.equal((await started).status(), 200)
      await page.locator('[data-test="measure-state"]', { hasText: '执行中' }).waitFor()
    }
    assert.match((await state.innerText()).trim(), /执行中|已延长/)
    assert.equal((await page.locator('[data-test="measure-name"]').innerText()).trim(), '居家隔离医学观察')

    // The strip: 7 days, all gone by; days 1, 4, 7 are test days without a result.
    const strip = page.locator('[data-test="day-strip"]')
    assert.equal(await strip.locator('li').count(), 7)
    for (const d of [1, 4, 7]) assert.equal(await strip.locator(`[data-day="${d}"]`).getAttribute('data-mark'), 'missing', `day ${d} missing`)

    const release = page.locator('[data-test="btn-release"]')
    assert.equal(await release.isDisabled(), true, '解除 is disabled while tests are missing')
    const missing = page.locator('[data-test="missing-list"]')
    await missing.waitFor()
    const text = await missing.innerText()
    log('missing:', text.replace(/\n/g, ' | '))
    assert.match(text, /核酸/, 'the missing list names the tests: ' + text)
    for (const d of [1, 4, 7]) assert.match(text, new RegExp(`${d}`), `the missing list names day ${d}: ` + text)

    // The tooltip on the disabled button tells why.
    await page.locator('[data-test="measure-actions"] .btn-wrap').hover()
    const tip = page.locator('.release-tip')
    await tip.waitFor({ state: 'visible' })
    assert.match(await tip.innerText(), /核酸/)
    await page.mouse.move(1, 1)
    await tip.waitFor({ state: 'hidden' })
    await shot(page, 'measure-detail-missing.png')
  })

  it('records the tests of days 1, 4 and 7 as negative through the dialog', async () => {
    const { page } = admin
    const strip = page.locator('[data-test="day-strip"]')
    for (const d of [1, 4, 7]) {
      await page.locator('[data-test="btn-test"]').click()
      const dialog = page.locator('.test-dialog')
      await dialog.waitFor()
      await dialog.locator(`[data-test="test-days"] [data-day="${d}"]`).click()
      await dialog.locator('[data-test="test-negative"]').click()
      const recorded = page.waitForResponse((r) => r.url().endsWith(`/measures/${quarantine.id}/tests`) && r.request().method() === 'POST')
      await dialog.locator('[data-test="test-submit"]').click()
      const res = await recorded
      assert.equal(res.status(), 200, `POST /measures/${quarantine.id}/tests: ` + (await res.text()))
      assert.deepEqual(res.request().postDataJSON(), { day: d, result: 'negative' })
      await dialog.waitFor({ state: 'hidden' })
      await strip.locator(`[data-day="${d}"][data-mark="negative"]`).waitFor()
    }
    await page.locator('[data-test="release-ready"]').waitFor()
    assert.equal(await page.locator('[data-test="btn-release"]').isDisabled(), false, '解除 is enabled once the tests are in')
  })

  it('releases it: 已解除, with the history', async () => {
    const { page } = admin
    await page.locator('[data-test="btn-release"]').click()
    const box = page.locator('.release-confirm')
    await box.waitFor()
    const released = page.waitForResponse((r) => r.url().endsWith(`/measures/${quarantine.id}/transition`) && r.request().method() === 'POST')
    await box.locator('.el-message-box__btns .el-button--primary').click()
    const res = await released
    assert.equal(res.status(), 200, 'release: ' + (await res.text()))
    assert.deepEqual(res.request().postDataJSON(), { action: 'release' })
    await page.locator('[data-test="measure-state"]', { hasText: '已解除' }).waitFor()
    await page.locator('[data-test="release-done"]').getByText('已解除').first().waitFor()
    assert.equal(await page.locator('[data-test="measure-actions"]').count(), 0, 'no actions on a released measure')
    const history = await page.locator('[data-test="measure-history"]').innerText()
    assert.match(history, /解除/, 'the history shows the release: ' + history)
    await page.waitForTimeout(3200) // the success toast fades
    await shot(page, 'measure-detail.png')

    const cookie = await e2e.apiLogin('admin', adminPassword)
    const m = await e2e.apiGet(cookie, '/api/v1/measures/' + quarantine.id)
    assert.equal(m.state, 'released')
    assert.deepEqual(m.tests.map((x) => [Number(x.day), x.result]).sort((a, b) => a[0] - b[0]),
      [[1, 'negative'], [4, 'negative'], [7, 'negative']])
  })

  it('releases a 密接 into the next step of the plan, then escalates that one', async () => {
    const { page } = admin
    await page.goto(e2e.baseURL + '/measures/' + chained.id)
    await page.locator('[data-test="release-ready"]').waitFor()
    assert.match(await page.locator('[data-test="next-step"]').innerText(), /居家健康监测/, 'the plan names the next step')
    await page.locator('[data-test="btn-release"]').click()
    const released = page.waitForResponse((r) => r.url().endsWith(`/measures/${chained.id}/transition`))
    await page.locator('.release-confirm .el-message-box__btns .el-button--primary').click()
    const body = await (await released).json()
    assert.ok(body.next_id, 'the release answers with the chained measure: ' + JSON.stringify(body).slice(0, 300))
    const done = page.locator('[data-test="release-done"]')
    await done.getByText('已解除，已自动生成下一阶段：居家健康监测').waitFor()
    await done.locator('[data-test="open-next"]').click()
    await page.waitForURL((u) => u.pathname === '/measures/' + body.next_id)
    await page.locator('[data-test="measure-name"]', { hasText: '居家健康监测' }).waitFor()

    // 升级: the 密接 is confirmed; the monitoring is kept as 已升级 and a new measure starts.
    await page.locator('[data-test="btn-classify"]').click()
    const dialog = page.locator('.classify-dialog')
    await dialog.waitFor()
    await dialog.locator('[data-test="classify-category"]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^确诊$/ }).click()
    await dialog.locator('textarea[data-test="classify-reason"]').fill('核酸检测阳性，诊断为确诊病例（e2e）')
    const classified = page.waitForResponse((r) => /\/api\/v1\/people\/\d+\/classify$/.test(r.url()))
    await dialog.locator('[data-test="classify-submit"]').click()
    const res = await classified
    const text = await res.text()
    assert.equal(res.status(), 200, 'classify: ' + text)
    const now = JSON.parse(text)
    await page.waitForURL((u) => u.pathname === '/measures/' + now.id)
    await page.locator('[data-test="measure-name"]', { hasText: '定点医院收治' }).waitFor()
    const cookie = await e2e.apiLogin('admin', adminPassword)
    const old = await e2e.apiGet(cookie, '/api/v1/measures/' + body.next_id)
    assert.equal(old.state, 'escalated', 'the monitoring is kept as escalated')
  })

  it('lists the measures as cards for a grid worker on a phone (390×844)', async () => {
    const { context, page } = await e2e.newPage(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    await e2e.loginThroughPage(page, GRID_USER, GRID_PASSWORD)
    await page.goto(e2e.baseURL + '/measures')
    await page.getByRole('heading', { name: '管控中人员' }).waitFor()
    const card = page.locator(`[data-test="measures-cards"] .m-row-${central.id}`)
    await card.waitFor()
    const text = await card.innerText()
    assert.match(text, /集中隔离医学观察/, text)
    assert.match(text, /第 3 天 \/ 共 7 天/, 'started 2 days ago: day 3 of 7: ' + text)
    const filter = await page.locator('[data-test="measures-state"] label').first().boundingBox()
    assert.ok(filter && filter.height >= 44, 'the state filter is a big touch target')
    await shot(page, 'measures-phone.png')

    await card.click()
    await page.waitForURL((u) => u.pathname === '/measures/' + central.id)
    await page.locator('[data-test="day-strip"]').waitFor()
    const btn = await page.locator('[data-test="btn-test"]').boundingBox()
    assert.ok(btn && btn.height >= 44, '录入核酸结果 is a big touch target')
    await shot(page, 'measure-phone.png')
    await context.close()
  })

  it('raised no uncaught errors in the pages', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
