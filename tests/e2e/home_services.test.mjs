// Browser test: 居家服务 (代购, 垃圾清运) and 有奖举报. A 次密接 under 居家隔离医学观察; a grid worker of that
// person's grid, on a phone (390×844), registers a 代购 with ¥86.50 advanced from the measure's page,
// closes it on 居家服务 with the money repaid (an amount over the advance and an empty outcome are
// refused on the page), and records a 垃圾清运 round. Someone with no account opens /tipoff on a phone,
// sends a tip-off about another room of the same building (a refusal from the server lands on the
// field it names) and gets a receipt JB########-######; after ten tip-offs an hour from one address
// the page says 提交过于频繁，请稍后再试. The grid worker finds the tip-off on 举报线索, routed to the
// grid, and closes it as 属实 with a ¥200 reward. The administrator sees both lists at a desk, with an
// address that matched no building shown as 待分配.
//
// Run by ctest as `node --test tests/e2e/home_services.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules; the browser is Debian's /usr/bin/chromium.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { CordonE2E, DESKTOP, PHONE, SHOTS, log, shot, runCli } from './harness.mjs'

const GRID_USER = 'grid_services_e2e'
const GRID_PASSWORD = 'Passw0rd-grid-9'
const SHOPPING_DETAIL = '大米 5 斤、青菜 2 把（e2e）'
const SHOPPING_OUTCOME = '物资已送到门口，居民已取走，费用微信转账结清（e2e）'
const RUBBISH_DETAIL = '生活垃圾 2 袋，已喷洒消毒（e2e）'
const TIP_DETAIL = '外地返回未报备：303 室有人从外地回来两天了，没有报备（e2e）'
const TIP_PHONE = '13912345678'
const TIP_OUTCOME = '经上门核实属实，已登记人员并落实居家健康监测（e2e）'
const TIP_PATH = '/api/v1/public/tip-offs'
const RECEIPT = /^JB\d{8}-\d{6}$/

const e2e = new CordonE2E('home_services')
let adminPassword = ''
let person = null // { id, region, address (the real one), tipAddress (another room) }
let measure = null // the 次密接's 居家隔离医学观察, started yesterday
let phone = null // { context, page } of the grid worker at 390×844
let shoppingId = null
let receipt = ''
let tipId = null

function daysAgo(n) {
  return new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10)
}

