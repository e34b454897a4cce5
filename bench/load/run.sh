#!/usr/bin/env bash
# Load test of a two-node Cordon behind a load balancer, with a node killed midway (issue #4).
#
#   bench/load/run.sh [DURATION_SECONDS]        (default 300)
#   env: POPULATION (200000)  USERS (200)  THINK_MS (300, mean think time between actions)
#        SEED (1)  NODE_THREADS (cordon's default)  PG_PORT (55480)  LB_PORT (18480)
#        NODE1_PORT (18481)  NODE2_PORT (18482)
#        SKIP_ACTIONS (none; e.g. import,push,door: generator actions left out, for diagnosis)
#        KEEP_WORK=1 keeps the temporary directory; REPORT_DIR=DIR copies the report, the
#        generator's results and the logs there.
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
#     imported as CSV, JSON pushes and door-to-door entries, dashboards;
#  4. at DURATION/2 node 1 is killed with SIGKILL, and started again 10 s later;
#  5. afterwards every acknowledged (2xx) write the generator recorded is looked up in the
#     database (bench/load/verify.sql), and the audit chain is verified (`cordon audit verify`).
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
log() { echo "[run.sh $(date +%H:%M:%S)] $*" >&2; }
now_ms() { date +%s%3N; }

# --- What the test needs, installed when missing (a fresh Debian 12, as root) -----------------
missing=()
command -v nginx >/dev/null || missing+=(nginx)
command -v node >/dev/null || missing+=(nodejs)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v curl >/dev/null || missing+=(curl)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [[ ! -x $root/build/cordon ]]; then
  log "building cordon (make build)"
  make -C "$root" build
fi

work=$(mktemp -d /tmp/cordon-load-XXXXXX)
chmod 755 "$work"  # the PostgreSQL server and nginx's workers run as other users
# The run uses a copy of the binary, so that a rebuild meanwhile cannot change the node that is
# restarted after the kill.
cp "$root/build/cordon" "$work/cordon"
cordon=$work/cordon
"$cordon" --help >/dev/null
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$root" status --porcelain -- src 2>/dev/null) ]]; then commit="$commit+local changes"; fi
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
  if [[ -f $work/loadgen.pid ]]; then kill -TERM "$(cat "$work/loadgen.pid")" 2>/dev/null || true; fi
  if [[ -f $work/top.pid ]]; then kill -TERM "$(cat "$work/top.pid")" 2>/dev/null || true; fi
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
    cp -f "$work"/{report.txt,results.json,events.json,verify.txt,audit.txt,top.txt,node1.log,node2.log,loadgen.log} \
      "$REPORT_DIR"/ 2>/dev/null || true
    cp -f "$work/nginx/logs/error.log" "$REPORT_DIR/nginx-error.log" 2>/dev/null || true
  fi
  if [[ ${KEEP_WORK:-0} == 1 ]]; then
    log "kept $work"
  else
    rm -rf "$work"
  fi
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
CORDON_ADMIN_PASSWORD=$PASSWORD "$cordon" demo --data "$work/node1" --db "$db" \
  --population "$POPULATION" --seed "$SEED" --generate-only >"$work/demo.log"
log "city generated in $((($(now_ms) - t0) / 1000)) s"

sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$db" -c "$1"; }
add_user() {  # username role region
  printf '%s\n' "$PASSWORD" | "$cordon" user add --data "$work/node1" --db "$db" \
    --username "$1" --role "$2" --region "$3" >/dev/null
}
city_code=$(sql "SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1")
mapfile -t districts < <(sql "SELECT code FROM regions WHERE level = 2 ORDER BY code")
# The grids with people, up to 100 of them spread over the city, each with a worker's account.
mapfile -t grid_codes < <(sql "SELECT code FROM (SELECT code, row_number() OVER (ORDER BY code) AS n,
  count(*) OVER () AS total FROM regions r WHERE level = 5 AND EXISTS
  (SELECT 1 FROM people p WHERE p.region_code = r.code)) g
  WHERE total <= 100 OR n % ((total + 99) / 100) = 0 ORDER BY code LIMIT 100")
log "accounts: ${#grid_codes[@]} grid workers, ${#districts[@]} district epidemiologists and commanders"
accounts_json() {  # role prefix codes...
  local prefix=$1 first=1
  shift
  printf '['
  for code in "$@"; do
    ((first)) || printf ','
    first=0
    printf '{"username":"%s%s","region":"%s"}' "$prefix" "$code" "$code"
  done
  printf ']'
}
for g in "${grid_codes[@]}"; do add_user "lg_$g" grid_worker "$g"; done
for d in "${districts[@]}"; do
  add_user "le_$d" epidemiologist "$d"
  add_user "lc_$d" commander "$d"
