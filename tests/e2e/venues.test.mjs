// Browser test: 场所核实 (venue review). A check-in names a venue code nobody knows, so the server
// registers it as 未分类 and flags it for review. An epidemiologist opens 场所核实 from the menu,
// sees it in the inbox with the count badge and the explanation of the contact window, edits its
// name and sets its type to 交通站点 (the select shows each type's window), and it leaves the
// inbox; with 显示全部场所 it is listed as 已核实. On a phone the list is cards with a full-width
// 编辑. The command centre reads the page without 编辑; a grid worker does not see it.
//
// Run by ctest as `node --test tests/e2e/venues.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { CordonE2E, DESKTOP, PHONE, SHOTS, log, shot, runCli } from './harness.mjs'

const CODE = 'E2E-VENUE-01'
const OTHER = 'E2E-VENUE-02'
const EPI = 'epi_e2e'
const EPI_PASSWORD = 'Epi-Passw0rd-2022'
const NAME = '地铁 3 号线 E2E 站 A 口'

const e2e = new CordonE2E('venues')
let adminPassword = ''
let epi = null // { context, page } at 1366×900

function sql(query) {
  const r = spawnSync('sqlite3', ['-readonly', '-json', path.join(e2e.dataDir, 'cordon.db'), query], { encoding: 'utf8' })
  assert.equal(r.status, 0, 'sqlite3: ' + r.stderr)
  return r.stdout.trim() ? JSON.parse(r.stdout) : []
}

const row = (page, code) => page.locator(`.venue-row.venue-${code}`)

