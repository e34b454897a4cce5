// Load generator for bench/load/run.sh: simulated users of Cordon on one base URL (the load
// balancer), each with its own session and keep-alive connection, for a fixed duration.
//
//   node loadgen.mjs CONFIG.json
//
// CONFIG: {url, duration_s, users, think_ms, password, seed, skip, city_file, people_file,
//          out_dir, accounts: {grid: [{username, region}], epi: [...], commander: [...],
//          admin: [...]}}
// city_file: a sample of the city made by city.mjs (regions with their paths, people per grid,
// venues); people_file: every person on file before the run (city.mjs's people.tsv), for the
// scan of answers.
//
// Every JSON answer a user of a district, street, community or grid receives is scanned
// (security.md I3, the rule of tests/api/access_sweep_test.cc): region codes (under region,
// region_code, grid, grid_code, parent_code, and region nodes {code, level}) must lie in the
// user's subtree or on the way up to it, a region_path must be inside it or above it, and every
// person id (person_id, person.id, and the ids of the people routes' answers) must be a person
// of the user's subtree. People made during the run are not in people_file: they are written to
// scan_unknown.tsv and report.mjs places them with the database after the run. Every answer
// (city-wide users' too) but a reveal must hold no whole ID number or mobile number (B1).
//
// Writes into out_dir:
//   results.json         counts, statuses and latencies per kind, every non-2xx answer with its
//                        time (ms since the epoch) and error code, the scan's findings per kind,
//                        503s that name a locked SQLite database (H8)
//   acked_*.csv          every acknowledged (2xx) write with what it wrote, for verify.sql
//   requests.tsv         every request: X-Request-Id (none when the node gave no answer), user,
//                        kind, status, start and end (ms), and for a 2xx the audit rows it stands
//                        for (action:outcome:object, '*' for an object not checked), compared by
//                        report.mjs with the audit table
//   scan_unknown.tsv     jurisdiction path, person id, kind: people seen that were made in the run
// Node's standard library only (http.Agent keep-alive), no npm packages; the TOTP codes of the
// city-wide roles come from bench/lib/login.mjs.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { planTotpStep, totpCode } from '../lib/login.mjs';

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const city = JSON.parse(fs.readFileSync(cfg.city_file, 'utf8'));
const base = new URL(cfg.url);
const runTag = String(cfg.seed) + '-' + Date.now().toString(36);

// ---------------------------------------------------------------------------------------------
// Deterministic random numbers per user (mulberry32).
function rngOf(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    exp: (mean) => -Math.log(1 - next()) * mean,
  };
}

