// The DuckDB peer of the contact-tracing comparison (bench/trace/run.sh): the same queries and
// the same canonical answer files as trace_compare's SQL peers (answers.h), from DIR/checkins.csv
// and DIR/queries.csv, into DIR/duckdb/.
// Usage: node duckdb_peer.mjs DIR [--q1 N] [--q2 N] [--q4 N] [--warm N] [--threads N]
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import { createHash } from 'node:crypto';

const args = process.argv.slice(2);
const dir = args[0];
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const limits = {
  q1: opt('--q1', Infinity),
  q2: opt('--q2', 3),
  q4: opt('--q4', Infinity),
  warm: opt('--warm', Infinity),
};
const threads = opt('--threads', 2);

const closeSql = `SELECT DISTINCT c.person, c.venue, x.t, c.t FROM checkins x JOIN checkins c
  ON c.venue = x.venue AND c.t BETWEEN x.t - 1800 AND x.t + 1800
  WHERE x.person = $1 AND x.t BETWEEN $2 AND $3 AND c.person <> $1`;
const secondarySql = `WITH idx AS (SELECT venue, t FROM checkins WHERE person = $1 AND t BETWEEN $2 AND $3),
  close AS (SELECT c.person, min(c.t) AS first FROM idx JOIN checkins c
    ON c.venue = idx.venue AND c.t BETWEEN idx.t - 1800 AND idx.t + 1800
    WHERE c.person <> $1 GROUP BY c.person),
  hop AS (SELECT k.venue, k.t FROM close JOIN checkins k
    ON k.person = close.person AND k.t BETWEEN close.first AND $3),
  sec AS (SELECT DISTINCT d.person FROM hop JOIN checkins d
    ON d.venue = hop.venue AND d.t BETWEEN hop.t - 1800 AND hop.t + 1800)
  SELECT count(*) FROM sec WHERE sec.person <> $1
  AND NOT EXISTS (SELECT 1 FROM close WHERE close.person = sec.person)`;
const trajectorySql = 'SELECT venue, t FROM checkins WHERE person = $1 AND t BETWEEN $2 AND $3';

const sets = [[], [], [], []];
const lines = fs.readFileSync(`${dir}/queries.csv`, 'utf8').split('\n');
for (const line of lines.slice(1)) {
  if (line === '') continue;
  const [set, , person, from, to] = line.split(',').map(Number);
  sets[set - 1].push({ person, from, to });
}
const q1 = sets[0].slice(0, limits.q1);
const q2 = sets[1].slice(0, limits.q2);
const q4 = sets[3].slice(0, limits.q4);

const out = `${dir}/duckdb`;
fs.mkdirSync(out, { recursive: true });

const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const db = await instance.connect();
let t0 = process.hrtime.bigint();
const ms = (since) => Number(process.hrtime.bigint() - since) / 1e6;
await db.run(`CREATE TABLE checkins AS SELECT * FROM read_csv('${dir}/checkins.csv', header = true,
  columns = {'person': 'INTEGER', 'venue': 'INTEGER', 't': 'INTEGER'})`);
const loadS = ms(t0) / 1000;
console.log(`duckdb: load ${loadS.toFixed(1)} s (in memory, ${threads} threads, no index)`);

const prepared = {
  close: await db.prepare(closeSql),
  secondary: await db.prepare(secondarySql),
  trajectory: await db.prepare(trajectorySql),
};
async function run(name, c) {
  const p = prepared[name];
  p.bindInteger(1, c.person);
  p.bindInteger(2, c.from);
  p.bindInteger(3, c.to);
  const reader = await p.runAndReadAll();
  return reader.getRows();
}

function stats(set, times) {
  const s = [...times].sort((a, b) => a - b);
  const q = (f) => (s.length ? s[Math.min(s.length, Math.max(1, Math.ceil(f * s.length))) - 1] : 0);
  const total = times.reduce((a, b) => a + b, 0) / 1000;
  return { set, n: s.length, p50: q(0.5), p99: q(0.99), max: s.length ? s[s.length - 1] : 0, total };
}
function print(st) {
  console.log(`  ${st.set.padEnd(4)} n=${String(st.n).padEnd(5)} p50 ${st.p50.toFixed(4).padStart(9)} ms  ` +
    `p99 ${st.p99.toFixed(4).padStart(9)} ms  max ${st.max.toFixed(4).padStart(9)} ms  total ${st.total.toFixed(3).padStart(8)} s`);
}

for (let i = 0; i < Math.min(limits.warm, q1.length); ++i) await run('close', q1[i]);
const evidence = [];
const q1ms = [];
for (let i = 0; i < q1.length; ++i) {
  t0 = process.hrtime.bigint();
  const rows = await run('close', q1[i]);
  q1ms.push(ms(t0));
  for (const r of rows) evidence.push([i, r[0], r[1], r[2], r[3]]);
}
const s1 = stats('q1', q1ms);
print(s1);

const q2counts = [];
const q2ms = [];
for (let i = 0; i < q2.length; ++i) {
  t0 = process.hrtime.bigint();
  const rows = await run('secondary', q2[i]);
  q2ms.push(ms(t0));
  q2counts.push(Number(rows[0][0]));
  console.log(`  Q2 case ${i}: ${q2counts[i]} secondary, ${q2ms[i].toFixed(1)} ms`);
}
const s2 = stats('q2', q2ms);
print(s2);

for (let i = 0; i < Math.min(limits.warm, q4.length); ++i) await run('trajectory', q4[i]);
const traj = [];
const q4ms = [];
for (let i = 0; i < q4.length; ++i) {
  t0 = process.hrtime.bigint();
  const rows = await run('trajectory', q4[i]);
  q4ms.push(ms(t0));
  for (const r of rows) traj.push([i, r[0], r[1]]);
}
const s4 = stats('q4', q4ms);
print(s4);

const byNumbers = (a, b) => {
  for (let k = 0; k < a.length; ++k) if (a[k] !== b[k]) return a[k] - b[k];
  return 0;
};
evidence.sort(byNumbers);
traj.sort(byNumbers);
const counts = new Array(q1.length).fill(0);
evidence.forEach((r, i) => {
  if (i === 0 || r[0] !== evidence[i - 1][0] || r[1] !== evidence[i - 1][1]) counts[r[0]] += 1;
});
function write(name, rows) {
  const fd = fs.openSync(`${out}/${name}`, 'w');
  let buf = '';
  for (const r of rows) {
    buf += r.join(',') + '\n';
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  const hash = createHash('sha256').update(fs.readFileSync(`${out}/${name}`)).digest('hex');
  console.log(`  sha256 ${hash}  ${name}`);
}
write('q1_evidence.csv', evidence);
write('q1_counts.csv', counts.map((c, i) => [i, c]));
write('q2_counts.csv', q2counts.map((c, i) => [i, c]));
write('q4_trajectory.csv', traj);
const each = [['q1', q1ms], ['q2', q2ms], ['q4', q4ms]].flatMap(([set, times]) =>
  times.map((t, i) => `${set},${i},${t.toFixed(6)}\n`));
fs.writeFileSync(`${out}/latencies.csv`, each.join(''));
const fmt = (st) => `${st.set}\t${st.n}\t${st.p50.toFixed(4)}\t${st.p99.toFixed(4)}\t${st.max.toFixed(4)}\t${st.total.toFixed(3)}`;
fs.writeFileSync(`${out}/timings.tsv`, [`load\t1\t0\t0\t0\t${loadS.toFixed(3)}`, fmt(s1), fmt(s2), fmt(s4)].join('\n') + '\n');
