#!/usr/bin/env bash
# The load test of bench/load/run.sh on one Cordon node on SQLite, the default installation
# (security.md H8 and I3): the same users, generator, scans and report, without the load
# balancer and PostgreSQL.
#
#   bench/load/run_sqlite.sh [DURATION_SECONDS]        (default 300)
#   env: POPULATION (200000)  USERS (200)  THINK_MS (300)  SEED (1)  PORT (18490)
#        NODE_THREADS (cordon's default)  SKIP_ACTIONS  KEEP_WORK=1  REPORT_DIR=DIR  CORDON_BIN
#        P95_BUDGET_MS (1000), P95_BULK_BUDGET_MS (2000), as run.sh;
#        RESTART=1 stops the node with SIGTERM at DURATION/2 and starts it again (requests
#        meanwhile have no answer: they fall in the restart window, like run.sh's kill window).
#
# Everything runs on loopback in a temporary directory under /tmp, removed at the end:
#  1. a generated city in a fresh data directory (`cordon demo --generate-only`, seed SEED) and
#     the same accounts as run.sh (bench/load/common.sh);
#  2. `cordon serve --data DIR` on 127.0.0.1:PORT;
#  3. bench/load/loadgen.mjs: USERS simulated users straight to the node;
#  4. the node is stopped with SIGTERM (it copies its audit journal into the table as it stops),
#     then every acknowledged write is looked up (bench/load/verify.sql, run by sqlite3), the
#     audit rows are matched with the requests, and the audit chain is verified.
# Fails (exit 1) as run.sh does; and H8: any 5xx (there is no kill window), any 503 naming a
# locked database, any 5xx in the node's /metrics.
set -euo pipefail

DURATION=${1:-300}
POPULATION=${POPULATION:-200000}
USERS=${USERS:-200}
THINK_MS=${THINK_MS:-300}
SEED=${SEED:-1}
PORT=${PORT:-18490}
PASSWORD=${PASSWORD:-Load-test-1}
NODE_THREADS=${NODE_THREADS:-}
RESTART=${RESTART:-0}

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=bench/load/common.sh
source "$here/common.sh"

load_install_missing node:nodejs sqlite3:sqlite3 curl:curl
load_prepare
stop_node() {  # SIGTERM, then wait for the node to finish (up to 60 s, then SIGKILL)
  [[ -f $work/node1.pid ]] || return 0
  local pid
  pid=$(cat "$work/node1.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  { wait "$pid"; } 2>/dev/null || true
  rm -f "$work/node1.pid"
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  load_cleanup_common
  stop_node
  load_keep_report
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

data=$work/data
dbfile=$data/cordon.db
log "generating a city of $POPULATION people (seed $SEED) in $data"
t0=$(now_ms)
CORDON_ADMIN_PASSWORD=$PASSWORD "$cordon" demo --data "$data" \
  --population "$POPULATION" --seed "$SEED" --generate-only >"$work/demo.log"
log "city generated in $((($(now_ms) - t0) / 1000)) s"

sql() { sqlite3 -batch -noheader -separator $'\x1f' -cmd '.timeout 5000' "$dbfile" "$1"; }
add_user() {  # username role region
  printf '%s\n' "$PASSWORD" | "$cordon" user add --data "$data" \
    --username "$1" --role "$2" --region "$3" >/dev/null
}
load_accounts
load_city_sample

start_node() {
  "$cordon" serve --data "$data" --port "$PORT" ${NODE_THREADS:+--threads "$NODE_THREADS"} \
    >>"$work/node1.log" 2>&1 &
  echo $! >"$work/node1.pid"
}
wait_ready() {
  for _ in $(seq 300); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/readyz" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  log "the node is not ready after 30 s"
  return 1
}
start_node
wait_ready
pids=$(cat "$work/node1.pid")

load_write_config "http://127.0.0.1:$PORT"
loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "load: $USERS users for $DURATION s on one node on SQLite (load average before: $loadavg_before)"
load_start
stop_json='"kill_ms": null, "restart_ms": null, "ready_ms": null'
if [[ $RESTART == 1 ]]; then
  sleep "$((DURATION / 2))"
  kill_ms=$(now_ms)
  load_metrics "$PORT" node1-before-restart
  stop_node
  echo "--- restarted after SIGTERM ---" >>"$work/node1.log"
  restart_ms=$(now_ms)
  start_node
  wait_ready
  ready_ms=$(now_ms)
  pids="$pids $(cat "$work/node1.pid")"
  log "node stopped at +$(((kill_ms - load_started) / 1000)) s, ready again after $((ready_ms - kill_ms)) ms"
  stop_json="\"kill_ms\": $kill_ms, \"restart_ms\": $restart_ms, \"ready_ms\": $ready_ms, \"stop_signal\": \"SIGTERM\""
fi
load_wait || exit 1
loadavg_after=$(cut -d' ' -f1-3 /proc/loadavg)
load_metrics "$PORT" node1
# Stopped before anything is read: the node copies what its audit journal holds into the table.
stop_node

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
setup="cordon $commit (serve --threads ${NODE_THREADS:-default}), population $POPULATION (seed $SEED), one node on SQLite $(sqlite3 --version | cut -d' ' -f1), node $(node --version); $(nproc) x $cpu, $(free -g | awk '/^Mem:/ {print $2}') GiB"
cat >"$work/events.json" <<EOF
{"load_started_ms": $load_started, $stop_json, "setup": "$setup", "backend": "sqlite",
 "loadavg_before": "$loadavg_before", "loadavg_after": "$loadavg_after",
 "cordon_pids": [${pids// /, }], "loadgen_pid": $loadgen_pid}
EOF

log "verifying acknowledged writes, the audit rows and the audit chain"
# verify.sql as sqlite3 runs it: psql's \copy becomes .import, and an empty CSV field NULL.
sed -E "s|^\\\\copy (ack_[a-z_]+) FROM '([^']+)'.*$|.import --csv --skip 1 --schema temp \\2 \\1|" \
  "$here/verify.sql" | awk '
    /^\.import .* ack_import_row$/ {
      print
      print "UPDATE temp.ack_import_row SET person_id = NULLIF(person_id, \x27\x27),"
      print "  task_id = NULLIF(task_id, \x27\x27);"
      next
    }
    { print }' >"$work/verify_sqlite.sql"
(cd "$work" && sqlite3 -batch -noheader -bail -separator '|' "$dbfile" <verify_sqlite.sql) >"$work/verify.txt"
load_dump_after
"$cordon" audit verify --data "$data" >"$work/audit.txt" 2>&1 || true
node "$here/report.mjs" "$work"
