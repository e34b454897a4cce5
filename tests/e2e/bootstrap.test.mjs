// Browser test: 系统初始化 · 创建首个管理员 (security.md D6: no default accounts; the first admin is
// created through a one-time bootstrap token that expires). A fresh data dir, no demo city: the
// server writes <data dir>/bootstrap-token (mode 0600, 64 hex characters). The login page shows
// 首次使用？创建首个管理员; /bootstrap refuses a wrong token with the server's 403 message and a
// mismatching confirmation in the page (no request); good values create the admin (201). Then
// GET /api/v1/bootstrap answers needed:false, the same token again gives 409, /bootstrap says the
// system is set up, the login page has no link any more, and firstadmin logs in through the login
// page (enrolling two-factor authentication, as every admin must) and lands in the app. Desktop
// and phone screenshots; the English switch.
//
// Run by ctest as `node --test tests/e2e/bootstrap.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { BINARY, CordonE2E, DESKTOP, PHONE, SHOTS, WEB_DIR, log, shot } from './harness.mjs'

const USERNAME = 'firstadmin'
const DISPLAY_NAME = '首任管理员'
const PASSWORD = 'Kq7-Hilltop-Ferry-29'

const e2e = new CordonE2E('bootstrap')
let token = ''
let desk = null // { context, page } at 1366×900

