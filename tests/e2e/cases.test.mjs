// Browser test: 流调溯源. Two cases of one cluster are set up through the API (one reported 30 h
// ago whose contacts were never listed: 超时; one 5 h ago) with a chain between them and a third,
// non-case person. Through the UI the administrator finds the late case in red in 病例 (and with
// 只看超时), registers a new case through the dialog (the person found by search), writes its
// 流调报告 (add, edit, delete), exports it, sees its trajectory, previews its contacts and only
// then creates the leads, opens the 传播链 and switches the three layouts, adds an exposure, reads
// a node's panel, sees the 流行曲线 and the 时效 card of the dashboard. A grid worker sees the
// cases of the grid as cards on a phone, and nothing else of 流调溯源.
//
// Written against docs/design/cases-api.md.
//
// Run by ctest as `node --test tests/e2e/cases.test.mjs` with
//   CORDON_BINARY       the built server (build/cordon)
//   CORDON_WEB_DIR      the built UI (web/dist)
//   CORDON_SCREENSHOTS  where the screenshots go (build/screenshots)
// playwright-core comes from web/node_modules; the browser is Debian's /usr/bin/chromium.

import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { CordonE2E, DESKTOP, PHONE, log, shot, runCli } from './harness.mjs'

const GRID_USER = 'grid_cases_e2e'
const GRID_PASSWORD = 'Passw0rd-grid-7'
const CLUSTER_NAME = '某市场聚集性疫情（e2e）'
const PLACE = '某某超市（e2e 路店）'
const HOSPITAL = '市传染病医院（e2e）'
const HOUR = 3600
const DAY = 86400

const e2e = new CordonE2E('cases')
let adminPassword = ''
let admin = null // { context, page } of the administrator at 1366×900
let cluster = null
let lateCase = null // reported 30 h ago, contacts never listed: late
let recentCase = null // 5 h ago: within every target
let index = null // { id, name (full), household_id } registered through the dialog
let bystander = null // on the chain, not a case
let created = null // the case the dialog created

const now = () => Math.floor(Date.now() / 1000)
// Unix seconds → "YYYY-MM-DD HH:mm" / "YYYY-MM-DD" in China Standard Time (the configured offset).
const local = (sec) => new Date((sec + 8 * HOUR) * 1000).toISOString().slice(0, 16).replace('T', ' ')
const localDate = (sec) => local(sec).slice(0, 10)

