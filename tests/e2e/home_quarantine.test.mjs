// Browser test: 居家隔离户 and 四包一. A person is put under home quarantine (次密接); a grid worker
// on a phone opens 居家隔离户, sees the household flagged (四包一未落实), opens it, fills the empty
// duties with 一键按网格默认分配, saves and sees it complete; a refused duty shows its error; then
// the 三公示 of the household prints the four names and roles (and the 告知书 its contacts).
//
// Run by ctest as `node --test tests/e2e/home_quarantine.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules; the browser is Debian's /usr/bin/chromium.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { CordonE2E, DESKTOP, PHONE, SHOTS, log, shot, runCli } from './harness.mjs'

const GRID_USER = 'grid_homes_e2e'
const GRID_PASSWORD = 'Passw0rd-grid-7'
const DUTIES = ['cadre', 'grid_worker', 'doctor', 'police']
const DUTY_NAMES = { cadre: '社区干部', grid_worker: '网格员', doctor: '医生', police: '民警' }

const e2e = new CordonE2E('home_quarantine')
let adminPassword = ''
let person = null // the person file (masked), with household_id
let measure = null // the 次密接's 居家隔离医学观察
let staffBefore = null // GET /households/{id}/staff before the test
let expected = {} // duty → the staff the drawer should end with
let phone = null // { context, page } of the grid worker at 390×844

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

// A screenshot with the 四包一 sheet open (shot() waits for every overlay to close).
async function sheetShot(page, name) {
  await page.waitForFunction(() => !document.querySelector('.hq-drawer .el-loading-mask'))
  await page.waitForTimeout(400) // the sheet slides up
  const file = path.join(SHOTS, name)
  await page.screenshot({ path: file, fullPage: false })
  log('screenshot', file)
}

