#!/usr/bin/env bash
# Runs every test suite except the `slow` label: C++ suites through CTest, then the Python
# interop suites (pyarrow, DuckDB, delta-rs reading what sportlake writes) when present, then a
# smoke run of every fuzz target (scripts/fuzz-smoke.sh, FUZZ_SECONDS each; 0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build/release}
root=$(pwd)
# Includes follow the module graph the CMake targets declare (src/*/CMakeLists.txt).
python3 scripts/check-module-graph.py
(cd "$BUILD_DIR" && ctest -LE slow --output-on-failure -j "$(nproc)" --timeout 900)
if compgen -G "tests/*/test_*.py" >/dev/null; then
  SL_BUILD_DIR="$root/$BUILD_DIR" SPORTLAKE="$root/$BUILD_DIR/src/cli/sportlake" \
    .venv/bin/python -m pytest -q -m "not slow" tests
fi
scripts/fuzz-smoke.sh
