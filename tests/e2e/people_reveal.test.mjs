// Browser test: a grid worker finds a person, opens the file and reveals the phone with a reason.
//
// Run by ctest as `node --test tests/e2e/people_reveal.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules; the browser is Debian's /usr/bin/chromium.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { CordonE2E, DESKTOP, PHONE, log, shot, runCli } from './harness.mjs'

const GRID_USER = 'grid_e2e'
const GRID_PASSWORD = 'Passw0rd-grid-1'
const REASON = '入户核查需联系本人（e2e）'

// Personal-data patterns that must never sit in web storage (security.md B4).
const ID_PATTERN = /\d{17}[\dXx]/
const PHONE_PATTERN = /(?<!\d)1[3-9]\d{9}(?!\d)/

const e2e = new CordonE2E('people_reveal')
let baseURL = ''
let adminPassword = ''
let target = null // { id, name (full), maskedId, maskedPhone, region }

async function storageDump(page) {
  return page.evaluate(() => {
    const dump = (s) => {
      const out = []
      for (let i = 0; i < s.length; i++) { const k = s.key(i); out.push(k + '=' + s.getItem(k)) }
      return out.join('\n')
    }
    return { local: dump(window.localStorage), session: dump(window.sessionStorage) }
  })
}

function assertStorageClean(dump, where) {
  for (const [kind, text] of Object.entries(dump)) {
    assert.doesNotMatch(text, ID_PATTERN, `${kind}Storage holds an ID number (${where})`)
    assert.doesNotMatch(text, PHONE_PATTERN, `${kind}Storage holds a phone number (${where})`)
  }
}