async function post(cookie, p, body, status) {
  const res = await fetch(e2e.baseURL + p, {
    method: 'POST',
    headers: { ...(cookie ? { Cookie: cookie } : {}), Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  assert.equal(res.status, status, `POST ${p}: HTTP ${res.status} ${text}`)
  return JSON.parse(text)
}

async function noToasts(page) {
  await page.waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 10_000 })
}

async function kpi(page, key) {
  return (await page.locator(`[data-kpi="${key}"] .k-value`).innerText()).trim()
}

async function openFromDrawer(page, key, pathname) {
  await page.locator('[data-test="menu-toggle"]').click()
  await page.locator(`.nav-drawer [data-menu="${key}"]`).click()
  await page.waitForURL((u) => u.pathname === pathname)
}

function tipItem(page, field) {
  return page.locator(`.tp-form .el-form-item[data-field="${field}"]`)
}

async function tipError(page, field) {
  const el = tipItem(page, field).locator('.el-form-item__error')
  await el.waitFor()
  return (await el.innerText()).trim()
}

describe('home services and tip-offs: a grid worker on a phone, an anonymous tipster', () => {
  before(async () => {
    const city = await e2e.start({ population: 3000, seed: 31 })
    adminPassword = city.adminPassword
    const admin = await e2e.apiLogin('admin', adminPassword)

    const people = await e2e.apiGet(admin, '/api/v1/people?limit=1')
    assert.ok(Array.isArray(people.items) && people.items.length === 1, 'GET /people?limit=1 gives a person')
    const p = people.items[0]
    const full = await e2e.apiPost(admin, `/api/v1/people/${p.id}/reveal`, { fields: ['address'], reason: 'e2e 取真实楼栋地址' })
    assert.match(full.address, /\d+室$/, 'a demo address ends with a room: ' + full.address)
    person = { id: p.id, region: p.region, address: full.address, tipAddress: full.address.replace(/\d+室$/, '909室') }
    assert.notEqual(person.tipAddress, person.address)

    measure = await post(admin, `/api/v1/people/${p.id}/measures`, { category: 'secondary_contact', start_date: daysAgo(1) }, 201)
    assert.equal(measure.measure, 'home_quarantine')
    assert.equal(measure.state, 'active')
    log('measure', measure.id, 'tip address', person.tipAddress, '→ grid', person.region)

    // An address that names no building of the city: it waits at the city level (待分配).
    const unrouted = await post(null, TIP_PATH, { address: '城郊某处空地（e2e）', detail: '有人在空地聚集打牌（e2e）' }, 201)
    assert.match(unrouted.receipt, RECEIPT)

    runCli(['user', 'add', '--username', GRID_USER, '--role', 'grid_worker', '--region', person.region, '--data', e2e.dataDir],
      GRID_PASSWORD + '\n')

    await e2e.launchBrowser()
    phone = await e2e.newPage(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  })

  after(() => e2e.stop())

  it('registers a 代购 with ¥86.50 advanced from the measure page on a phone', async () => {
    const { page } = phone
    await e2e.loginThroughPage(page, GRID_USER, GRID_PASSWORD)
    await page.goto(e2e.baseURL + '/measures/' + measure.id)
    const btn = page.locator('[data-test="btn-shopping"]')
    await btn.waitFor()
    const box = await btn.boundingBox()
    assert.ok(box && box.height >= 44, '登记代购 is a big touch target')
    assert.equal((await btn.innerText()).trim(), '登记代购')
    assert.equal((await page.locator('[data-test="btn-rubbish"]').innerText()).trim(), '记录清运')

    await btn.click()
    const dialog = page.locator('.service-dialog')
    await dialog.waitFor()
    assert.match(await dialog.innerText(), /登记代购/)
    // Empty: named on the page, nothing sent.
    let sent = 0
    const count = (r) => { if (r.url().endsWith(`/api/v1/measures/${measure.id}/services`)) sent += 1 }
    page.on('request', count)
    await dialog.locator('[data-test="service-submit"]').click()
    await dialog.getByText('请填写代购物品').waitFor()
    await dialog.locator('textarea[data-test="service-detail"]').fill(SHOPPING_DETAIL)
    // Three decimals: said as typed.
    await dialog.locator('input[data-test="service-advanced"]').fill('86.505')
    await dialog.getByText('金额最多保留两位小数').waitFor()
    await dialog.locator('[data-test="service-submit"]').click()
    assert.equal(sent, 0, 'a wrong form is not sent')
    await dialog.locator('input[data-test="service-advanced"]').fill('86.50')
    await dialog.getByText('金额最多保留两位小数').waitFor({ state: 'detached' })
    await page.waitForTimeout(300) // the dialog has faded in
    await page.screenshot({ path: path.join(SHOTS, 'home-services-register.png') })

    const created = page.waitForResponse((r) => r.url().endsWith(`/api/v1/measures/${measure.id}/services`) && r.request().method() === 'POST')
    await dialog.locator('[data-test="service-submit"]').click()
    const res = await created
    const text = await res.text()
    assert.equal(res.status(), 201, 'register shopping: ' + text)
    page.off('request', count)
    assert.deepEqual(res.request().postDataJSON(), { kind: 'shopping', detail: SHOPPING_DETAIL, advanced: '86.50' })
    const service = JSON.parse(text)
    assert.equal(service.advanced_cents, 8650)
    assert.equal(service.status, 'open')
    shoppingId = service.id
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('.el-message', { hasText: '已登记代购（垫付 ¥86.50）' }).first().waitFor()
  })

  it('closes the 代购 on 居家服务 with the money repaid', async () => {
    const { page } = phone
    await noToasts(page)
    await openFromDrawer(page, 'homeServices', '/services')
    await page.getByRole('heading', { name: '居家服务' }).waitFor()
    const card = page.locator(`[data-test="svc-cards"] .svc-${shoppingId}`)
    await card.waitFor()
    const text = await card.innerText()
    assert.ok(text.includes(SHOPPING_DETAIL), text)
    assert.match(text, /垫付 ¥86\.50/, text)
    assert.match(text, /未收回/, text)
    assert.match(text, /待办/, text)
    assert.equal(await kpi(page, 'shopping_open'), '1')
    assert.equal(await kpi(page, 'unpaid'), '¥86.50')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `no sideways scrolling at 390 px (${overflow} px too wide)`)
    await shot(page, 'home-services-phone.png')

    await card.locator('[data-test="svc-done"]').click()
    const dialog = page.locator('.service-done-dialog')
    await dialog.waitFor()
    const repaid = dialog.locator('input[data-test="service-repaid"]')
    assert.equal(await repaid.inputValue(), '86.50', 'the repayment defaults to the advance')
    await repaid.fill('90')
    await dialog.getByText('收回金额不能超过垫付金额 ¥86.50').waitFor()
    await repaid.fill('80')
    await dialog.getByText('少于垫付金额，¥6.50 将记为未收回').waitFor()
    await repaid.fill('86.50')
    await dialog.locator('[data-test="service-done-submit"]').click()
    await dialog.getByText('请填写办结情况').waitFor()
    await dialog.locator('textarea[data-test="service-outcome"]').fill(SHOPPING_OUTCOME)
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(SHOTS, 'home-services-done.png') })

    const closed = page.waitForResponse((r) => r.url().endsWith(`/api/v1/services/${shoppingId}/done`))
    await dialog.locator('[data-test="service-done-submit"]').click()
    const res = await closed
    assert.equal(res.status(), 200, 'done: ' + (await res.text()))
    assert.deepEqual(res.request().postDataJSON(), { outcome: SHOPPING_OUTCOME, repaid: '86.50' })
    await dialog.waitFor({ state: 'hidden' })
    await card.locator('[data-test="svc-status-tag"]', { hasText: '已办' }).waitFor()
    const after = await card.innerText()
    assert.match(after, /已收回 ¥86\.50/, after)
    assert.ok(after.includes(SHOPPING_OUTCOME), after)
    assert.equal(await card.locator('[data-test="svc-done"]').count(), 0, 'no 办结 on a closed request')
    assert.equal(await kpi(page, 'shopping_open'), '0')
    assert.equal(await kpi(page, 'unpaid'), '¥0.00')

    const admin = await e2e.apiLogin('admin', adminPassword)
    const list = await e2e.apiGet(admin, '/api/v1/services?kind=shopping&status=done')
    const v = (list.items || []).find((x) => x.id === shoppingId)
    assert.ok(v, 'the request is done on the server')
    assert.equal(v.repaid_cents, 8650)
    assert.equal(v.done_by, GRID_USER)
    assert.equal(list.counts.unpaid_cents, 0)
  })

  it('records a 垃圾清运 round from the measure page; it shows under 垃圾清运 · 已办', async () => {
    const { page } = phone
    await noToasts(page)
    await page.goto(e2e.baseURL + '/measures/' + measure.id)
    await page.locator('[data-test="btn-rubbish"]').click()
    const dialog = page.locator('.service-dialog')
    await dialog.waitFor()
    assert.match(await dialog.innerText(), /记录垃圾清运/)
    assert.equal(await dialog.locator('input[data-test="service-advanced"]').count(), 0, 'no money for rubbish')
    assert.match(await dialog.innerText(), /已上门清运/, 'a round already made by default')
    await dialog.locator('textarea[data-test="service-detail"]').fill(RUBBISH_DETAIL)
    const created = page.waitForResponse((r) => r.url().endsWith(`/api/v1/measures/${measure.id}/services`) && r.request().method() === 'POST')
    await dialog.locator('[data-test="service-submit"]').click()
    const res = await created
    const text = await res.text()
    assert.equal(res.status(), 201, 'record rubbish: ' + text)
    assert.deepEqual(res.request().postDataJSON(), { kind: 'rubbish', detail: RUBBISH_DETAIL, done: true })
    const round = JSON.parse(text)
    assert.equal(round.status, 'done')
    await page.locator('.el-message', { hasText: '已记录垃圾清运' }).first().waitFor()

    await noToasts(page)
    await page.goto(e2e.baseURL + '/services?kind=rubbish&status=done')
    const card = page.locator(`[data-test="svc-cards"] .svc-${round.id}`)
    await card.waitFor()
    assert.ok((await card.innerText()).includes(RUBBISH_DETAIL))
    assert.equal(await page.locator('#tab-rubbish.is-active').count(), 1, 'the 垃圾清运 tab is on')
    assert.equal(await kpi(page, 'rubbish_open'), '0')
    await shot(page, 'home-services-rubbish.png')
  })

  it('takes a tip-off from anyone at /tipoff on a phone and gives a JB receipt', async () => {
    const { context, page } = await e2e.newPage(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    const asked = []
    page.on('request', (r) => { if (r.url().includes('/api/v1/session')) asked.push(r.url()) })
    await page.goto(e2e.baseURL + '/tipoff')
    await page.getByRole('heading', { name: '疫情防控有奖举报' }).waitFor()
    assert.equal(new URL(page.url()).pathname, '/tipoff', 'no trip to /login')
    assert.equal(await page.locator('.aside, .topbar, .app-menu, [data-test="menu-toggle"]').count(), 0, 'no app frame')
    assert.deepEqual(asked, [], 'the public page does not ask for a session')
    assert.match(await page.locator('[data-test="tp-privacy"]').innerText(), /严格为举报人保密/)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `no sideways scrolling at 390 px (${overflow} px too wide)`)
    const submitBox = await page.locator('[data-test="tp-submit"]').boundingBox()
    assert.ok(submitBox && submitBox.height >= 48, 'the submit button is a big target')
    const fontSize = await tipItem(page, 'detail').locator('textarea').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    assert.ok(fontSize >= 16, 'large text: ' + fontSize)

    // Empty: address and description are named; the phone is optional.
    const sent = []
    page.on('request', (r) => { if (r.url().endsWith(TIP_PATH) && r.method() === 'POST') sent.push(r) })
    await page.locator('[data-test="tp-submit"]').click()
    await page.locator('[data-test="tp-error"]').waitFor()
    assert.equal(await tipError(page, 'address'), '请填写地址')
    assert.equal(await tipError(page, 'detail'), '请描述发现的情况')
    assert.equal(await tipItem(page, 'phone').locator('.el-form-item__error').count(), 0, 'the phone is optional')
    assert.equal(sent.length, 0)

    // The phone is checked as it is typed.
    const phoneInput = tipItem(page, 'phone').locator('input')
    await phoneInput.fill('23')
    assert.equal(await tipError(page, 'phone'), '手机号应以 1 开头')
    await phoneInput.fill(TIP_PHONE)
    await tipItem(page, 'phone').locator('.el-form-item__error').waitFor({ state: 'detached' })

    await tipItem(page, 'address').locator('textarea').fill(person.tipAddress)
    await tipItem(page, 'detail').locator('textarea').fill(TIP_DETAIL)
    await shot(page, 'tipoff-form.png')

    // The server has the last word: a phone changed on its way there is refused on its field.
    await page.route('**' + TIP_PATH, async (route) => {
      const body = { ...route.request().postDataJSON(), phone: '12012345678' }
      await route.continue({ postData: JSON.stringify(body) })
    }, { times: 1 })
    const refused = page.waitForResponse((r) => r.url().endsWith(TIP_PATH))
    await page.locator('[data-test="tp-submit"]').click()
    const res1 = await refused
    assert.equal(res1.status(), 400)
    assert.equal((await res1.json()).error.details[0].field, 'phone')
    assert.ok((await tipError(page, 'phone')).length > 0, 'the server\'s words on the phone field')
    await page.locator('[data-test="tp-error"]').waitFor()

    const accepted = page.waitForResponse((r) => r.url().endsWith(TIP_PATH))
    await page.locator('[data-test="tp-submit"]').click()
    const res2 = await accepted
    assert.equal(res2.status(), 201, 'tip-off: ' + (await res2.text()))
    assert.deepEqual(res2.request().postDataJSON(), { address: person.tipAddress, detail: TIP_DETAIL, phone: TIP_PHONE })
    await page.locator('[data-test="tp-done"]').waitFor()
    receipt = (await page.locator('[data-test="tp-receipt"]').innerText()).trim()
    assert.match(receipt, RECEIPT)
    assert.equal(receipt, (await res2.json()).receipt)
    tipId = Number(receipt.split('-')[1])
    const done = await page.locator('[data-test="tp-done"]').innerText()
    assert.match(done, /请截图保存举报编号/)
    assert.match(done, /通过您留的电话联系发放奖励/)
    assert.match(await page.locator('[data-test="tp-message"]').innerText(), /已收到您的举报/)
    log('tip-off receipt', receipt)
    await shot(page, 'tipoff-receipt.png')

    // Ten an hour from one address (refused ones count too); then the page says so.
    for (let i = 0; i < 20; i++) {
      const r = await fetch(e2e.baseURL + TIP_PATH, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
      if (r.status === 429) break
      assert.equal(r.status, 400, 'an empty tip-off is refused')
    }
    await page.locator('[data-test="tp-another"]').click()
    await page.locator('[data-test="tp-form"]').waitFor()
    assert.equal(await phoneInput.inputValue(), TIP_PHONE, 'the phone stays for the next one')
    await tipItem(page, 'address').locator('textarea').fill(person.tipAddress)
    await tipItem(page, 'detail').locator('textarea').fill('又看到有人聚集（e2e）')
    const limited = page.waitForResponse((r) => r.url().endsWith(TIP_PATH))
    await page.locator('[data-test="tp-submit"]').click()
    assert.equal((await limited).status(), 429)
    assert.equal((await page.locator('[data-test="tp-error"]').innerText()).trim(), '提交过于频繁，请稍后再试')
    assert.equal(new URL(page.url()).pathname, '/tipoff')

    // English, by the switch.
    await page.locator('[data-test="tp-lang"] [data-lang="en"]').click()
    await page.getByRole('heading', { name: 'Report a risk (rewarded)' }).waitFor()
    await page.locator('[data-test="tp-lang"] [data-lang="zh-CN"]').click()
    await context.close()
  })

  it('shows the tip-off to the grid worker on 举报线索 and closes it as 属实 with ¥200', async () => {
    const { page } = phone
    await noToasts(page)
    await openFromDrawer(page, 'tipOffs', '/tip-offs')
    await page.getByRole('heading', { name: '举报线索' }).waitFor()
    const card = page.locator(`[data-test="tips-cards"] .tip-${tipId}`)
    await card.waitFor()
    const text = await card.innerText()
    assert.ok(text.includes(receipt), 'the receipt number is shown: ' + text)
    assert.ok(text.includes(TIP_DETAIL), text)
    assert.ok(text.includes(person.tipAddress), 'the address is whole: it is where to go')
    assert.match(text, /139\*{4}5678/, 'the phone is masked: ' + text)
    assert.match(text, /待核实/)
    assert.equal(await card.locator('[data-test="tip-unrouted"]').count(), 0, 'routed to the grid')
    assert.equal(await page.locator('[data-test="tip-unrouted"]').count(), 0, 'the unrouted one stays at the city level')
    await shot(page, 'tipoffs-phone.png')

    await card.locator('[data-test="tip-close"]').click()
    const dialog = page.locator('.tip-close-dialog')
    await dialog.waitFor()
    assert.ok((await dialog.innerText()).includes(receipt))
    await dialog.locator('[data-test="tip-close-submit"]').click()
    await dialog.getByText('请选择属实或不实').waitFor()
    await dialog.getByText('请填写核实情况').waitFor()
    await dialog.locator('[data-test="tip-verified"]').click()
    const reward = dialog.locator('input[data-test="tip-reward"]')
    await reward.waitFor()
    assert.match(await dialog.innerText(), /139\*{4}5678/, 'the reward goes to the phone left')
    await reward.fill('200')
    await dialog.locator('textarea[data-test="tip-outcome"]').fill(TIP_OUTCOME)
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(SHOTS, 'tipoffs-close.png') })

    const closed = page.waitForResponse((r) => r.url().endsWith(`/api/v1/tip-offs/${tipId}/close`))
    await dialog.locator('[data-test="tip-close-submit"]').click()
    const res = await closed
    assert.equal(res.status(), 200, 'close: ' + (await res.text()))
    assert.deepEqual(res.request().postDataJSON(), { status: 'verified', outcome: TIP_OUTCOME, reward: '200' })
    await dialog.waitFor({ state: 'hidden' })
    await card.locator('[data-test="tip-status"]', { hasText: '属实' }).waitFor()
    assert.match(await card.locator('[data-test="tip-reward-shown"]').innerText(), /奖励 ¥200\.00/)
    assert.equal(await card.locator('[data-test="tip-close"]').count(), 0)

    const admin = await e2e.apiLogin('admin', adminPassword)
    const list = await e2e.apiGet(admin, '/api/v1/tip-offs?status=verified')
    const tip = (list.items || []).find((x) => x.id === tipId)
    assert.ok(tip, 'verified on the server')
    assert.equal(tip.reward_cents, 20000)
    assert.equal(tip.closed_by, GRID_USER)
    assert.equal(tip.region.code, person.region, 'routed to the building\'s grid')
    await noToasts(page)
    await shot(page, 'tipoffs-phone-closed.png')
  })

  it('shows both lists at a desk to the administrator, with the unrouted tip-off as 待分配', async () => {
    const { context, page } = await e2e.newPage(DESKTOP)
    await e2e.loginThroughPage(page, 'admin', adminPassword)
    await page.locator('.app-menu [data-menu="homeServices"]').click()
    await page.waitForURL((u) => u.pathname === '/services')
    await page.locator('[data-test="svc-status"] label', { hasText: '全部' }).click()
    const row = page.locator(`[data-test="svc-table"] .svc-${shoppingId}`)
    await row.waitFor()
    const text = await row.innerText()
    assert.match(text, /¥86\.50/, text)
    assert.match(text, /已办/, text)
    await shot(page, 'home-services-desk.png')

    await page.locator('.app-menu [data-menu="tipOffs"]').click()
    await page.waitForURL((u) => u.pathname === '/tip-offs')
    await page.locator('[data-test="tips-table"] [data-test="tip-unrouted"]').first().waitFor()
    await page.locator('[data-test="tips-status"] label', { hasText: '全部' }).click()
    const trow = page.locator(`[data-test="tips-table"] .tip-${tipId}`)
    await trow.waitFor()
    assert.match(await trow.innerText(), /属实/)
    assert.match(await trow.innerText(), /¥200\.00/)
    await shot(page, 'tipoffs-desk.png')
    await context.close()
  })

  it('raised no uncaught errors in the pages', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
