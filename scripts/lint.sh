#!/usr/bin/env bash
# Lints the C++ sources: clang-tidy (the checks in .clang-tidy, every finding an error) over every
# .cc under src/ tests/unit tests/api bench, and clang-format (.clang-format) over every .cc/.h
# under src/ tests/ bench/. Exits non-zero on any finding.
#
# Usage: scripts/lint.sh [BUILD_DIR]   (default: build; it must hold compile_commands.json)
# Environment: CLANG_TIDY, CLANG_FORMAT override the tool names; LINT_JOBS the parallelism (2).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir="${1:-build}"
clang_tidy="${CLANG_TIDY:-clang-tidy-14}"
clang_format="${CLANG_FORMAT:-clang-format-14}"
jobs="${LINT_JOBS:-2}"

for tool in "$clang_tidy" "$clang_format"; do
  if ! command -v "$tool" >/dev/null; then
    echo "lint: $tool not found (apt-get install clang-tidy-14 clang-format-14)" >&2
    exit 2
  fi
done
if [[ ! -f "$build_dir/compile_commands.json" ]]; then
  echo "lint: $build_dir/compile_commands.json missing; configure with cmake first" >&2
  exit 2
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

# clang-tidy, one file per invocation, each file's output kept apart so that parallel runs do
# not interleave. A file fails on a non-zero exit or on any diagnostic in its output.
# shellcheck disable=SC2317  # invoked through xargs
tidy_one() {
  local file="$1" log
  log="$logs/tidy/$(printf '%s' "$file" | tr '/' '_').log"
  # The build uses g++; flags only g++ knows (-Wno-restrict) must not stop clang-tidy.
  if "$clang_tidy" -p "$build_dir" --quiet --extra-arg=-Wno-unknown-warning-option "$file" >"$log" 2>&1 &&
    ! grep -qE ': (warning|error):' "$log"; then
    rm -f "$log"
  fi
  return 0
}
export -f tidy_one
export clang_tidy build_dir logs
mkdir -p "$logs/tidy"

mapfile -d '' tidy_files < <(find src tests/unit tests/api bench -name '*.cc' -print0 | sort -z)
echo "clang-tidy: ${#tidy_files[@]} files, $jobs at a time"
# shellcheck disable=SC2016  # $1 is expanded by the inner bash
printf '%s\0' "${tidy_files[@]}" | xargs -0 -n 1 -P "$jobs" bash -c 'tidy_one "$1"' _

status=0
tidy_failed=("$logs"/tidy/*.log)
if [[ -e "${tidy_failed[0]}" ]]; then
  cat "${tidy_failed[@]}"
  echo "clang-tidy: FAILED in ${#tidy_failed[@]} file(s)" >&2
  status=1
else
  echo "clang-tidy: clean"
fi

mapfile -d '' format_files < <(find src tests bench \( -name '*.cc' -o -name '*.h' \) -print0 |
  sort -z)
echo "clang-format: ${#format_files[@]} files"
if "$clang_format" --dry-run --Werror "${format_files[@]}"; then
  echo "clang-format: clean"
else
  echo "clang-format: FAILED (fix with: $clang_format -i FILE...)" >&2
  status=1
fi

exit "$status"
