// Shared harness of the browser tests (tests/e2e/*.test.mjs): a demo city in a temp dir, the real
// server on it, Debian's Chromium through playwright-core, and a tiny API client.
//
// Not a test itself: ctest runs only tests/e2e/*.test.mjs, so keep this name without ".test".
//
// Environment (as ctest sets it):
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
//   CORDON_CHROMIUM     the browser (default /usr/bin/chromium)
// playwright-core comes from web/node_modules.

import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '..', '..')
export const webRequire = createRequire(path.join(repo, 'web', 'package.json'))
const { chromium } = webRequire('playwright-core')

export const BINARY = process.env.CORDON_BINARY || path.join(repo, 'build', 'cordon')
export const WEB_DIR = process.env.CORDON_WEB_DIR || path.join(repo, 'web', 'dist')
export const SHOTS = process.env.CORDON_SCREENSHOTS || path.join(repo, 'build', 'screenshots')
export const CHROMIUM = process.env.CORDON_CHROMIUM || '/usr/bin/chromium'

export const DESKTOP = { width: 1366, height: 900 }
export const PHONE = { width: 390, height: 844 }

export function log(...a) { console.log('[e2e]', ...a) }

// Screenshots after the loading masks and dialogs have faded out.
export async function settled(page) {
  await page.mouse.move(1, 1) // no hover colours in the pictures
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask') &&
    ![...document.querySelectorAll('.el-overlay')].some((o) => getComputedStyle(o).display !== 'none'))
  await page.waitForTimeout(150)
}

export async function shot(page, name) {
  await settled(page)
  const file = path.join(SHOTS, name)
  await page.screenshot({ path: file, fullPage: false })
  log('screenshot', file)
}

// What an authenticator app computes (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps).
export function totpStepNow() { return Math.floor(Date.now() / 30_000) }