function weighted(rng, table) {
  let total = 0;
  for (const [, w] of table) total += w;
  let x = rng.next() * total;
  for (const [name, w] of table) {
    x -= w;
    if (x < 0) return name;
  }
  return table[table.length - 1][0];
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pad2 = (n) => String(n).padStart(2, '0');

// The local date (UTC+08:00, the server's --utc-offset) of a moment.
function localDate(ms) {
  const d = new Date(ms + 8 * 3600 * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

// ---------------------------------------------------------------------------------------------
// Synthetic identities for new people (GB 11643 resident IDs with a valid check character).
const kWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
let idSerial = 0;
function residentId(rng, area) {
  const year = 1950 + rng.int(50);  // adults only: a minor's new file needs a guardian
  const body = `${area}${year}${pad2(1 + rng.int(12))}${pad2(1 + rng.int(28))}` +
    String((idSerial++ * 7 + rng.int(7)) % 1000).padStart(3, '0');
  let sum = 0;
  for (let i = 0; i < 17; ++i) sum += Number(body[i]) * kWeights[i];
  return body + '10X98765432'[sum % 11];
}
const kSurnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董'.split('');
const kGiven = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉红建国志文辉春梅'.split('');
const randomName = (rng) =>
  rng.pick(kSurnames) + rng.pick(kGiven) + (rng.chance(0.6) ? rng.pick(kGiven) : '');
const kMobile = ['138', '139', '150', '151', '186', '187', '133', '177', '158', '189'];
const randomPhone = (rng) => rng.pick(kMobile) + String(rng.int(1e8)).padStart(8, '0');
// Another room of the same building (the part up to 单元 routes to the building's grid).
function otherRoom(rng, address) {
  const at = address.indexOf('单元');
  const building = at >= 0 ? address.slice(0, at + 2) : address;
  return `${building}${1 + rng.int(30)}${pad2(1 + rng.int(6))}室`;
}
const kOrigins = ['上海市浦东新区', '北京市朝阳区', '广州市白云区', '西安市雁塔区', '成都市武侯区',
  '深圳市宝安区', '天津市津南区', '吉林市船营区'];
const kLeadCategories = ['密接', '次密接', '次密接', '高风险区来返', '中风险区来返', '中风险区来返',
  '低风险区来返', '入境'];
const kMeasureCategories = ['secondary_contact', 'secondary_contact', 'medium_risk_area',
  'close_contact', 'low_risk_area', 'high_risk_area'];

// ---------------------------------------------------------------------------------------------
// Measurements.
const stats = new Map();  // kind -> {count, statuses: {}, lat: []}
const failures = [];      // every non-2xx: [t_start, t_end, kind, status, code]
let inflight = 0;
function note(kind, status, ms, t0, t1, code) {
  let s = stats.get(kind);
  if (!s) {
    s = { count: 0, statuses: {}, lat: [] };
    stats.set(kind, s);
  }
  s.count++;
  s.statuses[status] = (s.statuses[status] || 0) + 1;
  s.lat.push(ms);
  if (status < 200 || status > 299) failures.push([t0, t1, kind, status, code || '']);
}

// Acknowledged writes, one CSV per kind (RFC 4180 quoting, a header line first).
const kAckColumns = {
  person_update: 'id,version,field,value,username,acked_at',
  person_create: 'id,id_number,username',
  measure: 'id,person_id,category,username',
  test: 'measure_id,day,result,username',
  followup: 'measure_id,slot,date_start,date_end,outcome,username',
  alert_close: 'id,outcome,username',
  task_check: 'id,method,username',
  import: 'import_id,accepted,merged,rejected,already',
  import_row: 'import_id,person_id,task_id',
};
const ackFiles = {};
for (const [file, columns] of Object.entries(kAckColumns)) {
  ackFiles[file] = fs.createWriteStream(path.join(cfg.out_dir, `acked_${file}.csv`));
  ackFiles[file].write(columns + '\n');
}
function ack(file, fields) {
  ackFiles[file].write(fields.map((v) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',') + '\n');
}

// ---------------------------------------------------------------------------------------------
// The audit rows each kind of request stands for when it is answered 2xx: what the services
// record (AuditLog::Record for reads, AuditLog::Append in the write's transaction; grep
// `audit_.Record(` and `audit_.Append(` in src/). Each is action:outcome:object, the object as
// the service writes it (for lists, the ids of the people shown, in the answer's order); '*'
// leaves the object unchecked. A kind not listed here writes no audit row.
const pathId = (p, re) => (p.match(re) || [])[1] || '?';
const idsOf = (items, f) => items.map(f).join(',');
function expectedAudit(kind, p, j, extra) {
  switch (kind) {
    case 'login':
      return [`session.login:${j.mfa === 'required' ? 'mfa_required'
        : j.mfa === 'enroll' ? 'mfa_enroll' : 'ok'}:*`];
    case 'login_mfa':
      return extra && extra.enroll ? ['session.mfa_enrolled:ok:*', 'session.login:ok:*']
        : ['session.login:ok:*'];
    case 'list_people': return [`people.list:ok:${idsOf(j.items, (x) => x.id)}`];
    // An empty query (a person on file without a phone) lists the jurisdiction instead.
    case 'search_name': case 'search_id': case 'search_phone': case 'search_address':
      return [`people.${extra && extra.q.trim() === '' ? 'list' : 'search'}:ok:` +
        idsOf(j.items, (x) => x.id)];
    case 'read_person': return [`people.get:ok:${j.id}`];
    case 'edit_person': return [`people.update:ok:${j.id}`];
    case 'create_person': return [`people.create:ok:${j.id}`];
    case 'reveal': return [`people.reveal:ok:${pathId(p, /people\/(\d+)/)}`];
    case 'timeline': return [`people.timeline:ok:${pathId(p, /people\/(\d+)/)}`];
    case 'trajectory': return [`trace.trajectory:ok:${pathId(p, /people\/(\d+)/)}`];
    // Create and RecordTest answer with the measure as Get reads it, which is audited too.
    case 'create_measure': return [`measures.create:ok:${j.id}`, `measures.get:ok:${j.person.id}`];
    case 'list_measures': return [`measures.list:ok:${idsOf(j.items, (x) => x.person.id)}`];
    case 'test_result':
      return [`measures.test:ok:${pathId(p, /measures\/(\d+)/)}`, `measures.get:ok:${j.person.id}`];
    case 'followups_today': return [`followups.list:ok:${idsOf(j.items, (x) => x.person.id)}`];
    case 'followup': return [`followups.record:ok:${pathId(p, /measures\/(\d+)/)}`];
    case 'list_tasks': return [`tasks.list:ok:${idsOf(j.items, (x) => x.person.id)}`];
    case 'check_task': return [`tasks.check:ok:${pathId(p, /tasks\/(\d+)/)}`];
    case 'list_alerts': return [`alerts.list:ok:${idsOf(j.items, (x) => x.person.id)}`];
    case 'close_alert': return [`alerts.close:ok:${pathId(p, /alerts\/(\d+)/)}`];
    // The same list again is answered from the first import, with no new row.
    case 'import_csv': case 'push_leads': case 'door_to_door':
      return j.already_imported ? [] : [`leads.import:ok:${j.import_id}`];
    case 'checkin':
      return [`checkins.ingest:ok:${j.accepted}`]
        .concat(Array(j.new_people).fill('people.create_unverified:ok:*'))
        .concat(Array(j.new_venues).fill('venues.register:ok:*'));
    case 'measures_summary': case 'tasks_summary': return [];
    default: return null;
  }
}

// Every request with its X-Request-Id (audit.request_id), for report.mjs.
const requestLog = fs.createWriteStream(path.join(cfg.out_dir, 'requests.tsv'));
function logRequest(user, kind, status, requestId, t0, t1, rows) {
  requestLog.write(`${requestId}\t${user.username}\t${kind}\t${status}\t${t0}\t${t1}\t${rows}\n`);
}

// ---------------------------------------------------------------------------------------------
// The scan of answers (security.md I3): what a user is shown must lie in their jurisdiction.
const scan = { answers: 0, skipped_city_wide: 0, by_kind: {}, samples: [], unknown: new Map() };
function violation(u, kind, what, detail) {
  const k = (scan.by_kind[kind] ||= {});
  k[what] = (k[what] || 0) + 1;
  if (scan.samples.length < 30) {
    scan.samples.push(`${kind} ${what} as ${u.username} (${u.path}): ${detail}`);
  }
}
// On the way up to the user's region, or inside it (the sweep's InOrAbove).
const inOrAbove = (p, mine) => p.startsWith(mine) || mine.startsWith(p);
function checkRegion(u, kind, code) {
  const p = regionPath.get(code);
  if (p !== undefined && !inOrAbove(p, u.path)) violation(u, kind, 'region', code);
}
function checkPerson(u, kind, id) {
  if (typeof id !== 'number') return;
  const p = personPath.get(id);
  if (p === undefined) {
    scan.unknown.set(`${u.path}\t${id}`, kind);
  } else if (!p.startsWith(u.path) || p === '') {
    violation(u, kind, 'person', `${id} in ${p || '(no region)'}`);
  }
}
const kRegionKeys = new Set(['region', 'region_code', 'grid', 'grid_code', 'parent_code']);
function walk(u, kind, v) {
  if (Array.isArray(v)) {
    for (const x of v) walk(u, kind, x);
    return;
  }
  if (v === null || typeof v !== 'object') return;
  // A region node of a breakdown ({code, name, level}).
  if (typeof v.code === 'string' && typeof v.level === 'number') checkRegion(u, kind, v.code);
  for (const key of Object.keys(v)) {
    const x = v[key];
    if (typeof x === 'string') {
      if (kRegionKeys.has(key)) checkRegion(u, kind, x);
      else if (key === 'region_path' && !inOrAbove(x, u.path)) violation(u, kind, 'region_path', x);
    } else if (typeof x === 'number') {
      if (key.endsWith('person_id')) checkPerson(u, kind, x);
    } else if (x !== null && typeof x === 'object') {
      if (key === 'region' && typeof x.code === 'string') checkRegion(u, kind, x.code);
      if (key === 'person' && !Array.isArray(x)) checkPerson(u, kind, x.id);
      walk(u, kind, x);
    }
  }
}
// The answers of the people routes are person files: their ids are people too.
const kPersonAnswers = new Set(['list_people', 'search_name', 'search_id', 'search_phone',
  'search_address', 'read_person', 'edit_person', 'create_person']);
// A whole resident ID number or mobile number standing alone (the sweep's WholeIdentifier).
const kWholeIdentifier = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|1[3-9]\d{9})(?![0-9A-Za-z])/;
function scanAnswer(u, kind, j, text) {
  scan.answers++;
  if (kind !== 'reveal') {
    const m = text.match(kWholeIdentifier);
    if (m) violation(u, kind, 'identifier', `${m[0].slice(0, 3)}… (${m[0].length} digits)`);
  }
  if (u.cityWide) {  // the whole city is theirs: nothing to place
    scan.skipped_city_wide++;
    return;
  }
  if (kPersonAnswers.has(kind)) {
    for (const p of Array.isArray(j.items) ? j.items : [j]) checkPerson(u, kind, p.id);
  }
  walk(u, kind, j);
}

// 503s that name a locked SQLite database: SQLITE_BUSY or SQLITE_LOCKED past the busy timeout,
// which store/sqlite answers as kUnavailable (security.md H8).
const sqliteBusy = {};

// ---------------------------------------------------------------------------------------------
// HTTP: one keep-alive agent per simulated user (one browser, one connection).
function send(user, kind, method, pathAndQuery, body, contentType, extra) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined
      : typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(JSON.stringify(body));
    const headers = { accept: 'application/json' };
    if (user.token) headers.authorization = `Bearer ${user.token}`;
    if (payload) {
      headers['content-type'] = contentType || 'application/json';
      headers['content-length'] = payload.length;
    }
    const wall0 = Date.now();
    const t0 = performance.now();
    let settled = false;
    inflight++;
    const finish = (status, text, requestId) => {
      if (settled) return;
      settled = true;
      inflight--;
      const ms = performance.now() - t0;
      const wall1 = Date.now();
      let json = null;
      if (text) {
        try { json = JSON.parse(text); } catch { json = null; }
      }
      const code = status >= 200 && status <= 299 ? '' :
        json && json.error ? json.error.code : status === 0 ? String(text || 'network') : '';
      note(kind, status, ms, wall0, wall1, code);
      if (status === 401 && kind !== 'login') user.token = null;  // log in again
      let rows = '?';  // not 2xx: whatever the node recorded is reported, not predicted
      if (status >= 200 && status <= 299 && json) {
        try {
          scanAnswer(user, kind, json, text);
        } catch (e) {
          note('scan_exception', 0, 0, wall0, wall1, `${kind}: ${e && e.message}`);
        }
        try {
          const expected = expectedAudit(kind, pathAndQuery, json, extra);
          rows = expected === null ? '?' : expected.join(' ');
        } catch (e) {
          note('scan_exception', 0, 0, wall0, wall1, `audit of ${kind}: ${e && e.message}`);
        }
      }
      if (status === 503 && json && json.error &&
          /database (table )?is locked|SQLITE_BUSY|busy/i.test(String(json.error.message))) {
        sqliteBusy[kind] = (sqliteBusy[kind] || 0) + 1;
      }
      logRequest(user, kind, status, requestId || '', wall0, wall1, rows);
      resolve({ status, json, wall0, wall1 });
    };
    const req = http.request({
      host: base.hostname, port: base.port, method, path: pathAndQuery, headers,
      agent: user.agent, timeout: 60000,
    }, (res) => {
      const chunks = [];
      const requestId = res.headers['x-request-id'];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => finish(res.statusCode, Buffer.concat(chunks).toString('utf8'), requestId));
      res.on('error', (e) => finish(0, e.code || e.message));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => finish(0, e.code || e.message));
    if (payload) req.write(payload);
    req.end();
  });
}
const ok = (r) => r.status >= 200 && r.status <= 299;

