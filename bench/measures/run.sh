#!/usr/bin/env bash
# Measure lists at scale (issue #3): a city of POPULATION people with UNDER of them under a
# current measure (home quarantine, started 0-6 days ago, test days 1,4,7), then wrk on
#   1. a grid worker's work list: GET /api/v1/measures (their grid, 50 rows, with counts);
#   2. the city commander's list and counts: the same at city level;
#   3. the grid worker's follow-ups of today: GET /api/v1/followups/today.
# The measures are written with SQL straight into the schema (setting up a benchmark, not a
# use case); every request is authenticated, scoped in SQL, masked and audited.
# Usage: bench/measures/run.sh [POPULATION] [UNDER] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
population=${1:-1000000}
under=${2:-100000}
seconds=${3:-15}
port=${PORT:-18090}
bin=${CORDON:-build/cordon}
dir=$(mktemp -d /tmp/cordon-bench-measures-XXXXXX)
server=''
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$dir"' EXIT
export CORDON_ADMIN_PASSWORD=Bench-Passw0rd-1
echo "== machine: $(nproc) cores; $(lscpu | sed -n 's/^Model name: *//p')"
"$bin" demo --data "$dir" --population "$population" --seed 1 --generate-only >/dev/null
"$bin" migrate --data "$dir" >/dev/null
step=$((population / under))
((step >= 1)) || step=1
sqlite3 "$dir/cordon.db" <<SQL
BEGIN;
INSERT INTO measures (person_id, category, profile_version, step, measure, state, place,
  start_date, end_date, days, test_days, followups_per_day, region_code, region_path,
  created_at, updated_at)
SELECT id, 'secondary_contact', 1, 1, 'home_quarantine', 'active', '',
  date('now', '+8 hours', '-' || (id % 7) || ' days'),
  date('now', '+8 hours', '-' || (id % 7) || ' days', '+6 days'), 7, '1,4,7', 2,
  region_code, region_path, 0, 0
FROM people WHERE id % $step = 0 LIMIT $under;
INSERT INTO measure_test_days (measure_id, day, date, region_path)
SELECT m.id, d.day, date(m.start_date, '+' || (d.day - 1) || ' days'), m.region_path
FROM measures m, (SELECT 1 AS day UNION ALL SELECT 4 UNION ALL SELECT 7) d
WHERE NOT EXISTS (SELECT 1 FROM measure_test_days t WHERE t.measure_id = m.id);  -- the demo's own have theirs
COMMIT;
ANALYZE;
SQL
echo "== $(sqlite3 "$dir/cordon.db" "SELECT COUNT(*) FROM measures") people under measures among $population"
grid=$(sqlite3 "$dir/cordon.db" "SELECT region_code FROM measures GROUP BY region_code ORDER BY COUNT(*) DESC LIMIT 1")
echo "== busiest grid $grid: $(sqlite3 "$dir/cordon.db" "SELECT COUNT(*) FROM measures WHERE region_code = '$grid'") under measures"
printf '%s\n' "$CORDON_ADMIN_PASSWORD" | "$bin" user add --data "$dir" --username bench_grid \
  --role grid_worker --region "$grid" >/dev/null
sync
"$bin" serve --data "$dir" --port "$port" >"$dir/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# A session token; admin goes through its TOTP second factor (bench/lib/login.mjs keeps the
# secret and the steps used in the data dir; a second login may wait for a fresh 30 s step).
login() {
  node bench/lib/login.mjs "http://127.0.0.1:$port" "$1" "$CORDON_ADMIN_PASSWORD" "$dir/totp.json"
}
for who in bench_grid admin; do
  token=$(login "$who")
  items=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/measures?limit=50" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["items"]), d["counts"])')
  echo "== $who: GET /api/v1/measures?limit=50 (answer: $items), c=4, ${seconds}s"
  wrk -t2 -c4 -d"${seconds}s" --latency -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port/api/v1/measures?limit=50" | sed -n '/Latency Distribution/,/Requests\/sec/p'
done
token=$(login bench_grid)
echo "== bench_grid: GET /api/v1/followups/today, c=4, ${seconds}s"
wrk -t2 -c4 -d"${seconds}s" --latency -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/followups/today" | sed -n '/Latency Distribution/,/Requests\/sec/p'
token=$(login admin)
# Counts by measure and category per district for the whole city (the dashboard), checked
# against a GROUP BY of the same rows.
total=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/measures/summary" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["total"])')
expected=$(sqlite3 "$dir/cordon.db" "SELECT COUNT(*) FROM measures WHERE state IN ('planned','active','extended')")
echo "== admin: GET /api/v1/measures/summary (city: $total under measures, SQL count $expected), c=4, ${seconds}s"
[[ $total == "$expected" ]] || { echo "summary total differs from the SQL count" >&2; exit 1; }
wrk -t2 -c4 -d"${seconds}s" --latency -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/measures/summary" | sed -n '/Latency Distribution/,/Requests\/sec/p'
echo "== admin: GET /api/v1/measures/export.csv (every measure of the city, masked)"
curl -sf -o "$dir/export.csv" -w 'HTTP %{http_code}, %{size_download} bytes in %{time_total} s\n' \
  -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/measures/export.csv"
echo "rows: $(($(wc -l <"$dir/export.csv") - 1))"
echo "== admin: GET /api/v1/measures/export.xlsx (the same rows as a spreadsheet)"
curl -sf -o "$dir/export.xlsx" -w 'HTTP %{http_code}, %{size_download} bytes in %{time_total} s\n' \
  -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/measures/export.xlsx"
