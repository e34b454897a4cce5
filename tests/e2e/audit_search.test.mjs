// Browser test: the auditor's search of the audit log (security.md C5). An auditor logs in (with
// the second factor), opens 审计日志 and narrows it to "measures put on by admin today": exactly
// the two created beforehand are listed; a search by another actor finds none.
//
// Run by ctest as `node --test tests/e2e/audit_search.test.mjs` (see harness.mjs).

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { CordonE2E, DESKTOP, shot, runCli } from './harness.mjs'

const AUDITOR = 'auditor_e2e'
const AUDITOR_PASSWORD = 'Audit-Passw0rd-2022'

const e2e = new CordonE2E('audit_search')
let auditor = null

function sql(query) {
  const r = spawnSync('sqlite3', ['-readonly', '-json', path.join(e2e.dataDir, 'cordon.db'), query], { encoding: 'utf8' })
  assert.equal(r.status, 0, 'sqlite3: ' + r.stderr)
  return r.stdout.trim() ? JSON.parse(r.stdout) : []
}

describe('audit: the auditor searches the trail', () => {
  before(async () => {
    const city = await e2e.start({ population: 3000, seed: 43 })
    const [root] = sql('SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1')
    runCli(['user', 'add', '--username', AUDITOR, '--role', 'auditor', '--region', root.code, '--data', e2e.dataDir],
      AUDITOR_PASSWORD + '\n')
    const cookie = await e2e.apiLogin('admin', city.adminPassword)
    const people = sql('SELECT p.id FROM people p WHERE p.region_code IS NOT NULL AND NOT EXISTS ' +
      "(SELECT 1 FROM measures m WHERE m.person_id = p.id AND m.state IN ('active', 'extended', 'planned')) " +
      'ORDER BY p.id LIMIT 2')
    for (const p of people) {
      const res = await fetch(e2e.baseURL + `/api/v1/people/${p.id}/measures`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json' },
        body: JSON.stringify({ category: 'secondary_contact' }),
      })
      assert.equal(res.status, 201, await res.text())
    }
    await e2e.launchBrowser()
    auditor = await e2e.newPage(DESKTOP)
  })

  after(() => e2e.stop())

  it('finds who put whom under measures today, and nothing for another actor', async () => {
    const { page } = auditor
    await e2e.loginThroughPage(page, AUDITOR, AUDITOR_PASSWORD)
    // An auditor's home is the audit log.
    await page.goto(e2e.baseURL + '/audit')
    const rows = page.locator('[data-test="audit-table"] .el-table__body-wrapper tbody tr')
    await rows.first().waitFor()

    await page.locator('[data-test="audit-actor"] input, input[data-test="audit-actor"]').first().fill('admin')
    await page.locator('[data-test="audit-action"] input, input[data-test="audit-action"]').first().fill('measures.create')
    await page.locator('[data-test="audit-search"]').click()
    await page.waitForFunction(() =>
      document.querySelectorAll('[data-test="audit-table"] .el-table__body-wrapper tbody tr').length === 2)
    const text = await page.locator('[data-test="audit-table"]').innerText()
    assert.match(text, /measure #\d+[\s\S]*measure #\d+/)
    await shot(page, 'audit-search.png')

    // The same search taken as a CSV file: the two rows, in a file the browser downloads.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test="audit-export"]').click(),
    ])
    const file = await download.path()
    const csv = (await import('node:fs')).readFileSync(file, 'utf8')
    assert.match(csv, /^\uFEFF编号,时间,账号/)
    assert.equal((csv.match(/,measures\.create,measure,/g) || []).length, 2, csv)
    assert.match(csv, /审计日志导出：/)

    await page.locator('[data-test="audit-actor"] input, input[data-test="audit-actor"]').first().fill('nobody_here')
    await page.locator('[data-test="audit-search"]').click()
    await page.waitForFunction(() =>
      document.querySelectorAll('[data-test="audit-table"] .el-table__body-wrapper tbody tr').length === 0)
  })
})
