// The report of bench/load/run.sh and run_sqlite.sh, from the generator's results.json,
// requests.tsv and scan_unknown.tsv, the kill and restart times (events.json, none on SQLite),
// verify.sql's output (verify.txt), the audit rows written during the load (audit_rows.tsv),
// where everyone lives after the run (people_after.tsv), each node's /metrics (metrics-*.txt)
// and `cordon audit verify` (audit.txt).
//   node report.mjs WORK_DIR        env: P95_BUDGET_MS (1000), P95_BULK_BUDGET_MS (2000)
// Prints the figures; exits 1 when an acknowledged write is missing or was acknowledged twice,
// when a 5xx (or no answer at all) came outside the kill window, when an answer showed a region
// or a person outside the user's jurisdiction or a whole identifier (security.md I3), when the
// audit rows do not match the requests (I3: each acknowledged audited request has exactly its
// rows; rows that no answer names are bounded by the requests left without one), when a locked
// SQLite database reached a client or a node counted a 5xx (H8), when a kind's p95 is over the
// budget, or when the audit chain is broken.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
const results = JSON.parse(read('results.json'));
const events = JSON.parse(read('events.json'));
const verify = read('verify.txt').trim().split('\n').filter(Boolean)
  .map((l) => l.split('|'));
const audit = fs.existsSync(path.join(dir, 'audit.txt')) ? read('audit.txt').trim() : '(not run)';
const exists = (f) => fs.existsSync(path.join(dir, f));
const lines = (f) => (exists(f) ? read(f).split('\n').filter((l) => l.length > 0) : []);
// The p95 budget (security.md I3): 1 s for what a person waits on at the screen (lists,
// searches, a file, a write, a dashboard), 2 s for the batches (a lead list, a push of leads,
// a batch of check-ins), none for the logins (below).
const budgetMs = Number(process.env.P95_BUDGET_MS || 1000);
const bulkBudgetMs = Number(process.env.P95_BULK_BUDGET_MS || 2000);
const kBulk = new Set(['import_csv', 'push_leads', 'checkin']);
const budgetOf = (kind) => (kBulk.has(kind) ? bulkBudgetMs : budgetMs);
// Not requests: the generator's own troubles, counted with the failures.
const notRequest = (kind) => kind.endsWith('_exception');

// 502/503/504 are expected while a node is down and coming back: from the kill until the
// restarted node answers /readyz, plus a short grace for nginx to take it back.
const kGraceMs = 2000;
const killed = typeof events.kill_ms === 'number';
const windowStart = killed ? events.kill_ms : Infinity;
const windowEnd = killed ? events.ready_ms + kGraceMs : -Infinity;
const inWindow = (t0, t1) => t1 >= windowStart && t0 <= windowEnd;
const kExpected = new Set([404, 409, 422]);

const perKind = {};
const otherByStatus = {};
const otherSamples = [];
let expected = 0;
let killWindow = 0;
let other = 0;
let fatal = 0;  // 5xx or no answer outside the kill window
for (const [t0, t1, kind, status, code] of results.failures) {
  const k = (perKind[kind] ||= { expected: 0, kill: 0, other: 0 });
  if (kExpected.has(status)) {
    expected++;
    k.expected++;
  } else if ((status >= 500 || status === 0) && inWindow(t0, t1)) {
    killWindow++;
    k.kill++;
  } else {
    other++;
    k.other++;
    const key = `${status}${code ? ' ' + code : ''}`;
    otherByStatus[key] = (otherByStatus[key] || 0) + 1;
    if (otherSamples.length < 10) {
      otherSamples.push(`${new Date(t1).toISOString()} ${kind} ${status} ${code}`);
    }
    if (status >= 500 || status === 0) fatal++;
  }
}

