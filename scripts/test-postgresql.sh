#!/usr/bin/env bash
# The unit and API tests again on PostgreSQL: a throwaway server on loopback
# (scripts/pg-test-server.sh), and a fresh database for every server a test starts
# (tests/api/cordon_server.h, CORDON_TEST_PG).
# Usage: scripts/test-postgresql.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
dir=$(mktemp -d /tmp/cordon-pg-test-XXXXXX)
url=$(bash "$root/scripts/pg-test-server.sh" start "$dir" "${PG_TEST_PORT:-55432}")
trap 'bash "$root/scripts/pg-test-server.sh" stop "$dir" || true; rm -rf "$dir"' EXIT
cd "$root"
export CORDON_TEST_PG=$url
cd "$build"
ctest --output-on-failure -j "${JOBS:-$(nproc)}" -L "unit|api"
