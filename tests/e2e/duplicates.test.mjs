// Browser test: 疑似重复档案 and 合并档案 / 撤销合并 (一人一档). Two person files share a name and a
// phone but have different resident ID numbers (the birth dates differ: 1985-03-12 and 1985-03-21)
// and addresses; filing the second by hand queues the pair (手工建档, 姓名、手机号相同，证件号不同).
// A third file is reported as file A's person through the API (人工标记, with the reporter's
// reason). The administrator finds both pairs in the queue, scans the jurisdiction, opens the
// comparison, keeps file A with B's identity and B's address, merges, sees the merge in the kept
// file's 合并记录, undoes it there (the pair is then kept apart), and both files are back as they
// were. A grid worker on a phone sees the comparison stacked.
//
// Run by ctest as `node --test tests/e2e/duplicates.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules; the browser is Debian's /usr/bin/chromium.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { CordonE2E, DESKTOP, PHONE, log, shot, runCli } from './harness.mjs'

const GRID_USER = 'grid_dups_e2e'
const GRID_PASSWORD = 'Passw0rd-grid-5'
const NAME = '顾合并'
const PHONE_NUMBER = '13912340718'
const BIRTH_A = '1985-03-12'
const BIRTH_B = '1985-03-21'
// Addresses are masked after their last marker before the first digit (街道, 路, …): these two
// differ in what stays visible.
const ADDRESS_A = '和平街道幸福路8号3栋2单元501室（e2e）'
const ADDRESS_B = '和平街道安康路12号院3号楼501（e2e）'
const PAIR_REASON = '同名同手机号，证件号不同（e2e）'
const MERGE_REASON = '经电话核实为同一人，档案 A 出生日期录入错误（e2e）'
const UNDO_REASON = '合并有误，需重新核实（e2e）'
const NAME_C = '顾另档'
const PHONE_C = '13912340719'

// GB 11643-1999: 17 digits weighted 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, the sum mod 11 picks the
// check character from 1 0 X 9 8 7 6 5 4 3 2 (as web/src/views/public/validate.js).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
function residentId(area, birth, seq) {
  const first17 = area + birth.replace(/-/g, '') + seq
  assert.match(first17, /^\d{17}$/)
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]
  return first17 + '10X98765432'[sum % 11]
}
// Odd sequence numbers: both men, so only the birth dates tell the two numbers apart.
const ID_A = residentId('110105', BIRTH_A, '031')
const ID_B = residentId('110105', BIRTH_B, '035')
const ID_C = residentId('110105', '1990-07-01', '057')

const e2e = new CordonE2E('duplicates')
let adminPassword = ''
let region = '' // the grid both files are in
let fileA = null // the person JSON of file A (kept)
let fileB = null // the person JSON of file B (merged into A, then restored)
let fileC = null // a third file, reported by hand as file A's person
let pairId = null // A and B, queued when B was filed
let reportedId = null // A and C, reported
let mergeId = null
let admin = null // { context, page } of the administrator at 1366×900

