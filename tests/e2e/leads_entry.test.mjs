// Browser test: 线索登记. A grid worker on a phone (390×844) registers one person at the door
// (入户登记): the ID number is checked as it is typed, the answer is 受理, the building is kept for
// the next door. An epidemiologist at a desk pastes three contacts of a case into the line
// listing (流调批量录入): a bad ID number is flagged before anything is sent, fixed, the rows are
// sent in one request and come back green (受理) and blue (并入已有任务); the tasks are there in
// the API, and the same rows sent again change nothing.
//
// Run by ctest as `node --test tests/e2e/leads_entry.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules; the browser is Debian's /usr/bin/chromium.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { CordonE2E, DESKTOP, PHONE, log, shot, runCli } from './harness.mjs'

const GRID_USER = 'grid_entry_e2e'
const GRID_PASSWORD = 'Passw0rd-grid-3'
const EPI_USER = 'epi_entry_e2e'
const EPI_PASSWORD = 'Passw0rd-epi-3'
const REASON = '线索登记核对身份（e2e）'
const BATCH = '病例张某某密接（e2e）'

const e2e = new CordonE2E('leads_entry')
let adminCookie = ''
let target = null // { id, name, idNumber, maskedId, region, address } of a resident on file
let building = '' // the building (and unit) of the target's address
let door = null // { name, idNumber, phone } of the person registered at the door
let newcomer = null // { name, idNumber, badId } of a contact not on file

// GB 11643-1999 check character of the first 17 digits.
function checkChar(first17) {
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * W[i]
  return '10X98765432'[sum % 11]
}
function wrongCheckDigit(id) {
  const last = id.slice(-1).toUpperCase()
  return id.slice(0, 17) + (last === '0' ? '1' : '0')
}

// A valid resident ID not on file: the region of `area`, the given birth date, a free sequence.
async function freshId(area, birth, seq) {
  for (let n = seq; n < seq + 50; n++) {
    const first17 = area + birth + String(n).padStart(3, '0')
    const id = first17 + checkChar(first17)
    const found = await e2e.apiPost(adminCookie, '/api/v1/people/search', { q: id })
    if (!found.items.length) return id
  }
  throw new Error('no free ID number')
}

function buildingOf(address) {
  const i = address.lastIndexOf('单元')
  if (i >= 0) return address.slice(0, i + 2)
  const m = /^(.*?(?:栋|幢|号楼))/.exec(address)
  return m ? m[1] : address
}

