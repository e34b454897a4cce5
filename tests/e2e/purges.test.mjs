// Browser test: 数据销毁 (end-of-incident purge, security.md F3). The demo admin opens 数据销毁 from
// 系统管理 (next to 数据保留): what it deletes and keeps, 双人审批, 不可恢复, and the person-level
// rows now (人员档案 > 0). 申请销毁 refuses a too-short reason and a wrong confirmation phrase with
// the server's messages under the fields, then sends a good request: 待审批, and the admin has no
// 批准 button on their own request (本人申请). The demo commander (another person, city-wide) opens
// the page, 驳回 a first request with a note, then 批准并执行 a second one: the confirmation lists
// the counts and says 不可恢复, progress, then 已销毁 with the rows deleted. 查看销毁证明 shows the
// 数据销毁证明: people rows equal to the count seen before, 签名已验证, Ed25519, a district row,
// the audit chain's head; the print stylesheet hides the app. Afterwards the people list is empty,
// the audit log names the purge's actions, the page switches to English, a phone shows cards, and
// a grid worker has no menu entry and gets 403.
//
// Run by ctest as `node --test tests/e2e/purges.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { CordonE2E, DESKTOP, PHONE, SHOTS, log, shot } from './harness.mjs'

const PHRASE = '销毁全部个人数据'
const REASON = '本轮疫情处置结束，经指挥部决定销毁全部个人数据（E2E 测试）'
const REASON_2 = '疫情处置已结束，指挥部会议决定销毁个人数据（E2E 测试，第二次申请）'
const REJECT_NOTE = '请待指挥部会议纪要印发后再申请（E2E 测试）'

const e2e = new CordonE2E('purges')
let password = ''
let admin = null // { context, page } at 1366×900
let cmd = null
let before0 = null // the first GET /api/v1/purges the admin's page made
let purgeId = 0 // the approved purge
let executed = null // its answer

const isList = (r) => new URL(r.url()).pathname === '/api/v1/purges' && r.request().method() === 'GET'
const isCreate = (r) => new URL(r.url()).pathname === '/api/v1/purges' && r.request().method() === 'POST'
const row = (page, id) => page.locator('.purge-row.purge-' + id)

function sql(query) {
  const r = spawnSync('sqlite3', ['-readonly', '-json', path.join(e2e.dataDir, 'cordon.db'), query], { encoding: 'utf8' })
  assert.equal(r.status, 0, 'sqlite3: ' + r.stderr)
  return r.stdout.trim() ? JSON.parse(r.stdout) : []
}

function cookieHeader(cookies) {
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ')
}

