// The report of bench/load/run.sh, from the generator's results.json, the kill and restart
// times (events.json), verify.sql's output (verify.txt) and `cordon audit verify` (audit.txt).
//   node report.mjs WORK_DIR
// Prints the figures; exits 1 when an acknowledged write is missing or was acknowledged twice,
// when a 5xx (or no answer at all) came outside the kill window, or when the audit chain is
// broken.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
const results = JSON.parse(read('results.json'));
const events = JSON.parse(read('events.json'));
const verify = read('verify.txt').trim().split('\n').filter(Boolean)
  .map((l) => l.split('|'));
const audit = fs.existsSync(path.join(dir, 'audit.txt')) ? read('audit.txt').trim() : '(not run)';

// 502/503/504 are expected while a node is down and coming back: from the kill until the
// restarted node answers /readyz, plus a short grace for nginx to take it back.
const kGraceMs = 2000;
const windowStart = events.kill_ms;
const windowEnd = events.ready_ms + kGraceMs;
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
for (const s of Object.values(results.by_kind)) {
  total += s.count;
  for (const [st, n] of Object.entries(s.statuses)) if (st >= 200 && st <= 299) ok2xx += n;
}
const seconds = (results.ended - results.started) / 1000;
const f = (x) => (x === null || x === undefined ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

const out = [];
out.push('== Cordon load test (bench/load/run.sh) ==');
out.push(`setup: ${events.setup}`);
out.push(`users ${results.users} (accounts: ${JSON.stringify(results.accounts)}), think time ` +
  `mean ${results.think_ms} ms, ${seconds.toFixed(0)} s`);
out.push(`kill -9 of node 1 at +${((events.kill_ms - results.started) / 1000).toFixed(1)} s, ` +
  `restarted at +${((events.restart_ms - results.started) / 1000).toFixed(1)} s, ` +
  `ready at +${((events.ready_ms - results.started) / 1000).toFixed(1)} s ` +
  `(kill window until +${((windowEnd - results.started) / 1000).toFixed(1)} s)`);
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
for (const [kind, s] of Object.entries(results.by_kind)) {
  let two = 0;
  for (const [st, n] of Object.entries(s.statuses)) if (st >= 200 && st <= 299) two += n;
  const k = perKind[kind] || { expected: 0, kill: 0, other: 0 };
  out.push(`${pad(kind, 18)}${lpad(s.count, 8)}${lpad(two, 8)}${lpad(k.expected, 9)}` +
    `${lpad(k.kill, 9)}${lpad(k.other, 7)}${lpad(f(s.p50), 9)}${lpad(f(s.p95), 8)}` +
    `${lpad(f(s.p99), 8)}${lpad(f(s.max), 9)}  ${JSON.stringify(s.statuses)}`);
}
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
      const who = cordonPids.has(pid) ? 'cordon' : pid === loadgenPid ? 'load generator'
        : user === 'postgres' ? 'postgres' : user === 'www-data' ? 'nginx' : 'other';
      sum[who] = (sum[who] || 0) + cpu;
      if (who === 'other') others[command] = (others[command] || 0) + cpu;
    }
  }
  let busy = 0;
  for (const b of blocks) {
    const m = b.match(/%Cpu\(s\):\s*([\d.]+) us,\s*([\d.]+) sy,\s*([\d.]+) ni,\s*([\d.]+) id,\s*([\d.]+) wa/);
    if (m) busy += 100 - Number(m[4]) - Number(m[5]);
  }
  if (blocks.length > 0) {
    const n = blocks.length;
    out.push(`machine CPU busy (both cores, user+system): ${(busy / n).toFixed(0)} % on average`);
    const mean = (x) => (x / n).toFixed(0);
    const top = Object.entries(others).sort((a, b) => b[1] - a[1]).slice(0, 4)
      .map(([k, v]) => `${k} ${mean(v)}`).join(', ');
    out.push(`CPU by process, % of one core (${n} samples of top, 5 s apart; short-lived ` +
      'processes escape it): ' +
      ['cordon', 'postgres', 'nginx', 'load generator', 'other']
        .map((k) => `${k} ${mean(sum[k] || 0)}`).join(', ') +
      (top ? ` (other: ${top})` : ''));
    const cordonCpuMs = ((sum.cordon || 0) / n / 100) * seconds * 1000;
    out.push(`cordon CPU per request: ${(cordonCpuMs / total).toFixed(2)} ms ` +
      `(both nodes, all kinds)`);
    out.push('');
  }
}
out.push('acknowledged writes checked in PostgreSQL (verify.sql):');
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

const failed = [];
if (lost > 0) failed.push(`${lost} acknowledged write(s) lost`);
if (fatal > 0) failed.push(`${fatal} 5xx or unanswered request(s) outside the kill window`);
if (!auditOk) failed.push('audit chain not verified');
if (verify.length < 9) failed.push('verify.sql did not report every kind');
out.push('');
out.push(failed.length ? `RESULT: FAIL (${failed.join('; ')})` : 'RESULT: PASS');
console.log(out.join('\n'));
fs.writeFileSync(path.join(dir, 'report.txt'), out.join('\n') + '\n');
process.exit(failed.length ? 1 : 0);