async function rawPost(cookie, p, body) {
  const res = await fetch(e2e.baseURL + p, {
    method: 'POST',
    headers: { Cookie: cookie, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: await res.text() }
}

// Picks a 人员类别 in the select and waits until it shows (a click while the list is still
// opening can be lost: try again then).
async function chooseCategory(page, form, code, label) {
  const wrapper = form.locator('[data-field="category"] .el-select__wrapper')
  for (let attempt = 0; attempt < 3; attempt++) {
    await wrapper.click()
    const option = page.locator(`.le-cat-popper [data-category="${code}"]`)
    await option.waitFor()
    await page.waitForTimeout(300) // the list has finished opening
    await option.click()
    for (let i = 0; i < 20; i++) {
      if ((await wrapper.innerText()).trim() === label) return
      await page.waitForTimeout(100)
    }
    log('category not taken, again (attempt ' + (attempt + 1) + ')')
    await page.keyboard.press('Escape')
  }
  throw new Error('could not choose the category ' + label)
}

// A paste as a spreadsheet makes it: tab-separated cells, one row a line.
async function pasteInto(locator, text) {
  await locator.focus()
  await locator.evaluate((el, t) => {
    const dt = new DataTransfer()
    dt.setData('text/plain', t)
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
  }, text)
}

describe('leads: door-to-door entry on a phone, a line listing at a desk', () => {
  before(async () => {
    const city = await e2e.start({ population: 3000, seed: 7 })
    adminCookie = await e2e.apiLogin('admin', city.adminPassword)

    // A resident on file, with their whole ID number and address (revealed with a reason).
    const list = await e2e.apiGet(adminCookie, '/api/v1/people?limit=1')
    const row = list.items[0]
    const full = await e2e.apiGet(adminCookie, '/api/v1/people/' + row.id)
    const revealed = await e2e.apiPost(adminCookie, '/api/v1/people/' + row.id + '/reveal', { fields: ['id_number', 'address'], reason: REASON })
    target = { id: row.id, name: full.name, idNumber: revealed.id_number, maskedId: row.id_number, region: row.region, address: revealed.address }
    building = buildingOf(target.address)
    log('target person', target.id, 'in grid', target.region, 'building', building)
    assert.match(target.idNumber, /^\d{17}[\dX]$/)
    assert.ok(building && building !== target.address, 'the address names a building: ' + target.address)

    const area = target.idNumber.slice(0, 6)
    door = { name: '门测试', idNumber: await freshId(area, '19900101', 771), phone: '13912340771' }
    const good = await freshId(area, '19880512', 531)
    newcomer = { name: '李测试', idNumber: good, badId: wrongCheckDigit(good) }

    const session = await e2e.apiGet(adminCookie, '/api/v1/session')
    runCli(['user', 'add', '--username', GRID_USER, '--role', 'grid_worker', '--region', target.region, '--data', e2e.dataDir], GRID_PASSWORD + '\n')
    runCli(['user', 'add', '--username', EPI_USER, '--role', 'epidemiologist', '--region', session.user.region, '--data', e2e.dataDir], EPI_PASSWORD + '\n')
    await e2e.launchBrowser()
  })

  after(() => e2e.stop())

  it('lets a grid worker register one person at the door on a phone: 受理', async () => {
    const { context, page } = await e2e.newPage(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    await e2e.loginThroughPage(page, GRID_USER, GRID_PASSWORD)
    await page.waitForURL((u) => u.pathname === '/tasks')
    await page.locator('[data-test="menu-toggle"]').click()
    await page.locator('.nav-drawer [data-menu="leads"]').click()
    await page.waitForURL((u) => u.pathname === '/leads/entry')
    await page.getByRole('heading', { name: '线索登记' }).waitFor()
    await page.locator('.nav-drawer').waitFor({ state: 'hidden' })
    assert.equal(await page.locator('[data-test="entry-modes"]').count(), 0, 'no line listing tab for a grid worker')

    const form = page.locator('[data-test="door-form"]')
    await form.locator('input[data-test="door-name"]').fill(door.name)
    // A wrong check digit: named as it is typed, before anything is sent.
    const idInput = form.locator('input[data-test="door-id"]')
    await idInput.fill(wrongCheckDigit(door.idNumber))
    const idError = form.locator('[data-field="id_number"] .el-form-item__error')
    await idError.getByText('身份证号校验位不正确').waitFor()
    await shot(page, 'leads-entry-door-phone-id.png')
    await idInput.fill(door.idNumber)
    await idError.waitFor({ state: 'detached' })

    await form.locator('input[data-test="door-phone"]').fill(door.phone)
    await form.locator('input[data-test="door-address"]').fill(building + '902室')
    await form.locator('input[data-test="door-origin"]').fill('上海市浦东新区')
    await chooseCategory(page, form, 'close_contact', '密接')
    await form.locator('textarea[data-test="door-note"]').fill('同住2人（e2e）')

    // Big touch targets, and nothing wider than the phone.
    for (const sel of ['[data-test="door-submit"]', '[data-field="id_number"] .el-input__wrapper', '[data-field="category"] .el-select__wrapper']) {
      const box = await page.locator(sel).boundingBox()
      assert.ok(box && box.height >= 44, `${sel} is a big touch target: ${box && box.height}`)
    }
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling at 390 px')
    await shot(page, 'leads-entry-door-phone.png')

    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/leads') && r.request().method() === 'POST')
    await form.locator('[data-test="door-submit"]').click()
    const res = await answered
    const body = JSON.parse(await res.text())
    assert.equal(res.status(), 200, JSON.stringify(body))
    const sent = res.request().postDataJSON()
    assert.equal(sent.source, 'door_to_door')
    assert.equal(sent.rows.length, 1)
    assert.deepEqual(
      { ...sent.rows[0] },
      { name: door.name, id_number: door.idNumber, phone: door.phone, address: building + '902室', origin: '上海市浦东新区', category: '密接', 备注: '同住2人（e2e）' },
    )
    assert.equal(body.accepted, 1, JSON.stringify(body))
    door.taskId = body.rows[0].task_id
    assert.ok(door.taskId, 'a task id for a person of the grid worker\'s own grid')

    const result = page.locator('[data-test="door-result"]')
    await result.waitFor()
    assert.equal(await result.getAttribute('data-outcome'), 'accepted')
    assert.match(await result.innerText(), /受理/)
    const entries = page.locator('[data-test="door-entry"]')
    assert.equal(await entries.count(), 1)
    assert.match(await entries.first().innerText(), new RegExp(door.name + '[\\s\\S]*受理'))
    // The next door: a clean form that starts with the same building.
    assert.equal(await form.locator('input[data-test="door-name"]').inputValue(), '')
    assert.equal(await form.locator('.el-form-item__error').count(), 0, 'the clean form shows no errors')
    assert.equal(await form.locator('input[data-test="door-address"]').inputValue(), building)
    await form.locator('[data-test="door-building"]').getByText(building).waitFor()
    await shot(page, 'leads-entry-door-phone-done.png')

    // The line listing is not for grid workers: not in the page, and the server says no.
    await page.goto(e2e.baseURL + '/leads/entry?mode=listing')
    await page.locator('[data-test="door-form"]').waitFor()
    assert.equal(await page.locator('[data-test="listing"]').count(), 0)
    const cookie = await e2e.apiLogin(GRID_USER, GRID_PASSWORD)
    const denied = await rawPost(cookie, '/api/v1/leads', { source: 'data_push', rows: [{ name: door.name, id_number: door.idNumber }] })
    assert.equal(denied.status, 403, denied.body)
    await context.close()
  })

  it('lets an epidemiologist paste a line listing, fix a bad ID and send it: green rows', async () => {
    const { context, page } = await e2e.newPage(DESKTOP)
    await e2e.loginThroughPage(page, EPI_USER, EPI_PASSWORD)
    await page.locator('.app-menu [data-menu="leads"]').click()
    await page.waitForURL((u) => u.pathname === '/leads/entry')
    await page.locator('[data-test="entry-modes"] [data-mode="listing"]').click()
    await page.waitForURL((u) => u.searchParams.get('mode') === 'listing')
    const listing = page.locator('[data-test="listing"]')
    await listing.waitFor()
    assert.equal((await listing.locator('.el-radio-button.is-active').innerText()).trim(), '大数据推送', 'data_push by default')
    await listing.locator('input[data-test="ll-batch"]').fill(BATCH)

    // Three contacts copied from a spreadsheet, the second with a wrong check digit.
    const tsv = [
      [target.name, target.idNumber, '', target.address, '密接', '2022/4/30 8:15', '清沙市第一超市'],
      [newcomer.name, newcomer.badId, '13912345678', building + '802室', '密切接触者', '2022-04-30 09:00', '清沙市第一超市'],
      [door.name, door.idNumber, door.phone, building + '902室', '次密接', '2022-04-30 10:30', '公交12路'],
    ].map((r) => r.join('\t')).join('\r\n') + '\r\n'
    const rows = listing.locator('[data-test="ll-row"]')
    await pasteInto(rows.first().locator('input[data-field="name"]'), tsv)
    await page.waitForFunction(() => document.querySelectorAll('[data-test="ll-row"]').length === 4)
    assert.equal(await rows.nth(3).getAttribute('data-outcome'), 'empty', 'a new empty row waits at the end')
    assert.equal(await rows.nth(0).locator('input[data-field="contact_time"]').inputValue(), '2022-04-30 08:15', 'the time is written the normal way')
    assert.equal(await rows.nth(1).locator('input[data-field="category"]').inputValue(), '密接', '密切接触者 is 密接')

    // The bad ID is flagged in its cell; the row is held back until it is fixed.
    const badCell = rows.nth(1).locator('td', { has: page.locator('input[data-field="id_number"]') })
    await badCell.locator('[data-test="ll-cell-error"]').getByText('校验位').waitFor()
    assert.equal(await listing.locator('[data-test="ll-cell-error"]').count(), 1, 'only the bad ID is flagged')
    await listing.locator('[data-test="ll-invalid-note"]').getByText('1 行有误').waitFor()
    assert.match(await listing.locator('[data-test="ll-submit"]').innerText(), /提交 2 行/)
    await shot(page, 'leads-entry-listing-errors.png')

    const idCell = rows.nth(1).locator('input[data-field="id_number"]')
    await idCell.fill(newcomer.idNumber)
    await badCell.locator('[data-test="ll-cell-error"]').waitFor({ state: 'detached' })
    // Enter goes on to the next cell.
    await idCell.press('Enter')
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.dataset.field), 'phone')
    assert.equal(await listing.locator('[data-test="ll-invalid-note"]').count(), 0)
    assert.match(await listing.locator('[data-test="ll-submit"]').innerText(), /提交 3 行/)

    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/leads') && r.request().method() === 'POST')
    await listing.locator('[data-test="ll-submit"]').click()
    const res = await answered
    const body = JSON.parse(await res.text())
    assert.equal(res.status(), 200, JSON.stringify(body))
    const sent = res.request().postDataJSON()
    assert.equal(sent.source, 'data_push')
    assert.equal(sent.batch, BATCH)
    assert.equal(sent.rows.length, 3, 'the empty row is not sent')
    assert.deepEqual({ ...sent.rows[0] }, {
      name: target.name, id_number: target.idNumber, phone: '', address: target.address, category: '密接',
      reported_at: '2022-04-30 08:15', 接触地点: '清沙市第一超市',
    })
    assert.equal(sent.rows[1].id_number, newcomer.idNumber)
    assert.equal(sent.rows[2].category, '次密接')
    assert.deepEqual([body.accepted, body.merged, body.rejected], [2, 1, 0], JSON.stringify(body))

    // The report row by row: green and locked, blue (joined the door-to-door task) and locked.
    const summary = listing.locator('[data-test="ll-summary"]')
    await summary.waitFor()
    const count = async (k) => (await summary.locator(`[data-count="${k}"] .v`).innerText()).trim()
    assert.equal(await count('accepted'), '2')
    assert.equal(await count('merged'), '1')
    assert.equal(await count('rejected'), '0')
    assert.equal(await count('doubtful'), '0')
    assert.deepEqual(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.outcome)),
      ['accepted', 'accepted', 'merged', 'empty'],
    )
    assert.equal(await rows.nth(0).locator('input[data-field="name"]').getAttribute('readonly'), '', 'accepted rows lock')
    const bg = await rows.nth(0).locator('td').nth(1).evaluate((td) => getComputedStyle(td).backgroundColor)
    assert.equal(bg, 'rgb(238, 248, 242)', 'accepted rows are green')
    assert.match(await rows.nth(2).locator('[data-test="ll-result"]').innerText(), /并入已有任务/)
    await shot(page, 'leads-entry-listing-done.png')

    // The tasks are there: the resident's new one, and the door-to-door one with both sources.
    const tasks = await e2e.apiGet(adminCookie, '/api/v1/tasks?status=open&limit=200')
    const byId = new Map(tasks.items.map((t) => [t.id, t]))
    for (const r of body.rows) assert.ok(byId.has(r.task_id), `task ${r.task_id} of row ${r.row} is open: ${JSON.stringify(r)}`)
    const mine = byId.get(body.rows.find((r) => r.row === 0).task_id)
    assert.equal(mine.person.id_number, target.maskedId)
    assert.equal(mine.category, 'close_contact')
    assert.deepEqual(mine.sources, ['data_push'])
    const doorTask = byId.get(door.taskId)
    assert.equal(body.rows.find((r) => r.row === 2).task_id, door.taskId, 'the door-to-door person keeps one task')
    assert.deepEqual([...doorTask.sources].sort(), ['data_push', 'door_to_door'])

    // The same rows again (a retry after a lost answer): the first report, nothing new.
    const again = await e2e.apiPost(adminCookie, '/api/v1/leads', sent)
    assert.equal(again.already_imported, true)
    assert.deepEqual([again.accepted, again.merged, again.rejected], [2, 1, 0])
    const later = await e2e.apiGet(adminCookie, '/api/v1/tasks?status=open&limit=200')
    assert.equal(later.items.length, tasks.items.length, 'no new task')
    await context.close()
  })

  it('raised no uncaught errors in the pages', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
