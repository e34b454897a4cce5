#!/usr/bin/env bash
# HTTP throughput and latency on loopback with wrk (performance.md 7.4):
#   1. a small cached JSON answer (GET /api/v1/version), no database;
#   2. a person file by id, authenticated, masked and audited (GET /api/v1/people/{id}),
#      over a generated city of POPULATION people, random ids;
#   both at CONNECTIONS and again at LOW_CONNECTIONS (default 8) for latency.
# The server runs with its default event-loop threads (SERVER_THREADS to change).
# PIN=1 pins the server to cpu0 and wrk to cpu1 (performance.md 7.4 runs both ways).
# Usage: bench/http/run.sh [POPULATION] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
population=${1:-1000000}
seconds=${2:-30}
connections=${3:-64}
threads=${WRK_THREADS:-2}
port=${PORT:-18080}
bin=${CORDON:-build/cordon}
server_cpu=() client_cpu=()
if [[ ${PIN:-0} == 1 ]]; then
  server_cpu=(taskset -c 0) client_cpu=(taskset -c 1)
fi
dir=$(mktemp -d /tmp/cordon-bench-http-XXXXXX)
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$dir"' EXIT

export CORDON_ADMIN_PASSWORD=Bench-Passw0rd-1
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(lscpu | sed -n 's/^Model name: *//p')"
echo "== generating $population people"
/usr/bin/time -f "generated in %e s, max RSS %M KiB" "$bin" demo --data "$dir" --population "$population" --seed 1 --generate-only | tail -1
sync  # the generated database is written back first, not during the measurement
"${server_cpu[@]}" "$bin" serve --data "$dir" --port "$port" ${SERVER_THREADS:+--threads "$SERVER_THREADS"} >"$dir/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# admin logs in with its TOTP second factor (secret kept in the data dir, bench/lib/login.mjs).
token=$(node bench/lib/login.mjs "http://127.0.0.1:$port" admin "$CORDON_ADMIN_PASSWORD" "$dir/totp.json")
cat >"$dir/person.lua" <<LUA
local population = $population
math.randomseed(42)
request = function()
  return wrk.format("GET", "/api/v1/people/" .. math.random(1, population),
                    { ["Authorization"] = "Bearer $token" })
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx or errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

echo "== small cached JSON: GET /api/v1/version, c=$connections, ${seconds}s"
"${client_cpu[@]}" wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/api/v1/version" | sed -n '/Latency Distribution/,/Transfer/p'
echo "== person by id (authenticated, masked, audited): c=$connections, ${seconds}s"
before=$(sqlite3 "$dir/cordon.db" "SELECT COUNT(*) FROM audit WHERE action='people.get'")
"${client_cpu[@]}" wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$dir/person.lua" "http://127.0.0.1:$port" | sed -n '/Latency Distribution/,$p'
# The copy from the journal waits for the end of a burst; the auditor's query copies at once.
curl -sf -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/audit?limit=1"
after=$(sqlite3 "$dir/cordon.db" "SELECT COUNT(*) FROM audit WHERE action='people.get'")
echo "audit rows written for person reads: $((after - before))"
# Latency at c=64 is bound by Little's law (64 / throughput); p99 is also read at a low count.
low=${LOW_CONNECTIONS:-8}
sleep 1
echo "== person by id at c=$low, ${seconds}s"
"${client_cpu[@]}" wrk -t2 -c"$low" -d"${seconds}s" --latency -s "$dir/person.lua" "http://127.0.0.1:$port" | sed -n '/Latency Distribution/,$p'
curl -sf -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/audit?limit=1"
sleep 1  # the copy of the reads above is done before the next run
echo "== small cached JSON at c=$low, ${seconds}s"
"${client_cpu[@]}" wrk -t2 -c"$low" -d"${seconds}s" --latency "http://127.0.0.1:$port/api/v1/version" | sed -n '/Latency Distribution/,/Transfer/p'
