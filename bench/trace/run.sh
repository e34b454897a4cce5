#!/usr/bin/env bash
# Contact tracing, the engine against its peers on identical generated data (issue #5;
# ../shared/performance.md sections 7.1, 8 and 9). Generates the workload's CSVs, runs the engine
# (trace_compare engine: Q1 close contacts with evidence, Q2 secondary, Q3 cluster, Q4 trajectory),
# then the same Q1, Q2 (first cases) and Q4 on each peer, asserts that every peer's canonical
# answers hash equal to the engine's (exit 1 if not), and prints one table with ratios.
#
# Usage: bench/trace/run.sh [SCALE] [SEED] [--peers LIST] [--gist] [--bin PATH] [--keep DIR]
#   SCALE   W-XS, W-S (default), W-M, W-L
#   --peers comma-separated: sqlite, postgresql, duckdb, or all (default all)
#   --gist  PostgreSQL also with a GiST (btree_gist) venue index instead of the B-tree
#   --bin   the trace_compare binary (default build/bench/trace_compare)
#   --keep  write everything into DIR and keep it (default: a temporary directory, removed)
# Environment: Q1_SLOW / Q2_PEER / WARM_SLOW bound the cases DuckDB runs for Q1, the Q2 cases every
# peer runs, and DuckDB's untimed warm-up cases (defaults below, by scale).
# CI runs `run.sh W-S 1 --peers sqlite` as the ctest `trace_compare_ws` (label bench).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scale=W-S
seed=1
peers=all
gist=0
bin="$root/build/bench/trace_compare"
keep=""
positional=()
while (($#)); do
  case $1 in
    --peers) peers=$2; shift 2 ;;
    --gist) gist=1; shift ;;
    --bin) bin=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) positional+=("$1"); shift ;;
  esac
done
((${#positional[@]} > 0)) && scale=${positional[0]}
((${#positional[@]} > 1)) && seed=${positional[1]}
[[ $peers == all ]] && peers=sqlite,postgresql,duckdb
IFS=, read -r -a peer_list <<<"$peers"

case $scale in
  W-XS | W-S) q1_slow=${Q1_SLOW:-500} q2_peer=${Q2_PEER:-3} warm_slow=${WARM_SLOW:-50} ;;
  W-M) q1_slow=${Q1_SLOW:-200} q2_peer=${Q2_PEER:-3} warm_slow=${WARM_SLOW:-20} ;;
  *) q1_slow=${Q1_SLOW:-50} q2_peer=${Q2_PEER:-1} warm_slow=${WARM_SLOW:-5} ;;
esac

if [[ -n $keep ]]; then
  work=$keep
  mkdir -p "$work"
else
  work=$(mktemp -d /tmp/cordon-trace-run-XXXXXX)
fi
pgdir=""
cleanup() {
  if [[ -n $pgdir ]]; then
    bash "$root/scripts/pg-test-server.sh" stop "$pgdir" >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  fi
  [[ -n $keep ]] || rm -rf "$work"
}
trap cleanup EXIT

echo "== contact tracing $scale, seed $seed, peers: ${peer_list[*]}"
echo "== machine: $(nproc) vCPU, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ {print $2}') GiB;" \
  "$(c++ --version | head -1); Release (-O3)"
"$bin" gen --scale "$scale" --seed "$seed" --out "$work"
"$bin" engine --scale "$scale" --seed "$seed" --out "$work"

for peer in "${peer_list[@]}"; do
  echo
  case $peer in
    sqlite)
      "$bin" sqlite --dir "$work" --q2 "$q2_peer"
      ;;
    postgresql)
      pgdir=$(mktemp -d /tmp/cordon-trace-pg-XXXXXX)
      port=${PG_PORT:-55478}
      url=$(bash "$root/scripts/pg-test-server.sh" start "$pgdir" "$port")
      # performance.md section 9: shared_buffers 6 GB, work_mem 256 MB (per session), jit off.
      psql -q "$url" -c "ALTER SYSTEM SET shared_buffers = '6GB'" \
        -c "ALTER SYSTEM SET max_wal_size = '8GB'" -c "ALTER SYSTEM SET jit = off"
      bash "$root/scripts/pg-test-server.sh" stop "$pgdir"
      bash "$root/scripts/pg-test-server.sh" start "$pgdir" "$port" >/dev/null
      echo "postgresql: $(psql -tA "$url" -c 'SELECT version()' | cut -d, -f1)"
      gist_flag=()
      ((gist)) && gist_flag=(--gist)
      "$bin" postgresql --dir "$work" --url "$url" --q2 "$q2_peer" "${gist_flag[@]}"
      bash "$root/scripts/pg-test-server.sh" stop "$pgdir"
      rm -rf "$pgdir"
      pgdir=""
      ;;
    duckdb)
      if [[ ! -d $root/bench/trace/node_modules/@duckdb/node-api ]]; then
        (cd "$root/bench/trace" && npm ci --no-audit --no-fund --silent)
      fi
      node "$root/bench/trace/duckdb_peer.mjs" "$work" --q1 "$q1_slow" --q2 "$q2_peer" --q4 "$q1_slow" \
        --warm "$warm_slow" --threads 2
      ;;
    *) echo "run.sh: unknown peer $peer" >&2; exit 2 ;;
  esac
