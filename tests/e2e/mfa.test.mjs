// Browser test: 双因素认证 (TOTP, security.md D4). A commander logs in for the first time on a
// phone: after the password the page shows the QR code and the key in groups of four, and a
// code from the "authenticator" (the key read off the page) finishes the set-up and logs in. The
// next login asks for the 6-digit code only (numeric keypad, focused); a wrong code says so and
// keeps the step; the right one logs in. A grid worker logs in with a password alone, and turns
// two-factor authentication on from the user menu.
//
// Run by ctest as `node --test tests/e2e/mfa.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { CordonE2E, DESKTOP, PHONE, SHOTS, log, shot, totpCode, totpStepNow } from './harness.mjs'

const e2e = new CordonE2E('mfa')
let adminPassword = ''

async function passwordStep(page, username, password) {
  await page.goto(e2e.baseURL + '/login')
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('[data-test="login-submit"]').click()
  await page.locator('[data-test="mfa-form"]').waitFor()
}

describe('mfa: 双因素认证', () => {
  before(async () => {
    const city = await e2e.start({ population: 1000, seed: 5 })
    adminPassword = city.adminPassword
    await e2e.launchBrowser()
  })

  after(() => e2e.stop())

  it('enrols a commander at the first login on a phone, with the QR code and the key', async () => {
    const { context, page } = await e2e.newPage(PHONE)
    await passwordStep(page, 'commander', adminPassword)
    await page.locator('[data-test="mfa-qr"]').waitFor()
    const text = await page.locator('[data-test="mfa-form"]').innerText()
    assert.match(text, /设置双因素认证/)
    assert.match(text, /请使用身份验证器（如 Microsoft Authenticator、Google Authenticator）扫描二维码/)
    assert.match(text, /动态验证码/)
    const secret = await page.locator('[data-test="mfa-secret"]').getAttribute('data-secret')
    assert.match(secret, /^[A-Z2-7]{32}$/)
    // The key is shown in groups of four for typing by hand.
    assert.equal((await page.locator('[data-test="mfa-secret"]').innerText()).trim(), secret.match(/.{4}/g).join(' '))
    // The code box: numeric keypad on a phone, filled from the authenticator app, focused.
    const code = page.locator('input[name="code"]')
    assert.equal(await code.getAttribute('inputmode'), 'numeric')
    assert.equal(await code.getAttribute('autocomplete'), 'one-time-code')
    assert.ok(await code.evaluate((el) => el === document.activeElement), 'the code box has the focus')
    // Nothing of it is kept in the browser's storage.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))
    assert.ok(!stored.includes(secret))
    await shot(page, 'mfa-enroll-phone.png')

    e2e.rememberTotp('commander', secret)
    const step = await e2e.nextTotpStep('commander')
    await code.fill(totpCode(secret, step))
    await page.locator('[data-test="mfa-submit"]').click()
    await page.waitForURL((u) => !u.pathname.startsWith('/login'))
    log('commander enrolled and logged in at', page.url())
    await context.close()
  })

  it('asks an enrolled user for the code only; a wrong code is refused, the right one logs in', async () => {
    const { context, page } = await e2e.newPage(DESKTOP)
    await passwordStep(page, 'commander', adminPassword)
    assert.equal(await page.locator('[data-test="mfa-qr"]').count(), 0, 'no QR code once enrolled')
    assert.equal(await page.locator('[data-test="mfa-secret"]').count(), 0)
    assert.match(await page.locator('[data-test="mfa-form"]').innerText(), /输入显示的 6 位动态验证码/)
    const secret = e2e.totp.get('commander').secret
    const now = totpStepNow()
    const spent = new Set([now - 1, now, now + 1].map((s) => totpCode(secret, s)))
    const wrong = ['000000', '111111', '222222'].find((c) => !spent.has(c))
    await page.locator('input[name="code"]').fill(wrong)
    await page.locator('[data-test="mfa-submit"]').click()
    await page.locator('[data-test="login-error"]').waitFor()
    assert.match(await page.locator('[data-test="login-error"]').innerText(), /动态验证码错误/)
    assert.ok(new URL(page.url()).pathname.startsWith('/login'))
    await shot(page, 'mfa-code-wrong.png')

    const step = await e2e.nextTotpStep('commander')
    await page.locator('input[name="code"]').fill(totpCode(secret, step))
    await page.locator('[data-test="mfa-submit"]').click()
    await page.waitForURL((u) => !u.pathname.startsWith('/login'))
    await context.close()
  })

  it('shows the code step in English too', async () => {
    const { context, page } = await e2e.newPage(DESKTOP)
    await page.goto(e2e.baseURL + '/login')
    await page.locator('[data-test="login-lang"] button[data-lang="en"]').click()
    await passwordStep(page, 'commander', adminPassword)
    const text = await page.locator('[data-test="mfa-form"]').innerText()
    assert.match(text, /Two-factor authentication/)
    assert.match(text, /6-digit code/)
    await page.locator('[data-test="mfa-back"]').click()
    await page.locator('input[name="username"]').waitFor()
    await context.close()
  })

  it('lets a grid worker in with a password, and turn two-factor authentication on from the menu', async () => {
    const { context, page } = await e2e.newPage(DESKTOP)
    await e2e.loginThroughPage(page, 'grid_demo', adminPassword)
    await page.locator('[data-test="user-menu"]').click()
    await page.locator('[data-test="mfa-menu"]').click()
    await page.locator('[data-test="mfa-start"]').click()
    const secret = await page.locator('[data-test="mfa-secret"]').getAttribute('data-secret')
    assert.match(secret, /^[A-Z2-7]{32}$/)
    // The dialog is an overlay, which shot() waits to fade: take this picture as it stands.
    await page.locator('[data-test="mfa-qr"]').waitFor()
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(SHOTS, 'mfa-account-enrol.png') })
    e2e.rememberTotp('grid_demo', secret)
    const step = await e2e.nextTotpStep('grid_demo')
    await page.locator('[data-test="mfa-dialog-code"]').fill(totpCode(secret, step))
    await page.locator('[data-test="mfa-confirm"]').click()
    await page.getByText('双因素认证已启用', { exact: true }).waitFor()
    await context.close()

    // From now on the grid worker is asked for a code too.
    const again = await e2e.newPage(PHONE)
    await passwordStep(again.page, 'grid_demo', adminPassword)
    const next = await e2e.nextTotpStep('grid_demo')
    await again.page.locator('input[name="code"]').fill(totpCode(secret, next))
    await again.page.locator('[data-test="mfa-submit"]').click()
    await again.page.waitForURL((u) => !u.pathname.startsWith('/login'))
    await again.context.close()
  })

  it('raised no page errors', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