// ---------------------------------------------------------------------------------------------
// The city sample: grids with people [id, name, id_number, phone, address, region].
const grids = Object.keys(city.grids).filter((g) => city.grids[g].people.length > 0);
const allPeople = grids.flatMap((g) => city.grids[g].people);
const peopleUnder = new Map();  // region code -> people sampled under it
// Region codes nest by prefix below a district (grid 521802001001001 is in community
// 521802001001, street 521802001 and district 521802); the city holds every district.
const inRegion = (code, region) => region === city.city || code.startsWith(region);
function peopleIn(region) {
  if (!peopleUnder.has(region)) {
    peopleUnder.set(region, grids.filter((g) => inRegion(g, region))
      .flatMap((g) => city.grids[g].people));
  }
  return peopleUnder.get(region);
}
// A region and the levels just below it, as someone drilling down a dashboard would see them.
function regionsUnder(region) {
  const out = [region];
  for (const [code, level] of city.regions) {
    if (code !== region && inRegion(code, region) && level <= 4) out.push(code);
  }
  return out.slice(0, 40);
}
const areaCodes = city.districts;

// Where every region and every person on file is, for the scan of answers.
const regionPath = new Map(city.regions.map(([code, , p]) => [code, p]));
const personPath = new Map();  // person id -> region path ('' when none)
if (cfg.people_file) {
  const text = fs.readFileSync(cfg.people_file, 'utf8');
  for (let at = 0; at < text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const f = text.slice(at, end).split('\x1f');
    if (f.length >= 7) personPath.set(Number(f[0]), f[6]);
    at = end + 1;
  }
}
// Venues for check-ins: those of a district, or any when it has none.
const venuesUnder = new Map();
function venuesIn(path) {
  if (!venuesUnder.has(path)) {
    const all = city.venues || [];
    const mine = all.filter((v) => v[1] && v[1].startsWith(path));
    venuesUnder.set(path, (mine.length > 0 ? mine : all).map((v) => v[0]));
  }
  return venuesUnder.get(path);
}

