// Browser test: 数据保留 (security.md F1, F2). The demo admin opens 数据保留 from 系统管理 and sees
// the five kinds with their default periods (密接排查任务 30, 病例 180, 隔离管控 30, 群众举报 30,
// 人员档案 30 days), what each covers, its reference date, 待删除 and the read-only 场所扫码记录 row
// (按日整体删除). 修改 sets 密接排查任务 to 45 days, kept after a reload; 0 is refused with the
// server's message under the field. 立即执行 asks first (the records of each kind to be deleted,
// 删除不可恢复), shows the result and a new run (成功) in 执行记录. The page switches to English; on
// a phone it is cards. A grid worker has no menu entry, is sent home from /retention, and the API
// answers 403.
//
// Run by ctest as `node --test tests/e2e/retention.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { CordonE2E, DESKTOP, PHONE, SHOTS, log, shot } from './harness.mjs'

const KINDS = [
  ['close_contact', '密接排查任务', 30, '核查完成时间'],
  ['case', '病例', 180, '转归时间'],
  ['quarantine_stay', '隔离管控', 30, '解除管控时间'],
  ['tip_off', '群众举报', 30, '办结时间'],
  ['person', '人员档案', 30, '最后一条记录删除后'],
]

const e2e = new CordonE2E('retention')
let adminPassword = ''
let admin = null // { context, page } at 1366×900
let initial = null // the first GET /api/v1/retention the page made

const row = (page, entity) => page.locator('.policy-row.policy-' + entity)
const days = async (page, entity) => Number(await row(page, entity).locator('.policy-days').getAttribute('data-days'))
const isRetentionGet = (r) => new URL(r.url()).pathname === '/api/v1/retention' && r.request().method() === 'GET'

// The demo city holds nothing closed (and the server's start-up pass already deleted what was past
// due), so the run test makes its own: tip-offs sent and closed now, then aged 40 days in the
// database (the server has no clock to set). Reads go through a read-only connection.
const AGED_DAYS = 40
function sql(query, { write = false } = {}) {
  const args = write ? ['-cmd', '.timeout 10000'] : ['-readonly', '-json']
  const r = spawnSync('sqlite3', [...args, path.join(e2e.dataDir, 'cordon.db'), query], { encoding: 'utf8' })
  assert.equal(r.status, 0, 'sqlite3: ' + r.stderr)
  return !write && r.stdout.trim() ? JSON.parse(r.stdout) : []
}