describe('venues: 场所核实', () => {
  before(async () => {
    const city = await e2e.start({ population: 3000, seed: 31 })
    adminPassword = city.adminPassword
    const [root] = sql('SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1')
    runCli(['user', 'add', '--username', EPI, '--role', 'epidemiologist', '--region', root.code, '--data', e2e.dataDir],
      EPI_PASSWORD + '\n')

    // Two check-ins an hour ago at two codes nobody knows: two venues to review.
    const people = sql("SELECT id FROM people WHERE id_type = 'resident_id' AND unverified = 0 ORDER BY id LIMIT 2")
    const cookie = await e2e.apiLogin('admin', adminPassword)
    for (const p of people) {
      // Sealed in the database (security.md B3): the audited reveal gives the whole number.
      p.id_number = (await e2e.apiPost(cookie, `/api/v1/people/${p.id}/reveal`, { fields: ['id_number'], reason: '测试准备扫码记录' })).id_number
    }
    const t = Math.floor(Date.now() / 1000) - 3600
    for (const [i, code] of [CODE, OTHER].entries()) {
      const report = await e2e.apiPost(cookie, '/api/v1/checkins', { id_number: people[i].id_number, venue_code: code, time: t + i })
      assert.equal(report.new_venues, 1, JSON.stringify(report))
    }
    log('venues registered', CODE, OTHER)

    await e2e.launchBrowser()
    epi = await e2e.newPage(DESKTOP)
  })

  after(() => e2e.stop())

  it('shows the new venue in the inbox with the count and the window explained', async () => {
    const { page } = epi
    await e2e.loginThroughPage(page, EPI, EPI_PASSWORD)
    await page.locator('.app-menu [data-menu="venues"]').click()
    await page.waitForURL((u) => u.pathname === '/venues')
    await row(page, CODE).waitFor()
    assert.match(await row(page, CODE).innerText(), /待核实场所 E2E-VENUE-01[\s\S]*未分类[\s\S]*待核实/)
    assert.equal((await page.locator('[data-test="venues-badge"] sup').innerText()).trim(), '2')
    assert.match(await page.locator('[data-test="venues-awaiting"]').innerText(), /2 个场所待核实/)
    assert.match(await page.locator('[data-test="venues-explain"]').innerText(), /场所类型决定判定密接的时间窗口/)
    assert.equal(await page.locator('[data-test="venues-readonly"]').count(), 0)

    // The search narrows the list to one code.
    await page.locator('[data-test="venues-q"] input, input[data-test="venues-q"]').first().fill('venue-02')
    await page.waitForFunction(() => document.querySelectorAll('.venue-row').length === 1)
    await row(page, OTHER).waitFor()
    await page.locator('[data-test="venues-q"] input, input[data-test="venues-q"]').first().fill('')
    await row(page, CODE).waitFor()
    await shot(page, 'venues-inbox.png')
  })

  it('edits the name and type, and the venue leaves the inbox', async () => {
    const { page } = epi
    await row(page, CODE).locator('[data-test="venue-edit"]').click()
    const dialog = page.locator('[data-test="venue-dialog"]')
    await dialog.waitFor()
    const name = dialog.locator('[data-test="venue-name"] input, input[data-test="venue-name"]').first()
    await name.fill(NAME)
    await dialog.locator('[data-test="venue-type"]').click()
    const transit = dialog.locator('.el-select-dropdown__item[data-type="transit"]')
    await transit.waitFor()
    assert.equal((await transit.innerText()).trim(), '交通站点（时空伴随 ±5 分钟）')
    assert.equal((await dialog.locator('.el-select-dropdown__item[data-type="restaurant"]').innerText()).trim(), '餐饮（±30 分钟）')
    await transit.click()
    assert.match(await dialog.locator('[data-test="venue-type-hint"]').innerText(), /±5 分钟 判定为时空伴随者/)
    // The dialog is open (shot() waits for overlays to close).
    await page.mouse.move(1, 1)
    await page.waitForTimeout(400) // the list of types fades out
    await page.screenshot({ path: path.join(SHOTS, 'venues-edit.png') })
    const patched = page.waitForResponse((r) => r.url().endsWith('/api/v1/venues/' + CODE) && r.request().method() === 'PATCH')
    await dialog.locator('[data-test="venue-save"]').click()
    const res = await patched
    assert.equal(res.status(), 200)
    assert.deepEqual(res.request().postDataJSON(), { name: NAME, type: 'transit' })
    const saved = await res.json()
    assert.equal(saved.needs_review, false)

    await row(page, CODE).waitFor({ state: 'detached' })
    await row(page, OTHER).waitFor()
    assert.equal((await page.locator('[data-test="venues-badge"] sup').innerText()).trim(), '1')
    assert.deepEqual(sql(`SELECT name, type, needs_review FROM venues WHERE code = '${CODE}'`), [{ name: NAME, type: 'transit', needs_review: 0 }])
    assert.equal(sql(`SELECT COUNT(*) AS n FROM audit WHERE action = 'venues.update' AND object_id = '${CODE}'`)[0].n, 1)
    await shot(page, 'venues-saved.png')

    // 显示全部场所: it is there, reviewed, a station.
    await page.locator('[data-test="venues-all"]').click()
    await page.waitForURL((u) => u.searchParams.get('all') === '1')
    await page.locator('[data-test="venues-q"] input, input[data-test="venues-q"]').first().fill(CODE)
    await row(page, CODE).waitFor()
    assert.match(await row(page, CODE).innerText(), /地铁 3 号线 E2E 站 A 口[\s\S]*交通站点[\s\S]*±5 分钟[\s\S]*已核实/)
  })

  it('fits a phone: cards with a full-width 编辑', async () => {
    const { context, page } = await e2e.newPage(PHONE)
    await e2e.loginThroughPage(page, EPI, EPI_PASSWORD)
    await page.goto(e2e.baseURL + '/venues')
    await page.locator('[data-test="venues-cards"]').waitFor()
    const card = row(page, OTHER)
    await card.waitFor()
    const box = await card.locator('[data-test="venue-edit"]').boundingBox()
    assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width && box.height >= 44, 'the button fits: ' + JSON.stringify(box))
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= PHONE.width, 'no sideways scrolling: ' + width)
    await shot(page, 'venues-phone.png')
    await context.close()
  })

  it('lets the command centre read without 编辑, and hides the page from a grid worker', async () => {
    let { context, page } = await e2e.newPage(DESKTOP)
    await e2e.loginThroughPage(page, 'commander', adminPassword)
    await page.locator('.app-menu [data-menu="venues"]').click()
    await row(page, OTHER).waitFor()
    assert.equal(await page.locator('[data-test="venue-edit"]').count(), 0)
    await page.locator('[data-test="venues-readonly"]').waitFor()
    await context.close();

    ({ context, page } = await e2e.newPage(DESKTOP))
    await e2e.loginThroughPage(page, 'grid_demo', adminPassword)
    assert.equal(await page.locator('.app-menu [data-menu="venues"]').count(), 0)
    await page.goto(e2e.baseURL + '/venues')
    await page.waitForURL((u) => u.pathname !== '/venues')
    await context.close()
  })

  it('raised no page errors', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
