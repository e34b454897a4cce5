// Browser test: 自我健康申报. A 次密接 under 居家隔离医学观察 since two days ago; a grid worker of that
// person's grid opens the measure and makes a 自报链接 (after being told that the old link stops
// working): the full URL, a copy button, a QR code and a printable slip, shown once. The link opens
// on a phone (390×844) in a fresh browser with no session: the masked name, today's date, the
// measure and today's slots; an empty temperature is refused on the page; 37.9 ℃ with 咳嗽 is sent
// and the success card says the community will call. Opening the link again says the slot is
// already reported, and a second tab that still shows the form gets the server's 409 as the same
// message. The link made before (through the API) no longer works; no link, a rate limit and no
// network each say so. Back on 健康随访 the worker sees the slot marked 自报, and 未报告 keeps only
// the people with a slot due and nothing recorded.
//
// The token stays in the URL's fragment: the test checks that no request the phone makes carries
// it in a path or a query. current_slot depends on the time of day (08:00, 16:00): the test reads
// the slot from the server's answer, and the 未报告 check compares with the slots' own states.
//
// Run by ctest as `node --test tests/e2e/self_followup.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules; the browser is Debian's /usr/bin/chromium.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { CordonE2E, DESKTOP, PHONE, SHOTS, log, shot, runCli } from './harness.mjs'

const GRID_USER = 'grid_selfreport_e2e'
const GRID_PASSWORD = 'Passw0rd-grid-9'
const STATUS_PATH = '/api/v1/public/followup/status'
const REPORT_PATH = '/api/v1/public/followup/report'

const e2e = new CordonE2E('self_followup')
let adminPassword = ''
let measure = null // the 次密接's 居家隔离医学观察, started 2 days ago
let other = null // a neighbour under the same measure whose slots the worker has recorded by phone
let oldToken = '' // a link made through the API before the one made in the page
let link = '' // the full URL the page showed
let token = ''
let reportedSlot = null

// A date N days before today in China Standard Time (the server's configured offset).
function daysAgo(n) {
  return new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10)
}