// A name search as people type it: the surname and, usually, the first given character.
function nameQuery(rng, person) {
  const chars = [...person[1]];
  return chars.slice(0, rng.chance(0.7) ? 2 : chars.length).join('');
}
// An address search: the street and number of a building (…路26号).
function addressQuery(person) {
  const m = person[4].match(/^(.*?号)/);
  return m ? m[1].replace(/^.*?区/, '') : person[4].slice(0, 8);
}

// ---------------------------------------------------------------------------------------------
// Actions. Each returns when the simulated user's step is done.
async function searchPeople(u, pool, scopeRegion) {
  const p = u.rng.pick(pool);
  const how = weighted(u.rng, [['name', 5], ['id', 3], ['phone', 3], ['address', 2]]);
  const q = how === 'name' ? nameQuery(u.rng, p) : how === 'id' ? p[2] : how === 'phone' ? p[3]
    : addressQuery(p);
  const body = { q, limit: 20 };
  if (scopeRegion && u.rng.chance(0.3)) body.region = scopeRegion;
  await send(u, `search_${how}`, 'POST', '/api/v1/people/search', body, undefined, { q });
}

async function listPeople(u, region) {
  let r = await send(u, 'list_people', 'GET',
    `/api/v1/people?region=${region}&limit=50`);
  // Sometimes the next page, as someone scrolling the list.
  if (ok(r) && r.json && r.json.next && u.rng.chance(0.4)) {
    r = await send(u, 'list_people', 'GET',
      `/api/v1/people?region=${region}&limit=50&after=${r.json.next}`);
  }
}

async function readPerson(u, pool) {
  const p = u.rng.pick(pool);
  return send(u, 'read_person', 'GET', `/api/v1/people/${p[0]}`);
}

