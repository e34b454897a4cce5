#!/usr/bin/env bash
# Lead import end to end (issue #3): ROWS assist-notice rows (IDs of people on file, three risk
# categories) into a generated city of POPULATION people, by `cordon import leads`: reading,
# validation, matching, task creation, the audit row and the durable commit. Then the same file
# again (idempotent: nothing changes). Prints wall-clock times.
# Usage: bench/leads/run.sh [POPULATION] [ROWS]
set -euo pipefail
cd "$(dirname "$0")/../.."
population=${1:-1000000}
rows=${2:-100000}
bin=${CORDON:-build/cordon}
dir=$(mktemp -d /tmp/cordon-bench-leads-XXXXXX)
trap 'rm -rf "$dir"' EXIT
export CORDON_ADMIN_PASSWORD=Bench-Passw0rd-1
echo "== machine: $(nproc) cores; $(lscpu | sed -n 's/^Model name: *//p')"
echo "== generating $population people"
"$bin" demo --data "$dir" --population "$population" --seed 1 --generate-only >/dev/null
"$bin" migrate --data "$dir" >/dev/null
step=$((population / rows))
((step >= 1)) || step=1
{
  echo "身份证号,姓名,人员类别,来源地,报告时间"
  # The whole ID from its masked ends and the birth date: the database holds it sealed (B3).
  sqlite3 -csv "$dir/cordon.db" "SELECT substr(id_number_masked, 1, 6) || \
    replace(birth_date, '-', '') || substr(id_number_masked, 15), name, CASE id % 3 WHEN 0 THEN '密接' \
    WHEN 1 THEN '次密接' ELSE '高风险区来返' END, '上海', '2022-04-01' FROM people \
    WHERE id % $step = 0 LIMIT $rows"
} >"$dir/leads.csv"
echo "== file: $(($(wc -l <"$dir/leads.csv") - 1)) rows, $(stat -c %s "$dir/leads.csv") bytes"
sync
/usr/bin/time -f "import: %e s, max RSS %M KiB" "$bin" import leads "$dir/leads.csv" --data "$dir" | tail -1
/usr/bin/time -f "re-import of the same file: %e s" "$bin" import leads "$dir/leads.csv" --data "$dir" | tail -1
echo "tasks: $(sqlite3 "$dir/cordon.db" "SELECT COUNT(*) FROM tasks"), leads: $(sqlite3 "$dir/cordon.db" "SELECT COUNT(*) FROM leads")"