// POST through the API with one of the expected statuses (the harness's apiPost expects 200).
async function post(cookie, p, body, statuses) {
  const res = await fetch(e2e.baseURL + p, {
    method: 'POST',
    headers: { Cookie: cookie, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  assert.ok([].concat(statuses).includes(res.status), `POST ${p}: HTTP ${res.status} ${text}`)
  return JSON.parse(text)
}

function sameIds(a, b) {
  return [...a].map(String).sort().join(',') === [...b].map(String).sort().join(',')
}

describe('duplicates: compare two files of one person, merge, undo', () => {
  before(async () => {
    const city = await e2e.start({ population: 3000, seed: 13 })
    adminPassword = city.adminPassword

    const cookie = await e2e.apiLogin('admin', adminPassword)
    const people = await e2e.apiGet(cookie, '/api/v1/people?limit=1')
    assert.ok(Array.isArray(people.items) && people.items.length === 1, 'GET /people?limit=1 gives one person')
    region = people.items[0].region

    // Two files of one person: same name and phone, different ID numbers and addresses.
    fileA = await post(cookie, '/api/v1/people', {
      id_type: 'resident_id', id_number: ID_A, name: NAME, phone: PHONE_NUMBER, address: ADDRESS_A, region,
    }, 201)
    fileB = await post(cookie, '/api/v1/people', {
      id_type: 'resident_id', id_number: ID_B, name: NAME, phone: PHONE_NUMBER, address: ADDRESS_B, region,
    }, 201)
    log('files', fileA.id, fileA.birth_date, '/', fileB.id, fileB.birth_date, 'in grid', region)
    assert.equal(fileA.birth_date, BIRTH_A, 'the birth date is read off the ID number')
    assert.equal(fileB.birth_date, BIRTH_B)

    // Filing B by hand queued the pair already.
    const queued = await e2e.apiGet(cookie, '/api/v1/duplicates?status=open&limit=200')
    const auto = (queued.items || []).find((x) => sameIds([x.left_id, x.right_id], [fileA.id, fileB.id]))
    assert.ok(auto, 'filing B queues the pair: ' + JSON.stringify(queued))
    assert.equal(auto.reason, 'same_name_phone')
    assert.equal(auto.source, 'people')
    assert.deepEqual([...auto.differs].sort(), ['address', 'birth_date', 'id_number'], 'differs names the unmasked differences')
    pairId = auto.id
    // Reporting the queued pair again answers with the same pair.
    const again = await post(cookie, '/api/v1/duplicates', { left_id: fileA.id, right_id: fileB.id, reason: PAIR_REASON }, 201)
    assert.equal(String(again.id), String(pairId), 'a reported pair already queued is the same pair: ' + JSON.stringify(again))

    fileC = await post(cookie, '/api/v1/people', {
      id_type: 'resident_id', id_number: ID_C, name: NAME_C, phone: PHONE_C, address: ADDRESS_A, region,
    }, 201)
    const reported = await post(cookie, '/api/v1/duplicates', { left_id: fileA.id, right_id: fileC.id, reason: PAIR_REASON }, 201)
    reportedId = reported.id
    log('pairs', pairId, '(queued on filing)', reportedId, '(reported)')

    runCli(['user', 'add', '--username', GRID_USER, '--role', 'grid_worker', '--region', region, '--data', e2e.dataDir],
      GRID_PASSWORD + '\n')

    await e2e.launchBrowser()
    admin = await e2e.newPage(DESKTOP)
  })

  after(() => e2e.stop())

  it('opens 疑似重复档案 from the menu: the pair side by side, 扫描本辖区 answers', async () => {
    const { page } = admin
    await e2e.loginThroughPage(page, 'admin', adminPassword)
    await page.locator('.app-menu [data-menu="duplicates"]').click()
    await page.waitForURL((u) => u.pathname === '/duplicates')
    await page.getByRole('heading', { name: '疑似重复档案' }).waitFor()
    const table = page.locator('[data-test="dup-table"]')
    await table.locator('.el-table__body tr').first().waitFor()
    const open = (await page.locator('[data-count="open"]').innerText()).trim()
    assert.ok(Number(open.replace(/,/g, '')) >= 1, 'at least our pair is open: ' + open)

    const row = table.locator(`.dup-row-${pairId}`)
    const reportedRow = table.locator(`.dup-row-${reportedId}`)
    await row.waitFor()
    const text = await row.innerText()
    assert.ok(text.includes('#' + fileA.id) && text.includes('#' + fileB.id), 'the row shows both files: ' + text)
    assert.ok(text.includes('姓名、手机号相同，证件号不同'), 'the reason in words: ' + text)
    assert.ok(text.includes('手工建档'), 'the source in words: ' + text)
    // The differing fields, as the server compared them unmasked: birth date, ID number, not the phone.
    const leftFile = row.locator('.dp[data-side="left"]')
    assert.equal(await leftFile.locator('.diff').count(), 2, 'the ID number and birth date differ in the list row')
    const reportedText = await reportedRow.innerText()
    assert.ok(reportedText.includes('人工标记为同一人') && reportedText.includes('人工标记'), 'a reported pair: ' + reportedText)
    assert.ok(reportedText.includes('标记理由：' + PAIR_REASON), 'with the reporter\'s reason: ' + reportedText)
    await shot(page, 'duplicates.png')

    const scanned = page.waitForResponse((r) => r.url().endsWith('/api/v1/duplicates/scan') && r.request().method() === 'POST')
    await page.locator('[data-test="dup-scan"]').click()
    const res = await scanned
    const body = await res.text()
    assert.equal(res.status(), 200, 'POST /duplicates/scan: ' + body)
    log('scan', body)
    const msg = page.locator('.dup-scan-msg')
    await msg.waitFor()
    // A and B are queued already: a scan asks only about pairs not seen before.
    assert.match(await msg.innerText(), /没有发现新的姓名、手机号相同的档案|新发现 [\d,]+ 组/)
    const scan = JSON.parse(body)
    assert.equal(scan.queued, scan.scanned, 'every pair found is new: ' + body)

    await row.waitFor()
    await row.click()
    await page.waitForURL((u) => u.pathname === '/duplicates/' + pairId)
  })

  it('compares the two files field by field and previews the merge', async () => {
    const { page } = admin
    const cmp = page.locator('[data-test="compare"]')
    await cmp.waitFor()
    assert.equal((await page.locator('[data-test="dup-state"]').innerText()).trim(), '待处理')
    const head = await page.locator('.head-card').innerText()
    assert.ok(head.includes('姓名、手机号相同，证件号不同') && head.includes('手工建档'), head)
    const field = (k) => cmp.locator(`.cmp-row[data-field="${k}"]`)
    assert.equal(await field('birth_date').getAttribute('data-diff'), 'true', 'the birth dates differ')
    assert.equal(await field('address').getAttribute('data-diff'), 'true', 'the addresses differ')
    assert.equal(await field('phone').getAttribute('data-diff'), 'false', 'the phones are the same')
    assert.equal(await field('id_number').getAttribute('data-diff'), 'true', 'the ID numbers differ')
    assert.equal(await field('name').getAttribute('data-diff'), 'false', 'the names are the same')
    assert.equal(await field('sex').getAttribute('data-diff'), 'false', 'both are men')
    assert.match(await field('birth_date').locator('[data-side="left"]').innerText(), new RegExp(BIRTH_A))
    assert.match(await field('birth_date').locator('[data-side="right"]').innerText(), new RegExp(BIRTH_B))
    for (const k of ['leads', 'task', 'measures', 'followups']) await field(k).waitFor()

    // Keep file A (the default), with B's identity and B's address.
    assert.match(await page.locator('[data-test="keep-left"]').getAttribute('class'), /is-checked/, 'file A is kept by default')
    const merged = (k) => cmp.locator(`[data-test="merged-${k}"]`)
    assert.equal(await merged('birth_date').getAttribute('data-from'), 'left', 'every value defaults to the kept file')
    await page.locator('[data-test="pick-identity-right"]').click()
    await page.locator('[data-test="pick-address-right"]').click()
    assert.equal(await merged('birth_date').getAttribute('data-from'), 'right')
    assert.match(await merged('birth_date').innerText(), new RegExp(BIRTH_B), 'the preview takes B\'s birth date')
    assert.equal(await merged('id_number').getAttribute('data-from'), 'right', 'the ID number goes with the identity')
    assert.equal(await merged('address').getAttribute('data-from'), 'right')
    assert.equal(await merged('name').getAttribute('data-from'), 'left')
    assert.equal(await merged('phone').getAttribute('data-from'), 'left')

    // 合并 without a reason: named on the field, nothing sent.
    let sent = false
    const onReq = (r) => { if (r.url().endsWith(`/duplicates/${pairId}/merge`)) sent = true }
    page.on('request', onReq)
    await page.locator('[data-test="btn-merge"]').click()
    await page.locator('[data-test="merge-panel"] .el-form-item__error').waitFor()
    page.off('request', onReq)
    assert.equal(sent, false, 'no merge without a reason')

    await page.locator('textarea[data-test="merge-reason"]').fill(MERGE_REASON)
    await shot(page, 'duplicate-compare.png')
  })

  it('merges: file B points to file A, which ends with B\'s identity', async () => {
    const { page } = admin
    await page.locator('[data-test="btn-merge"]').click()
    const box = page.locator('.merge-confirm')
    await box.waitFor()
    assert.match(await box.innerText(), /指针/, 'the confirmation says the other file becomes a pointer')
    assert.match(await box.innerText(), /撤销合并/, 'and that the merge can be undone')
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/duplicates/${pairId}/merge`) && r.request().method() === 'POST')
    await box.locator('.el-message-box__btns .el-button--primary').click()
    const res = await answered
    const text = await res.text()
    assert.equal(res.status(), 200, 'merge: ' + text)
    assert.deepEqual(res.request().postDataJSON(), {
      keep: 'left', identity: 'right', name: 'left', phone: 'left', address: 'right', reason: MERGE_REASON,
    })
    const body = JSON.parse(text)
    mergeId = body.merge_id
    assert.ok(mergeId !== undefined && mergeId !== null, 'the merge answers with its id: ' + text)
    assert.equal(String(body.kept.id), String(fileA.id))
    assert.equal(String(body.merged_id), String(fileB.id))
    assert.equal(body.kept.birth_date, BIRTH_B, 'the kept file has B\'s birth date')

    const done = page.locator('[data-test="merge-done"]')
    await done.waitFor()
    assert.match(await done.innerText(), /已合并/)
    await page.locator('[data-test="dup-state"]', { hasText: '已合并' }).waitFor()
    assert.equal(await page.locator('[data-test="merge-panel"]').count(), 0, 'no merge panel on a merged pair')
    assert.match(await done.innerText(), new RegExp(`#${fileB.id}.*#${fileA.id}`), 'B was merged into A')
    // B is now a pointer: not a file anyone may open.
    await page.locator('[data-test="side-hidden-right"]', { hasText: '不在管辖范围内或已合并' }).waitFor()
    await page.waitForTimeout(3200) // the success toast fades
    await shot(page, 'duplicate-merged.png')

    const cookie = await e2e.apiLogin('admin', adminPassword)
    const kept = await e2e.apiGet(cookie, '/api/v1/people/' + fileA.id)
    assert.equal(kept.birth_date, BIRTH_B)
    assert.equal(kept.id_number, body.kept.id_number)
    const pair = await e2e.apiGet(cookie, '/api/v1/duplicates/' + pairId)
    assert.equal(pair.status, 'merged')
    assert.equal(String(pair.kept_id), String(fileA.id))
    assert.equal(pair.right.person, null, 'the merged file is not shown')
  })

  it('shows the merge in the kept file\'s 合并记录 and undoes it there', async () => {
    const { page } = admin
    await page.locator('[data-test="merge-done"] [data-test="open-kept"]').click()
    await page.waitForURL((u) => u.pathname === '/people/' + fileA.id)
    const item = page.locator(`[data-test="person-merges"] [data-merge-id="${mergeId}"]`)
    await item.waitFor()
    const text = await item.innerText()
    assert.match(text, /已合并/, text)
    assert.ok(text.includes('#' + fileB.id), 'the entry names the merged file: ' + text)
    assert.ok(text.includes(MERGE_REASON), 'and the reason: ' + text)
    await item.scrollIntoViewIfNeeded()
    await shot(page, 'person-merges.png')

    await item.locator('[data-test="merge-undo"]').click()
    const dialog = page.locator('.undo-dialog')
    await dialog.waitFor()
    await dialog.locator('textarea[data-test="reason-input"]').fill(UNDO_REASON)
    const undone = page.waitForResponse((r) => r.url().endsWith(`/api/v1/merges/${mergeId}/undo`) && r.request().method() === 'POST')
    await dialog.locator('[data-test="reason-submit"]').click()
    const res = await undone
    const body = await res.text()
    assert.equal(res.status(), 200, 'undo: ' + body)
    assert.deepEqual(res.request().postDataJSON(), { reason: UNDO_REASON })
    assert.ok(sameIds(JSON.parse(body).restored, [fileA.id, fileB.id]), 'both files are restored: ' + body)
    await dialog.waitFor({ state: 'hidden' })
    await page.locator(`[data-test="person-merges"] [data-merge-id="${mergeId}"]`, { hasText: '已撤销' }).waitFor()
    assert.equal(await page.locator(`[data-test="person-merges"] [data-merge-id="${mergeId}"] [data-test="merge-undo"]`).count(), 0,
      'an undone merge has no 撤销合并')
    await page.waitForTimeout(3200) // the success toast fades
    await shot(page, 'person-merges-undone.png')

    const cookie = await e2e.apiLogin('admin', adminPassword)
    const a = await e2e.apiGet(cookie, '/api/v1/people/' + fileA.id)
    const b = await e2e.apiGet(cookie, '/api/v1/people/' + fileB.id)
    assert.equal(a.birth_date, BIRTH_A, 'file A has its own birth date again')
    assert.equal(b.birth_date, BIRTH_B, 'file B is back')
    const history = await e2e.apiGet(cookie, `/api/v1/people/${fileA.id}/merges`)
    const m = (history.items || []).find((x) => String(x.id) === String(mergeId))
    assert.ok(m && m.undone_at, 'the merge is recorded as undone: ' + JSON.stringify(history))
    assert.equal(m.undo_reason, UNDO_REASON)

    // An undone merge means two people: the pair is kept apart, and its page says the merge was undone.
    const pair = await e2e.apiGet(cookie, '/api/v1/duplicates/' + pairId)
    assert.equal(pair.status, 'kept_apart', 'an undone merge keeps the pair apart')
    await page.goto(e2e.baseURL + '/duplicates/' + pairId)
    await page.locator('[data-test="dup-state"][data-status="kept_apart"]').waitFor()
    const undoneNote = await page.locator('[data-test="merge-undone"]').innerText()
    assert.ok(undoneNote.includes(UNDO_REASON), 'the undo and its reason: ' + undoneNote)
    assert.equal(await page.locator('[data-test="merge-panel"]').count(), 0, 'nothing left to decide')
  })

  it('stacks the comparison for a grid worker on a phone (390×844)', async () => {
    const { context, page } = await e2e.newPage(PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    await e2e.loginThroughPage(page, GRID_USER, GRID_PASSWORD)
    await page.goto(e2e.baseURL + '/duplicates')
    await page.getByRole('heading', { name: '疑似重复档案' }).waitFor()
    await page.locator('[data-test="dup-cards"]').waitFor()
    const tab = await page.locator('[data-test="dup-status"] label').first().boundingBox()
    assert.ok(tab && tab.height >= 44, 'the status tabs are big touch targets')
    await shot(page, 'duplicates-phone.png')

    await page.goto(e2e.baseURL + '/duplicates/' + pairId)
    const name = page.locator('[data-test="compare"] .cmp-row[data-field="name"]')
    await name.waitFor()
    const left = await name.locator('[data-side="left"]').boundingBox()
    const right = await name.locator('[data-side="right"]').boundingBox()
    assert.ok(left && right, 'both files show the name')
    assert.ok(right.y >= left.y + left.height - 1, 'B is under A on a phone')
    assert.ok(left.width > 300, 'each value has the width of the screen: ' + left.width)
    await shot(page, 'duplicate-phone.png')
    await context.close()
  })

  it('flags an imported lead whose new file may be someone on record, and queues the pair', async () => {
    const { page } = admin
    // A new ID number under file C's name and phone: a new file, queued against C.
    const idD = residentId('110105', '1990-07-10', '059')
    const csv = ['姓名,身份证号,手机号,人员类别,报告时间,来源地',
      `${NAME_C},${idD},${PHONE_C},密接,2022-04-30 08:15,上海市`].join('\r\n') + '\r\n'
    await page.goto(e2e.baseURL + '/leads/import')
    await page.getByRole('heading', { name: '线索导入' }).waitFor()
    await page.locator('[data-test="import-source"] [data-source="assist_notice"]').click()
    await page.locator('.leads-import input[type="file"]').setInputFiles({ name: '协查通报-疑似重复-e2e.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/leads/import?') && r.request().method() === 'POST')
    await page.locator('[data-test="import-start"]').click()
    const res = await answered
    const body = JSON.parse(await res.text())
    assert.equal(res.status(), 200, JSON.stringify(body))
    assert.equal(body.doubtful, 1, 'the import report counts the doubtful row: ' + JSON.stringify(body))
    assert.equal(body.rows[0].doubtful, true)

    const note = page.locator('[data-test="import-doubtful"]')
    await note.waitFor()
    assert.match(await note.innerText(), /疑似重复 1 条，待人工核对/)
    await page.locator('[data-test="import-rows"] [data-test="row-doubtful"]').first().waitFor()
    await shot(page, 'leads-import-doubtful.png')

    await note.locator('[data-test="import-to-duplicates"]').click()
    await page.waitForURL((u) => u.pathname === '/duplicates')
    const newId = body.rows[0].person_id
    assert.ok(newId, 'the row names the new file: ' + JSON.stringify(body.rows[0]))
    const row = page.locator('[data-test="dup-table"] .el-table__body tr')
      .filter({ hasText: '#' + fileC.id }).filter({ hasText: '#' + newId })
    await row.waitFor()
    const text = await row.innerText()
    assert.ok(text.includes('协查通报') && text.includes('姓名、手机号相同，证件号不同'), 'the queued pair names its lead source: ' + text)
  })

  it('raised no uncaught errors in the pages', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