describe('people: search, person file, reveal with a reason', () => {
  let desk = null // { context, page } of the grid worker at 1366×900

  before(async () => {
    // 1. A small city, generated without serving, then served (see harness.mjs).
    const city = await e2e.start({ population: 3000, seed: 7 })
    baseURL = city.baseURL
    adminPassword = city.adminPassword

    // 2. Find a person and their grid through the API; add a grid worker there.
    const admin = await e2e.apiLogin('admin', adminPassword)
    const list = await e2e.apiGet(admin, '/api/v1/people?limit=1')
    assert.ok(Array.isArray(list.items) && list.items.length === 1, 'GET /people?limit=1 gives one person')
    const row = list.items[0]
    const full = await e2e.apiGet(admin, '/api/v1/people/' + row.id)
    target = { id: row.id, name: full.name, maskedId: row.id_number, maskedPhone: row.phone, region: row.region }
    log('target person', target.id, 'in grid', target.region)
    assert.ok(target.name && !target.name.includes('*'), 'GET /people/{id} gives the full name')
    runCli(['user', 'add', '--username', GRID_USER, '--role', 'grid_worker', '--region', target.region, '--data', e2e.dataDir],
      GRID_PASSWORD + '\n')

    await e2e.launchBrowser()
    desk = await e2e.newPage(DESKTOP)
  })

  after(() => e2e.stop())

  it('signs the grid worker in through the login page', async () => {
    const { page } = desk
    await page.goto(baseURL + '/login')
    await page.locator('input[name="username"]').waitFor()
    await page.getByText('疫情防控指挥平台').first().waitFor()
    await shot(page, 'login.png')

    // A wrong password shows the server's message and stays on the page.
    await page.locator('input[name="username"]').fill(GRID_USER)
    await page.locator('input[name="password"]').fill('wrong-password')
    await page.locator('[data-test="login-submit"]').click()
    await page.locator('[data-test="login-error"]').waitFor()
    assert.ok(new URL(page.url()).pathname.startsWith('/login'))

    await page.locator('input[name="password"]').fill(GRID_PASSWORD)
    await page.locator('[data-test="login-submit"]').click()
    await page.waitForURL((u) => !u.pathname.startsWith('/login'))
    await page.locator('[data-test="user-menu"]').getByText('网格员').waitFor()
  })

  it('finds the person by name in 人员档案 and shows only the masked ID', async () => {
    const { page } = desk
    await page.locator('.app-menu [data-menu="people"]').click()
    await page.waitForURL((u) => u.pathname === '/people')
    await page.locator('[data-test="people-table"] .el-table__body tr').first().waitFor()

    await page.locator('input[data-test="people-q"]').fill(target.name)
    const searched = page.waitForResponse((r) => r.url().endsWith('/api/v1/people/search') && r.request().method() === 'POST')
    await page.locator('[data-test="people-search"]').click()
    const res = await searched
    assert.equal(res.status(), 200)
    assert.ok(!res.request().url().includes(encodeURIComponent(target.name)), 'the name never travels in a URL')

    const row = page.locator('[data-test="people-table"] .el-table__body tr', { hasText: target.maskedId }).first()
    await row.waitFor()
    const text = await page.locator('[data-test="people-table"]').innerText()
    assert.ok(text.includes(target.maskedId), 'the row shows the masked ID ' + target.maskedId)
    assert.doesNotMatch(text, ID_PATTERN, 'no whole ID number in the table')
    assert.doesNotMatch(text, PHONE_PATTERN, 'no whole phone number in the table')
    await shot(page, 'people.png')
    await row.click()
    await page.waitForURL((u) => u.pathname === '/people/' + target.id)
  })

  it('opens the person file with the identifiers masked', async () => {
    const { page } = desk
    await page.locator('[data-test="person-name"]').waitFor()
    assert.equal((await page.locator('[data-test="person-name"]').innerText()).trim(), target.name)
    const phone = (await page.locator('[data-test="person-phone"]').innerText()).trim()
    assert.equal(phone, target.maskedPhone, 'the phone is masked until revealed')
    const id = (await page.locator('[data-test="person-id_number"]').innerText()).trim()
    assert.equal(id, target.maskedId)
    await shot(page, 'person.png')
  })

  it('reveals the phone after a reason, and says the reveal is audited', async () => {
    const { page } = desk
    await page.locator('[data-test="reveal-phone"]').click()
    const dialog = page.locator('.reveal-dialog')
    await dialog.waitFor()
    await dialog.getByText('查看记录将被审计').waitFor()

    // No reason: refused in the form, nothing sent.
    await dialog.locator('[data-test="reveal-submit"]').click()
    await dialog.getByText('请填写查看理由').first().waitFor()

    await dialog.locator('textarea[data-test="reveal-reason"]').fill(REASON)
    const revealed = page.waitForResponse((r) => /\/api\/v1\/people\/\d+\/reveal$/.test(r.url()))
    await dialog.locator('[data-test="reveal-submit"]').click()
    const res = await revealed
    assert.equal(res.status(), 200)
    await dialog.waitFor({ state: 'hidden' })
    const body = res.request().postDataJSON()
    assert.deepEqual(body.fields, ['phone'])
    assert.equal(body.reason, REASON)

    await page.waitForFunction(() => {
      const el = document.querySelector('[data-test="person-phone"]')
      return el && /^\d{11}$/.test(el.textContent.trim())
    })
    const phone = (await page.locator('[data-test="person-phone"]').innerText()).trim()
    assert.match(phone, /^1\d{10}$/, 'the unmasked phone has 11 digits')
    const masked = target.maskedPhone
    assert.equal(phone.slice(0, 3), masked.slice(0, 3), 'it agrees with the masked prefix')
    assert.equal(phone.slice(-4), masked.slice(-4), 'it agrees with the masked suffix')
    await shot(page, 'revealed.png')

    // The ID number and address stay masked.
    assert.equal((await page.locator('[data-test="person-id_number"]').innerText()).trim(), target.maskedId)
  })

  it('keeps no ID number or phone in localStorage or sessionStorage', async () => {
    const { page } = desk
    assertStorageClean(await storageDump(page), 'person file with the phone revealed')
    // Leaving the page clears the revealed value from memory; coming back shows it masked.
    await page.locator('.app-menu [data-menu="people"]').click()
    await page.waitForURL((u) => u.pathname === '/people')
    await page.goBack()
    await page.locator('[data-test="person-phone"]').waitFor()
    assert.equal((await page.locator('[data-test="person-phone"]').innerText()).trim(), target.maskedPhone)
    assertStorageClean(await storageDump(page), 'after leaving the person file')
  })

  it('records the reveal in the audit log with its reason', async () => {
    const admin = await e2e.apiLogin('admin', adminPassword)
    const audit = await e2e.apiGet(admin, '/api/v1/audit?limit=200')
    const hit = (audit.items || []).find((e) => e.reason === REASON)
    assert.ok(hit, 'an audit entry carries the reason')
    assert.equal(hit.actor, GRID_USER)
  })

  it('shows the command dashboard (admin, whole city) and the audit log', async () => {
    const { context, page } = await e2e.newPage(DESKTOP)
    await e2e.loginThroughPage(page, 'admin', adminPassword)
    if (new URL(page.url()).pathname !== '/') await page.goto(baseURL + '/')
    await page.locator('.dash-tree .el-tree-node').first().waitFor()
    await page.locator('.kpi[data-kpi="population"] .kpi-value').waitFor()
    const pop = await page.locator('.kpi[data-kpi="population"] .kpi-value').innerText()
    assert.match(pop, /\d{1,3}(,\d{3})*/, 'population with thousands separators: ' + pop)
    await page.waitForTimeout(800) // charts animate in
    await shot(page, 'dashboard.png')

    await page.locator('.app-menu [data-menu="audit"]').click()
    await page.waitForURL((u) => u.pathname === '/audit')
    await page.locator('[data-test="audit-table"]').getByText(REASON).first().waitFor()
    await shot(page, 'audit.png')
    assertStorageClean(await storageDump(page), 'admin dashboard and audit')
    await context.close()
  })

  it('works on a phone (390×844): people search as cards and the person file', async () => {
    const { context, page } = await e2e.newPage(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    await e2e.loginThroughPage(page, GRID_USER, GRID_PASSWORD)
    await page.goto(baseURL + '/people')
    await page.locator('[data-test="people-cards"] .p-card').first().waitFor()
    await shot(page, 'people-phone.png')

    const box = await page.locator('[data-test="people-cards"] .p-card').first().boundingBox()
    assert.ok(box && box.height >= 48, 'a card is a big touch target')
    const btn = await page.locator('[data-test="people-search"]').boundingBox()
    assert.ok(btn && btn.height >= 44, 'the search button is a big touch target')

    await page.locator('[data-test="people-cards"] .p-card').first().click()
    await page.locator('[data-test="person-name"]').waitFor()
    const eye = await page.locator('[data-test="reveal-phone"]').boundingBox()
    assert.ok(eye && eye.height >= 44, 'the reveal button is a big touch target')
    await shot(page, 'person-phone.png')
    assertStorageClean(await storageDump(page), 'phone')
    await context.close()
  })

  it('raised no uncaught errors in the pages', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
