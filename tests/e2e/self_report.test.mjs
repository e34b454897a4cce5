// Browser test: 入境/来返人员主动报备 and the 一人一档 timeline. Someone with no account opens /report
// on a phone (390×844): an empty form names every required field without sending anything; a
// wrong ID check digit and a wrong phone are named as they are typed; a refusal from the server is
// shown on the field it names; a valid report (ID 11010519491231002X, arrived 3 days ago, at a real
// building of the demo city with another room) gives a receipt ZB########-######. The lead goes to
// that building's grid as a task from "self_report". After ten reports an hour from one address
// the page says 提交过于频繁，请稍后再试. The administrator then opens the new person's 一人一档 and
// sees 收到线索 on the timeline, and 批量打印 on 管控中人员 leads to 告知书打印.
//
// Run by ctest as `node --test tests/e2e/self_report.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules; the browser is Debian's /usr/bin/chromium.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { CordonE2E, DESKTOP, PHONE, log, shot } from './harness.mjs'

const ID_NUMBER = '11010519491231002X'
const BAD_CHECK_ID = '110105194912310021' // the same number with a wrong check digit
const NAME = '林晓报'
const PHONE_NUMBER = '13912345678'
const ORIGIN = '上海市浦东新区'
const NOTE = '与家人同行（e2e）'
const REQUIRED = ['name', 'id_number', 'phone', 'origin', 'arrival_date', 'address']
const RECEIPT = /^ZB\d{8}-\d{6}$/
const REPORT_PATH = '/api/v1/public/self-report'

const e2e = new CordonE2E('self_report')
let adminPassword = ''
let household = null // { personId, region, address (the real one), reportAddress (another room) }
let phone = null // { context, page } with no session at 390×844
const sent = [] // the self-report POSTs the page made
let receipt = ''
let newPersonId = null

// A date N days before today in China Standard Time (the server's configured offset).
function daysAgo(n) {
  return new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10)
}

function item(page, field) {
  return page.locator(`.sr-form .el-form-item[data-field="${field}"]`)
}

async function errorOf(page, field) {
  const el = item(page, field).locator('.el-form-item__error')
  await el.waitFor()
  return (await el.innerText()).trim()
}

// Picks a day in the date panel (today's month is shown first; earlier months are one click back).
async function pickDate(page, ymd) {
  await item(page, 'arrival_date').locator('input').click()
  const panel = page.locator('.sr-date-popper .el-picker-panel')
  await panel.waitFor()
  const [y, m, d] = ymd.split('-').map(Number)
  const now = new Date(Date.now() + 8 * 3600e3)
  const back = (now.getUTCFullYear() - y) * 12 + (now.getUTCMonth() + 1 - m)
  for (let i = 0; i < back; i++) await panel.locator('button.arrow-left').click()
  const cell = panel.locator('.el-date-table td.available:not(.prev-month):not(.next-month)')
    .filter({ has: page.locator('.el-date-table-cell__text', { hasText: new RegExp(`^\\s*${d}\\s*$`) }) })
  await cell.first().click()
  await page.locator('.sr-date-popper').waitFor({ state: 'hidden' })
}