// Read, think, write back with the version read: a 409 is another user's edit that came first.
async function editPerson(u, hot) {
  const p = u.rng.pick(hot);
  const got = await send(u, 'read_person', 'GET', `/api/v1/people/${p[0]}`);
  if (!ok(got) || !got.json) return;
  await sleep(200 + u.rng.int(800));
  let field;
  let value;
  if (u.rng.chance(0.7)) {
    field = 'address';
    value = otherRoom(u.rng, p[4]);
  } else {
    field = 'phone';
    value = randomPhone(u.rng);
  }
  const r = await send(u, 'edit_person', 'PATCH', `/api/v1/people/${p[0]}`,
    { [field]: value, version: got.json.version });
  if (ok(r) && r.json) {
    ack('person_update', [p[0], r.json.version, field, value, u.username, r.wall1]);
  }
}

async function createPerson(u, region, pool) {
  const near = u.rng.pick(pool);
  const body = {
    id_number: residentId(u.rng, u.rng.pick(areaCodes)),
    name: randomName(u.rng),
    phone: randomPhone(u.rng),
    address: otherRoom(u.rng, near[4]),
    region: near[5] || region,
  };
  const r = await send(u, 'create_person', 'POST', '/api/v1/people', body);
  if (ok(r) && r.json) ack('person_create', [r.json.id, body.id_number, u.username]);
}

async function createMeasure(u, pool) {
  const p = u.rng.pick(pool);
  const category = u.rng.pick(kMeasureCategories);
  const r = await send(u, 'create_measure', 'POST', `/api/v1/people/${p[0]}/measures`,
    { category });
  if (ok(r) && r.json) ack('measure', [r.json.id, p[0], category, u.username]);
}

// The grid worker's round: today's list, then one follow-up that is still open.
async function followup(u, region) {
  const today = await send(u, 'followups_today', 'GET',
    `/api/v1/followups/today?region=${region}`);
  if (!ok(today) || !today.json) return;
  const open = [];
  for (const item of today.json.items) {
    for (const s of item.slots) if (!s.done) open.push([item.measure_id, s.slot]);
  }
  if (open.length === 0) return;
  await sleep(300 + u.rng.int(1200));  // the call or the visit
  const [measureId, slot] = u.rng.pick(open);
  const x = u.rng.next();
  let body;
  if (x < 0.86) body = { slot, outcome: 'ok', temperature: Math.round(360 + u.rng.int(12)) / 10 };
  else if (x < 0.91) body = { slot, outcome: 'ok', temperature: Math.round(374 + u.rng.int(12)) / 10 };
  else if (x < 0.94) body = { slot, outcome: 'symptoms', temperature: 36.8, symptoms: '咳嗽、咽痛' };
  else if (x < 0.97) body = { slot, outcome: 'unreachable', note: '电话无人接听' };
  else if (x < 0.99) body = { slot, outcome: 'refused' };
  else body = { slot, outcome: 'left_home', note: '门磁报警，人员外出' };
  const r = await send(u, 'followup', 'POST', `/api/v1/measures/${measureId}/followups`, body);
  if (ok(r) && r.json) {
    ack('followup', [measureId, slot, localDate(r.wall0), localDate(r.wall1),
      r.json.followup.outcome, u.username]);
  }
}

async function testResult(u, region) {
  const list = await send(u, 'list_measures', 'GET',
    `/api/v1/measures?region=${region}&limit=50`);
  if (!ok(list) || !list.json) return;
  const due = [];
  for (const m of list.json.items) {
    if (m.state !== 'active' && m.state !== 'extended') continue;
    for (const t of m.tests) if (t.day <= (m.day || 0) && !t.result) due.push([m.id, t.day]);
  }
  if (due.length === 0) return;
  const [id, day] = u.rng.pick(due);
  const r = await send(u, 'test_result', 'POST', `/api/v1/measures/${id}/tests`,
    { day, result: 'negative' });
  if (ok(r)) ack('test', [id, day, 'negative', u.username]);
}

async function checkTask(u, region) {
  const list = await send(u, 'list_tasks', 'GET',
    `/api/v1/tasks?region=${region}&status=open&limit=50`);
  if (!ok(list) || !list.json || list.json.items.length === 0) return;
  await sleep(300 + u.rng.int(1200));
  const t = u.rng.pick(list.json.items);
  const method = u.rng.chance(0.6) ? 'call' : 'visit';
  const r = await send(u, 'check_task', 'POST', `/api/v1/tasks/${t.id}/check`,
    { method, note: method === 'call' ? '已电话核实，居家' : '已上门核查' });
  if (ok(r)) ack('task_check', [t.id, method, u.username]);
}

async function closeAlert(u, region) {
  const list = await send(u, 'list_alerts', 'GET',
    `/api/v1/alerts?region=${region}&state=open&limit=50`);
  if (!ok(list) || !list.json || list.json.items.length === 0) return;
  await sleep(300 + u.rng.int(1200));
  const a = u.rng.pick(list.json.items);
  const outcome = `已处置：${a.kind === 'fever' ? '复测体温正常' : '已联系本人'}（${u.username}）`;
  const r = await send(u, 'close_alert', 'POST', `/api/v1/alerts/${a.id}/close`, { outcome });
  if (ok(r)) ack('alert_close', [a.id, outcome, u.username]);
}