done

# A sample of the city for the generator: per grid up to 300 people on file (id, name, ID
# number, phone, address, grid), spread over the grid by a fixed hash.
sql "SELECT json_build_object(
  'city', '$city_code',
  'districts', (SELECT json_agg(code ORDER BY code) FROM regions WHERE level = 2),
  'regions', (SELECT json_agg(json_build_array(code, level) ORDER BY path) FROM regions),
  'grids', (SELECT json_object_agg(g.code, json_build_object('people',
      coalesce((SELECT json_agg(json_build_array(p.id, p.name, p.id_number, p.phone, p.address,
                                                 p.region_code) ORDER BY p.id)
                FROM (SELECT * FROM people p WHERE p.region_path = g.path
                      AND p.merged_into IS NULL
                      ORDER BY (p.id * 2654435761) % 1000003 LIMIT 300) p), '[]'::json)))
            FROM regions g WHERE g.level = 5))" >"$work/city.json"

# --- Two nodes and the load balancer ------------------------------------------------------------
start_node() {  # n port
  "$cordon" serve --data "$work/node$1" --db "$db" --port "$2" ${NODE_THREADS:+--threads "$NODE_THREADS"} \
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
grid_accounts=$(accounts_json lg_ "${grid_codes[@]}")
epi_accounts=$(accounts_json le_ "${districts[@]}")
commander_accounts=$(accounts_json lc_ "${districts[@]}" | sed "s/^\[/[{\"username\":\"commander\",\"region\":\"$city_code\"},/")
cat >"$work/config.json" <<EOF
{"url": "http://127.0.0.1:$LB_PORT", "duration_s": $DURATION, "users": $USERS,
 "think_ms": $THINK_MS, "password": "$PASSWORD", "seed": $SEED,
 "skip": [$(sed -E 's/([a-z_]+)/"\1"/g' <<<"${SKIP_ACTIONS:-}")],
 "city_file": "$work/city.json", "out_dir": "$work",
 "accounts": {"grid": $grid_accounts, "epi": $epi_accounts,
              "commander": $commander_accounts,
              "admin": [{"username": "admin", "region": "$city_code"}]}}
EOF
log "load: $USERS users for $DURATION s through nginx"
node "$here/loadgen.mjs" "$work/config.json" 2> >(tee "$work/loadgen.log" >&2) &
echo $! >"$work/loadgen.pid"
load_started=$(now_ms)
pids="$(cat "$work/node1.pid") $(cat "$work/node2.pid")"
# Who used the CPU meanwhile (the machine may be shared): top every 5 s, read by report.mjs.
top -b -d 5 -w 250 -n "$((DURATION / 5 + 1))" >"$work/top.txt" 2>/dev/null &
echo $! >"$work/top.pid"

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

status=0
loadgen_pid=$(cat "$work/loadgen.pid")
wait "$loadgen_pid" || status=$?
rm -f "$work/loadgen.pid"
kill "$(cat "$work/top.pid")" 2>/dev/null || true
rm -f "$work/top.pid"
if ((status != 0)); then
  log "the load generator failed ($status)"
  exit 1
fi

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
setup="cordon $commit (serve --threads ${NODE_THREADS:-default}), population $POPULATION (seed $SEED), PostgreSQL $(psql -X -A -t "$db" -c 'SHOW server_version' | cut -d' ' -f1), nginx $(nginx -v 2>&1 | sed 's/.*\///'), node $(node --version); $(nproc) x $cpu, $(free -g | awk '/^Mem:/ {print $2}') GiB"
cat >"$work/events.json" <<EOF
{"load_started_ms": $load_started, "kill_ms": $kill_ms, "restart_ms": $restart_ms,
 "ready_ms": $ready_ms, "setup": "$setup",
 "cordon_pids": [${pids// /, }], "loadgen_pid": $loadgen_pid}
EOF

# --- Every acknowledged write, and the audit chain ----------------------------------------------
log "verifying acknowledged writes and the audit chain"
(cd "$work" && psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 "$db" -f "$here/verify.sql") >"$work/verify.txt"
"$cordon" audit verify --data "$work/node2" --db "$db" >"$work/audit.txt" 2>&1 || true
node "$here/report.mjs" "$work"