async function call(method, p, body) {
  const res = await fetch(e2e.baseURL + p, {
    method,
    headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  let data = null
  try { data = text ? JSON.parse(text) : null } catch { data = text }
  return { status: res.status, data, text }
}

const isBootstrapPost = (r) => new URL(r.url()).pathname === '/api/v1/bootstrap' && r.request().method() === 'POST'

async function fillForm(page, { tok, username = USERNAME, displayName = DISPLAY_NAME, password = PASSWORD, confirm = PASSWORD }) {
  await page.locator('input[name="token"]').fill(tok)
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="display_name"]').fill(displayName)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('input[name="confirm"]').fill(confirm)
}

describe('bootstrap: 系统初始化 · 创建首个管理员', () => {
  before(async () => {
    // No e2e.start(): that generates a demo city with its users. An empty data dir instead.
    assert.ok(fs.existsSync(BINARY), `no server binary at ${BINARY}`)
    assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `no built UI at ${WEB_DIR} (cd web && npm run build)`)
    fs.mkdirSync(SHOTS, { recursive: true })
    e2e.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-e2e-'))
    e2e.baseURL = await e2e.startServer()
    log('server at', e2e.baseURL)
    await e2e.launchBrowser()
    desk = await e2e.newPage(DESKTOP)
  })

  after(() => e2e.stop())

  it('writes the one-time token (0600) and says where', async () => {
    const file = path.join(e2e.dataDir, 'bootstrap-token')
    for (let i = 0; i < 50 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 100))
    assert.ok(fs.existsSync(file), 'the server wrote ' + file + '\n' + e2e.serverLog)
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'bootstrap-token is mode 0600')
    token = fs.readFileSync(file, 'utf8').trim()
    assert.match(token, /^[0-9a-f]{64}$/i, 'the token is 64 hex characters')
    assert.match(e2e.serverLog, /no account yet/)
    assert.ok(e2e.serverLog.includes('/bootstrap'), 'the server prints the /bootstrap address')
    assert.ok(e2e.serverLog.includes(file) || e2e.serverLog.includes('bootstrap-token'), 'the server prints the token file')
    const status = await call('GET', '/api/v1/bootstrap')
    assert.equal(status.status, 200, status.text)
    assert.equal(status.data.needed, true)
  })

  it('the login page links to /bootstrap', async () => {
    const { page } = desk
    await page.goto(e2e.baseURL + '/login')
    const link = page.locator('[data-test="bootstrap-link"]')
    await link.waitFor()
    assert.match(await link.innerText(), /首次使用？创建首个管理员/)
    await shot(page, 'bootstrap-login-desk.png')
    await link.click()
    await page.waitForURL((u) => u.pathname === '/bootstrap')
    await page.locator('[data-test="bootstrap-form"]').waitFor()
    assert.equal((await page.locator('[data-test="bootstrap-title"]').innerText()).trim(), '系统初始化 · 创建首个管理员')
    const explain = await page.locator('[data-test="bootstrap-explain"]').innerText()
    assert.match(explain, /bootstrap-token/)
    assert.match(explain, /60 分钟/)
    assert.match(explain, /一次/)
    for (const label of ['引导令牌', '用户名', '姓名', '密码', '确认密码']) {
      assert.ok(await page.locator('.el-form-item__label', { hasText: label }).count() > 0, label)
    }
    await shot(page, 'bootstrap-desk.png')
  })

  it('refuses a wrong token with the server\'s message', async () => {
    const { page } = desk
    const wrong = token.slice(0, 63) + (token[63] === '0' ? '1' : '0')
    await fillForm(page, { tok: wrong })
    const answer = page.waitForResponse(isBootstrapPost)
    await page.locator('[data-test="bootstrap-submit"]').click()
    const res = await answer
    assert.equal(res.status(), 403)
    const err = page.locator('[data-test="bootstrap-error"]')
    await err.waitFor()
    assert.match(await err.innerText(), /引导令牌无效、已使用或已过期/)
    await shot(page, 'bootstrap-wrong-token-desk.png')
  })

  it('checks the confirmation in the page', async () => {
    const { page } = desk
    let posts = 0
    const onRequest = (r) => { if (new URL(r.url()).pathname === '/api/v1/bootstrap' && r.method() === 'POST') posts++ }
    page.on('request', onRequest)
    await fillForm(page, { tok: token, confirm: PASSWORD + 'x' })
    await page.locator('[data-test="bootstrap-submit"]').click()
    const err = page.locator('[data-test="bootstrap-error"]')
    await page.waitForFunction(() => /两次输入的密码不一致/.test(document.querySelector('[data-test="bootstrap-error"]')?.innerText || ''))
    assert.match(await err.innerText(), /两次输入的密码不一致/)
    await page.locator('.el-form-item__error', { hasText: '两次输入的密码不一致' }).first().waitFor()
    await page.waitForTimeout(300)
    page.off('request', onRequest)
    assert.equal(posts, 0, 'no request for a mismatching confirmation')
  })

  it('on a phone, in English too', async () => {
    const phone = await e2e.newPage(PHONE)
    const { page } = phone
    await page.goto(e2e.baseURL + '/bootstrap')
    await page.locator('[data-test="bootstrap-form"]').waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 1, `no horizontal scroll on a phone (${overflow}px)`)
    const submitBox = await page.locator('[data-test="bootstrap-submit"]').boundingBox()
    assert.ok(submitBox.height >= 40, 'a large target')
    await shot(page, 'bootstrap-phone.png')
    await page.locator('[data-test="bootstrap-lang"] [data-lang="en"]').click()
    await page.waitForFunction(() => /System set-up/.test(document.querySelector('[data-test="bootstrap-title"]')?.innerText || ''))
    assert.equal((await page.locator('[data-test="bootstrap-title"]').innerText()).trim(), 'System set-up · Create the first administrator')
    assert.ok(await page.locator('.el-form-item__label', { hasText: 'Bootstrap token' }).count() > 0)
    await shot(page, 'bootstrap-phone-en.png')
    await phone.context.close()
  })

  it('creates the first administrator with the right token', async () => {
    const { page } = desk
    await fillForm(page, { tok: token })
    const answer = page.waitForResponse(isBootstrapPost)
    await page.locator('[data-test="bootstrap-submit"]').click()
    const res = await answer
    assert.equal(res.status(), 201, await res.text())
    const body = await res.json()
    assert.equal(body.username, USERNAME)
    assert.equal(body.role, 'admin')
    const done = page.locator('[data-test="bootstrap-done"]')
    await done.waitFor()
    assert.match(await done.innerText(), /管理员账号已创建/)
    assert.match(await done.innerText(), new RegExp(USERNAME))
    await shot(page, 'bootstrap-done-desk.png')
  })

  it('is done: needed:false, the token no longer works, no link on the login page', async () => {
    const status = await call('GET', '/api/v1/bootstrap')
    assert.equal(status.status, 200, status.text)
    assert.equal(status.data.needed, false)
    const again = await call('POST', '/api/v1/bootstrap', { token, username: 'second', display_name: '第二位', password: PASSWORD })
    log('second POST', again.status, again.text)
    assert.equal(again.status, 409, again.text)
    assert.match(again.data.error.message, /系统已初始化/)

    const phone = await e2e.newPage(PHONE)
    await phone.page.goto(e2e.baseURL + '/bootstrap')
    const already = phone.page.locator('[data-test="bootstrap-already"]')
    await already.waitFor()
    assert.match(await already.innerText(), /系统已初始化/)
    assert.equal(await phone.page.locator('[data-test="bootstrap-form"]').count(), 0)
    await shot(phone.page, 'bootstrap-already-phone.png')
    await phone.context.close()

    const { page } = desk
    await page.locator('[data-test="bootstrap-done"] [data-test="bootstrap-login"]').click()
    await page.waitForURL((u) => u.pathname === '/login')
    await page.locator('[data-test="login-submit"]').waitFor()
    await page.waitForTimeout(500) // the GET /api/v1/bootstrap of the login page has answered
    assert.equal(await page.locator('[data-test="bootstrap-link"]').count(), 0, 'no link once users exist')
  })

  it('firstadmin logs in through the login page (enrolling two-factor) and lands in the app', async () => {
    const { page } = desk
    await e2e.loginThroughPage(page, USERNAME, PASSWORD)
    assert.ok(e2e.totp.has(USERNAME), 'the admin enrolled two-factor authentication at the first login')
    await page.locator('.app-menu').waitFor()
    const me = await page.evaluate(async () => (await fetch('/api/v1/session', { credentials: 'same-origin' })).json())
    const user = me.user || me
    assert.equal(user.username, USERNAME)
    assert.equal(user.role, 'admin')
    log('landed on', new URL(page.url()).pathname)
    await shot(page, 'bootstrap-first-login-desk.png')
    assert.deepEqual(e2e.pageErrors, [])
  })
})