// Rows of a lead list: people on file (found by ID) and new people in known buildings.
let leadSerial = 0;
function leadRows(u, pool, n) {
  const batch = `${runTag}-${u.index}-${leadSerial++}`;
  const rows = [];
  for (let i = 0; i < n; ++i) {
    const origin = `${u.rng.pick(kOrigins)}（批次${batch}-${i + 1}）`;  // one lead key per row
    const category = u.rng.pick(kLeadCategories);
    const near = u.rng.pick(pool);
    if (u.rng.chance(0.75)) {
      rows.push({ 姓名: near[1], 身份证号: near[2], 手机号: '', 现住址: '', 来源地: origin,
        人员类别: category });
    } else {
      rows.push({ 姓名: randomName(u.rng), 身份证号: residentId(u.rng, u.rng.pick(areaCodes)),
        手机号: randomPhone(u.rng), 现住址: otherRoom(u.rng, near[4]), 来源地: origin,
        人员类别: category });
    }
  }
  return { batch, rows };
}

function ackImport(r) {
  const j = r.json;
  if (!j) return;
  ack('import', [j.import_id, j.accepted, j.merged, j.rejected, j.already_imported ? 1 : 0]);
  for (const row of j.rows) {
    if (row.person_id || row.task_id) ack('import_row', [j.import_id, row.person_id, row.task_id]);
  }
}

// A small 协查 list as a CSV file.
async function importCsv(u, pool) {
  const { batch, rows } = leadRows(u, pool, 5 + u.rng.int(26));
  const header = ['姓名', '身份证号', '手机号', '现住址', '来源地', '人员类别', '报告时间'];
  const now = new Date(Date.now() + 8 * 3600 * 1000 - 3600 * 1000);
  const reported = `${now.getUTCFullYear()}-${pad2(now.getUTCMonth() + 1)}-` +
    `${pad2(now.getUTCDate())} ${pad2(now.getUTCHours())}:${pad2(now.getUTCMinutes())}`;
  const csv = [header.join(',')].concat(rows.map((row) =>
    [row.姓名, row.身份证号, row.手机号, row.现住址, row.来源地, row.人员类别, reported]
      .join(','))).join('\r\n') + '\r\n';
  const r = await send(u, 'import_csv', 'POST',
    `/api/v1/leads/import?source=assist_notice&file_name=${encodeURIComponent(`协查-${batch}.csv`)}`,
    csv, 'text/csv; charset=utf-8');
  if (ok(r)) ackImport(r);
}

// The same rows as a JSON push (another system) or a door-to-door entry (a grid worker).
async function pushLeads(u, pool, source, n) {
  const { batch, rows } = leadRows(u, pool, n);
  const r = await send(u, source === 'door_to_door' ? 'door_to_door' : 'push_leads', 'POST',
    '/api/v1/leads', { source, batch: `${source}-${batch}`, rows });
  if (ok(r)) ackImport(r);
}

async function dashboard(u, region) {
  const what = weighted(u.rng, [['measures_summary', 3], ['tasks_summary', 3],
    ['list_measures', 2], ['list_tasks', 2], ['list_alerts', 1]]);
  const q = region ? `region=${region}` : '';
  if (what === 'measures_summary') await send(u, what, 'GET', `/api/v1/measures/summary?${q}`);
  else if (what === 'tasks_summary') await send(u, what, 'GET', `/api/v1/tasks/summary?${q}`);
  else if (what === 'list_measures') await send(u, what, 'GET', `/api/v1/measures?${q}&limit=50`);
  else if (what === 'list_tasks') await send(u, what, 'GET', `/api/v1/tasks?${q}&limit=50`);
  else await send(u, what, 'GET', `/api/v1/alerts?${q}&state=open&limit=50`);
}

async function timeline(u, pool) {
  const p = u.rng.pick(pool);
  await send(u, 'timeline', 'GET', `/api/v1/people/${p[0]}/timeline`);
}

// A whole phone number, shown for one file with a reason (audited as people.reveal).
const kRevealReasons = ['电话随访需要核实联系方式', '上门核查前确认住址', '协查通知核对身份信息'];
async function reveal(u, pool) {
  const p = u.rng.pick(pool);
  const fields = u.rng.chance(0.7) ? ['phone'] : ['phone', 'address'];
  await send(u, 'reveal', 'POST', `/api/v1/people/${p[0]}/reveal`,
    { fields, reason: u.rng.pick(kRevealReasons) });
}

// Venue check-ins (场所码扫码记录) pushed as NDJSON: people of the jurisdiction at its venues in
// the last six hours.
async function checkins(u, pool) {
  const venues = venuesIn(u.path);
  if (venues.length === 0) return;
  const now = Math.floor(Date.now() / 1000);
  const lines = [];
  for (let i = 1 + u.rng.int(20); i > 0; --i) {
    lines.push(JSON.stringify({ id_number: u.rng.pick(pool)[2], venue_code: u.rng.pick(venues),
      time: now - 60 - u.rng.int(6 * 3600) }));
  }
  await send(u, 'checkin', 'POST', '/api/v1/checkins', lines.join('\n') + '\n',
    'application/x-ndjson');
}