async function post(cookie, p, body, status) {
  const res = await fetch(e2e.baseURL + p, {
    method: 'POST',
    headers: { Cookie: cookie, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  assert.equal(res.status, status, `POST ${p}: HTTP ${res.status} ${text}`)
  return JSON.parse(text)
}

async function noToasts(page) {
  await page.waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 10_000 })
}

// A phone with no session; every URL it asks for is kept to check that the token is never in one.
async function phonePage(viewport = PHONE) {
  const p = await e2e.newPage(viewport, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  p.urls = []
  p.context.on('request', (r) => p.urls.push(r.url()))
  return p
}

function assertTokenNotInUrls(urls, tok) {
  const bad = urls.filter((u) => {
    const { pathname, search } = new URL(u)
    return pathname.includes(tok) || search.includes(tok)
  })
  assert.deepEqual(bad, [], 'the token is in no path or query')
}

describe('self follow-up: a personal link from the measure page, a report from a phone, the 自报 mark', () => {
  before(async () => {
    const city = await e2e.start({ population: 3000, seed: 41 })
    adminPassword = city.adminPassword
    const cookie = await e2e.apiLogin('admin', adminPassword)

    const people = await e2e.apiGet(cookie, '/api/v1/people?limit=1')
    assert.ok(Array.isArray(people.items) && people.items.length === 1, 'GET /people?limit=1 gives a person')
    const p = people.items[0]
    measure = await post(cookie, `/api/v1/people/${p.id}/measures`, { category: 'secondary_contact', start_date: daysAgo(2) }, 201)
    log('measure', measure.id, measure.measure, measure.state, 'follow-ups a day:', measure.followups_per_day)
    assert.equal(measure.measure, 'home_quarantine')
    assert.equal(measure.state, 'active', 'started two days ago: active')
    assert.ok(measure.followups_per_day > 0, 'home quarantine has follow-ups')

    // A link made before: the one made in the page replaces it.
    const first = await post(cookie, `/api/v1/measures/${measure.id}/self-report-link`, undefined, 201)
    assert.match(first.token, /^[0-9a-f]{64}$/)
    assert.equal(first.path, '/self#' + first.token)
    oldToken = first.token

    // A neighbour in the same grid, both of today's slots recorded by phone (the API accepts a slot
    // before its time): never 未报告, whatever the time of day.
    const grid = await e2e.apiGet(cookie, `/api/v1/people?region=${encodeURIComponent(p.region)}&limit=5`)
    const q = (grid.items || []).find((x) => x.id !== p.id)
    assert.ok(q, 'another person in the grid ' + p.region)
    other = await post(cookie, `/api/v1/people/${q.id}/measures`, { category: 'secondary_contact', start_date: daysAgo(1) }, 201)
    for (let slot = 1; slot <= other.followups_per_day; slot++) {
      await post(cookie, `/api/v1/measures/${other.id}/followups`, { slot, outcome: 'ok', temperature: 36.4 }, 200)
    }

    runCli(['user', 'add', '--username', GRID_USER, '--role', 'grid_worker', '--region', p.region, '--data', e2e.dataDir],
      GRID_PASSWORD + '\n')
    await e2e.launchBrowser()
  })

  after(() => e2e.stop())

  it('makes the link on the measure page: warns first, then the URL, copy, QR code and slip, once', async () => {
    const { context, page } = await e2e.newPage(DESKTOP, { permissions: ['clipboard-read', 'clipboard-write'] })
    await e2e.loginThroughPage(page, GRID_USER, GRID_PASSWORD)
    await page.goto(e2e.baseURL + '/measures/' + measure.id)
    const btn = page.locator('[data-test="btn-self-link"]')
    await btn.waitFor()
    assert.equal((await btn.innerText()).trim(), '自报链接')
    await btn.click()

    const dialog = page.locator('.self-link-dialog')
    await dialog.waitFor()
    assert.match(await dialog.locator('[data-test="sl-confirm"]').innerText(), /生成新链接后旧链接失效/)
    assert.equal(await dialog.locator('[data-test="sl-url"]').count(), 0, 'nothing is made before the click')

    const issued = page.waitForResponse((r) => r.url().endsWith(`/api/v1/measures/${measure.id}/self-report-link`) && r.request().method() === 'POST')
    await dialog.locator('[data-test="sl-generate"]').click()
    const res = await issued
    const body = JSON.parse(await res.text())
    assert.equal(res.status(), 201, 'self-report-link: ' + JSON.stringify(body))
    token = body.token
    assert.notEqual(token, oldToken)

    const url = dialog.locator('[data-test="sl-url"]')
    await url.waitFor()
    link = await url.inputValue()
    assert.equal(link, e2e.baseURL + '/self#' + token, 'the full link: origin + path')
    assert.match(await dialog.locator('[data-test="sl-once"]').innerText(), /只显示这一次/)

    // The QR code is drawn.
    const qr = dialog.locator('img[data-test="sl-qr"]')
    await qr.waitFor()
    assert.match(await qr.getAttribute('src'), /^data:image\/png;base64,/)
    assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth >= 200), 'the QR image has loaded')

    // The slip: the masked name and what to do.
    const slip = dialog.locator('[data-test="sl-slip"]')
    const slipText = await slip.innerText()
    assert.match(slipText, /请每日按时扫码自报体温/)
    assert.match(await slip.locator('[data-test="sl-slip-name"]').innerText(), /\*/, 'the slip shows the masked name')
    assert.match(slipText, /居家隔离医学观察/)

    // 复制链接.
    await dialog.locator('[data-test="sl-copy"]').click()
    await page.locator('.el-message', { hasText: '链接已复制' }).waitFor()
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, 'the clipboard holds the link')
    await noToasts(page)
    await page.mouse.move(1, 1)
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(SHOTS, 'self-link.png') })

    // 打印告知条: only the slip on paper.
    await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1 } })
    await dialog.locator('[data-test="sl-print"]').click()
    assert.equal(await page.evaluate(() => window.__printed), 1, '打印 opens the print dialog')
    await page.emulateMedia({ media: 'print' })
    assert.equal(await page.locator('#app').isVisible(), false, 'no page behind the slip on paper')
    assert.equal(await dialog.locator('[data-test="sl-url"]').isVisible(), false, 'no URL box on paper')
    assert.equal(await slip.isVisible(), true)
    assert.equal(await qr.isVisible(), true)
    await page.emulateMedia({ media: 'screen' })

    // Closed, the link is gone: opening again starts from the question.
    await dialog.locator('[data-test="sl-close"]').click()
    await dialog.waitFor({ state: 'hidden' })
    await btn.click()
    await dialog.locator('[data-test="sl-generate"]').waitFor()
    assert.equal(await dialog.locator('[data-test="sl-url"]').count(), 0, 'the link is shown only once')
    assert.ok(!(await page.content()).includes(token), 'the token is no longer in the page')
    await page.keyboard.press('Escape')
    await context.close()
  })

  it('opens the link on a phone with no session and reports 37.9 ℃ with 咳嗽', async () => {
    const phone = await phonePage()
    const { context, page } = phone
    // A second tab that opens the form before the report is sent (for the 409 below).
    const stale = await context.newPage()
    stale.on('pageerror', (e) => e2e.pageErrors.push(String(e && e.stack ? e.stack : e)))

    await page.goto(link)
    await page.locator('[data-test="sf-head"]').waitFor()
    assert.equal(new URL(page.url()).pathname, '/self', 'no login asked')
    assert.equal(await page.locator('[data-test="sf-title"]').innerText(), '自我健康申报')
    assert.match(await page.locator('[data-test="sf-name"]').innerText(), /^\S+\*+$/, 'the masked name')
    assert.match(await page.locator('[data-test="sf-date"]').innerText(), /^\d{4}-\d{2}-\d{2}$/)
    assert.equal(await page.locator('[data-test="sf-measure"]').innerText(), '居家隔离医学观察')
    const slots = page.locator('[data-test="sf-slots"] li')
    assert.equal(await slots.count(), measure.followups_per_day)
    assert.match(await slots.first().innerText(), /08:00[\s\S]*(待报|未报)/)
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling')

    await stale.goto(link)
    await stale.locator('[data-test="sf-form"]').waitFor()
    await page.bringToFront() // a tab behind another one gets no animation frames

    // Nothing typed: refused on the page, nothing sent.
    let reports = 0
    page.on('request', (r) => { if (r.url().endsWith(REPORT_PATH)) reports += 1 })
    await page.locator('[data-test="sf-submit"]').click()
    await page.locator('.el-form-item[data-field="temperature"] .el-form-item__error', { hasText: '请填写体温' }).waitFor()
    assert.equal(reports, 0, 'an empty temperature is not sent')

    const temp = page.locator('[data-test="sf-temp"]')
    assert.equal(await temp.getAttribute('inputmode'), 'decimal', 'the numeric keypad')
    assert.equal(await temp.inputValue(), '', 'the temperature starts empty')
    await temp.fill('37.9')
    await page.locator('[data-test="sf-fever-hint"]').waitFor()
    await page.locator('[data-test="sf-sym-cough"]').click()
    await page.locator('[data-test="sf-sym-cough"].is-checked').waitFor()
    const box = await page.locator('[data-test="sf-submit"]').boundingBox()
    assert.ok(box && box.height >= 48, 'the send button is a big target')
    await page.evaluate(() => window.scrollTo(0, 0))
    await shot(page, 'self-followup-form.png')

    const sent = page.waitForResponse((r) => r.url().endsWith(REPORT_PATH))
    await page.locator('[data-test="sf-submit"]').click()
    const res = await sent
    const body = JSON.parse(await res.text())
    assert.equal(res.status(), 201, 'report: ' + JSON.stringify(body))
    assert.deepEqual(res.request().postDataJSON(), { token, temperature: 37.9, symptoms: '咳嗽' })
    assert.equal(body.outcome, 'fever', 'the server calls 37.9 a fever')
    reportedSlot = body.slot
    log('self-reported slot', body.slot, body.time, body.outcome)

    const done = page.locator('[data-test="sf-done"]')
    await done.waitFor()
    assert.match(await done.innerText(), /申报成功/)
    assert.match(await done.locator('[data-test="sf-contact"]').innerText(), /社区将尽快与您联系/)
    assert.match(await page.locator(`[data-test="sf-slots"] li[data-slot="${reportedSlot}"]`).innerText(), /已报/)
    await shot(page, 'self-followup-done.png')

    // Opening the link again: this slot is reported.
    await page.reload()
    const already = page.locator('[data-test="sf-already"]')
    await already.waitFor()
    assert.match(await already.innerText(), /本时段已申报/)
    assert.equal(await page.locator('[data-test="sf-form"]').count(), 0, 'no form for a reported slot')

    // The tab that still shows the form: the server's 409, said the same way.
    await stale.bringToFront()
    await stale.locator('[data-test="sf-temp"]').fill('36.6')
    const again = stale.waitForResponse((r) => r.url().endsWith(REPORT_PATH))
    await stale.locator('[data-test="sf-submit"]').click()
    assert.equal((await again).status(), 409)
    await stale.locator('[data-test="sf-already"]').waitFor()
    await stale.locator('[data-test="sf-409"]').waitFor()
    await shot(stale, 'self-followup-already.png')

    assertTokenNotInUrls(phone.urls, token)
    assert.ok(phone.urls.some((u) => u.endsWith(STATUS_PATH)), 'the status went as a POST body')
    await context.close()
  })

  it('says what to do with an old link, no link, a rate limit and no network, at 360 px', async () => {
    const phone = await phonePage({ width: 360, height: 740 })
    const { context, page } = phone

    // The link made before the page's one was revoked.
    await page.goto(e2e.baseURL + '/self#' + oldToken)
    const invalid = page.locator('[data-test="sf-invalid"]')
    await invalid.waitFor()
    assert.match(await invalid.innerText(), /请联系社区获取新链接/)
    await shot(page, 'self-followup-invalid.png')

    // No token at all: said at once, nothing asked.
    const before = phone.urls.filter((u) => u.endsWith(STATUS_PATH)).length
    await page.goto(e2e.baseURL + '/self')
    await invalid.waitFor()
    assert.equal(phone.urls.filter((u) => u.endsWith(STATUS_PATH)).length, before, 'no request without a token')

    // Too many requests.
    await page.route('**' + STATUS_PATH, (route) => route.fulfill({
      status: 429, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'resource_exhausted', message: '请求过于频繁，请稍后再试 (try later)', details: [] } }),
    }))
    await page.goto(link)
    await page.locator('[data-test="sf-tooMany"]').waitFor()
    await page.unroute('**' + STATUS_PATH)

    // No network.
    await page.route('**' + STATUS_PATH, (route) => route.abort('internetdisconnected'))
    await page.locator('[data-test="sf-retry"]').click()
    await page.locator('[data-test="sf-network"]').waitFor()
    await page.unroute('**' + STATUS_PATH)

    // Back online: the page as it is now, at 360 px without sideways scrolling.
    await page.locator('[data-test="sf-retry"]').click()
    await page.locator('[data-test="sf-head"]').waitFor()
    await page.locator('[data-test="sf-already"]').waitFor()
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'fits 360 px')
    // In English.
    await page.locator('[data-lang="en"]').click()
    await page.locator('[data-test="sf-title"]', { hasText: 'Self health report' }).waitFor()
    assert.match(await page.locator('[data-test="sf-already"]').innerText(), /Already reported/)
    assert.equal(await page.locator('[data-test="sf-measure"]').innerText(), 'Home quarantine')
    assertTokenNotInUrls(phone.urls, token)
    assertTokenNotInUrls(phone.urls, oldToken)
    await context.close()
  })

  it('marks the slot 自报 on 健康随访, and 未报告 keeps only those with a slot due and not done', async () => {
    const { context, page } = await e2e.newPage(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    await e2e.loginThroughPage(page, GRID_USER, GRID_PASSWORD)
    await page.goto(e2e.baseURL + '/followups')
    const card = page.locator(`[data-test="fu-cards"] .fu-row-${measure.id}`)
    await card.waitFor()
    const chip = card.locator(`[data-test="slot-${reportedSlot}"]`)
    assert.equal(await chip.getAttribute('data-state'), 'done')
    assert.equal((await chip.locator('[data-test="fu-slot-self"]').innerText()).trim(), '自报')
    assert.match(await chip.innerText(), /37\.9/)
    assert.equal(await card.locator('[data-test="fu-slot-self"]').count(), 1, 'only the reported slot is marked')

    // 未报告: count and keep the people with a slot whose time has come and nothing recorded.
    const states = await page.locator('[data-test="fu-cards"] .fu-card').evaluateAll((cards) => cards.map((c) => ({
      id: c.dataset.measureId,
      open: [...c.querySelectorAll('[data-state]')].some((s) => s.dataset.state === 'due' || s.dataset.state === 'missed'),
    })))
    const expected = states.filter((s) => s.open).map((s) => s.id)
    assert.equal(Number(await page.locator('[data-test="fu-unreported-n"]').innerText()), expected.length)
    await page.locator('[data-test="fu-unreported"]').click()
    await page.locator('[data-test="fu-unreported"][aria-pressed="true"]').waitFor()
    const shown = await page.locator('[data-test="fu-cards"] .fu-card').evaluateAll((cards) => cards.map((c) => c.dataset.measureId))
    assert.deepEqual(shown, expected, 'only those with a slot due and not done')
    const mine = states.find((s) => s.id === String(measure.id))
    assert.equal(shown.includes(String(measure.id)), mine.open, 'our person is listed only if a slot is still due')
    assert.ok(states.some((s) => s.id === String(other.id)), 'the neighbour is on the list')
    assert.ok(!shown.includes(String(other.id)), 'the neighbour, all recorded, is not 未报告')
    await shot(page, 'followups-unreported.png')
    await page.locator('[data-test="fu-unreported"]').click()
    await card.waitFor()
    await shot(page, 'followups-self.png')
    await context.close()

    // At a desk: the same mark in the table.
    const desk = await e2e.newPage(DESKTOP)
    await e2e.loginThroughPage(desk.page, 'admin', adminPassword)
    await desk.page.goto(e2e.baseURL + '/followups')
    const row = desk.page.locator(`[data-test="fu-table"] .fu-row-${measure.id}`)
    await row.waitFor()
    await row.locator(`[data-test="slot-${reportedSlot}"] [data-test="fu-slot-self"]`).waitFor()
    await desk.context.close()
  })

  it('raised no uncaught errors in the pages', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