async function call(cookie, method, p, body) {
  const res = await fetch(e2e.baseURL + p, {
    method,
    headers: { Cookie: cookie, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  let json = null
  try { json = text ? JSON.parse(text) : null } catch { /* not JSON */ }
  return { status: res.status, json, text }
}

const total = (map) => Object.values(map || {}).reduce((a, b) => a + (Number(b) || 0), 0)

// Types into the request dialog and sends; gives the answer of POST /api/v1/purges.
async function sendRequest(page, reason, phrase) {
  const dialog = page.locator('.purge-request-dialog')
  await dialog.locator('textarea[data-test="purge-reason"], [data-test="purge-reason"] textarea').first().fill(reason)
  await dialog.locator('input[data-test="purge-confirm"], [data-test="purge-confirm"] input').first().fill(phrase)
  const answer = page.waitForResponse(isCreate)
  await dialog.locator('[data-test="purge-submit"]').click()
  return answer
}

describe('purges: 数据销毁', () => {
  before(async () => {
    ({ adminPassword: password } = await e2e.start({ population: 3000, seed: 61 }))
    await e2e.launchBrowser()
    admin = await e2e.newPage(DESKTOP)
    cmd = await e2e.newPage(DESKTOP)
  })

  after(() => e2e.stop())

  it('shows what a purge deletes and the person-level rows now', async () => {
    const { page } = admin
    await e2e.loginThroughPage(page, 'admin', password)
    // 系统管理: 数据销毁 right after 数据保留.
    const system = await page.locator('.app-menu [data-menu="system"] [data-menu]').evaluateAll((els) => els.map((e) => e.getAttribute('data-menu')))
    log('系统管理', system.join(' '))
    assert.equal(system.indexOf('purges'), system.indexOf('retention') + 1, '数据销毁 follows 数据保留')

    const answer = page.waitForResponse(isList)
    await page.locator('.app-menu [data-menu="purges"]').click()
    await page.waitForURL((u) => u.pathname === '/purges')
    const res = await answer
    assert.equal(res.status(), 200)
    before0 = await res.json()
    log('counts', JSON.stringify(before0.counts), 'items', before0.items.length)
    assert.ok(Array.isArray(before0.items))
    assert.ok(before0.counts && before0.counts.people > 0, 'the demo city has person files')

    assert.equal((await page.locator('[data-test="purges-title"]').innerText()).trim(), '数据销毁')
    const about = await page.locator('[data-test="purges-about"]').innerText()
    assert.match(about, /人员档案/)
    assert.match(about, /统计数据/)
    assert.match(about, /审计日志/)
    assert.match(about, /另一名/)
    assert.match(about, /不可恢复/)

    const people = page.locator('[data-test="purges-counts"] .count-people')
    await people.waitFor()
    assert.equal(Number(await people.getAttribute('data-n')), before0.counts.people)
    assert.match(await people.innerText(), new RegExp(`人员档案[\\s\\S]*${before0.counts.people.toLocaleString('en-US')}`))
    assert.equal(Number(await page.locator('[data-test="purges-count-total"]').getAttribute('data-n')), total(before0.counts))
    const zeros = Object.values(before0.counts).filter((n) => !n).length
    assert.equal(await page.locator('[data-test="purges-counts"] .count-tile').count(), Object.keys(before0.counts).length - zeros, 'the tables with rows')
    if (!before0.items.length) await page.locator('[data-test="purges-empty"]').waitFor()
    await shot(page, 'purges-desk.png')
  })

  it('refuses a short reason and a wrong phrase, then files the request', async () => {
    const { page } = admin
    await page.locator('[data-test="purge-request"]').click()
    const dialog = page.locator('.purge-request-dialog')
    await dialog.waitFor()
    const intro = await dialog.innerText()
    assert.match(intro, new RegExp(PHRASE))
    assert.match(intro, /不可恢复/)
    await dialog.locator('[data-test="request-counts"] .cl-people').waitFor()

    // Too short: the server names `reason`.
    let res = await sendRequest(page, '结束', PHRASE)
    assert.equal(res.status(), 400)
    log('short reason', JSON.stringify(await res.json()))
    const reasonError = dialog.locator('[data-field="reason"] .el-form-item__error')
    await reasonError.waitFor()
    log('reason error', (await reasonError.innerText()).trim())
    assert.match((await reasonError.innerText()).trim(), /4[\s\S]*500/, 'the server\'s message: 4 to 500 characters')
    assert.equal(await dialog.locator('[data-field="confirm"] .el-form-item__error').count(), 0)

    // The wrong phrase: the server names `confirm`.
    res = await sendRequest(page, REASON, '销毁个人数据')
    assert.equal(res.status(), 400)
    log('wrong phrase', JSON.stringify(await res.json()))
    const confirmError = dialog.locator('[data-field="confirm"] .el-form-item__error')
    await confirmError.waitFor()
    log('confirm error', (await confirmError.innerText()).trim())
    assert.match((await confirmError.innerText()).trim(), new RegExp(PHRASE), 'the message names the phrase')
    // The reason is fine now (its message fades out).
    await dialog.locator('[data-field="reason"] .el-form-item__error').waitFor({ state: 'detached' })
    assert.ok(await dialog.isVisible(), 'the dialog stays open')
    await page.mouse.move(1, 1)
    await page.screenshot({ path: path.join(SHOTS, 'purges-field-error.png') })

    // A good one: 待审批, and no approval of one's own request.
    res = await sendRequest(page, REASON, PHRASE)
    assert.equal(res.status(), 201, await res.text())
    const sent = await res.json()
    log('requested', JSON.stringify(sent))
    assert.equal(sent.status, 'pending')
    assert.equal(sent.reason, REASON)
    assert.equal(sent.requested_by.username, 'admin')
    assert.equal(sent.can_approve, false, 'the requester may not approve')
    await dialog.waitFor({ state: 'hidden' })
    const r = row(page, sent.id)
    await r.waitFor()
    assert.equal(await r.locator('.purge-status').getAttribute('data-status'), 'pending')
    assert.match(await r.innerText(), /待审批/)
    assert.match(await r.innerText(), /E2E 测试/)
    assert.equal(await r.locator('[data-test="purge-approve"]').count(), 0, 'no 批准 on one\'s own request')
    assert.equal(await r.locator('[data-test="purge-reject"]').count(), 0)
    assert.match(await r.locator('[data-test="purge-waiting"]').innerText(), /本人申请/)
    assert.ok(await page.locator('[data-test="purge-request"]').isDisabled(), '申请销毁 waits while one is pending')

    // One at a time, and the requester cannot approve through the API either.
    const cookie = cookieHeader(await admin.context.cookies())
    const again = await call(cookie, 'POST', '/api/v1/purges', { reason: REASON, confirm: PHRASE })
    assert.equal(again.status, 409, again.text)
    const self = await call(cookie, 'POST', `/api/v1/purges/${sent.id}/approve`, {})
    assert.ok([403, 409].includes(self.status), `self-approval refused: ${self.status} ${self.text}`)
    await shot(page, 'purges-pending.png')
  })

  it('lets the commander reject a request with a note', async () => {
    const { page } = cmd
    await e2e.loginThroughPage(page, 'commander', password)
    const answer = page.waitForResponse(isList)
    await page.locator('.app-menu [data-menu="purges"]').click()
    await page.waitForURL((u) => u.pathname === '/purges')
    const list = await (await answer).json()
    const pending = list.items.find((p) => p.status === 'pending')
    assert.ok(pending, 'the commander sees the pending request')
    assert.equal(pending.can_approve, true, 'a city-wide commander may approve another person\'s request')
    // The commander does not ask for purges.
    assert.equal(await page.locator('[data-test="purge-request"]').count(), 0)

    const r = row(page, pending.id)
    await r.locator('[data-test="purge-approve"]').waitFor()
    await r.locator('[data-test="purge-reject"]').click()
    const box = page.locator('.purge-reject-box')
    await box.waitFor()
    // The note is required.
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await box.locator('.el-message-box__errormsg').filter({ hasText: '请填写驳回理由' }).waitFor()
    await box.locator('textarea').fill(REJECT_NOTE)
    const rejected = page.waitForResponse((x) => x.url().endsWith(`/api/v1/purges/${pending.id}/reject`))
    await box.locator('.el-message-box__btns .el-button--primary').click()
    const res = await rejected
    assert.equal(res.status(), 200)
    const body = await res.json()
    assert.equal(body.status, 'rejected')
    assert.equal(body.decision_note, REJECT_NOTE)
    await r.locator('.purge-status[data-status="rejected"]').waitFor()
    assert.match(await r.innerText(), /已驳回/)
    assert.match(await r.innerText(), /指挥部会议纪要/)
    assert.equal(await r.locator('[data-test="purge-approve"]').count(), 0)
  })

  it('lets the commander approve and run a second request', async () => {
    // The admin asks again.
    {
      const { page } = admin
      await page.reload()
      await page.locator('[data-test="purges-counts"] .count-people').waitFor()
      assert.ok(!(await page.locator('[data-test="purge-request"]').isDisabled()), 'a rejected request does not block a new one')
      await page.locator('[data-test="purge-request"]').click()
      await page.locator('.purge-request-dialog').waitFor()
      const res = await sendRequest(page, REASON_2, PHRASE)
      assert.equal(res.status(), 201, await res.text())
      purgeId = (await res.json()).id
      await row(page, purgeId).waitFor()
    }

    const { page } = cmd
    const answer = page.waitForResponse(isList)
    await page.locator('[data-test="purges-refresh"]').click()
    const list = await (await answer).json()
    const counts = list.counts
    log('counts before the purge', JSON.stringify(counts))
    assert.equal(counts.people, before0.counts.people, 'nothing changed the people since')
    const r = row(page, purgeId)
    await r.locator('[data-test="purge-approve"]').click()
    const dialog = page.locator('.purge-approve-dialog')
    await dialog.waitFor()
    await dialog.locator('[data-test="approve-counts"] .cl-people').waitFor()
    const text = await dialog.innerText()
    assert.match(text, /不可恢复/)
    assert.match(text, /疫情处置已结束/)
    assert.match(text, /admin/)
    assert.equal(Number(await dialog.locator('[data-test="approve-counts"] .cl-people').getAttribute('data-n')), counts.people)
    assert.match(await dialog.locator('[data-test="approve-counts"] .cl-people').innerText(), new RegExp(`人员档案[\\s\\S]*${counts.people.toLocaleString('en-US')}`))
    assert.equal(Number(await dialog.locator('[data-test="approve-counts"] .cl-total').getAttribute('data-n')), total(counts))
    await page.mouse.move(1, 1)
    await page.screenshot({ path: path.join(SHOTS, 'purges-approve-confirm.png') })

    await dialog.locator('textarea[data-test="approve-note"], [data-test="approve-note"] textarea').first().fill('同意销毁（E2E 测试）')
    const approved = page.waitForResponse((x) => x.url().endsWith(`/api/v1/purges/${purgeId}/approve`), { timeout: 180_000 })
    await dialog.locator('[data-test="approve-confirm"]').click()
    // Progress while it runs (it may also be done before the check).
    await page.locator('[data-test="approve-running"], [data-test="approve-result"]').first().waitFor()
    const started = Date.now()
    const res = await approved
    log(`approve answered in ${Date.now() - started} ms`)
    assert.equal(res.status(), 200, await res.text())
    executed = await res.json()
    log('executed', JSON.stringify(executed))
    assert.equal(executed.status, 'done')
    assert.equal(executed.decided_by.username, 'commander')
    assert.ok(executed.executed_at)
    assert.equal(executed.tables.people, counts.people, 'every person file deleted')

    const result = dialog.locator('[data-test="approve-result"]')
    await result.waitFor()
    assert.equal(await result.getAttribute('data-status'), 'done')
    assert.equal(Number(await result.locator('.res-people').getAttribute('data-n')), counts.people)
    assert.match(await result.innerText(), new RegExp(`共删除 ${total(executed.tables).toLocaleString('en-US')} 条记录`))
    await page.mouse.move(1, 1)
    await page.screenshot({ path: path.join(SHOTS, 'purges-approve-result.png') })
    await dialog.locator('[data-test="approve-close"]').click()
    await dialog.waitFor({ state: 'hidden' })
    await r.locator('.purge-status[data-status="done"]').waitFor()
    assert.match(await r.innerText(), /已销毁/)
    assert.match(await r.innerText(), /指挥部值班/)
    // Nothing left to delete.
    await page.locator('[data-test="purges-count-total"][data-n="0"]').waitFor()
  })

  it('shows the signed deletion certificate', async () => {
    const { page } = cmd
    const answer = page.waitForResponse((x) => x.url().endsWith(`/api/v1/purges/${purgeId}/certificate`))
    await row(page, purgeId).locator('[data-test="purge-certificate"]').click()
    await page.waitForURL((u) => u.pathname === `/purges/${purgeId}/certificate`)
    const res = await answer
    assert.equal(res.status(), 200)
    const body = await res.json()
    const cert = body.certificate
    log('certificate', JSON.stringify({ ...cert, summary: { districts: cert.summary.districts.length, totals: cert.summary.totals } }))
    assert.equal(body.verified, true)
    assert.equal(cert.purge_id, purgeId)
    assert.equal(cert.tables.people, before0.counts.people)
    assert.equal(cert.algorithm, 'Ed25519')

    const doc = page.locator('[data-test="certificate"]')
    await doc.waitFor()
    assert.equal((await doc.locator('[data-test="cert-title"]').innerText()).trim(), '数据销毁证明')
    assert.match(await doc.locator('[data-test="cert-number"]').innerText(), new RegExp(`第 0*${purgeId} 号`))
    assert.match(await doc.locator('[data-test="cert-reason"]').innerText(), /疫情处置已结束/)
    assert.match(await doc.locator('[data-test="cert-requested-by"]').innerText(), /admin/)
    assert.match(await doc.locator('[data-test="cert-approved-by"]').innerText(), /commander/)
    const people = doc.locator('[data-test="cert-tables"] .tbl-people')
    assert.equal(Number(await people.getAttribute('data-n')), before0.counts.people, 'people rows = the count seen before')
    assert.match(await people.innerText(), new RegExp(`人员档案[\\s\\S]*people[\\s\\S]*${before0.counts.people.toLocaleString('en-US')}`))
    assert.equal(Number(await doc.locator('[data-test="cert-tables-total"]').getAttribute('data-n')), total(cert.tables))
    const verified = doc.locator('[data-test="cert-verified"]')
    assert.equal(await verified.getAttribute('data-verified'), '1')
    assert.match(await verified.innerText(), /签名已验证/)
    const districts = doc.locator('[data-test="cert-districts"] .cert-district')
    assert.ok(await districts.count() >= 1, 'a district row')
    assert.equal(await districts.count(), cert.summary.districts.length)
    const d0 = cert.summary.districts[0]
    assert.match(await districts.first().innerText(), new RegExp(d0.name))
    assert.match(await doc.locator('[data-test="cert-audit-hash"]').innerText(), new RegExp(cert.audit.head_hash))
    assert.equal((await doc.locator('[data-test="cert-algorithm"]').innerText()).trim(), 'Ed25519')
    assert.equal((await doc.locator('[data-test="cert-key-id"]').innerText()).trim(), cert.key_id)
    assert.equal((await doc.locator('[data-test="cert-signature-value"]').innerText()).replace(/\s+/g, ''), body.signature)
    // The signature wraps: nothing wider than the sheet.
    const wide = await doc.evaluate((el) => el.scrollWidth - el.clientWidth)
    assert.ok(wide <= 1, `the certificate fits its sheet (${wide}px too wide)`)
    await settledShot(page, 'purges-certificate.png')

    // 打印: the print stylesheet shows the document alone.
    await page.emulateMedia({ media: 'print' })
    assert.equal(await page.locator('.aside').isVisible(), false, 'no menu on paper')
    assert.equal(await page.locator('.topbar').isVisible(), false, 'no top bar on paper')
    assert.equal(await page.locator('[data-test="cert-print"]').isVisible(), false, 'no buttons on paper')
    assert.ok(await doc.isVisible())
    await page.screenshot({ path: path.join(SHOTS, 'purges-certificate-print.png'), fullPage: true })
    await page.emulateMedia({ media: 'screen' })
    assert.ok(await page.locator('[data-test="cert-print"]').isVisible())
    // window.print() is called (stubbed: headless Chromium has no dialog to close).
    await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed++ } })
    await page.locator('[data-test="cert-print"]').click()
    assert.equal(await page.evaluate(() => window.__printed), 1)

    // Only for a done purge.
    const cookie = cookieHeader(await cmd.context.cookies())
    const rejected = (await call(cookie, 'GET', '/api/v1/purges')).json.items.find((p) => p.status === 'rejected')
    assert.ok(rejected, 'the rejected request is listed')
    const nf = await call(cookie, 'GET', `/api/v1/purges/${rejected.id}/certificate`)
    assert.equal(nf.status, 404, nf.text)
  })

  it('leaves no person files behind and keeps the audit trail', async () => {
    const { page, context } = admin
    const cookie = cookieHeader(await context.cookies())
    const people = await call(cookie, 'GET', '/api/v1/people?limit=5')
    assert.equal(people.status, 200, people.text)
    assert.deepEqual(people.json.items, [], 'GET /api/v1/people is empty')
    assert.equal(sql('SELECT COUNT(*) AS n FROM people')[0].n, 0)

    await page.goto(e2e.baseURL + '/people')
    await page.locator('[data-test="people-empty"]').first().waitFor()

    const actions = sql("SELECT DISTINCT action FROM audit WHERE action LIKE 'purge%' ORDER BY action").map((a) => a.action)
    log('audit actions', actions.join(' '))
    for (const a of ['purge.request', 'purge.approve', 'purge.reject']) assert.ok(actions.includes(a), a + ' in the audit log')

    // The audit log names them.
    await page.goto(e2e.baseURL + '/audit')
    await page.locator('[data-test="audit-action"] input, input[data-test="audit-action"]').first().fill('purge.request')
    await page.locator('[data-test="audit-search"]').click()
    await page.locator('[data-test="audit-table"]').filter({ hasText: '申请数据销毁' }).waitFor()

    // The admin's list: the done purge with its certificate, the rejected one with its note.
    await page.goto(e2e.baseURL + '/purges')
    await row(page, purgeId).locator('.purge-status[data-status="done"]').waitFor()
    assert.equal(await row(page, purgeId).locator('[data-test="purge-certificate"]').count(), 1)
    await page.locator('[data-test="purges-counts-none"]').waitFor()
    assert.equal(await page.locator('[data-test="purges-counts"] .count-people').count(), 0, 'no rows left: no tiles')
    await page.locator('[data-test="purges-show-zero"]').click()
    assert.equal(Number(await page.locator('[data-test="purges-counts"] .count-people').getAttribute('data-n')), 0, '人员档案 0')
  })

  it('switches to English', async () => {
    const { page } = admin
    await page.locator('.topbar [data-lang="en"]').click()
    await page.locator('[data-test="purges-title"]').filter({ hasText: 'End-of-incident purge' }).waitFor()
    assert.match(await page.locator('.app-menu [data-menu="purges"]').innerText(), /End-of-incident purge/)
    assert.match(await page.locator('[data-test="purges-about"]').innerText(), /Irreversible/)
    assert.match(await row(page, purgeId).innerText(), /Purged/)
    await shot(page, 'purges-en.png')
    await page.locator('.topbar [data-lang="zh-CN"]').click()
    await page.locator('[data-test="purges-title"]').filter({ hasText: '数据销毁' }).waitFor()
  })

  it('shows cards on a phone', async () => {
    const phone = await e2e.newPage(PHONE)
    await phone.context.addCookies(await cmd.context.cookies())
    await phone.page.goto(e2e.baseURL + '/purges')
    await phone.page.locator('[data-test="purges-cards"] .purge-' + purgeId).waitFor()
    assert.equal(await phone.page.locator('[data-test="purges-table"]').count(), 0, 'no wide table on a phone')
    assert.equal(await phone.page.locator('[data-test="purges-cards"] .pg-card').count(), 2)
    assert.match(await phone.page.locator('.purge-' + purgeId).innerText(), /已销毁/)
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 1, `the page fits the phone (${overflow}px too wide)`)
    await phone.page.locator('[data-test="purges-cards"]').scrollIntoViewIfNeeded()
    await shot(phone.page, 'purges-phone.png')

    // The certificate on a phone: nothing wider than the screen either.
    await phone.page.locator('.purge-' + purgeId + ' [data-test="purge-certificate"]').click()
    await phone.page.locator('[data-test="certificate"] [data-test="cert-verified"]').waitFor()
    const certOverflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(certOverflow <= 1, `the certificate fits the phone (${certOverflow}px too wide)`)
    await shot(phone.page, 'purges-certificate-phone.png')
    await phone.context.close()
  })

  it('is not for a grid worker', async () => {
    const { context, page } = await e2e.newPage(DESKTOP)
    await e2e.loginThroughPage(page, 'grid_demo', password)
    await page.locator('.app-menu').waitFor()
    await page.locator('.app-menu [data-menu="exports"]').waitFor() // 系统管理 is shown (导出管理) …
    assert.equal(await page.locator('.app-menu [data-menu="purges"]').count(), 0, '… without 数据销毁')
    await page.goto(e2e.baseURL + '/purges')
    await page.waitForURL((u) => u.pathname !== '/purges')
    assert.equal(await page.locator('[data-test="purges-title"]').count(), 0)
    const cookie = cookieHeader(await context.cookies())
    const list = await call(cookie, 'GET', '/api/v1/purges')
    assert.equal(list.status, 403, list.text)
    const ask = await call(cookie, 'POST', '/api/v1/purges', { reason: REASON, confirm: PHRASE })
    assert.equal(ask.status, 403, ask.text)
    await context.close()
  })

  it('raised no page errors', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})

// The certificate is longer than the window: a full-page picture once the page has settled.
async function settledShot(page, name) {
  await page.mouse.move(1, 1)
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask'))
  await page.waitForTimeout(150)
  const file = path.join(SHOTS, name)
  await page.screenshot({ path: file, fullPage: true })
  log('screenshot', file)
}