describe('home quarantine: the household, its 四包一 and the 三公示', () => {
  before(async () => {
    const city = await e2e.start({ population: 3000, seed: 19 })
    adminPassword = city.adminPassword
    const cookie = await e2e.apiLogin('admin', adminPassword)

    const people = await e2e.apiGet(cookie, '/api/v1/people?limit=1')
    assert.ok(people.items && people.items.length === 1, 'GET /people?limit=1 gives a person')
    person = await e2e.apiGet(cookie, '/api/v1/people/' + people.items[0].id)
    assert.ok(person.household_id, 'the person file names the household: ' + JSON.stringify(person).slice(0, 300))

    measure = await post(cookie, `/api/v1/people/${person.id}/measures`,
      { category: 'secondary_contact', start_date: daysAgo(1), place: '居家（e2e）' }, 201)
    assert.equal(measure.measure, 'home_quarantine')
    log('measure', measure.id, 'person', person.id, 'household', person.household_id, 'grid', person.region)

    staffBefore = await e2e.apiGet(cookie, `/api/v1/households/${person.household_id}/staff`)
    assert.equal(staffBefore.complete, false, 'nobody named yet')
    for (const d of DUTIES) {
      const x = staffBefore.duties.find((y) => y.duty === d)
      assert.ok(x && x.candidates.length, `the demo city has a candidate for ${d}: ` + JSON.stringify(staffBefore).slice(0, 400))
      expected[d] = x.staff || x.candidates[0]
    }
    log('expected:', DUTIES.map((d) => `${d}=${expected[d].name}(${expected[d].role})`).join(' '))

    runCli(['user', 'add', '--username', GRID_USER, '--role', 'grid_worker', '--region', person.region, '--data', e2e.dataDir],
      GRID_PASSWORD + '\n')

    await e2e.launchBrowser()
    phone = await e2e.newPage(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  })

  after(() => e2e.stop())

  it('opens 居家隔离户 from the menu on a phone and sees the household flagged', async () => {
    const { page } = phone
    await e2e.loginThroughPage(page, GRID_USER, GRID_PASSWORD)
    await page.locator('[data-test="menu-toggle"]').click()
    await page.locator('.nav-drawer [data-menu="homeQuarantine"]').click()
    await page.waitForURL((u) => u.pathname === '/home-quarantine')
    await page.locator('.nav-drawer').waitFor({ state: 'hidden' })
    await page.getByRole('heading', { name: '居家隔离户' }).waitFor()

    const card = page.locator(`[data-test="homes-cards"] .h-row-${person.household_id}`)
    await card.waitFor()
    const incomplete = page.locator('[data-kpi="incomplete"]')
    assert.match(await incomplete.innerText(), /四包一未落实/)
    assert.ok(Number((await incomplete.locator('.k-value').innerText()).replace(/,/g, '')) >= 1, 'at least this household is incomplete')
    assert.equal(await incomplete.evaluate((el) => el.classList.contains('hot')), true, 'the incomplete count is red')
    const red = await incomplete.locator('.k-value').evaluate((el) => getComputedStyle(el).color)
    assert.equal(red, 'rgb(216, 54, 58)', 'the incomplete count is in the red of ui.md')
    assert.ok(Number((await page.locator('[data-kpi="households"] .k-value').innerText()).replace(/,/g, '')) >= 1)
    assert.ok(Number((await page.locator('[data-kpi="people"] .k-value').innerText()).replace(/,/g, '')) >= 1)

    // 只看未落实四包一: the list asks the server for the incomplete ones only.
    const filtered = page.waitForResponse((r) => r.url().includes('/api/v1/home-quarantine') && r.url().includes('incomplete=1'))
    await page.locator('[data-test="homes-incomplete"]').click()
    assert.equal((await filtered).status(), 200)
    await card.waitFor()
    const status = card.locator('[data-test="homes-status"]')
    assert.equal(await status.getAttribute('data-complete'), '0')
    assert.match(await status.innerText(), /0\/4/, 'nobody named: 0/4')
    const box = await card.boundingBox()
    assert.ok(box && box.height >= 44 && box.width >= 340, 'the card is a big touch target')
    const filter = await page.locator('[data-test="homes-incomplete"]').boundingBox()
    assert.ok(filter && filter.height >= 44, 'the filter is a big touch target')
    await shot(page, 'home-quarantine-phone.png')
  })

  it('opens the household, fills the duties from the grid defaults, saves and sees it complete', async () => {
    const { page } = phone
    const card = page.locator(`[data-test="homes-cards"] .h-row-${person.household_id}`)
    const loaded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/households/${person.household_id}/staff`) && r.request().method() === 'GET')
    await card.click()
    assert.equal((await loaded).status(), 200)
    const drawer = page.locator('[data-test="homes-drawer"]')
    await drawer.locator('[data-test="drawer-status"]').waitFor()
    assert.equal(await drawer.locator('[data-test="drawer-status"]').getAttribute('data-complete'), '0')
    for (const d of DUTIES) assert.match(await drawer.locator(`[data-test="duty-${d}"]`).innerText(), new RegExp(DUTY_NAMES[d]))

    // A duty with one candidate only is proposed already; the others wait for 一键分配.
    for (const d of DUTIES) {
      const x = staffBefore.duties.find((y) => y.duty === d)
      const text = await drawer.locator(`[data-test="duty-${d}"] .el-select`).innerText()
      if (x.candidates.length === 1) assert.ok(text.includes(x.candidates[0].name), `${d}: the only candidate is proposed: ${text}`)
      else assert.ok(!text.includes(x.candidates[0].name), `${d}: several candidates, none chosen yet: ${text}`)
    }
    await sheetShot(page, 'home-quarantine-drawer.png')

    await drawer.locator('[data-test="homes-auto"]').click()
    for (const d of DUTIES) {
      const text = await drawer.locator(`[data-test="duty-${d}"] .el-select`).innerText()
      assert.ok(text.includes(expected[d].name), `${d} is ${expected[d].name}: ${text}`)
    }

    const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/households/${person.household_id}/staff`) && r.request().method() === 'PATCH')
    await drawer.locator('[data-test="homes-save"]').click()
    const res = await saved
    const text = await res.text()
    assert.equal(res.status(), 200, 'PATCH staff: ' + text)
    const sent = res.request().postDataJSON()
    assert.deepEqual(Object.keys(sent).sort(), [...DUTIES].sort(), 'the four empty duties are sent')
    for (const d of DUTIES) assert.equal(sent[d], expected[d].id, `${d} → ${expected[d].id}`)
    assert.equal(JSON.parse(text).complete, true)

    await drawer.locator('[data-test="drawer-status"][data-complete="1"]').waitFor()
    assert.match(await drawer.locator('[data-test="drawer-status"]').innerText(), /四包一已落实/)
    assert.equal(await drawer.locator('[data-test="homes-save"]').isDisabled(), true, 'nothing left to save')
    await page.waitForTimeout(3200) // the success toast fades
    await sheetShot(page, 'home-quarantine-saved.png')

    const cookie = await e2e.apiLogin('admin', adminPassword)
    const after = await e2e.apiGet(cookie, `/api/v1/households/${person.household_id}/staff`)
    assert.equal(after.complete, true, 'the server has the four')
    for (const d of DUTIES) assert.equal(after.duties.find((y) => y.duty === d).staff.id, expected[d].id)
  })

  it('shows a refused duty under its select', async () => {
    const { page } = phone
    const drawer = page.locator('[data-test="homes-drawer"]')
    const url = `**/api/v1/households/${person.household_id}/staff`
    // Nothing in the candidates is refused by the server: answer one PATCH as it answers a person
    // who does not fit the duty.
    await page.route(url, (route) => {
      if (route.request().method() !== 'PATCH') return route.continue()
      return route.fulfill({
        status: 400, contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'invalid_argument', message: 'police: 该人员不是本户所在网格、社区或街道的相应包保人员 (not a responsible person)', details: [{ field: 'police', message: '该人员不是本户所在网格、社区或街道的相应包保人员 (not a responsible person)' }] } }),
      })
    })
    // Clear the police officer (the clear icon shows over a chosen value) and save.
    await drawer.locator('[data-test="duty-police"] .el-select__wrapper').hover()
    await drawer.locator('[data-test="duty-police"] .el-select__clear').click()
    assert.ok(!(await drawer.locator('[data-test="duty-police"] .el-select').innerText()).includes(expected.police.name), 'cleared')
    await drawer.locator('[data-test="duty-police"] .d-tag', { hasText: '已修改，待保存' }).waitFor()
    await drawer.locator('[data-test="homes-save"]').click()
    const err = drawer.locator('[data-test="duty-police"] .el-form-item__error')
    await err.waitFor()
    assert.match(await err.innerText(), /不是本户所在网格/)
    await page.unroute(url)
    await sheetShot(page, 'home-quarantine-error.png')
    // Put the police officer back: the server still has him (the refusal was only answered), so
    // there is nothing left to save and the error is gone.
    await drawer.locator('[data-test="duty-police"] .el-select__wrapper').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: expected.police.name }).first().click()
    await err.waitFor({ state: 'hidden' }) // the error goes with the new choice
    assert.equal(await drawer.locator('[data-test="homes-save"]').isDisabled(), true, 'back as saved')
    await drawer.locator('[data-test="drawer-status"][data-complete="1"]').waitFor()
  })

  it('shows the household complete in the list', async () => {
    const { page } = phone
    const drawer = page.locator('[data-test="homes-drawer"]')
    // The card behind the sheet says so already.
    const status = page.locator(`[data-test="homes-cards"] .h-row-${person.household_id} [data-test="homes-status"]`)
    assert.equal(await status.getAttribute('data-complete'), '1')
    await drawer.locator('.el-drawer__close-btn').click()
    await drawer.waitFor({ state: 'hidden' })
    assert.match(await status.innerText(), /已落实/)
    await page.waitForTimeout(3200)
    await shot(page, 'home-quarantine-complete.png')
  })

  it('prints the 三公示 of the household with the four names and roles', async () => {
    const { page } = phone
    await page.locator(`[data-test="homes-cards"] .h-row-${person.household_id}`).click()
    const drawer = page.locator('[data-test="homes-drawer"]')
    await drawer.locator('[data-test="drawer-status"][data-complete="1"]').waitFor()
    await drawer.locator('[data-test="homes-print-public"]').click()
    await page.waitForURL((u) => u.pathname === '/notices/print' && u.searchParams.get('kind') === 'public' &&
      u.searchParams.get('ids') === String(measure.id))
    await page.locator('[data-test="print-reveal-submit"]').click()
    const sheets = page.locator('[data-test="doc-public"]')
    await sheets.first().waitFor()
    assert.equal(await sheets.count(), 3)
    const first = sheets.first()
    await first.locator('[data-test="doc-staff"]').nth(3).waitFor()
    for (let i = 0; i < 3; i++) {
      const text = await sheets.nth(i).innerText()
      for (const d of DUTIES) {
        assert.ok(text.includes(expected[d].name), `sheet ${i} names the ${d} ${expected[d].name}`)
        if (expected[d].role) assert.ok(text.includes(expected[d].role), `sheet ${i} gives the ${d}'s role ${expected[d].role}`)
      }
    }
    assert.equal(await first.locator('.staff-row .line').count(), 0, 'no blank lines left when all four are named')
    await shot(page, 'home-quarantine-public.png')

    // The 告知书 of the same measure: the contacts table has the four names too.
    await page.goto(e2e.baseURL + `/notices/print?kind=notice&ids=${measure.id}`)
    await page.locator('[data-test="print-reveal-submit"]').click()
    const doc = page.locator(`[data-test="doc-notice"][data-measure="${measure.id}"]`)
    await doc.waitFor()
    await doc.locator('.contacts td[data-duty="police"]', { hasText: expected.police.name }).waitFor()
    const text = await doc.locator('.contacts').innerText()
    for (const d of DUTIES) assert.ok(text.includes(expected[d].name), `the notice's contacts name the ${d}`)
  })

  it('lists the households as a table at a desk, the staff named', async () => {
    const { context, page } = await e2e.newPage(DESKTOP)
    await e2e.loginThroughPage(page, 'admin', adminPassword)
    await page.locator('.app-menu [data-menu="homeQuarantine"]').click()
    await page.waitForURL((u) => u.pathname === '/home-quarantine')
    const row = page.locator(`[data-test="homes-table"] .h-row-${person.household_id}`)
    await row.waitFor()
    const status = row.locator('[data-test="homes-status"]')
    assert.equal(await status.getAttribute('data-complete'), '1')
    assert.match(await row.innerText(), /已落实/)
    await shot(page, 'home-quarantine-desk.png')
    await row.click()
    const drawer = page.locator('[data-test="homes-drawer"]')
    await drawer.locator('[data-test="drawer-status"][data-complete="1"]').waitFor()
    assert.match(await drawer.locator('[data-test="duty-cadre"] .el-select').innerText(), new RegExp(expected.cadre.name))
    await sheetShot(page, 'home-quarantine-desk-drawer.png')
    await context.close()
  })

  it('raised no uncaught errors in the pages', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
