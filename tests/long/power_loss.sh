#!/usr/bin/env bash
# security.md H3 at full length: 500 random power cuts in cordon's write workload, each followed
# by integrity_check and "every acknowledged transaction is present"; then the teeth check
# (synchronous=NORMAL must lose commits). The unit suite runs the same test at 100 points.
# Usage: tests/long/power_loss.sh [BUILD_DIR] [POINTS] [SEED]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
export CORDON_CRASH_POINTS=${2:-500}
export CORDON_CRASH_SEED=${3:-$(date +%s)}  # a new seed each night; printed to reproduce
echo "power_loss: $CORDON_CRASH_POINTS crash points, seed $CORDON_CRASH_SEED"
exec "$build/tests/unit_tests" --gtest_filter='PowerLossTest.*'