async function call(cookie, method, p, body, status) {
  const res = await fetch(e2e.baseURL + p, {
    method,
    headers: { Cookie: cookie, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  assert.equal(res.status, status, `${method} ${p}: HTTP ${res.status} ${text}`)
  return text ? JSON.parse(text) : null
}

// An input or textarea by its data-test (Element Plus puts the attribute on the inner input of
// el-input, on the root of el-select).
const field = (scope, name) => scope.locator(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`).first()

// Types a date/time into an Element Plus picker and closes it.
async function pick(page, selector, value) {
  const input = page.locator(`${selector} input`).first()
  await input.click()
  await input.fill(value)
  await input.press('Enter') // Escape would close the dialog as well
}

describe('cases: list, dialog, 流调报告, contacts, 传播链, 流行曲线, 时效', () => {
  before(async () => {
    const city = await e2e.start({ population: 3000, seed: 17 })
    adminPassword = city.adminPassword
    const cookie = await e2e.apiLogin('admin', adminPassword)
    const session = await e2e.apiGet(cookie, '/api/v1/session')

    // The index case: someone living with others (household members are close contacts).
    const people = (await e2e.apiGet(cookie, '/api/v1/people?limit=200')).items
    const byHousehold = new Map()
    for (const p of people) {
      if (!p.household_id) continue
      if (!byHousehold.has(p.household_id)) byHousehold.set(p.household_id, [])
      byHousehold.get(p.household_id).push(p)
    }
    const family = [...byHousehold.values()].find((list) => list.length >= 2)
    assert.ok(family, 'the demo city has a household of two or more among the first 200 people')
    const full = await e2e.apiGet(cookie, '/api/v1/people/' + family[0].id)
    index = { id: family[0].id, name: full.name, household_id: family[0].household_id, region: family[0].region }
    const others = people.filter((p) => p.household_id !== index.household_id)
    const [p2, p3, p4] = others

    cluster = await call(cookie, 'POST', '/api/v1/clusters', { name: CLUSTER_NAME, region: session.user.region }, 201)
    log('cluster', cluster.id)
    lateCase = await call(cookie, 'POST', '/api/v1/cases', {
      person_id: p2.id, classification: 'confirmed', positive_at: now() - 30 * HOUR, sampling_at: now() - 40 * HOUR,
      reported_at: now() - 29 * HOUR, onset_date: localDate(now() - 3 * DAY), hospital: HOSPITAL, cluster_id: cluster.id,
    }, 201)
    recentCase = await call(cookie, 'POST', '/api/v1/cases', {
      person_id: p3.id, classification: 'asymptomatic', positive_at: now() - 5 * HOUR, reported_at: now() - 4 * HOUR,
      cluster_id: cluster.id,
    }, 201)
    log('cases', lateCase.id, lateCase.clock, recentCase.id, recentCase.clock)
    assert.equal(lateCase.clock.listed, 'late', 'contacts not listed 30 h after the positive result: late')
    assert.equal(lateCase.clock.reported, 'ok')
    assert.equal(recentCase.clock.listed, 'pending')
    bystander = { id: p4.id, name: p4.name }
    await call(cookie, 'POST', '/api/v1/exposures', {
      source_person_id: p2.id, target_person_id: p3.id, kind: 'household', at: now() - 2 * DAY, note: '同住（e2e）',
    }, 201)
    await call(cookie, 'POST', '/api/v1/exposures', {
      source_person_id: p3.id, target_person_id: p4.id, kind: 'named', at: now() - 6 * HOUR,
    }, 201)

    runCli(['user', 'add', '--username', GRID_USER, '--role', 'grid_worker', '--region', p2.region, '--data', e2e.dataDir],
      GRID_PASSWORD + '\n')

    await e2e.launchBrowser()
    admin = await e2e.newPage(DESKTOP)
  })

  after(() => e2e.stop())

  it('lists the cases from the menu, the late one in red, and filters 只看超时', async () => {
    const { page } = admin
    await e2e.loginThroughPage(page, 'admin', adminPassword)
    await page.locator('.app-menu [data-menu="cases"]').click()
    await page.waitForURL((u) => u.pathname === '/cases')
    await page.getByRole('heading', { name: '病例' }).waitFor()
    const table = page.locator('[data-test="cases-table"]')
    const late = table.locator(`.c-row-${lateCase.id}`)
    await late.waitFor()
    assert.match(await late.getAttribute('class'), /is-late/, 'the late case is marked')
    assert.equal(await late.locator('[data-leg="listed"]').getAttribute('data-status'), 'late')
    assert.match(await late.innerText(), /确诊病例/)
    const recent = table.locator(`.c-row-${recentCase.id}`)
    assert.doesNotMatch(await recent.getAttribute('class'), /is-late/)
    assert.match(await recent.innerText(), /无症状感染者/)
    await shot(page, 'cases.png')

    const filtered = page.waitForResponse((r) => r.url().includes('/api/v1/cases?') && /[?&]late=1/.test(r.url()))
    await page.locator('[data-test="cases-late"]').click()
    assert.equal((await filtered).status(), 200)
    await late.waitFor()
    await recent.waitFor({ state: 'detached' })
    const classes = await table.locator('.el-table__body tr').evaluateAll((rows) => rows.map((r) => r.className))
    assert.ok(classes.every((c) => /is-late/.test(c)), 'only late cases: ' + classes.join(' | '))
    await page.locator('[data-test="cases-late"]').click()
    await recent.waitFor()
  })

  it('registers a case through the dialog, the person found by search', async () => {
    const { page } = admin
    await page.locator('[data-test="case-create"]').click()
    const dialog = page.locator('.case-create-dialog')
    await dialog.waitFor()
    const searched = page.waitForResponse((r) => r.url().endsWith('/api/v1/people/search') && r.request().method() === 'POST')
    await field(dialog, 'case-person').fill(index.name)
    assert.equal((await searched).status(), 200)
    await page.locator(`.person-picker-popper [data-person="${index.id}"]`).click()
    await dialog.locator('[data-test="case-class"]').getByText('确诊病例').click()
    const positive = now() - 2 * HOUR
    await pick(page, '[data-test="case-positive"]', local(positive))
    await pick(page, '[data-test="case-onset"]', localDate(now() - DAY))
    await field(dialog, 'case-hospital').fill(HOSPITAL)
    await dialog.locator('.el-dialog__title').click() // close any open picker
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/v1/cases') && r.request().method() === 'POST')
    await dialog.locator('[data-test="case-create-submit"]').click()
    const res = await posted
    assert.equal(res.status(), 201, 'POST /cases: ' + (await res.text()))
    const body = res.request().postDataJSON()
    assert.equal(body.person_id, index.id)
    assert.equal(body.classification, 'confirmed')
    assert.ok(Math.abs(body.positive_at - positive) < 60, `positive_at ${body.positive_at} ≈ ${positive}`)
    assert.equal(body.onset_date, localDate(now() - DAY))
    assert.equal(body.hospital, HOSPITAL)
    created = await res.json()
    await page.waitForURL((u) => u.pathname === '/cases/' + created.id)
    await page.locator('[data-test="case-head"]').waitFor()
    assert.match(await page.locator('[data-test="case-class"]').innerText(), /确诊病例/)
    const legs = page.locator('[data-test="clock-timeline"] [data-leg]')
    assert.equal(await legs.count(), 3, 'three legs on the clock')
    assert.equal(await page.locator('[data-test="clock-timeline"] [data-leg="listed"]').getAttribute('data-status'), 'pending')
  })

  it('writes the 流调报告: adds, edits and deletes entries, then exports it', async () => {
    const { page } = admin
    const timeline = page.locator('[data-test="investigation-timeline"]')
    async function addEntry(at, place, text) {
      await page.locator('[data-test="entry-add"]').click()
      const dialog = page.locator('.entry-dialog')
      await dialog.waitFor()
      await pick(page, '[data-test="entry-at"]', local(at))
      await field(dialog, 'entry-place').fill(place)
      await field(dialog, 'entry-text').fill(text)
      const posted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${created.id}/investigation`) && r.request().method() === 'POST')
      await dialog.locator('[data-test="entry-submit"]').click()
      const res = await posted
      assert.equal(res.status(), 201, 'POST investigation: ' + (await res.text()))
      await dialog.waitFor({ state: 'hidden' })
      return res.json()
    }
    const first = await addEntry(now() - DAY - 3 * HOUR, PLACE, '购物约 30 分钟，全程佩戴口罩')
    assert.equal(first.kind, 'place')
    await timeline.getByText(PLACE).waitFor()
    const second = await addEntry(now() - DAY, '某某餐馆（e2e）', '与同事聚餐')
    await timeline.getByText('某某餐馆（e2e）').waitFor()

    // Edit the first: the version read goes with the change.
    await timeline.locator(`[data-entry="${first.id}"] [data-test="entry-edit"]`).click()
    const dialog = page.locator('.entry-dialog')
    await dialog.waitFor()
    await field(dialog, 'entry-text').fill('购物约 40 分钟，全程佩戴口罩（已核实）')
    const put = page.waitForResponse((r) => r.url().endsWith(`/investigation/${first.id}`) && r.request().method() === 'PUT')
    await dialog.locator('[data-test="entry-submit"]').click()
    const putRes = await put
    assert.equal(putRes.status(), 200, 'PUT entry: ' + (await putRes.text()))
    assert.equal(putRes.request().postDataJSON().version, first.version)
    await timeline.getByText('已核实').waitFor()

    // Delete the second.
    await timeline.locator(`[data-entry="${second.id}"] [data-test="entry-delete"]`).click()
    const box = page.locator('.entry-delete-confirm')
    await box.waitFor()
    const del = page.waitForResponse((r) => r.url().endsWith(`/investigation/${second.id}`) && r.request().method() === 'DELETE')
    await box.locator('.el-message-box__btns .el-button--primary').click()
    assert.ok((await del).ok())
    await timeline.getByText('某某餐馆（e2e）').waitFor({ state: 'detached' })
    assert.equal(await timeline.locator('[data-entry]').count(), 1)

    // Export as a printable page: the document carries the entry.
    await page.locator('[data-test="investigation-export"]').click()
    const downloaded = page.waitForEvent('download')
    const exported = page.waitForResponse((r) => r.url().includes(`/cases/${created.id}/investigation/export`))
    await page.locator('[data-test="export-html"]').click()
    const exRes = await exported
    assert.equal(exRes.status(), 200, 'export: ' + exRes.status())
    assert.match(exRes.url(), /format=html/)
    const file = await downloaded
    const text = fs.readFileSync(await file.path(), 'utf8')
    log('exported', file.suggestedFilename(), text.length, 'bytes')
    assert.ok(text.includes(PLACE), 'the exported report has the entry')
    await page.waitForTimeout(3200) // the toasts fade
    await shot(page, 'case-detail.png')
  })

  it('shows the trajectory from the look-back start, previews the contacts, then creates the leads', async () => {
    const { page } = admin
    // The trajectory is asked from lookback_from to now.
    const asked = page.waitForResponse((r) => r.url().includes(`/api/v1/people/${index.id}/trajectory`))
    await page.reload()
    const traj = await asked
    assert.equal(traj.status(), 200, 'trajectory: ' + (await traj.text()))
    const q = new URL(traj.url()).searchParams
    const c = await (await fetch(e2e.baseURL + '/api/v1/cases/' + created.id, { headers: { Cookie: await e2e.apiLogin('admin', adminPassword) } })).json()
    assert.equal(Number(q.get('from')), Number(c.lookback_from), 'from = lookback_from')
    assert.ok(Math.abs(Number(q.get('to')) - now()) < 120, 'to = now')
    await page.locator('[data-test="trajectory"]').waitFor()

    const panel = page.locator('[data-test="contacts-panel"]')
    await panel.scrollIntoViewIfNeeded()
    await panel.locator('[data-test="contacts-depth"]').getByText('密接 + 次密接').click()
    assert.equal(await panel.locator('[data-test="contacts-create"]').count(), 0, 'no lead button before the preview')
    const previewed = page.waitForResponse((r) => r.url().endsWith(`/cases/${created.id}/contacts`) && r.request().method() === 'POST')
    await panel.locator('[data-test="contacts-preview"]').click()
    const pRes = await previewed
    assert.equal(pRes.status(), 200, 'preview: ' + (await pRes.text()))
    assert.deepEqual(pRes.request().postDataJSON(), { depth: 2, preview: true })
    const preview = await pRes.json()
    log('preview counts', preview.counts)
    assert.ok(preview.counts.close >= 1, 'the household members are close contacts')
    const shown = (await panel.locator('[data-count="close"] .k-value').innerText()).replace(/,/g, '')
    assert.equal(Number(shown), preview.counts.close)
    await panel.locator('[data-test="contacts-table"] [data-test="evidence"], [data-test="contacts-table"] .el-table__row').first().waitFor()
    await shot(page, 'case-contacts-preview.png')

    const total = preview.counts.close + preview.counts.secondary
    await panel.locator('[data-test="contacts-create"]').click()
    const box = page.locator('.leads-confirm')
    await box.waitFor()
    assert.match(await box.innerText(), new RegExp(String(preview.counts.close)), 'the confirmation repeats the numbers')
    const listed = page.waitForResponse((r) => r.url().endsWith(`/cases/${created.id}/contacts`) && r.request().method() === 'POST')
    await box.locator('.el-message-box__btns .el-button--primary').click()
    const lRes = await listed
    assert.equal(lRes.status(), 200, 'create leads: ' + (await lRes.text()))
    assert.deepEqual(lRes.request().postDataJSON(), { depth: 2, preview: false })
    const result = await lRes.json()
    assert.equal(result.leads_created + result.merged, total, 'every contact became a lead or was merged')
    await panel.locator('[data-test="contacts-result"]').waitFor()
    assert.match(await panel.locator('[data-test="contacts-result"]').innerText(), new RegExp(`已生成线索 ${result.leads_created.toLocaleString('en-US')} 条`))
    // The case's contacts are now listed: that leg of the clock is done in time.
    await page.locator('[data-test="clock-timeline"] [data-leg="listed"][data-status="ok"]').waitFor()
  })

  it('opens the 传播链 from the menu and switches the three layouts', async () => {
    const { page } = admin
    await page.locator('.app-menu [data-menu="chains"]').click()
    await page.waitForURL((u) => u.pathname === '/clusters')
    const row = page.locator('[data-test="clusters-table"] .el-table__row', { hasText: CLUSTER_NAME })
    await row.waitFor()
    const graphRes = page.waitForResponse((r) => r.url().endsWith(`/api/v1/clusters/${cluster.id}/graph`))
    await row.click()
    await page.waitForURL((u) => u.pathname === '/clusters/' + cluster.id)
    const graph = await (await graphRes).json()
    log('graph', graph.nodes.length, 'nodes', graph.links.length, 'links')
    assert.ok(graph.nodes.length >= 3, 'the two cases and the bystander')
    assert.equal(graph.links.length, 2)
    const gen = Object.fromEntries(graph.nodes.map((n) => [n.case_id, n.generation]))
    assert.equal(gen[lateCase.id], 0)
    assert.equal(gen[recentCase.id], 1)
    const box = page.locator('[data-test="cluster-graph"]')
    await box.locator('canvas').waitFor()
    await page.locator(`[data-test="graph-people"] [data-person]`).first().waitFor()
    assert.equal(await page.locator('[data-test="graph-people"] [data-person]').count(), graph.nodes.length)
    await page.waitForTimeout(1200) // the force layout settles
    await shot(page, 'cluster-network.png')
    for (const [layout, label] of [['hierarchy', '代际层级'], ['timeline', '发病时间轴'], ['network', '关系网络']]) {
      await page.locator('[data-test="graph-layout"]').getByText(label).click()
      await page.locator(`[data-test="cluster-graph"][data-layout="${layout}"] canvas`).waitFor()
      assert.match(page.url(), new RegExp(`layout=${layout}`))
      await page.waitForTimeout(600)
      if (layout !== 'network') await shot(page, `cluster-${layout}.png`)
    }
  })

  it('adds an exposure through the dialog: the index case joins the chain', async () => {
    const { page } = admin
    await page.locator('[data-test="exposure-add"]').click()
    const dialog = page.locator('[data-test="exposure-dialog"]').last()
    await dialog.locator('.el-dialog__body').waitFor()
    // Source: the recent case, offered from the chain; target: the index case, found by search.
    await dialog.locator('[data-test="exposure-source"]').click()
    await page.locator(`.person-picker-popper:visible [data-person="${recentCase.person_id}"]`).click()
    const searched = page.waitForResponse((r) => r.url().endsWith('/api/v1/people/search'))
    await field(dialog, 'exposure-target').fill(index.name)
    await searched
    await page.locator(`.person-picker-popper:visible [data-person="${index.id}"]`).click()
    await dialog.locator('[data-test="exposure-kind"]').getByText('同时空').click()
    await field(dialog, 'exposure-note').fill('同一超市（e2e）')
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/v1/exposures') && r.request().method() === 'POST')
    const reloaded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/clusters/${cluster.id}/graph`))
    await dialog.locator('[data-test="exposure-submit"]').click()
    const res = await posted
    assert.equal(res.status(), 201, 'POST /exposures: ' + (await res.text()))
    assert.deepEqual(
      (({ source_person_id: s, target_person_id: t, kind }) => ({ s, t, kind }))(res.request().postDataJSON()),
      { s: recentCase.person_id, t: index.id, kind: 'co_presence' })
    const graph = await (await reloaded).json()
    assert.equal(graph.links.length, 3)
    await page.locator(`[data-test="graph-people"] [data-person="${index.id}"]`).waitFor()
  })

  it('shows a person of the chain: the case, the measure and the exposures in and out', async () => {
    const { page } = admin
    await page.locator(`[data-test="graph-people"] [data-person="${recentCase.person_id}"]`).click()
    const panel = page.locator('[data-test="node-panel"]')
    await panel.waitFor()
    assert.equal(await panel.getAttribute('data-person'), String(recentCase.person_id))
    assert.match(await panel.innerText(), /无症状感染者/)
    assert.equal(await panel.locator('[data-test="node-exposures-in"] .x').count(), 1, 'infected by the late case')
    assert.equal(await panel.locator('[data-test="node-exposures-out"] .x').count(), 2, 'infected the bystander and the index case')
    assert.match(await panel.locator('[data-test="node-exposures-in"]').innerText(), /同住/)
    // A case's hospital measure started with it.
    assert.match(await panel.locator('[data-test="node-measure"]').innerText(), /医院|收治|隔离治疗/)
    await shot(page, 'cluster-node.png')
    await panel.locator('[data-test="node-case-link"]').click()
    await page.waitForURL((u) => u.pathname === '/cases/' + recentCase.id)
    await page.locator('[data-test="case-head"]').waitFor()
  })

  it('draws the 流行曲线 as stacked bars by onset and by report date', async () => {
    const { page } = admin
    const asked = page.waitForResponse((r) => r.url().includes('/api/v1/epicurve?'))
    await page.locator('.app-menu [data-menu="epicurve"]').click()
    await page.waitForURL((u) => u.pathname === '/epicurve')
    const res = await asked
    assert.equal(res.status(), 200, 'epicurve: ' + (await res.text()))
    assert.equal(new URL(res.url()).searchParams.get('by'), 'onset')
    const curve = await res.json()
    const sum = (d) => d.confirmed + d.asymptomatic + d.suspected
    const byOnset = curve.days.reduce((s, d) => s + sum(d), 0)
    log('by onset', byOnset, 'no onset', curve.no_onset)
    assert.equal(curve.days.length, 30, 'every date of the 30-day range, zeros included')
    assert.ok(byOnset >= 2, 'the two cases with an onset date')
    assert.ok(curve.no_onset >= 1, 'the asymptomatic case has no onset date')
    await page.locator('[data-test="epicurve-chart"] canvas').waitFor()
    assert.equal(Number((await page.locator('[data-total="all"]').innerText()).replace(/,/g, '')), byOnset)
    assert.equal(Number((await page.locator('[data-total="no_onset"]').innerText()).replace(/,/g, '')), curve.no_onset)
    await page.waitForTimeout(800)
    await shot(page, 'epicurve.png')

    const byReport = page.waitForResponse((r) => r.url().includes('/api/v1/epicurve?') && r.url().includes('by=report'))
    await page.locator('[data-test="epicurve-by"]').getByText('按报告日期').click()
    const rep = await (await byReport).json()
    const reported = rep.days.reduce((s, d) => s + sum(d), 0)
    assert.ok(reported >= 3, 'the three cases by their report date')
    await page.locator('[data-total="all"]', { hasText: reported.toLocaleString('en-US') }).waitFor()
  })

  it('shows the 时效 card on the dashboard with the late case in red', async () => {
    const { page } = admin
    await page.locator('.app-menu [data-menu="dashboard"]').click()
    await page.waitForURL((u) => u.pathname === '/')
    const card = page.locator('[data-test="clock-card"]')
    await card.waitFor()
    assert.ok(Number((await card.locator('[data-test="clock-card-late"]').innerText()).replace(/,/g, '')) >= 1)
    const row = card.locator(`[data-case="${lateCase.id}"]`)
    await row.waitFor()
    assert.ok(await row.locator('td[data-status="late"]').count() >= 1)
    assert.equal(await card.locator(`[data-case="${recentCase.id}"]`).count(), 0, 'a case within its targets is not listed')
    await row.scrollIntoViewIfNeeded()
    await page.waitForTimeout(500)
    await shot(page, 'dashboard-clock.png')
    await card.locator('[data-test="clock-card-all"]').click()
    await page.waitForURL((u) => u.pathname === '/clock')
    await page.locator('[data-test="clock-table"] .el-table__row.is-late').first().waitFor()
  })

  it('shows a grid worker the cases of the grid as cards on a phone, read-only', async () => {
    const phone = await e2e.newPage(PHONE)
    const { page } = phone
    await e2e.loginThroughPage(page, GRID_USER, GRID_PASSWORD)
    const listed = page.waitForResponse((r) => r.url().includes('/api/v1/cases?'))
    await page.goto(e2e.baseURL + '/cases')
    const res = await listed
    assert.equal(res.status(), 200)
    const list = await res.json()
    const grid = (await (await fetch(e2e.baseURL + '/api/v1/session', { headers: { Cookie: await e2e.apiLogin(GRID_USER, GRID_PASSWORD) } })).json()).user.region
    assert.ok(list.cases.every((c) => String(c.region).startsWith(grid)), 'only the cases of the grid')
    const card = page.locator(`[data-test="cases-cards"] .c-row-${lateCase.id}`)
    await card.waitFor()
    assert.match(await card.getAttribute('class'), /is-late/)
    assert.equal(await page.locator('[data-test="case-create"]').count(), 0, 'a grid worker does not register cases')
    const box = await card.boundingBox()
    assert.ok(box && box.height >= 44, 'a card is a large touch target')
    await shot(page, 'cases-phone.png')
    await card.click()
    await page.waitForURL((u) => u.pathname === '/cases/' + lateCase.id)
    await page.locator('[data-test="case-head"]').waitFor()
    assert.equal(await page.locator('[data-test="entry-add"]').count(), 0, 'read-only')
    assert.equal(await page.locator('[data-test="contacts-panel"]').count(), 0, 'no contact tracing for a grid worker')
    await shot(page, 'case-phone.png')
    // The rest of 流调溯源 is not theirs.
    await page.goto(e2e.baseURL + '/epicurve')
    await page.waitForURL((u) => u.pathname !== '/epicurve')
    await phone.context.close()
  })

  it('raised no page errors', () => {
    assert.deepEqual(e2e.pageErrors, [])
  })
})
