// Browser test: 导出管理 (security.md E1–E6). An epidemiologist asks, on 管控中人员, for the full
// (unmasked) measure list: 申请导出完整名单 wants a reason (理由，必填), then says the request awaits
// 指挥部审批 and links to 导出管理, where it is listed as 待审批. A commander of the jurisdiction
// opens 导出管理 from the menu, sees the request on 导出审批 (the requester, the reason, the badge)
// and approves it; the approver gets no 下载. The epidemiologist then sees 可下载 and downloads
// the file (its suggested name ends .xlsx). 导出（脱敏） still saves a masked file at once. On a
// phone the list is cards.
//
// Run by ctest as `node --test tests/e2e/exports.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { CordonE2E, DESKTOP, PHONE, SHOTS, log, shot, runCli } from './harness.mjs'

const EPI = 'epi_export'
const EPI_NAME = '流调员导出'
const EPI_PASSWORD = 'Epi-Passw0rd-2022'
const CMD = 'cmd_export'
const CMD_NAME = '指挥长审批'
const CMD_PASSWORD = 'Cmd-Passw0rd-2022'
const REASON = '向区疾控中心报送管控人员名单（E2E 测试）'

const e2e = new CordonE2E('exports')
let epi = null // { context, page } at 1366×900
let cmd = null

function sql(query) {
  const r = spawnSync('sqlite3', ['-readonly', '-json', path.join(e2e.dataDir, 'cordon.db'), query], { encoding: 'utf8' })
  assert.equal(r.status, 0, 'sqlite3: ' + r.stderr)
  return r.stdout.trim() ? JSON.parse(r.stdout) : []
}

// The one full-list request of this test, as a table row (desk) or a card (phone).
const request = (page) => page.locator('.export-row').filter({ hasText: '完整名单' }).first()

describe('exports: 导出管理', () => {
  before(async () => {
    await e2e.start({ population: 3000, seed: 41 })
    const [root] = sql('SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1')
    runCli(['user', 'add', '--username', EPI, '--name', EPI_NAME, '--role', 'epidemiologist', '--region', root.code, '--data', e2e.dataDir],
      EPI_PASSWORD + '\n')
    runCli(['user', 'add', '--username', CMD, '--name', CMD_NAME, '--role', 'commander', '--region', root.code, '--data', e2e.dataDir],
      CMD_PASSWORD + '\n')
    await e2e.launchBrowser()
    epi = await e2e.newPage(DESKTOP)
    cmd = await e2e.newPage(DESKTOP)
  })

  after(() => e2e.stop())

  it('lets an epidemiologist request the full list with a reason', async () => {
    const { page } = epi
    await e2e.loginThroughPage(page, EPI, EPI_PASSWORD)
    await page.goto(e2e.baseURL + '/measures')

    // 导出（脱敏）: the masked file at once, no approval.
    await page.locator('[data-test="measures-export"]').click()
    const [masked] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test="export-masked-xlsx"]').click(),
    ])
    log('masked export', masked.suggestedFilename())
    assert.match(masked.suggestedFilename(), /\.xlsx$/)

    // 申请导出完整名单: a reason, then the command centre's approval.
    await page.locator('[data-test="measures-export"]').click()
    await page.locator('[data-test="export-unmasked"]').click()
    const dialog = page.locator('.export-request-dialog')
    await dialog.waitFor()
    assert.match(await dialog.innerText(), /须经指挥部审批/)

    // The reason is required: no request without one.
    await dialog.locator('[data-test="export-submit"]').click()
    await dialog.locator('.el-form-item__error').filter({ hasText: '请填写理由' }).waitFor()

    await dialog.locator('textarea[data-test="export-reason"], [data-test="export-reason"] textarea').first().fill(REASON)
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/exports') && r.request().method() === 'POST')
    await dialog.locator('[data-test="export-submit"]').click()
    const res = await answer
    assert.equal(res.status(), 201)
    const sent = await res.json()
    assert.equal(sent.status, 'pending_approval')
    assert.equal(sent.unmasked, true)
    assert.equal(sent.reason, REASON)
    await dialog.locator('[data-test="export-sent"]').waitFor()
    assert.match(await dialog.innerText(), /等待指挥部审批/)
    // The dialog is still open: shot() waits for overlays to go, so take this one directly.
    await page.mouse.move(1, 1)
    await page.screenshot({ path: path.join(SHOTS, 'exports-request.png') })

    await dialog.locator('[data-test="export-go"]').click()
    await page.waitForURL((u) => u.pathname === '/exports')
    await request(page).waitFor()
    assert.match(await request(page).innerText(), /管控人员名单[\s\S]*待审批/)
    assert.equal(await request(page).locator('[data-test="export-download"]').count(), 0)
    // An epidemiologist has no 导出审批 tab.
    assert.equal(await page.locator('[data-test="exports-tab-approvals"]').count(), 0)
  })

  it('lets a commander approve it on 导出审批', async () => {
    const { page } = cmd
    await e2e.loginThroughPage(page, CMD, CMD_PASSWORD)
    await page.locator('.app-menu [data-menu="exports"]').click()
    await page.waitForURL((u) => u.pathname === '/exports')
    await page.locator('[data-test="exports-tab-approvals"]').click()
    await page.waitForURL((u) => u.searchParams.get('tab') === 'approvals')
    await request(page).waitFor()
    const text = await request(page).innerText()
    assert.match(text, new RegExp(EPI_NAME))
    assert.match(text, /E2E 测试/)
    assert.match(text, /待审批/)
    assert.equal((await page.locator('[data-test="exports-badge"] sup').innerText()).trim(), '1')
    await shot(page, 'exports-approvals.png')

    await request(page).locator('[data-test="export-approve"]').click()
    const box = page.locator('.el-message-box')
    await box.waitFor()
    assert.match(await box.innerText(), /您不能下载/)
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await request(page).locator('[data-status="ready"]').waitFor()
    assert.match(await request(page).innerText(), new RegExp(CMD_NAME))
    assert.equal(await request(page).locator('[data-test="export-approve"]').count(), 0)
    assert.equal(await page.locator('[data-test="export-download"]').count(), 0)
    assert.equal(await page.locator('[data-test="exports-badge"]').count(), 0)
  })

  it('lets the requester download the approved file', async () => {
    const { page } = epi
    await page.goto(e2e.baseURL + '/exports')
    await request(page).locator('[data-status="ready"]').waitFor()
    assert.match(await request(page).innerText(), /可下载/)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      request(page).locator('[data-test="export-download"]').click(),
    ])
    const name = download.suggestedFilename()
    log('downloaded', name)
    assert.match(name, /\.(xlsx|csv)$/)
    await page.locator('.el-message--success').filter({ hasText: '已下载' }).waitFor()
    // The row now shows its hash and row count.
    await page.waitForFunction(() => /[0-9a-f]{12}/.test(document.querySelector('.export-row')?.innerText || ''))
    await shot(page, 'exports-mine.png')
  })

  it('shows cards on a phone', async () => {
    const phone = await e2e.newPage(PHONE)
    await phone.context.addCookies((await epi.context.cookies()))
    await phone.page.goto(e2e.baseURL + '/exports')
    await phone.page.locator('[data-test="exports-cards-mine"] .x-card').first().waitFor()
    assert.equal(await phone.page.locator('[data-test="exports-table-mine"]').count(), 0)
    await request(phone.page).locator('[data-test="export-download"]').waitFor()
    await shot(phone.page, 'exports-phone.png')
    assert.deepEqual(e2e.pageErrors, [])
  })
})