async function call(cookie, method, p, body, status) {
  const res = await fetch(e2e.baseURL + p, {
    method,
    headers: { ...(cookie ? { Cookie: cookie } : {}), Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  assert.equal(res.status, status, `${method} ${p}: HTTP ${res.status} ${text}`)
  return text ? JSON.parse(text) : null
}

function total(map) {
  return Object.values(map || {}).reduce((a, b) => a + (Number(b) || 0), 0)
}

function cookieHeader(cookies) {
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ')
}

describe('retention: 数据保留', () => {
  before(async () => {
    ({ adminPassword } = await e2e.start({ population: 3000, seed: 53 }))
    await e2e.launchBrowser()
    admin = await e2e.newPage(DESKTOP)
  })

  after(() => e2e.stop())

  it('shows the five kinds with their periods and the check-ins row', async () => {
    const { page } = admin
    await e2e.loginThroughPage(page, 'admin', adminPassword)
    const answer = page.waitForResponse(isRetentionGet)
    await page.locator('.app-menu [data-menu="retention"]').click()
    await page.waitForURL((u) => u.pathname === '/retention')
    const res = await answer
    assert.equal(res.status(), 200)
    initial = await res.json()
    log('policies', JSON.stringify(initial.policies), 'checkins_days', initial.checkins_days, 'runs', initial.runs.length)

    assert.equal((await page.locator('[data-test="retention-title"]').innerText()).trim(), '数据保留')
    const note = await page.locator('[data-test="retention-note"]').innerText()
    assert.match(note, /每小时/)
    assert.match(note, /服务器启动/)
    assert.match(note, /不可恢复/)

    for (const [entity, name, period, reference] of KINDS) {
      await row(page, entity).waitFor()
      const text = await row(page, entity).innerText()
      assert.match(text, new RegExp(name), entity)
      assert.match(text, new RegExp(reference), entity)
      assert.equal(await days(page, entity), period, `${entity}: ${period} days by default`)
      assert.match(text, new RegExp(`${period} 天`), entity)
      const policy = initial.policies.find((p) => p.entity === entity)
      assert.ok(policy, `the API lists ${entity}`)
      assert.equal(policy.days, period)
      assert.equal(Number(await row(page, entity).locator('.policy-due').getAttribute('data-due')), policy.due, `${entity}: 待删除`)
      assert.equal(await row(page, entity).locator('[data-test="policy-edit"]').count(), 1)
    }
    // The kinds in their order, then the check-ins.
    const order = await page.locator('.policy-row').evaluateAll((rows) => rows.map((r) => [...r.classList].find((c) => c.startsWith('policy-') && c !== 'policy-row')))
    assert.deepEqual(order, [...KINDS.map((k) => 'policy-' + k[0]), 'policy-checkins'])

    const checkins = row(page, 'checkins')
    const ctext = await checkins.innerText()
    assert.match(ctext, /场所扫码记录/)
    assert.match(ctext, /按日整体删除/)
    assert.equal(await days(page, 'checkins'), initial.checkins_days)
    assert.match(ctext, new RegExp(`${initial.checkins_days} 天`))
    assert.equal(await checkins.locator('[data-test="policy-edit"]').count(), 0, 'the check-ins period is not edited here')
    await shot(page, 'retention-desk.png')
  })

  it('keeps a changed period after a reload', async () => {
    const { page } = admin
    await row(page, 'close_contact').locator('[data-test="policy-edit"]').click()
    const dialog = page.locator('.retention-edit-dialog')
    await dialog.waitFor()
    assert.match(await dialog.innerText(), /密接排查任务/)
    const input = dialog.locator('input[data-test="retention-days"], [data-test="retention-days"] input').first()
    assert.equal(await input.inputValue(), '30')
    await input.fill('45')
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/retention/close_contact') && r.request().method() === 'PATCH')
    await dialog.locator('[data-test="retention-save"]').click()
    const res = await answer
    assert.equal(res.status(), 200)
    const saved = await res.json()
    assert.equal(saved.entity, 'close_contact')
    assert.equal(saved.days, 45)
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('.el-message--success').filter({ hasText: '45' }).waitFor()
    assert.equal(await days(page, 'close_contact'), 45)
    assert.match(await row(page, 'close_contact').locator('.policy-changed').innerText(), /admin/)

    await page.reload()
    await row(page, 'close_contact').waitFor()
    assert.equal(await days(page, 'close_contact'), 45, 'kept after a reload')
    assert.equal(await days(page, 'case'), 180, 'the others unchanged')
  })

  it('shows the server\'s field error for 0 days', async () => {
    const { page } = admin
    await row(page, 'close_contact').locator('[data-test="policy-edit"]').click()
    const dialog = page.locator('.retention-edit-dialog')
    await dialog.waitFor()
    const input = dialog.locator('input[data-test="retention-days"], [data-test="retention-days"] input').first()
    await input.fill('0')
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/retention/close_contact') && r.request().method() === 'PATCH')
    await dialog.locator('[data-test="retention-save"]').click()
    const res = await answer
    assert.equal(res.status(), 400)
    const error = dialog.locator('[data-field="days"] .el-form-item__error')
    await error.waitFor()
    const message = (await error.innerText()).trim()
    log('field error', message)
    assert.match(message, /3650/)
    assert.ok(await dialog.isVisible(), 'the dialog stays open')
    await page.mouse.move(1, 1)
    await page.screenshot({ path: path.join(SHOTS, 'retention-field-error.png') })
    await dialog.locator('.el-dialog__footer .el-button').filter({ hasText: '取消' }).click()
    await dialog.waitFor({ state: 'hidden' })
    assert.equal(await days(page, 'close_contact'), 45, 'nothing changed')
  })

  it('runs the deletion after a confirmation and lists the run', async () => {
    const { page } = admin
    // Two closed tip-offs past their 30 days: 待删除 2 for 群众举报.
    const cookie = cookieHeader(await admin.context.cookies())
    const tipIds = []
    for (const n of [1, 2]) {
      const sent = await call(null, 'POST', '/api/v1/public/tip-offs', { address: `清沙市人民路 ${n} 号（e2e 数据保留）`, detail: `有人聚集（e2e 数据保留 ${n}）` }, 201)
      const id = Number(String(sent.receipt).split('-')[1])
      await call(cookie, 'POST', `/api/v1/tip-offs/${id}/close`, { status: 'unfounded', outcome: '经核实不实（e2e 数据保留）' }, 200)
      tipIds.push(id)
    }
    sql(`UPDATE tip_offs SET closed_at = closed_at - ${AGED_DAYS} * 86400, created_at = created_at - ${AGED_DAYS} * 86400 WHERE id IN (${tipIds.join(',')})`, { write: true })
    const reloaded = page.waitForResponse(isRetentionGet)
    await page.reload()
    const before = await (await reloaded).json()
    assert.equal(before.policies.find((p) => p.entity === 'tip_off').due, 2, 'the two aged tip-offs are due')
    await page.locator('.policy-tip_off .policy-due[data-due="2"]').waitFor()
    assert.ok(await row(page, 'tip_off').locator('.policy-due.warn').count(), '待删除 stands out')

    const fresh = page.waitForResponse(isRetentionGet)
    await page.locator('[data-test="retention-run"]').click()
    const dialog = page.locator('.retention-run-dialog')
    await dialog.waitFor()
    const now = await (await fresh).json()
    await page.waitForTimeout(200) // the counts from that answer
    const text = await dialog.innerText()
    assert.match(text, /删除不可恢复/)
    assert.match(text, /审计日志仅保留被删除记录的编号/)
    const due = Object.fromEntries(now.policies.map((p) => [p.entity, p.due]))
    log('due before the run', JSON.stringify(due))
    assert.equal(due.tip_off, 2)
    for (const [entity, name] of KINDS) {
      const li = dialog.locator('[data-test="run-due"] .due-' + entity)
      assert.match(await li.innerText(), new RegExp(`${name}[\\s\\S]*${due[entity].toLocaleString('en-US')} 条`))
    }
    const dueTotal = Object.values(due).reduce((a, b) => a + b, 0)
    assert.match(await dialog.locator('[data-test="run-due"] .due-total').innerText(), new RegExp(`合计[\\s\\S]*${dueTotal.toLocaleString('en-US')} 条`))
    await page.mouse.move(1, 1)
    await page.screenshot({ path: path.join(SHOTS, 'retention-confirm.png') })

    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/retention/run') && r.request().method() === 'POST')
    await dialog.locator('[data-test="run-confirm"]').click()
    const res = await answer
    assert.equal(res.status(), 200)
    const run = await res.json()
    log('run', JSON.stringify(run))
    assert.equal(run.outcome, 'ok')
    assert.equal(run.actor, 'admin')
    const result = dialog.locator('[data-test="run-result"]')
    await result.waitFor()
    assert.equal(await result.getAttribute('data-outcome'), 'ok')
    for (const [entity, name] of KINDS) {
      const li = result.locator('[data-test="run-result-kinds"] .res-' + entity)
      assert.match(await li.innerText(), new RegExp(`${name}[\\s\\S]*${(run.records[entity] || 0).toLocaleString('en-US')}`))
    }
    assert.equal(run.records.tip_off, 2, 'the two tip-offs deleted')
    assert.equal(run.rows.tip_offs, 2)
    assert.match(await result.locator('[data-test="run-result-tables"] .res-tip_offs').innerText(), /举报[\s\S]*2/)
    assert.match(await result.innerText(), new RegExp(`共删除 ${total(run.records).toLocaleString('en-US')} 条记录`))
    await page.mouse.move(1, 1)
    await page.screenshot({ path: path.join(SHOTS, 'retention-result.png') })
    // Gone from the database; the audit trail keeps their ids only.
    assert.deepEqual(sql(`SELECT id FROM tip_offs WHERE id IN (${tipIds.join(',')})`), [])
    const trail = sql(`SELECT object_type, object_id, actor FROM audit WHERE action = 'auto_delete' AND object_type = 'tip_off' ORDER BY id`)
    assert.deepEqual(trail.map((a) => Number(a.object_id)).sort((a, b) => a - b), [...tipIds].sort((a, b) => a - b))
    assert.ok(trail.every((a) => a.actor === 'admin'))
    await dialog.locator('[data-test="run-close"]').click()
    await dialog.waitFor({ state: 'hidden' })

    // 执行记录: the new run on top, by admin, 成功.
    const top = page.locator('.run-row').first()
    await page.locator('.run-row.run-' + run.id).waitFor()
    assert.ok(await top.evaluate((el, id) => el.classList.contains('run-' + id), run.id), 'the newest run first')
    const outcome = top.locator('.run-outcome')
    assert.equal(await outcome.getAttribute('data-outcome'), 'ok')
    assert.equal((await outcome.innerText()).trim(), '成功')
    assert.match(await top.locator('.run-actor').innerText(), /admin/)
    assert.match(await top.locator('.run-records').innerText(), /群众举报\s*2/)
    // The job's own runs (at the server's start, then hourly) say 自动任务.
    const jobRuns = initial.runs.filter((r) => r.actor === 'retention-job')
    log('runs by the job', jobRuns.length)
    if (jobRuns.length) {
      assert.match(await page.locator('.run-row.run-' + jobRuns[0].id + ' .run-actor').innerText(), /自动任务/)
    }
    // After the run nothing is due any more.
    for (const [entity] of KINDS) {
      assert.equal(Number(await row(page, entity).locator('.policy-due').getAttribute('data-due')), 0, `${entity}: none due after the run`)
    }
    await shot(page, 'retention-history.png')
  })

  it('switches to English', async () => {
    const { page } = admin
    await page.locator('.topbar [data-lang="en"]').click()
    await page.locator('[data-test="retention-title"]').filter({ hasText: 'Data retention' }).waitFor()
    assert.match(await row(page, 'close_contact').innerText(), /Close-contact screening tasks[\s\S]*45 days/)
    assert.match(await row(page, 'checkins').innerText(), /Deleted by whole days/)
    assert.match(await page.locator('[data-test="retention-run"]').innerText(), /Run now/)
    assert.match(await page.locator('.app-menu [data-menu="retention"]').innerText(), /Data retention/)
    await shot(page, 'retention-en.png')
    await page.locator('.topbar [data-lang="zh-CN"]').click()
    await page.locator('[data-test="retention-title"]').filter({ hasText: '数据保留' }).waitFor()
  })

  it('shows cards on a phone', async () => {
    const phone = await e2e.newPage(PHONE)
    await phone.context.addCookies(await admin.context.cookies())
    await phone.page.goto(e2e.baseURL + '/retention')
    await phone.page.locator('[data-test="retention-policy-cards"] .policy-close_contact').waitFor()
    assert.equal(await phone.page.locator('[data-test="retention-policies"]').count(), 0, 'no wide table on a phone')
    assert.equal(await phone.page.locator('[data-test="retention-policy-cards"] .rt-card').count(), KINDS.length + 1)
    assert.equal(await days(phone.page, 'close_contact'), 45)
    await phone.page.locator('[data-test="retention-run-cards"] .run-row').first().waitFor()
    // Nothing wider than the screen.
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 1, `the page fits the phone (${overflow}px too wide)`)
    await shot(phone.page, 'retention-phone.png')
    await phone.context.close()
  })

  it('is not for a grid worker', async () => {
    const { context, page } = await e2e.newPage(DESKTOP)
    await e2e.loginThroughPage(page, 'grid_demo', adminPassword)
    await page.locator('.app-menu').waitFor()
    await page.locator('.app-menu [data-menu="exports"]').waitFor() // 系统管理 is shown (导出管理) …
    assert.equal(await page.locator('.app-menu [data-menu="retention"]').count(), 0, '… without 数据保留')
    await page.goto(e2e.baseURL + '/retention')
    await page.waitForURL((u) => u.pathname !== '/retention')
    assert.equal(await page.locator('[data-test="retention-title"]').count(), 0)
    const res = await fetch(e2e.baseURL + '/api/v1/retention', { headers: { Cookie: cookieHeader(await context.cookies()), Accept: 'application/json' } })
    assert.equal(res.status, 403, await res.text())
    const patch = await fetch(e2e.baseURL + '/api/v1/retention/close_contact', {
      method: 'PATCH',
      headers: { Cookie: cookieHeader(await context.cookies()), Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ days: 1 }),
    })
    assert.equal(patch.status, 403)
    await context.close()
  })

  it('raised no page errors', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