// Where one person went (14 days of check-ins).
async function trajectory(u, pool) {
  const p = u.rng.pick(pool);
  await send(u, 'trajectory', 'GET', `/api/v1/people/${p[0]}/trajectory`);
}

// ---------------------------------------------------------------------------------------------
// Roles: what each kind of user does, and how often.
const kGridMix = [
  ['list', 10], ['search', 14], ['read', 12], ['timeline', 3], ['edit', 10], ['followup', 16],
  ['measure', 5], ['test', 4], ['task', 6], ['alert', 4], ['door', 3], ['create', 1],
  ['reveal', 2],
];
const kEpiMix = [
  ['import', 8], ['push', 5], ['search', 20], ['read', 10], ['timeline', 4], ['dash', 14],
  ['measure', 8], ['list', 6], ['checkin', 8], ['trajectory', 3], ['reveal', 2],
];
const kCommanderMix = [['dash', 55], ['search', 15], ['list', 10], ['read', 10], ['import', 3]];
const kAdminMix = [
  ['create', 10], ['search', 20], ['read', 15], ['edit', 10], ['dash', 15], ['import', 5],
  ['list', 10], ['checkin', 5],
];

// Actions left out (config "skip", run.sh's SKIP_ACTIONS), to see what one kind costs the rest.
const skip = new Set(cfg.skip || []);
for (const mix of [kGridMix, kEpiMix, kCommanderMix, kAdminMix]) {
  for (const entry of mix) if (skip.has(entry[0])) entry[1] = 0;
}

async function step(u) {
  const a = weighted(u.rng, u.mix);
  const pool = u.pool;
  switch (a) {
    case 'list': return listPeople(u, u.rng.pick(u.listRegions));
    case 'search': return searchPeople(u, pool, u.region);
    case 'read': return readPerson(u, pool);
    case 'timeline': return timeline(u, pool);
    case 'edit': return editPerson(u, u.hot);
    case 'followup': return followup(u, u.region);
    case 'measure': return createMeasure(u, pool);
    case 'test': return testResult(u, u.region);
    case 'task': return checkTask(u, u.region);
    case 'alert': return closeAlert(u, u.region);
    case 'door': return pushLeads(u, pool, 'door_to_door', 1 + u.rng.int(3));
    case 'create': return createPerson(u, u.region, pool);
    case 'import': return importCsv(u, pool);
    case 'push': return pushLeads(u, pool, 'data_push', 1 + u.rng.int(20));
    case 'dash': return dashboard(u, u.rng.pick(u.listRegions));
    case 'reveal': return reveal(u, pool);
    case 'checkin': return checkins(u, pool);
    case 'trajectory': return trajectory(u, pool);
    default: throw new Error(a);
  }
}

// ---------------------------------------------------------------------------------------------
// The users: 70 % grid workers (several per grid, so that they meet on the same files), 10 %
// epidemiologists of a district, 15 % commanders, 5 % administrators.
function makeUsers() {
  const users = [];
  const n = cfg.users;
  const counts = {
    grid: Math.round(n * 0.7), epi: Math.round(n * 0.1), admin: Math.max(1, Math.round(n * 0.05)),
  };
  counts.commander = n - counts.grid - counts.epi - counts.admin;
  let index = 0;
  for (const role of ['grid', 'epi', 'commander', 'admin']) {
    const accounts = cfg.accounts[role];
    for (let i = 0; i < counts[role]; ++i) {
      const acct = accounts[i % accounts.length];
      const rng = rngOf(cfg.seed * 1000003 + index * 7919 + 1);
      const u = { index, role, username: acct.username, region: acct.region, rng, token: null,
        agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
        path: regionPath.get(acct.region), cityWide: acct.region === city.city };
      if (u.path === undefined) throw new Error(`no region ${acct.region} for ${acct.username}`);
      if (role === 'grid') {
        const g = city.grids[acct.region];
        u.pool = g.people;
        u.hot = g.people.slice(0, 25);  // the files a grid is busy with this week
        u.listRegions = [acct.region];
        u.mix = kGridMix;
      } else {
        // District and city users: the people and regions of their own jurisdiction.
        u.pool = peopleIn(acct.region);
        u.hot = grids.filter((g) => inRegion(g, acct.region))
          .flatMap((g) => city.grids[g].people.slice(0, 5));
        u.listRegions = regionsUnder(acct.region);
        u.mix = role === 'epi' ? kEpiMix : role === 'admin' ? kAdminMix : kCommanderMix;
      }
      users.push(u);
      index++;
    }
  }
  return users;
}

// The TOTP second factor (security.md D4) of the city-wide roles (admin, commander and
// epidemiologist, district ones included): per account the authenticator app's secret (from the
// enrolment answer of its first login), the last step used, the token of the last session it
// opened, and a queue, so that one login of an account runs at a time (a second enrolment would
// replace the secret of the first). A step works once per account and the server accepts three
// at once (the step before, the current one, the next), then one more per 30 s: a simulated
// user whose account has no fresh step right now joins the session opened last for the account
// (a second tab of the same person) instead of waiting; it waits only when there is none.
const totpAccounts = new Map();  // username -> {secret, last, token, queue}
function totpAccount(username) {
  if (!totpAccounts.has(username)) {
    totpAccounts.set(username, { secret: null, last: 0, token: null, queue: Promise.resolve() });
  }
  return totpAccounts.get(username);
}