function base32Bytes(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const out = []
  let buffer = 0
  let bits = 0
  for (const c of text.toUpperCase()) {
    const v = alphabet.indexOf(c)
    if (v < 0) continue
    buffer = ((buffer << 5) | v) & 0xffff
    bits += 5
    if (bits >= 8) {
      out.push((buffer >> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

export function totpCode(secret, step) {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const mac = crypto.createHmac('sha1', base32Bytes(secret)).update(counter).digest()
  const offset = mac[19] & 0x0f
  const value = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3]
  return String(value % 1_000_000).padStart(6, '0')
}

export function runCli(args, input) {
  const r = spawnSync(BINARY, args, { input, encoding: 'utf8', timeout: 180_000 })
  if (r.error) throw r.error
  if (r.status !== 0) {
    throw new Error(`cordon ${args.join(' ')} exited ${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`)
  }
  return r.stdout + '\n' + r.stderr
}

// One test file's world: its data dir, server, browser and the errors its pages raised.
// `name` names the server log written into SHOTS (NAME.server.log); `contextOptions` go into
// every browser context this harness opens (before the per-page extras).
export class CordonE2E {
  constructor(name, { contextOptions = {} } = {}) {
    this.name = name
    this.contextOptions = contextOptions
    this.dataDir = null
    this.server = null
    this.serverLog = ''
    this.baseURL = ''
    this.browser = null
    this.adminPassword = ''
    this.pageErrors = []
    // 双因素认证: what the authenticator app holds per username (secret, last step used), and the
    // API sessions already open, reused while they last (a code's step works only once).
    this.totp = new Map()
    this.apiSessions = new Map()
  }

  // A time step for the next code of `username` that the server accepts and has not seen: the
  // step before the current one, the current one and the next are accepted (three logins of one
  // user at once, then one per 30 s); waits when the next unused one is still in the future.
  async nextTotpStep(username) {
    const entry = this.totp.get(username)
    assert.ok(entry, `${username} has TOTP, but the harness never saw its secret`)
    const now = Date.now() / 1000
    const current = Math.floor(now / 30)
    // The step before is good only while the server's clock stays in this step: 10 s of margin.
    const oldest = now % 30 < 20 ? current - 1 : current
    const step = Math.max(entry.last + 1, oldest)
    entry.last = step
    const waitMs = (step - 1) * 30_000 + 200 - Date.now()
    if (waitMs > 0) {
      log(`waiting ${Math.ceil(waitMs / 1000)} s for a fresh TOTP step for ${username}`)
      await new Promise((r) => setTimeout(r, waitMs))
    }
    return step
  }

  // Remembers the secret shown at enrolment (from the API answer or the login page).
  rememberTotp(username, secret) { this.totp.set(username, { secret, last: 0 }) }

  // Generates the demo city into a temp dir and serves it; gives { baseURL, adminPassword }.
  async start({ population = 3000, seed = 7 } = {}) {
    assert.ok(fs.existsSync(BINARY), `no server binary at ${BINARY}`)
    assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `no built UI at ${WEB_DIR} (cd web && npm run build)`)
    fs.mkdirSync(SHOTS, { recursive: true })
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-e2e-'))

    // 1. A small city, generated without serving.
    const out = runCli(['demo', '--data', this.dataDir, '--population', String(population), '--seed', String(seed), '--generate-only'])
    const m = /admin password:\s*(\S+)/.exec(out)
    assert.ok(m, 'demo prints "admin password: …"\n' + out)
    this.adminPassword = m[1]

    // 2. Serve it.
    this.baseURL = await this.startServer()
    log('server at', this.baseURL)
    return { baseURL: this.baseURL, adminPassword: this.adminPassword }
  }

  startServer() {
    return new Promise((resolve, reject) => {
      const server = spawn(BINARY, ['serve', '--data', this.dataDir, '--port', '0', '--web', WEB_DIR], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      this.server = server
      const timer = setTimeout(() => reject(new Error('server did not print "listening on" within 60 s\n' + this.serverLog)), 60_000)
      let buf = ''
      server.stdout.setEncoding('utf8')
      server.stderr.setEncoding('utf8')
      server.stdout.on('data', (chunk) => {
        this.serverLog += chunk
        buf += chunk
        const m = /listening on (http:\/\/[^\s]+)/.exec(buf)
        if (m) {
          clearTimeout(timer)
          resolve(m[1].replace(/\/+$/, ''))
        }
      })
      server.stderr.on('data', (chunk) => { this.serverLog += chunk })
      server.on('exit', (code, sig) => {
        clearTimeout(timer)
        reject(new Error(`server exited early (${code ?? sig})\n${this.serverLog}`))
      })
    })
  }

  async stopServer() {
    const server = this.server
    if (!server || server.exitCode !== null || server.signalCode !== null) return
    const exited = new Promise((r) => server.once('exit', r))
    server.kill('SIGTERM')
    const killed = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))])
    if (!killed) {
      server.kill('SIGKILL')
      await exited
    }
  }

  async launchBrowser() {
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    return this.browser
  }

  // For after(): closes the browser, stops the server, keeps its log as SHOTS/NAME.server.log
  // and removes the data dir.
  async stop() {
    try { if (this.browser) await this.browser.close() } catch (e) { log('browser close:', e.message) }
    try { await this.stopServer() } catch (e) { log('server stop:', e.message) }
    try { if (SHOTS && this.serverLog) fs.writeFileSync(path.join(SHOTS, this.name + '.server.log'), this.serverLog) } catch { /* best effort */ }
    if (this.dataDir) fs.rmSync(this.dataDir, { recursive: true, force: true })
  }

  // A tiny API client for set-up, with its own cookie jar. Completes the TOTP step like a person
  // with an authenticator app; a session opened earlier for the same user is reused while valid.
  async apiLogin(username, password) {
    const key = username + '\n' + password
    const open = this.apiSessions.get(key)
    if (open) {
      const still = await fetch(this.baseURL + '/api/v1/session', { headers: { Cookie: open } })
      if (still.status === 200) return open
      this.apiSessions.delete(key)
    }
    let res = await fetch(this.baseURL + '/api/v1/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
    assert.equal(res.status, 200, `login ${username}: HTTP ${res.status} ${await res.clone().text()}`)
    const first = await res.clone().json()
    if (first.mfa) {
      if (first.mfa === 'enroll') this.rememberTotp(username, first.secret)
      const step = await this.nextTotpStep(username)
      res = await fetch(this.baseURL + '/api/v1/session/mfa', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ challenge: first.challenge, code: totpCode(this.totp.get(username).secret, step) }),
      })
      assert.equal(res.status, 200, `login ${username}, code step: HTTP ${res.status} ${await res.clone().text()}`)
    }
    const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    assert.ok(cookies, 'the login answer sets a session cookie')
    this.apiSessions.set(key, cookies)
    return cookies
  }

  async apiGet(cookie, p) {
    const res = await fetch(this.baseURL + p, { headers: { Cookie: cookie, Accept: 'application/json' } })
    const text = await res.text()
    assert.equal(res.status, 200, `GET ${p}: HTTP ${res.status} ${text}`)
    return JSON.parse(text)
  }

  async apiPost(cookie, p, body) {
    const res = await fetch(this.baseURL + p, {
      method: 'POST',
      headers: { Cookie: cookie, Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
    const text = await res.text()
    assert.equal(res.status, 200, `POST ${p}: HTTP ${res.status} ${text}`)
    return JSON.parse(text)
  }

  async newPage(viewport, extra = {}) {
    const context = await this.browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...this.contextOptions, ...extra })
    const page = await context.newPage()
    page.setDefaultTimeout(20_000)
    page.on('pageerror', (e) => this.pageErrors.push(String(e && e.stack ? e.stack : e)))
    page.on('console', (m) => {
      // The login page asks GET /session first and expects a 401 there: not worth a line.
      if (m.type() === 'error' && !/status of 401/.test(m.text())) log('console error:', m.text())
    })
    return { context, page }
  }

  // Logs in on the page as a person would, typing the authenticator's code when asked (and, at a
  // first login of a role that must have one, reading the key the page shows to enrol).
  async loginThroughPage(page, username, password) {
    await page.goto(this.baseURL + '/login')
    await page.locator('input[name="username"]').fill(username)
    await page.locator('input[name="password"]').fill(password)
    await page.locator('[data-test="login-submit"]').click()
    await page.waitForFunction(() => !location.pathname.startsWith('/login') ||
      document.querySelector('[data-test="mfa-form"]'))
    if (new URL(page.url()).pathname.startsWith('/login')) {
      const shown = page.locator('[data-test="mfa-secret"]')
      if (await shown.count() > 0) this.rememberTotp(username, await shown.getAttribute('data-secret'))
      const step = await this.nextTotpStep(username)
      await page.locator('input[name="code"]').fill(totpCode(this.totp.get(username).secret, step))
      await page.locator('[data-test="mfa-submit"]').click()
    }
    await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  }
}
