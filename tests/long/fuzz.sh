#!/usr/bin/env bash
# Runs every libFuzzer target for longer than `make test-fuzz` does (security.md I1: 10 minutes
# a target, nightly), one after another, and prints one summary line per target.
#
#   tests/long/fuzz.sh [MINUTES] [TARGET...]     (default: 10 minutes, every *_fuzz target)
#
# Environment: FUZZ_BUILD (default build-fuzz) is the build directory, configured here if it is
# missing; FUZZ_OUT (default $FUZZ_BUILD/fuzz-long) receives, per target, the grown corpus
# (corpus/<target>/), the crash, leak and timeout reproducers (crashes/<target>/) and the log
# (logs/<target>.log). The committed seeds (tests/fuzz/corpus/<target>/) are read, never written:
# copy a reproducer there by hand once its bug has a unit test.
# Exit status: 0 when no target found anything, 1 otherwise.
set -uo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
MINUTES=${1:-10}
shift $(($# > 0 ? 1 : 0))
BUILD=${FUZZ_BUILD:-build-fuzz}
OUT=${FUZZ_OUT:-$BUILD/fuzz-long}
export CCACHE_BASEDIR=$ROOT CCACHE_NOHASHDIR=1
# The libraries carry recoverable UBSan checks; without halt_on_error a report would not fail.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

if [[ ! -f $BUILD/build.ninja ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCORDON_FUZZ=ON || exit 1
fi
mkdir -p "$OUT/logs"
if ! cmake --build "$BUILD" -j "${JOBS:-2}" >"$OUT/logs/build.log" 2>&1; then
  tail -n 30 "$OUT/logs/build.log"
  exit 1
fi

if (($# > 0)); then
  targets=("$@")
else
  mapfile -t targets < <(find "$BUILD/tests/fuzz" -maxdepth 1 -name '*_fuzz' -type f -executable \
    -printf '%f\n' | sort)
fi

found=0
printf '%-18s %12s %9s %7s %8s %7s  %s\n' target execs exec/s cov features crashes result
for t in "${targets[@]}"; do
  bin=$BUILD/tests/fuzz/$t
  mkdir -p "$OUT/corpus/$t" "$OUT/crashes/$t"
  log=$OUT/logs/$t.log
  "$bin" -max_total_time=$((MINUTES * 60)) -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$OUT/crashes/$t/" "$OUT/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  # The last status line ("#123 DONE cov: 812 ft: 2053 ...") and the final stats.
  status=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$status")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$status")
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
  rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log")
  crashes=$(find "$OUT/crashes/$t" -type f | wc -l)
  result=ok
  if ((rc != 0 || crashes > 0)); then
    result="FOUND (rc=$rc): see $log and $OUT/crashes/$t/"
    found=1
  fi
  printf '%-18s %12s %9s %7s %8s %7s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
    "${ft:-?}" "$crashes" "$result"
done

# security.md I2: the time the CSV reader takes to reject a 1 MB single-field line, in the
# sanitizer build (an upper bound on the release build's time).
if [[ " ${targets[*]} " == *" csv_fuzz "* ]]; then
  line=$OUT/one_mb_field.csv
  { printf 'a\n'; head -c 1000000 /dev/zero | tr '\0' x; printf '\n'; } >"$line"
  ms=$("$BUILD/tests/fuzz/csv_fuzz" "$line" 2>&1 | sed -nE 's/^Executed .* in ([0-9]+) ms/\1/p')
  echo "csv: a 1 MB single-field line rejected in ${ms:-?} ms (ASan+UBSan build)"
fi
exit $found
