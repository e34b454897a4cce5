// The city sample of the load test (bench/load/run.sh, run_sqlite.sh), made from plain dumps of
// the database so that the same code serves PostgreSQL and SQLite:
//
//   node city.mjs WORK_DIR CITY_CODE
//
// Reads, in WORK_DIR, fields separated by 0x1f, one row a line (psql -A -t -F / sqlite3
// -separator):
//   regions.tsv   code, level, path                           (every region)
//   people.tsv    id, name, id_number, phone, address, region_code, region_path, merged (0/1)
//   venues.tsv    code, region_path                           (every venue)
// Writes WORK_DIR/city.json: {city, districts, regions: [[code, level, path]] in path order,
// grids: {code: {people: [[id, name, id_number, phone, address, region]]}},
// venues: [[code, region_path]]}. Per grid up to 300 people on file, spread over the grid by a
// fixed hash ((id * 2654435761) mod 1000003, the order the SQL sample used), listed by id.
// The generator's scan of answers (security.md I3) also reads people.tsv: who lives where.
import fs from 'node:fs';
import path from 'node:path';

const [dir, cityCode] = process.argv.slice(2);
const rows = (file) => fs.readFileSync(path.join(dir, file), 'utf8').split('\n')
  .filter((l) => l.length > 0).map((l) => l.split('\x1f'));

const regions = rows('regions.tsv').map(([code, level, p]) => [code, Number(level), p]);
regions.sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
const districts = regions.filter((r) => r[1] === 2).map((r) => r[0]).sort();
const grids = {};
const gridOfPath = new Map();
for (const [code, level, p] of regions) {
  if (level === 5) {
    grids[code] = { people: [] };
    gridOfPath.set(p, code);
  }
}
// Ids below 3.39 million keep id * 2654435761 exact in a double.
const spread = (id) => (id * 2654435761) % 1000003;
const candidates = new Map();  // grid -> [[hash, person]]
for (const [id, name, idNumber, phone, address, region, regionPath, merged] of rows('people.tsv')) {
  if (merged === '1') continue;
  const grid = gridOfPath.get(regionPath);
  if (grid === undefined) continue;
  const n = Number(id);
  if (!candidates.has(grid)) candidates.set(grid, []);
  candidates.get(grid).push([spread(n), [n, name, idNumber, phone, address, region]]);
}
for (const [grid, list] of candidates) {
  list.sort((a, b) => a[0] - b[0] || a[1][0] - b[1][0]);
  grids[grid].people = list.slice(0, 300).map((x) => x[1]).sort((a, b) => a[0] - b[0]);
}
const venues = fs.existsSync(path.join(dir, 'venues.tsv'))
  ? rows('venues.tsv').map(([code, p]) => [code, p || '']) : [];
fs.writeFileSync(path.join(dir, 'city.json'),
  JSON.stringify({ city: cityCode, districts, regions, grids, venues }));
