#!/usr/bin/env bash
# Load test of a two-node Cordon behind a load balancer, with a node killed midway (issue #4).
#
#   bench/load/run.sh [DURATION_SECONDS]        (default 300)
#   env: POPULATION (200000)  USERS (200)  THINK_MS (300, mean think time between actions)
#        SEED (1)  NODE_THREADS (cordon's default)  PG_PORT (55480)  LB_PORT (18480)
#        NODE1_PORT (18481)  NODE2_PORT (18482)
#        SKIP_ACTIONS (none; e.g. import,push,door: generator actions left out, for diagnosis)
#        KEEP_WORK=1 keeps the temporary directory; REPORT_DIR=DIR copies the report, the
#        generator's results and the logs there. CORDON_BIN=PATH runs that binary (a ready
#        build; nothing is built), else build/cordon (made with `make build` when missing).
#        P95_BUDGET_MS (1000): the p95 every kind of request must meet (login excepted), and
#        P95_BULK_BUDGET_MS (2000) that of the batches (lead lists and pushes, check-ins).
# bench/load/run_sqlite.sh is the same load on one node on SQLite (security.md H8); both share
# bench/load/common.sh, the generator and the report.
#
# Everything runs on loopback, in a temporary directory under /tmp that is removed at the end
# (PostgreSQL, both nodes and nginx are stopped on every exit, failure or Ctrl-C included):
#  1. a throwaway PostgreSQL 15 server (scripts/pg-test-server.sh), a database `cordon_load`,
#     the schema and a generated city (`cordon demo --db ... --generate-only`, seed SEED), and
#     login accounts: admin and commander from the demo, one grid worker per grid (up to 100),
#     one epidemiologist and one commander per district (`cordon user add`);
#  2. two `cordon serve --db ...` nodes, and Debian's nginx (installed with apt-get when missing)
#     as the load balancer, with its own nginx.conf in the temporary directory: both nodes in one
#     upstream with keep-alive, and `proxy_next_upstream error timeout` (nginx never passes a
#     POST or PATCH already sent to the other node: only idempotent requests are retried);
#  3. bench/load/loadgen.mjs (Node.js, standard library only): USERS simulated users, each
#     logged in with its own session and connection (the city-wide roles through their TOTP
#     second factor, codes by bench/lib/login.mjs; beyond three simulated users of one such
#     account at once, the others share the session it opened last rather than wait 30 s for a
#     fresh step), doing what grid workers, epidemiologists,
#     commanders and administrators do: person lists and searches (name, ID, phone, address),
#     person reads and timelines, edits with the version read (a 409 is a correct answer),
#     control measures, test results, follow-ups, alerts, screening-task checks, lead lists
#     imported as CSV, JSON pushes and door-to-door entries, check-ins, reveals, dashboards;
#     every JSON answer is scanned for region codes, region paths and person ids outside the
#     user's jurisdiction, and for whole ID or mobile numbers (security.md I3);
#  4. at DURATION/2 node 1 is killed with SIGKILL, and started again 10 s later;
#  5. afterwards every acknowledged (2xx) write the generator recorded is looked up in the
#     database (bench/load/verify.sql), every audit row written during the load is matched with
#     the request that wrote it (by X-Request-Id: each acknowledged audited request has exactly
#     its rows; rows of no known request are bounded by the requests left without an answer),
#     and the audit chain is verified (`cordon audit verify`).
# The report (bench/load/report.mjs): requests per kind, non-2xx split into expected
# (409/404/422), 502/503/504 during the kill window, and others, latency p50/p95/p99/max per
# kind, and acknowledged writes lost. Exit status 1 when an acknowledged write is lost or was
# acknowledged twice, when a 5xx came outside the kill window, or when the audit chain is broken.
set -euo pipefail