// Logs u in (both steps for a city-wide role); true when u has a token.
async function logIn(u, deadline) {
  if (u.role === 'grid') {  // no second factor: each simulated user its own session, at once
    const r = await send(u, 'login', 'POST', '/api/v1/session',
      { username: u.username, password: cfg.password });
    if (ok(r) && r.json && r.json.token) u.token = r.json.token;
    return !!u.token;
  }
  const acct = totpAccount(u.username);
  const turn = acct.queue.then(async () => {
    if (acct.token && acct.secret && planTotpStep(acct).waitMs > 0) {
      u.token = acct.token;
      return;
    }
    const r = await send(u, 'login', 'POST', '/api/v1/session',
      { username: u.username, password: cfg.password });
    if (!ok(r) || !r.json) return;
    if (!r.json.mfa) {
      u.token = r.json.token || null;
      return;
    }
    if (r.json.mfa === 'enroll') {
      acct.secret = r.json.secret;
      acct.last = 0;
    }
    if (!acct.secret) {
      note('generator_exception', 0, 0, Date.now(), Date.now(), `no TOTP secret for ${u.username}`);
      return;
    }
    const { step, waitMs } = planTotpStep(acct);
    if (Date.now() + waitMs >= deadline) return;
    acct.last = step;
    if (waitMs > 0) await sleep(waitMs);
    const m = await send(u, 'login_mfa', 'POST', '/api/v1/session/mfa',
      { challenge: r.json.challenge, code: totpCode(acct.secret, step) }, undefined,
      { enroll: r.json.mfa === 'enroll' });
    if (ok(m) && m.json && m.json.token) {
      u.token = m.json.token;
      acct.token = m.json.token;
    }
  });
  acct.queue = turn.catch(() => {});
  await turn;
  return !!u.token;
}

async function runUser(u, deadline) {
  // Users arrive over the first five seconds, as a shift starting.
  await sleep(u.rng.int(5000));
  while (Date.now() < deadline) {
    if (!u.token) {
      const acct = totpAccount(u.username);
      const stale = u.lastToken && acct.token === u.lastToken;
      if (stale) acct.token = null;  // the shared session ended: the next login opens a new one
      if (!(await logIn(u, deadline))) {
        await sleep(1000);
        continue;
      }
      u.lastToken = u.token;
    }
    try {
      await step(u);
    } catch (e) {
      note('generator_exception', 0, 0, Date.now(), Date.now(), String(e && e.message));
    }
    await sleep(u.rng.exp(cfg.think_ms));
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

async function main() {
  const users = makeUsers();
  const started = Date.now();
  const deadline = started + cfg.duration_s * 1000;
  // A one-line progress report every 10 s on stderr.
  let last = 0;
  const progress = setInterval(() => {
    let total = 0;
    for (const s of stats.values()) total += s.count;
    const rate = (total - last) / 10;
    last = total;
    process.stderr.write(`[loadgen] t=${((Date.now() - started) / 1000).toFixed(0)}s ` +
      `requests=${total} (${rate.toFixed(0)}/s) in flight=${inflight} non-2xx=${failures.length}\n`);
  }, 10000);
  await Promise.all(users.map((u) => runUser(u, deadline)));
  clearInterval(progress);
  const ended = Date.now();
  for (const u of users) u.agent.destroy();
  await Promise.all(Object.values(ackFiles).map((s) => new Promise((r) => s.end(r))));
  const byKind = {};
  for (const [kind, s] of [...stats.entries()].sort()) {
    const lat = Float64Array.from(s.lat).sort();
    byKind[kind] = {
      count: s.count, statuses: s.statuses,
      p50: percentile(lat, 0.5), p95: percentile(lat, 0.95), p99: percentile(lat, 0.99),
      max: lat.length ? lat[lat.length - 1] : null,
    };
  }
  await new Promise((r) => requestLog.end(r));
  const unknown = [...scan.unknown.entries()].map(([key, kind]) => `${key}\t${kind}\n`).join('');
  fs.writeFileSync(path.join(cfg.out_dir, 'scan_unknown.tsv'), unknown);
  const results = {
    started, ended, users: users.length, think_ms: cfg.think_ms, by_kind: byKind, failures,
    accounts: Object.fromEntries(Object.entries(cfg.accounts).map(([k, v]) => [k, v.length])),
    scan: { answers: scan.answers, skipped_city_wide: scan.skipped_city_wide,
      by_kind: scan.by_kind, samples: scan.samples, unknown_people: scan.unknown.size,
      people_on_file: personPath.size },
    sqlite_busy: sqliteBusy,
  };
  fs.writeFileSync(path.join(cfg.out_dir, 'results.json'), JSON.stringify(results));
  process.stderr.write(`[loadgen] done: ${users.length} users, ${(ended - started) / 1000} s\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