describe('self-report: the public form on a phone, the receipt, the task and the timeline', () => {
  before(async () => {
    const city = await e2e.start({ population: 3000, seed: 11 })
    adminPassword = city.adminPassword

    // A real household of the demo city: its address with another room, so that the lead goes to
    // that building's grid without matching anyone who lives there.
    const admin = await e2e.apiLogin('admin', adminPassword)
    const list = await e2e.apiGet(admin, '/api/v1/people?limit=1')
    assert.ok(Array.isArray(list.items) && list.items.length === 1, 'GET /people?limit=1 gives a person')
    const p = list.items[0]
    const full = await e2e.apiPost(admin, `/api/v1/people/${p.id}/reveal`, { fields: ['address'], reason: 'e2e 取真实楼栋地址' })
    assert.match(full.address, /\d+室$/, 'a demo address ends with a room: ' + full.address)
    household = {
      personId: p.id,
      region: p.region,
      address: full.address,
      reportAddress: full.address.replace(/\d+室$/, '909室'),
    }
    assert.notEqual(household.reportAddress, household.address)
    log('report address', household.reportAddress, '→ grid', household.region)

    await e2e.launchBrowser()
    phone = await e2e.newPage(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    phone.page.on('request', (r) => {
      if (r.url().endsWith(REPORT_PATH) && r.method() === 'POST') sent.push(r)
    })
  })

  after(() => e2e.stop())

  it('opens /report without a session: no login, no app frame, the platform title and the privacy note', async () => {
    const { page } = phone
    const asked = []
    page.on('request', (r) => { if (r.url().includes('/api/v1/session')) asked.push(r.url()) })
    await page.goto(e2e.baseURL + '/report')
    await page.getByRole('heading', { name: '入境/来返人员主动报备' }).waitFor()
    assert.equal(new URL(page.url()).pathname, '/report', 'stays on /report (no redirect to /login)')
    assert.equal(await page.locator('[data-test="sr-platform"]').innerText(), '疫情防控指挥平台')
    assert.match(await page.locator('[data-test="sr-privacy"]').innerText(), /信息仅用于疫情防控，依法保护个人信息/)
    assert.equal(await page.locator('.aside, .topbar, .app-menu, [data-test="menu-toggle"]').count(), 0, 'no app menu or header')
    assert.deepEqual(asked, [], 'the public page does not ask for a session')

    // Fits a phone: nothing wider than the screen, big targets.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `no sideways scrolling at 390 px (${overflow} px too wide)`)
    for (const sel of ['[data-test="sr-submit"]', '.el-form-item[data-field="name"] .el-input__wrapper', '.risk-inbound']) {
      const box = await page.locator(sel).boundingBox()
      assert.ok(box && box.height >= 44, `${sel} is a big touch target (${box && box.height})`)
    }

    // The short link for a QR code shows the same page.
    const { context: c2, page: p2 } = await e2e.newPage({ width: 360, height: 740 }, { isMobile: true, hasTouch: true })
    await p2.goto(e2e.baseURL + '/r')
    await p2.getByRole('heading', { name: '入境/来返人员主动报备' }).waitFor()
    assert.equal(new URL(p2.url()).pathname, '/r')
    const overflow360 = await p2.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow360 <= 0, `no sideways scrolling at 360 px (${overflow360} px too wide)`)
    // The language switch: English, then back to Chinese.
    await p2.locator('[data-test="sr-lang"] [data-lang="en"]').click()
    await p2.getByRole('heading', { name: 'Self-report on arrival' }).waitFor()
    await p2.locator('[data-test="sr-lang"] [data-lang="zh-CN"]').click()
    await p2.getByRole('heading', { name: '入境/来返人员主动报备' }).waitFor()
    await c2.close()
  })

  it('names every required field of an empty form, and sends nothing', async () => {
    const { page } = phone
    await page.locator('[data-test="sr-submit"]').click()
    await page.locator('[data-test="sr-error"]').waitFor()
    for (const f of REQUIRED) {
      await item(page, f).and(page.locator('.is-error')).waitFor()
      assert.ok((await errorOf(page, f)).length > 0, `${f} says what is wrong`)
    }
    assert.match(await errorOf(page, 'name'), /请填写姓名/)
    assert.match(await errorOf(page, 'id_number'), /请填写身份证号/)
    assert.match(await errorOf(page, 'arrival_date'), /请选择抵达日期/)
    for (const f of ['risk', 'note']) {
      assert.equal(await item(page, f).locator('.el-form-item__error').count(), 0, `${f} is optional`)
    }
    assert.equal(sent.length, 0, 'an incomplete form is not sent')
  })

  it('checks the ID check digit (GB 11643) and the phone as they are typed', async () => {
    const { page } = phone
    await item(page, 'id_number').locator('input').fill(BAD_CHECK_ID)
    assert.match(await errorOf(page, 'id_number'), /校验位/, 'a wrong check digit is named before sending')
    await item(page, 'id_number').locator('input').fill(ID_NUMBER.toLowerCase())
    assert.equal(await item(page, 'id_number').locator('input').inputValue(), ID_NUMBER, 'the x is written as X')
    await item(page, 'id_number').locator('.el-form-item__error').waitFor({ state: 'detached' })

    await item(page, 'phone').locator('input').fill('2391234')
    assert.match(await errorOf(page, 'phone'), /以 1 开头/)
    await item(page, 'phone').locator('input').fill('1391234')
    await item(page, 'phone').locator('.el-form-item__error').waitFor({ state: 'detached' })
    await item(page, 'phone').locator('input').blur()
    assert.match(await errorOf(page, 'phone'), /11 位/, 'a short number is named on leaving the field')
    assert.equal(sent.length, 0)
  })

  it('fills the form, shows a refusal of the server on the field it names, then gets a receipt', async () => {
    const { page } = phone
    await item(page, 'name').locator('input').fill(NAME)
    await item(page, 'phone').locator('input').fill(PHONE_NUMBER)
    await item(page, 'origin').locator('input').fill(ORIGIN)
    await pickDate(page, daysAgo(3))
    assert.equal(await item(page, 'arrival_date').locator('input').inputValue(), daysAgo(3))
    await page.locator('.risk-medium_risk_area').click()
    await item(page, 'address').locator('textarea').fill(household.reportAddress)
    await item(page, 'note').locator('textarea').fill(NOTE)
    for (const f of REQUIRED) await item(page, f).locator('.el-form-item__error').waitFor({ state: 'detached', timeout: 5_000 })

    // 1. The server has the last word: here it refuses a phone number (changed on its way there,
    //    since the page itself would not let it through). Its 400 lands on the phone field.
    await page.route('**' + REPORT_PATH, async (route) => {
      const body = { ...route.request().postDataJSON(), phone: '12012345678' }
      await route.continue({ postData: JSON.stringify(body) })
    }, { times: 1 })
    const refused = page.waitForResponse((r) => r.url().endsWith(REPORT_PATH))
    await page.locator('[data-test="sr-submit"]').click()
    const res1 = await refused
    assert.equal(res1.status(), 400, 'the server refuses the changed phone')
    const err1 = (await res1.json()).error
    assert.equal(err1.details[0].field, 'phone', JSON.stringify(err1))
    assert.match(await errorOf(page, 'phone'), /第二位/, 'the server\'s words on the phone field')
    await page.locator('[data-test="sr-error"]').waitFor()
    assert.equal(await page.locator('[data-test="sr-done"]').count(), 0)

    // 2. The real thing.
    const accepted = page.waitForResponse((r) => r.url().endsWith(REPORT_PATH))
    await page.locator('[data-test="sr-submit"]').click()
    const res2 = await accepted
    assert.equal(res2.status(), 201, 'self-report: ' + (await res2.text()))
    const body = res2.request().postDataJSON()
    assert.deepEqual(body, {
      name: NAME, id_number: ID_NUMBER, phone: PHONE_NUMBER, address: household.reportAddress, origin: ORIGIN,
      arrival_date: daysAgo(3), risk: 'medium_risk_area', note: NOTE,
    })
    await page.locator('[data-test="sr-done"]').waitFor()
    receipt = (await page.locator('[data-test="sr-receipt"]').innerText()).trim()
    assert.match(receipt, RECEIPT)
    assert.equal(receipt, (await res2.json()).receipt)
    assert.match(await page.locator('[data-test="sr-done"]').innerText(), /请截图保存回执/)
    assert.match(await page.locator('[data-test="sr-message"]').innerText(), /已收到您的报备/)
    const size = await page.locator('[data-test="sr-receipt"]').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    assert.ok(size >= 22, 'the receipt is large: ' + size + ' px')
    assert.ok(!(await page.locator('body').innerText()).includes(ID_NUMBER), 'nothing personal is shown back')
    log('receipt', receipt)
    await shot(page, 'self-report.png')
  })

  it('says 提交过于频繁，请稍后再试 after ten reports an hour from one address', async () => {
    const { page } = phone
    // The page has sent two; eight more from the same address (empty ones count too).
    for (let i = 0; i < 8; i++) {
      const r = await fetch(e2e.baseURL + REPORT_PATH, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
      assert.equal(r.status, 400, 'an empty report is refused')
    }
    // 为同行人员报备: the place, date and address stay; a companion's identity is new.
    await page.locator('[data-test="sr-another"]').click()
    await page.locator('[data-test="sr-form"]').waitFor()
    assert.equal(await item(page, 'origin').locator('input').inputValue(), ORIGIN)
    assert.equal(await item(page, 'address').locator('textarea').inputValue(), household.reportAddress)
    assert.equal(await item(page, 'name').locator('input').inputValue(), '')
    await item(page, 'name').locator('input').fill('林晓同')
    await item(page, 'id_number').locator('input').fill('110105199001011232')
    await item(page, 'phone').locator('input').fill('13912345679')
    const limited = page.waitForResponse((r) => r.url().endsWith(REPORT_PATH))
    await page.locator('[data-test="sr-submit"]').click()
    assert.equal((await limited).status(), 429)
    assert.equal((await page.locator('[data-test="sr-error"]').innerText()).trim(), '提交过于频繁，请稍后再试')
    assert.equal(new URL(page.url()).pathname, '/report', 'no trip to /login')
  })

  it('routes the lead to the building\'s grid as a task from self_report', async () => {
    const admin = await e2e.apiLogin('admin', adminPassword)
    const tasks = await e2e.apiGet(admin, '/api/v1/tasks?status=all&limit=200')
    const mine = (tasks.items || []).filter((x) => Array.isArray(x.sources) && x.sources.includes('self_report'))
    assert.equal(mine.length, 1, 'one task from the self-report: ' + JSON.stringify(tasks.items))
    const task = mine[0]
    assert.deepEqual(task.sources, ['self_report'])
    assert.equal(task.region && task.region.code, household.region, 'the task is in the grid of the address')
    assert.equal(task.unrouted, false)
    newPersonId = task.person.id
    assert.ok(newPersonId && newPersonId !== household.personId, 'a new person file')
    assert.equal(task.person.id_number, '110105********002X', 'masked in the list')
    log('task', task.id, 'person', newPersonId, 'grid', task.region.code)
  })

  it('shows 收到线索 on the new person\'s timeline (一人一档), and 批量打印 leads to 告知书打印', async () => {
    const { context, page } = await e2e.newPage(DESKTOP)
    await e2e.loginThroughPage(page, 'admin', adminPassword)
    const loaded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/people/${newPersonId}/timeline`))
    await page.goto(e2e.baseURL + '/people/' + newPersonId)
    await page.locator('[data-test="person-name"]').waitFor()
    assert.equal((await page.locator('[data-test="person-name"]').innerText()).trim(), NAME)
    assert.equal((await loaded).status(), 200)

    const tl = page.locator('[data-test="person-timeline"]')
    await tl.getByText('时间线').first().waitFor()
    const lead = tl.locator('.tl-item[data-kind="lead"]')
    await lead.waitFor()
    const text = await lead.innerText()
    assert.match(text, /收到线索/, text)
    assert.match(text, /主动报备/, 'the source in words: ' + text)
    assert.match(text, /来自 上海市浦东新区/, text)
    assert.match(text, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/, 'the time: ' + text)
    const kinds = await tl.locator('.tl-item').evaluateAll((els) => els.map((e) => e.dataset.kind))
    assert.deepEqual(kinds.filter((k) => ['file', 'lead', 'task_opened'].includes(k)).sort(), ['file', 'lead', 'task_opened'])
    assert.equal(kinds[kinds.length - 1], 'file', 'newest first: the file at the bottom')
    await tl.scrollIntoViewIfNeeded()
    await shot(page, 'timeline.png')

    // 管控中人员 › 批量打印 → 告知书打印.
    await page.goto(e2e.baseURL + '/measures')
    await page.locator('[data-test="measures-print"]').click()
    await page.waitForURL((u) => u.pathname === '/notices')
    await page.getByRole('heading', { name: '告知书打印' }).waitFor()
    await context.close()
  })

  it('raised no uncaught errors in the pages', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