DURATION=${1:-300}
POPULATION=${POPULATION:-200000}
USERS=${USERS:-200}
THINK_MS=${THINK_MS:-300}
SEED=${SEED:-1}
PG_PORT=${PG_PORT:-55480}
LB_PORT=${LB_PORT:-18480}
NODE1_PORT=${NODE1_PORT:-18481}
NODE2_PORT=${NODE2_PORT:-18482}
PASSWORD=${PASSWORD:-Load-test-1}
NODE_THREADS=${NODE_THREADS:-}  # cordon serve --threads (empty: cordon's default, one per core)

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=bench/load/common.sh
source "$here/common.sh"

# --- What the test needs, installed when missing (a fresh Debian 12, as root) -----------------
load_install_missing nginx:nginx node:nodejs psql:postgresql-client curl:curl \
  '/usr/lib/postgresql/*/bin/initdb:postgresql'
load_prepare
pg_started=0
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for n in 1 2; do
    if [[ -f $work/node$n.pid ]]; then
      local pid
      pid=$(cat "$work/node$n.pid")
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  load_cleanup_common
  if [[ -f $work/nginx/nginx.pid ]]; then kill -QUIT "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true; fi
  for n in 1 2; do
    if [[ -f $work/node$n.pid ]]; then
      local pid
      pid=$(cat "$work/node$n.pid")
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  if ((pg_started)); then bash "$root/scripts/pg-test-server.sh" stop "$work/pg" || true; fi
  if [[ -n ${REPORT_DIR:-} ]]; then
    mkdir -p "$REPORT_DIR"
    cp -f "$work/nginx/logs/error.log" "$REPORT_DIR/nginx-error.log" 2>/dev/null || true
  fi
  load_keep_report
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- PostgreSQL, the schema and the city --------------------------------------------------------
log "PostgreSQL on port $PG_PORT in $work/pg"
pg_started=1
server_url=$(bash "$root/scripts/pg-test-server.sh" start "$work/pg" "$PG_PORT")
# The cluster's superuser is `cordon` with trust on loopback (pg-test-server.sh), as in the API
# tests' fixture (tests/api/cordon_server.cc): a database is made with psql over TCP.
psql -X -q "$server_url" -c 'CREATE DATABASE cordon_load'
db=${server_url%/*}/cordon_load
mkdir -p "$work/node1" "$work/node2"
log "generating a city of $POPULATION people (seed $SEED)"
t0=$(now_ms)
CORDON_ADMIN_PASSWORD=$PASSWORD "$cordon" demo --data "$work/node1" --db "$db" --field-keys "$work/field-keys" \
  --population "$POPULATION" --seed "$SEED" --generate-only >"$work/demo.log"
log "city generated in $((($(now_ms) - t0) / 1000)) s"

sql() { psql -X -q -A -t -F $'\x1f' -v ON_ERROR_STOP=1 "$db" -c "$1"; }
add_user() {  # username role region
  printf '%s\n' "$PASSWORD" | "$cordon" user add --data "$work/node1" --db "$db" --field-keys "$work/field-keys" \
    --username "$1" --role "$2" --region "$3" >/dev/null
}
load_accounts
# A sample of the city for the generator (bench/load/city.mjs): per grid up to 300 people on
# file, spread over the grid by a fixed hash; and who lives where, for the scan of answers.
load_city_sample

# --- Two nodes and the load balancer ------------------------------------------------------------
start_node() {  # n port
  "$cordon" serve --data "$work/node$1" --db "$db" --field-keys "$work/field-keys" --port "$2" ${NODE_THREADS:+--threads "$NODE_THREADS"} \
    >>"$work/node$1.log" 2>&1 &
  echo $! >"$work/node$1.pid"
}
wait_ready() {  # port
  for _ in $(seq 300); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$1/readyz" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  log "node on port $1 not ready after 30 s"
  return 1
}
start_node 1 "$NODE1_PORT"
start_node 2 "$NODE2_PORT"
wait_ready "$NODE1_PORT"
wait_ready "$NODE2_PORT"

mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
chown -R www-data "$work/nginx/tmp"
# Cordon closes a keep-alive connection after 5 s idle: nginx drops its own idle upstream
# connections sooner, so that it never sends a request on one the node is closing.
cat >"$work/nginx/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid nginx.pid;
error_log logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path tmp/body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
  upstream cordon {
    server 127.0.0.1:$NODE1_PORT max_fails=1 fail_timeout=3s;
    server 127.0.0.1:$NODE2_PORT max_fails=1 fail_timeout=3s;
    keepalive 128;
    keepalive_timeout 4s;
  }
  server {
    listen 127.0.0.1:$LB_PORT;
    client_max_body_size 64m;
    location / {
      proxy_pass http://cordon;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      # Only a request that can be sent again: nginx never retries a POST or PATCH once sent
      # (no non_idempotent here), so a write is answered once, by the node that made it.
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 1s;
      proxy_send_timeout 30s;
      proxy_read_timeout 30s;
      proxy_buffering on;
    }
  }
}
EOF
nginx -p "$work/nginx/" -c nginx.conf -e logs/error.log -t -q
nginx -p "$work/nginx/" -c nginx.conf -e logs/error.log -g 'daemon off;' &
for _ in $(seq 50); do [[ -s $work/nginx/nginx.pid ]] && break; sleep 0.1; done
wait_ready "$LB_PORT"
log "nodes on $NODE1_PORT and $NODE2_PORT, nginx on $LB_PORT"

# --- The load, with node 1 killed midway ------------------------------------------------------
load_write_config "http://127.0.0.1:$LB_PORT"
loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "load: $USERS users for $DURATION s through nginx (load average before: $loadavg_before)"
load_start
pids="$(cat "$work/node1.pid") $(cat "$work/node2.pid")"

sleep "$((DURATION / 2))"
victim=$(cat "$work/node1.pid")
kill_ms=$(now_ms)
kill -KILL "$victim"
{ wait "$victim"; } 2>/dev/null || true
log "killed node 1 (pid $victim) with SIGKILL"
sleep 10
restart_ms=$(now_ms)
echo "--- restarted after SIGKILL ---" >>"$work/node1.log"
start_node 1 "$NODE1_PORT"
wait_ready "$NODE1_PORT"
ready_ms=$(now_ms)
pids="$pids $(cat "$work/node1.pid")"
log "node 1 restarted, ready after $((ready_ms - restart_ms)) ms"

load_wait || exit 1
loadavg_after=$(cut -d' ' -f1-3 /proc/loadavg)
load_metrics "$NODE1_PORT" node1
load_metrics "$NODE2_PORT" node2

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
setup="cordon $commit (serve --threads ${NODE_THREADS:-default}), population $POPULATION (seed $SEED), PostgreSQL $(psql -X -A -t "$db" -c 'SHOW server_version' | cut -d' ' -f1), nginx $(nginx -v 2>&1 | sed 's/.*\///'), node $(node --version); $(nproc) x $cpu, $(free -g | awk '/^Mem:/ {print $2}') GiB"
cat >"$work/events.json" <<EOF
{"load_started_ms": $load_started, "kill_ms": $kill_ms, "restart_ms": $restart_ms,
 "ready_ms": $ready_ms, "setup": "$setup", "backend": "postgresql",
 "loadavg_before": "$loadavg_before", "loadavg_after": "$loadavg_after",
 "cordon_pids": [${pids// /, }], "loadgen_pid": $loadgen_pid}
EOF

# --- Every acknowledged write, the audit rows, and the audit chain ------------------------------
log "verifying acknowledged writes, the audit rows and the audit chain"
(cd "$work" && psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 "$db" -f "$here/verify.sql") >"$work/verify.txt"
# Every audited read and write is committed before its answer leaves (no journal on PostgreSQL).
load_dump_after
"$cordon" audit verify --data "$work/node2" --db "$db" --field-keys "$work/field-keys" >"$work/audit.txt" 2>&1 || true
node "$here/report.mjs" "$work"