done

# --- the answers must be the same -----------------------------------------------------------
# A peer may have run fewer cases (a prefix of each set): the engine's files are cut to match.
digest() { sha256sum | cut -d' ' -f1; }
systems=(engine)
for peer in "${peer_list[@]}"; do
  [[ $peer == postgresql ]] && ((gist)) && systems+=(postgresql postgresql-gist) && continue
  systems+=("$peer")
done
echo
echo "== answers (SHA-256 over the canonical files; the engine's cut to each peer's cases)"
failed=0
for sys in "${systems[@]:1}"; do
  d=$work/$sys
  n1=$(wc -l <"$d/q1_counts.csv")
  n2=$(wc -l <"$d/q2_counts.csv")
  n4=$(awk -F, 'END {print $1 + 1}' "$d/q4_trajectory.csv")
  for f in q1_evidence q1_counts q2_counts q4_trajectory; do
    case $f in
      q1_*) n=$n1 ;;
      q2_*) n=$n2 ;;
      *) n=$n4 ;;
    esac
    want=$(awk -F, -v n="$n" '$1 < n' "$work/engine/$f.csv" | digest)
    got=$(digest <"$d/$f.csv")
    if [[ $want == "$got" ]]; then
      printf '  %-16s %-14s %6s queries  %s  same\n' "$sys" "$f" "$n" "${got:0:16}"
    else
      printf '  %-16s %-14s %6s queries  engine %s, peer %s  DIFFERENT\n' "$sys" "$f" "$n" \
        "${want:0:16}" "${got:0:16}"
      awk -F, -v n="$n" '$1 < n' "$work/engine/$f.csv" | diff - "$d/$f.csv" | head -5 || true
      failed=1
    fi
  done
done
if ((failed)); then
  echo "FAIL: a peer's answers differ from the engine's; no times are reported" >&2
  exit 1
fi

# --- the table ------------------------------------------------------------------------------
# Latencies over the first N queries of a set: "p50 p99 max" in ms.
stats() { # dir set n
  awk -F, -v s="$2" -v n="$3" '$1 == s && $2 < n {print $3}' "$1/latencies.csv" | sort -g |
    awk '{a[NR] = $1} END {
      if (NR == 0) { print "- - -"; exit }
      i50 = int(0.5 * NR); if (i50 < 0.5 * NR) i50++; i99 = int(0.99 * NR); if (i99 < 0.99 * NR) i99++;
      printf "%.3f %.3f %.3f\n", a[i50], a[i99], a[NR] }'
}
count() { awk -F, -v s="$2" '$1 == s' "$1/latencies.csv" | wc -l; }
load_s() { awk -F'\t' '$1 == "load" {print $6}' "$1/timings.tsv"; }

echo
echo "== $scale ($(wc -l <"$work/checkins.csv" | awk '{print $1 - 1}') check-ins), times in ms (p50 / p99 / max), warm"
printf '| system | load + index (s) | Q1 close contacts + evidence | n | Q2 secondary | n | Q4 trajectory | n |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for sys in "${systems[@]}"; do
  d=$work/$sys
  row="| $sys | $(load_s "$d") "
  for s in q1 q2 q4; do
    n=$(count "$d" "$s")
    read -r p50 p99 mx <<<"$(stats "$d" "$s" "$n")"
    row+="| $p50 / $p99 / $mx | $n "
  done
  echo "$row|"
done

# Ratios: the best peer's p50 and p99 over the engine's on the same cases.
echo
for s in q1 q2 q4; do
  best=""
  for sys in "${systems[@]:1}"; do
    d=$work/$sys
    n=$(count "$d" "$s")
    ((n > 0)) || continue
    read -r p50 p99 _ <<<"$(stats "$d" "$s" "$n")"
    read -r e50 e99 _ <<<"$(stats "$work/engine" "$s" "$n")"
    line=$(awk -v a="$p50" -v b="$p99" -v c="$e50" -v e="$e99" -v sys="$sys" -v n="$n" \
      'BEGIN {printf "%s %.6f %s p50 %.2fx, p99 %.2fx (%d cases)", sys, b, sys, (c > 0 ? a / c : 0), (e > 0 ? b / e : 0), n}')
    if [[ -z $best ]] || awk -v x="${line#* }" -v y="${best#* }" 'BEGIN {exit !((x + 0) < (y + 0))}'; then
      best=$line
    fi
  done
  if [[ -n $best ]]; then
    read -r _ _ rest <<<"$best"
    echo "$s: engine vs the best peer at p99 ($rest)"
  fi
done
echo "bytes per check-in (T8): $(awk -F'\t' '$1 == "bytes_per_checkin" {print $2}' "$work/engine/info.tsv");" \
  "contacts/s (Q1): $(awk -F'\t' '$1 == "contacts_per_s" {print $2}' "$work/engine/info.tsv")"
echo "PASS: ${#systems[@]} systems, identical answers"