let total = 0;
let ok2xx = 0;
for (const [kind, s] of Object.entries(results.by_kind)) {
  if (notRequest(kind)) continue;
  total += s.count;
  for (const [st, n] of Object.entries(s.statuses)) if (st >= 200 && st <= 299) ok2xx += n;
}
const seconds = (results.ended - results.started) / 1000;
const f = (x) => (x === null || x === undefined ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

const out = [];
out.push(events.backend === 'sqlite' ? '== Cordon load test, one node on SQLite (bench/load/run_sqlite.sh) =='
  : '== Cordon load test, two nodes on PostgreSQL (bench/load/run.sh) ==');
out.push(`setup: ${events.setup}`);
out.push(`users ${results.users} (accounts: ${JSON.stringify(results.accounts)}), think time ` +
  `mean ${results.think_ms} ms, ${seconds.toFixed(0)} s`);
if (killed) {
  out.push(`${events.stop_signal || 'SIGKILL'} of node 1 at +${((events.kill_ms - results.started) / 1000).toFixed(1)} s, ` +
    `restarted at +${((events.restart_ms - results.started) / 1000).toFixed(1)} s, ` +
    `ready at +${((events.ready_ms - results.started) / 1000).toFixed(1)} s ` +
    `(stop window until +${((windowEnd - results.started) / 1000).toFixed(1)} s)`);
} else {
  out.push('no node stopped during the load');
}
if (events.loadavg_before) {
  out.push(`load average (1, 5, 15 min) before the load ${events.loadavg_before}, ` +
    `after ${events.loadavg_after}`);
}
out.push('');
out.push(`requests: ${total} (${(total / seconds).toFixed(0)}/s), 2xx ${ok2xx}, non-2xx ` +
  `${results.failures.length}: expected 409/404/422 ${expected}, 5xx during the kill window ` +
  `${killWindow}, other ${other} (of which 5xx or no answer outside the window: ${fatal})`);
if (other > 0) {
  out.push(`  other by status: ${JSON.stringify(otherByStatus)}`);
  for (const s of otherSamples) out.push(`  e.g. ${s}`);
}
out.push('');
out.push(`${pad('kind', 18)}${lpad('count', 8)}${lpad('2xx', 8)}${lpad('409/4xx', 9)}` +
  `${lpad('kill5xx', 9)}${lpad('other', 7)}${lpad('p50 ms', 9)}${lpad('p95', 8)}` +
  `${lpad('p99', 8)}${lpad('max', 9)}  statuses`);
// The p95 budget holds for every kind but the logins: a password hash is slow by design
// (Argon2id, D1), and every user logs in within the first five seconds.
const overBudget = [];
const kNoBudget = new Set(['login', 'login_mfa']);
for (const [kind, s] of Object.entries(results.by_kind)) {
  if (notRequest(kind)) continue;
  if (!kNoBudget.has(kind) && s.p95 !== null && s.p95 > budgetOf(kind)) {
    overBudget.push(`${kind} ${f(s.p95)} ms`);
  }
  let two = 0;
  for (const [st, n] of Object.entries(s.statuses)) if (st >= 200 && st <= 299) two += n;
  const k = perKind[kind] || { expected: 0, kill: 0, other: 0 };
  out.push(`${pad(kind, 18)}${lpad(s.count, 8)}${lpad(two, 8)}${lpad(k.expected, 9)}` +
    `${lpad(k.kill, 9)}${lpad(k.other, 7)}${lpad(f(s.p50), 9)}${lpad(f(s.p95), 8)}` +
    `${lpad(f(s.p99), 8)}${lpad(f(s.max), 9)}  ${JSON.stringify(s.statuses)}`);
}
out.push(`p95 budget ${budgetMs} ms, ${bulkBudgetMs} ms for ${[...kBulk].join(', ')} (none for ` +
  'login): ' +
  (overBudget.length ? `over it: ${overBudget.join(', ')}` : 'met by every kind'));
out.push('');
// CPU use while the load ran, from top every 5 s (the first sample, since boot, is skipped).
if (fs.existsSync(path.join(dir, 'top.txt'))) {
  const cordonPids = new Set((events.cordon_pids || []).map(String));
  const loadgenPid = String(events.loadgen_pid || '');
  const blocks = read('top.txt').split(/^top - /m).slice(2);
  const sum = {};
  const others = {};
  for (const b of blocks) {
    let header = false;
    for (const line of b.split('\n')) {
      const c = line.trim().split(/\s+/);
      if (c[0] === 'PID') {
        header = true;
        continue;
      }
      if (!header || c.length < 12) continue;
      const cpu = Number(c[8]);
      if (!(cpu > 0)) continue;
      const [pid, user, command] = [c[0], c[1], c.slice(11).join(' ')];
      const pg = events.backend !== 'sqlite';  // on SQLite, a PostgreSQL running is someone else's
      const who = cordonPids.has(pid) ? 'cordon' : pid === loadgenPid ? 'load generator'
        : pg && user === 'postgres' ? 'postgres' : pg && user === 'www-data' ? 'nginx' : 'other';
      sum[who] = (sum[who] || 0) + cpu;
      if (who === 'other') others[command] = (others[command] || 0) + cpu;
    }
  }
  let busy = 0;
  let load1 = 0;
  for (const b of blocks) {
    const l = b.match(/load average: ([\d.]+)/);
    if (l) load1 += Number(l[1]);
    const m = b.match(/%Cpu\(s\):\s*([\d.]+) us,\s*([\d.]+) sy,\s*([\d.]+) ni,\s*([\d.]+) id,\s*([\d.]+) wa/);
    if (m) busy += 100 - Number(m[4]) - Number(m[5]);
  }
  if (blocks.length > 0) {
    const n = blocks.length;
    out.push(`machine CPU busy (both cores, user+system): ${(busy / n).toFixed(0)} % on average; ` +
      `load average (1 min) ${(load1 / n).toFixed(1)} on average during the load`);
    const mean = (x) => (x / n).toFixed(0);
    const top = Object.entries(others).sort((a, b) => b[1] - a[1]).slice(0, 4)
      .map(([k, v]) => `${k} ${mean(v)}`).join(', ');
    out.push(`CPU by process, % of one core (${n} samples of top, 5 s apart; short-lived ` +
      'processes escape it): ' +
      (events.backend === 'sqlite' ? ['cordon', 'load generator', 'other']
        : ['cordon', 'postgres', 'nginx', 'load generator', 'other'])
        .map((k) => `${k} ${mean(sum[k] || 0)}`).join(', ') +
      (top ? ` (other: ${top})` : ''));
    const cordonCpuMs = ((sum.cordon || 0) / n / 100) * seconds * 1000;
    out.push(`cordon CPU per request: ${(cordonCpuMs / total).toFixed(2)} ms ` +
      `(${events.backend === 'sqlite' ? 'the node' : 'both nodes'}, all kinds)`);
    out.push('');
  }
}
out.push(`acknowledged writes checked in ${events.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (verify.sql):`);
out.push(`${pad('kind', 18)}${lpad('acked', 8)}${lpad('missing', 9)}${lpad('acked twice', 13)}`);
let lost = 0;
let acked = 0;
for (const [kind, n, missing, twice] of verify) {
  out.push(`${pad(kind, 18)}${lpad(n, 8)}${lpad(missing, 9)}${lpad(twice, 13)}`);
  if (kind !== 'lead_import_row') acked += Number(n);
  lost += Number(missing) + Number(twice);
}
out.push(`lost acknowledged writes: ${lost} (of ${acked} acknowledged writes)`);
out.push(`audit chain (cordon audit verify): ${audit}`);
const auditOk = /chain intact/.test(audit) && !/broken/.test(audit);


// --- Cross-scope rows (security.md I3): the generator's scan, and the people made during the run
// placed with the database afterwards.
const scan = results.scan || { answers: 0, by_kind: {}, samples: [] };
const scanByKind = {};  // kind -> {what: n}
for (const [kind, k] of Object.entries(scan.by_kind)) scanByKind[kind] = { ...k };
const after = new Map();
for (const l of lines('people_after.tsv')) {
  const [id, p] = l.split('\x1f');
  after.set(id, p || '');
}
let unknownChecked = 0;
let unknownUnplaced = 0;
const scanSamples = [...scan.samples];
for (const l of lines('scan_unknown.tsv')) {
  const [mine, id, kind] = l.split('\t');
  const p = after.get(id);
  unknownChecked++;
  if (p === undefined) {
    unknownUnplaced++;  // not on file after the run: counted as seen outside
  }
  if (p === undefined || p === '' || !p.startsWith(mine)) {
    const k = (scanByKind[kind] ||= {});
    k.person = (k.person || 0) + 1;
    if (scanSamples.length < 30) scanSamples.push(`${kind} person ${id} (made in the run) in ${p || '(nowhere)'} shown to ${mine}`);
  }
}
const scanTotals = {};
for (const k of Object.values(scanByKind)) {
  for (const [what, n] of Object.entries(k)) scanTotals[what] = (scanTotals[what] || 0) + n;
}
const crossScope = (scanTotals.region || 0) + (scanTotals.region_path || 0) + (scanTotals.person || 0);
const identifiers = scanTotals.identifier || 0;
out.push('');
out.push(`answers scanned (2xx JSON): ${scan.answers}, of which ${scan.skipped_city_wide || 0} to ` +
  `city-wide users (identifiers only: the whole city is theirs); people on file before the run ` +
  `${scan.people_on_file || 0}, people made during the run seen ${unknownChecked} (placed ` +
  `after the run; ${unknownUnplaced} not found)`);
out.push(`cross-scope rows: ${crossScope} (region codes ${scanTotals.region || 0}, region paths ` +
  `${scanTotals.region_path || 0}, person ids ${scanTotals.person || 0}); whole ID or mobile ` +
  `numbers outside a reveal: ${identifiers}`);
for (const [kind, k] of Object.entries(scanByKind).sort()) {
  out.push(`  ${pad(kind, 18)}${JSON.stringify(k)}`);
}
for (const x of scanSamples.slice(0, 10)) out.push(`  e.g. ${x}`);

// --- Audit rows (security.md I3): each acknowledged audited request has exactly its rows.
// requests.tsv: request id, user, kind, status, t0, t1, expected rows ('?' not predicted).
// audit_rows.tsv: request id, actor, action, outcome, object id of every row since the load
// started.
const reqs = new Map();
const maybeWrote = [];  // requests whose rows no answer names: no answer from a node, or in
                        // flight at the kill (nginx sends a GET again to the other node)
for (const l of lines('requests.tsv')) {
  const [rid, user, kind, status, t0, t1, rows] = l.split('\t');
  const r = { rid, user, kind, status: Number(status), t0: Number(t0), t1: Number(t1), rows };
  if (rid) reqs.set(rid, r);
  if (!rid || (killed && r.t0 <= windowStart && r.t1 >= windowStart)) maybeWrote.push(r);
}
const rowsByRid = new Map();
let auditRowCount = 0;
for (const l of lines('audit_rows.tsv')) {
  const [rid, actor, action, outcome, object] = l.split('\x1f');
  auditRowCount++;
  if (!rowsByRid.has(rid)) rowsByRid.set(rid, []);
  rowsByRid.get(rid).push({ actor, key: `${action}:${outcome}`, object });
}
// The rows each kind can write (the keys of loadgen.mjs expectedAudit, and the refusals the
// services audit), for the bound on rows of requests without an answer. Infinity: as many as
// the request had rows.
const kKindRows = {
  login: ['session.login:ok', 'session.login:mfa_required', 'session.login:mfa_enroll',
    'session.login:failed', 'session.login:locked'],
  login_mfa: ['session.login:ok', 'session.mfa_enrolled:ok', 'session.mfa_failed:failed',
    'session.login:locked'],
  list_people: ['people.list:ok'],
  search_name: ['people.search:ok'], search_id: ['people.search:ok'],
  search_phone: ['people.search:ok', 'people.list:ok'], search_address: ['people.search:ok'],
  read_person: ['people.get:ok', 'people.get:not_found', 'authz_denied:denied'],
  edit_person: ['people.update:ok', 'people.get:not_found', 'authz_denied:denied'],
  create_person: ['people.create:ok'],
  reveal: ['people.reveal:ok', 'people.get:not_found', 'authz_denied:denied'],
  timeline: ['people.timeline:ok', 'authz_denied:denied'],
  trajectory: ['trace.trajectory:ok', 'authz_denied:denied'],
  create_measure: ['measures.create:ok', 'measures.get:ok', 'authz_denied:denied'],
  list_measures: ['measures.list:ok'], followups_today: ['followups.list:ok'],
  test_result: ['measures.test:ok', 'measures.get:ok'], followup: ['followups.record:ok'],
  list_tasks: ['tasks.list:ok'], check_task: ['tasks.check:ok'],
  list_alerts: ['alerts.list:ok'], close_alert: ['alerts.close:ok'],
  import_csv: ['leads.import:ok'], push_leads: ['leads.import:ok'],
  door_to_door: ['leads.import:ok'],
  checkin: ['checkins.ingest:ok', 'people.create_unverified:ok*', 'venues.register:ok*'],
};
const bound = new Map();  // `${actor}\t${key}` -> how many rows requests without an answer may have written
for (const r of maybeWrote) {
  for (const k of kKindRows[r.kind] || []) {
    const key = `${r.user}\t${k.replace('*', '')}`;
    bound.set(key, k.endsWith('*') ? Infinity : (bound.get(key) || 0) + 1);
  }
}
const byAction = {};  // key -> {expected, found, missing, extra, object, refused, orphan}
const act = (key) => (byAction[key] ||= { expected: 0, found: 0, missing: 0, extra: 0,
  object: 0, refused: 0, orphan: 0 });
const perActor = new Map();  // `${actor}\t${key}` -> {expected, found, orphan}
const pa = (actor, key) => {
  const k = `${actor}\t${key}`;
  if (!perActor.has(k)) perActor.set(k, { expected: 0, found: 0, refused: 0, orphan: 0 });
  return perActor.get(k);
};
let audited = 0;
let otherActor = 0;
let unmodelled = 0;
const auditSamples = [];
const sample = (x) => { if (auditSamples.length < 12) auditSamples.push(x); };
for (const [rid, r] of reqs) {
  const found = rowsByRid.get(rid) || [];
  rowsByRid.delete(rid);
  for (const row of found) {
    if (row.actor !== r.user) {
      otherActor++;
      sample(`row ${row.key} of request ${rid} (${r.kind} by ${r.user}) names ${row.actor}`);
    }
  }
  const two = r.status >= 200 && r.status <= 299;
  if (!two || r.rows === '?') {
    if (two && found.length > 0) {
      unmodelled += found.length;
      sample(`${r.kind} (no model) wrote ${found.map((x) => x.key).join(' ')}`);
    }
    for (const row of found) {
      act(row.key).refused++;
      pa(r.user, row.key).refused++;
    }
    continue;
  }
  const expected = r.rows ? r.rows.split(' ').map((e) => {
    const i = e.indexOf(':', e.indexOf(':') + 1);
    return { key: e.slice(0, i), object: e.slice(i + 1) };
  }) : [];
  if (expected.length > 0) audited++;
  const left = [...found];
  const unmatched = [];
  for (const e of expected) {
    act(e.key).expected++;
    pa(r.user, e.key).expected++;
    const i = left.findIndex((x) => x.key === e.key && (e.object === '*' || x.object === e.object));
    if (i >= 0) {
      left.splice(i, 1);
      act(e.key).found++;
      pa(r.user, e.key).found++;
    } else {
      unmatched.push(e);
    }
  }
  for (const e of unmatched) {
    const i = left.findIndex((x) => x.key === e.key);
    if (i >= 0) {
      act(e.key).object++;
      sample(`${r.kind} ${rid}: ${e.key} names ${left[i].object.slice(0, 60)}, the answer ` +
        `${e.object.slice(0, 60)}`);
      left.splice(i, 1);
    } else {
      act(e.key).missing++;
      sample(`${r.kind} ${rid} by ${r.user} (${r.status}): no ${e.key} row`);
    }
  }
  for (const x of left) {
    act(x.key).extra++;
    sample(`${r.kind} ${rid} by ${r.user}: an extra ${x.key} row (${x.object.slice(0, 40)})`);
  }
}
// Rows that name no request answered to the generator.
for (const [rid, rows] of rowsByRid) {
  for (const row of rows) {
    act(row.key).orphan++;
    pa(row.actor, row.key).orphan++;
    if (!bound.has(`${row.actor}\t${row.key}`)) {
      sample(`a ${row.key} row by ${row.actor} (request ${rid || 'none'}) that no request explains`);
    }
  }
}
let overBound = 0;
let pairsExact = 0;
let pairsBounded = 0;
for (const [key, c] of perActor) {
  const b = bound.get(key) || 0;
  if (c.orphan > b) overBound += c.orphan - b;
  if (c.orphan === 0) pairsExact++;
  else pairsBounded++;
}
const sum = (field) => Object.values(byAction).reduce((a, x) => a + x[field], 0);
const [aExpected, aFound, aMissing, aExtra, aObject, aRefused, aOrphan] =
  ['expected', 'found', 'missing', 'extra', 'object', 'refused', 'orphan'].map(sum);
const maybeCount = maybeWrote.length;
out.push('');
out.push(`audit rows written during the load: ${auditRowCount} (rows before it: ` +
  `${lines('audit_before.txt')[0] || '?'}); acknowledged audited requests ${audited}`);
out.push(`  expected ${aExpected}, found ${aFound}: missing ${aMissing}, extra ${aExtra}, naming ` +
  `other objects ${aObject}, naming another actor ${otherActor}, of requests with no model ` +
  `${unmodelled}`);
out.push(`  rows of refused requests (non-2xx answers, e.g. authz_denied) ${aRefused}; rows of no ` +
  `answered request ${aOrphan}, ${overBound} over the bound (what the ${maybeCount} requests ` +
  `without an answer or in flight at the kill could have written, per user and action)`);
out.push(`  per user and action: ${perActor.size} pairs, ${pairsExact} exact, ${pairsBounded} with ` +
  `rows of unanswered requests, ${overBound} row(s) over the bound`);
out.push(`${pad('  action:outcome', 32)}${lpad('expected', 9)}${lpad('found', 9)}${lpad('missing', 9)}` +
  `${lpad('extra', 7)}${lpad('object', 8)}${lpad('refused', 9)}${lpad('no answer', 11)}`);
for (const [key, c] of Object.entries(byAction).sort()) {
  out.push(`${pad('  ' + key, 32)}${lpad(c.expected, 9)}${lpad(c.found, 9)}${lpad(c.missing, 9)}` +
    `${lpad(c.extra, 7)}${lpad(c.object, 8)}${lpad(c.refused, 9)}${lpad(c.orphan, 11)}`);
}
for (const x of auditSamples) out.push(`  e.g. ${x}`);

// --- H8: a locked SQLite database never reaches a client, and no node answered a 5xx.
const busy = results.sqlite_busy || {};
const busyTotal = Object.values(busy).reduce((a, n) => a + n, 0);
let metrics5xx = 0;
let metricsRequests = 0;
let metricsBusy = 0;  // cordon_db_busy_total: statements refused as busy or locked (H8)
const metricsNotes = [];
for (const file of fs.readdirSync(dir).filter((x) => /^metrics-.*\.txt$/.test(x)).sort()) {
  let n5 = 0;
  let n = 0;
  for (const l of read(file).split('\n')) {
    const b = l.match(/^cordon_db_busy_total (\d+)/);
    if (b) metricsBusy += Number(b[1]);
    const m = l.match(/^cordon_http_requests_total\{.*status="(\d+)"\} (\d+)/);
    if (!m) continue;
    n += Number(m[2]);
    if (Number(m[1]) >= 500) n5 += Number(m[2]);
  }
  metrics5xx += n5;
  metricsRequests += n;
  metricsNotes.push(`${file.replace(/^metrics-|\.txt$/g, '')} ${n} requests, ${n5} 5xx`);
}
out.push('');
out.push(`SQLITE_BUSY/LOCKED answers (503 "database is locked") seen by the clients: ${busyTotal}` +
  (busyTotal ? ` ${JSON.stringify(busy)}` : '') + `; 5xx counted by the nodes (/metrics, since ` +
  `each started): ${metrics5xx} (${metricsNotes.join('; ') || 'no /metrics read'}); ` +
  `statements refused as busy or locked (cordon_db_busy_total): ${metricsBusy}`);

const failed = [];
if (lost > 0) failed.push(`${lost} acknowledged write(s) lost`);
if (fatal > 0) failed.push(`${fatal} 5xx or unanswered request(s) outside the kill window`);
if (!auditOk) failed.push('audit chain not verified');
if (verify.length < 9) failed.push('verify.sql did not report every kind');
if (metricsBusy > 0) failed.push(`${metricsBusy} statement(s) refused as busy or locked`);
if (crossScope > 0) failed.push(`${crossScope} cross-scope row(s) in answers`);
if (identifiers > 0) failed.push(`${identifiers} answer(s) with a whole identifier`);
if (aMissing + aExtra + aObject + otherActor + unmodelled > 0) {
  failed.push(`audit rows differ from the acknowledged requests (missing ${aMissing}, extra ` +
    `${aExtra}, other object ${aObject}, other actor ${otherActor}, unmodelled ${unmodelled})`);
}
if (overBound > 0) failed.push(`${overBound} audit row(s) that no request explains`);
if (!exists('requests.tsv') || !exists('audit_rows.tsv')) failed.push('audit rows not compared');
if (busyTotal > 0) failed.push(`${busyTotal} SQLITE_BUSY answer(s)`);
// A kill leaves 502s from nginx, never from a node; any 5xx a node counted is a failure, but on
// the killed node the counters died with it (its /metrics are those since the restart).
if (metrics5xx > 0) failed.push(`${metrics5xx} 5xx counted by the nodes`);
if (overBudget.length > 0) failed.push(`p95 over budget: ${overBudget.join(', ')}`);
out.push('');
out.push(failed.length ? `RESULT: FAIL (${failed.join('; ')})` : 'RESULT: PASS');
console.log(out.join('\n'));
fs.writeFileSync(path.join(dir, 'report.txt'), out.join('\n') + '\n');
process.exit(failed.length ? 1 : 0);
