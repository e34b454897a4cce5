# Shared by bench/load/run.sh (two nodes on PostgreSQL behind nginx, one killed midway) and
# bench/load/run_sqlite.sh (one node on SQLite): sourced, not run.
#
# The caller sets here, root, DURATION, USERS, THINK_MS, SEED, PASSWORD, POPULATION, and, before
# the functions that read the database, defines
#   sql QUERY              one query; rows on stdout, fields separated by 0x1f
#   add_user NAME ROLE REGION
# The binary is CORDON_BIN when set (a ready build: nothing is built), else build/cordon (built
# with `make build` when missing). The run uses a copy of it in the work directory, so that a
# rebuild meanwhile cannot change a node that is (re)started during the run.
# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034  # variables shared with the scripts that source this file

log() { echo "[$(basename "$0") $(date +%H:%M:%S)] $*" >&2; }
now_ms() { date +%s%3N; }

# Installs what is missing (Debian 12, as root). Arguments: command:package pairs; a command
# starting with / is a glob of a file instead.
load_install_missing() {
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}
    pkg=${pair#*:}
    if [[ $cmd == /* ]]; then
      compgen -G "$cmd" >/dev/null || missing+=("$pkg")
    else
      command -v "$cmd" >/dev/null || missing+=("$pkg")
    fi
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Makes the work directory and the copy of the binary: sets work, cordon, commit.
load_prepare() {
  local bin=${CORDON_BIN:-$root/build/cordon}
  if [[ -z ${CORDON_BIN:-} && ! -x $bin ]]; then
    log "building cordon (make build)"
    make -C "$root" build
  fi
  [[ -x $bin ]] || { log "no cordon binary at $bin"; return 1; }
  work=$(mktemp -d /tmp/cordon-load-XXXXXX)
  chmod 755 "$work"  # the PostgreSQL server and nginx's workers run as other users
  cp "$bin" "$work/cordon"
  cordon=$work/cordon
  "$cordon" --help >/dev/null
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [[ -n ${CORDON_BIN:-} ]]; then
    # Built elsewhere: the tree's state says nothing of it.
    commit="$CORDON_BIN (tree at $commit)"
  elif [[ -n $(git -C "$root" status --porcelain -- src 2>/dev/null) ]]; then
    commit="$commit+local changes"
  fi
}

# Login accounts: one grid worker per grid with people (up to 100 grids spread over the city),
# one epidemiologist and one commander per district. Sets city_code, districts, grid_codes.
load_accounts() {
  city_code=$(sql "SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1")
  mapfile -t districts < <(sql "SELECT code FROM regions WHERE level = 2 ORDER BY code")
  mapfile -t grid_codes < <(sql "SELECT code FROM (SELECT code, row_number() OVER (ORDER BY code) AS n,
    count(*) OVER () AS total FROM regions r WHERE level = 5 AND EXISTS
    (SELECT 1 FROM people p WHERE p.region_code = r.code)) g
    WHERE total <= 100 OR n % ((total + 99) / 100) = 0 ORDER BY code LIMIT 100")
  log "accounts: ${#grid_codes[@]} grid workers, ${#districts[@]} district epidemiologists and commanders"
  local g d
  for g in "${grid_codes[@]}"; do add_user "lg_$g" grid_worker "$g"; done
  for d in "${districts[@]}"; do
    add_user "le_$d" epidemiologist "$d"
    add_user "lc_$d" commander "$d"
  done
}

# The city for the generator (bench/load/city.mjs): regions, who lives where, venues.
load_city_sample() {
  sql "SELECT code, level, path FROM regions" >"$work/regions.tsv"
  # ID numbers and phones are sealed in the database (security.md B3). A resident ID is rebuilt
  # from its masked ends and the birth date (the load's searches by whole ID); phones cannot be,
  # so the phone searches list the jurisdiction instead (loadgen.mjs, a file without a phone).
  sql "SELECT id, name, CASE WHEN id_type = 'resident_id' THEN substr(id_number_masked, 1, 6) ||
         replace(birth_date, '-', '') || substr(id_number_masked, 15) ELSE '' END, '',
         coalesce(address, ''),
         coalesce(region_code, ''), coalesce(region_path, ''),
         CASE WHEN merged_into IS NULL THEN 0 ELSE 1 END FROM people" >"$work/people.tsv"
  sql "SELECT code, coalesce(region_path, '') FROM venues" >"$work/venues.tsv"
  node "$here/city.mjs" "$work" "$city_code"
}

accounts_json() {  # prefix codes...
  local prefix=$1 first=1 code
  shift
  printf '['
  for code in "$@"; do
    ((first)) || printf ','
    first=0
    printf '{"username":"%s%s","region":"%s"}' "$prefix" "$code" "$code"
  done
  printf ']'
}

load_write_config() {  # base URL
  local grid_accounts epi_accounts commander_accounts
  grid_accounts=$(accounts_json lg_ "${grid_codes[@]}")
  epi_accounts=$(accounts_json le_ "${districts[@]}")
  commander_accounts=$(accounts_json lc_ "${districts[@]}" |
    sed "s/^\[/[{\"username\":\"commander\",\"region\":\"$city_code\"},/")
  cat >"$work/config.json" <<EOF
{"url": "$1", "duration_s": $DURATION, "users": $USERS,
 "think_ms": $THINK_MS, "password": "$PASSWORD", "seed": $SEED,
 "skip": [$(sed -E 's/([a-z_]+)/"\1"/g' <<<"${SKIP_ACTIONS:-}")],
 "city_file": "$work/city.json", "people_file": "$work/people.tsv", "out_dir": "$work",
 "accounts": {"grid": $grid_accounts, "epi": $epi_accounts,
              "commander": $commander_accounts,
              "admin": [{"username": "admin", "region": "$city_code"}]}}
EOF
}

# Starts the generator and top (every 5 s, read by report.mjs); sets load_started (ms).
load_start() {
  load_started=$(now_ms)
  node "$here/loadgen.mjs" "$work/config.json" 2> >(tee "$work/loadgen.log" >&2) &
  echo $! >"$work/loadgen.pid"
  top -b -d 5 -w 250 -n "$((DURATION / 5 + 1))" >"$work/top.txt" 2>/dev/null &
  echo $! >"$work/top.pid"
}

# Waits for the generator; returns its status.
load_wait() {
  local status=0 pid
  pid=$(cat "$work/loadgen.pid")
  wait "$pid" || status=$?
  loadgen_pid=$pid
  rm -f "$work/loadgen.pid"
  kill "$(cat "$work/top.pid")" 2>/dev/null || true
  rm -f "$work/top.pid"
  if ((status != 0)); then log "the load generator failed ($status)"; fi
  return "$status"
}

# Each node's own request counters (GET /metrics, Prometheus text), before it stops.
load_metrics() {  # port name
  curl -fsS "http://127.0.0.1:$1/metrics" >"$work/metrics-$2.txt" 2>/dev/null ||
    echo "# no answer from port $1" >"$work/metrics-$2.txt"
}

# After the load: the audit rows written since it started (matched by report.mjs with the
# requests the generator made, by X-Request-Id) and where everyone lives now (for the people
# the generator saw that were made during the run).
load_dump_after() {
  local since=$((load_started / 1000))
  sql "SELECT coalesce(request_id, ''), actor, action, outcome, object_id FROM audit
       WHERE at >= $since ORDER BY id" >"$work/audit_rows.tsv"
  sql "SELECT count(*) FROM audit WHERE at < $since" >"$work/audit_before.txt"
  sql "SELECT id, coalesce(region_path, '') FROM people" >"$work/people_after.tsv"
}

load_cleanup_common() {
  if [[ -f $work/loadgen.pid ]]; then kill -TERM "$(cat "$work/loadgen.pid")" 2>/dev/null || true; fi
  if [[ -f $work/top.pid ]]; then kill -TERM "$(cat "$work/top.pid")" 2>/dev/null || true; fi
}

load_keep_report() {
  if [[ -n ${REPORT_DIR:-} ]]; then
    mkdir -p "$REPORT_DIR"
    cp -f "$work"/{report.txt,results.json,events.json,verify.txt,audit.txt,top.txt,loadgen.log} \
      "$work"/node*.log "$work"/metrics-*.txt "$REPORT_DIR"/ 2>/dev/null || true
  fi
  if [[ ${KEEP_WORK:-0} == 1 ]]; then
    log "kept $work"
  else
    rm -rf "$work"
  fi
}
