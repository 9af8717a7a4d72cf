#!/usr/bin/env bash
# Benchmark (issue 15): projected scan of a 10M-row Delta table on S3, ours vs delta-rs: requests
# (counted at moto) and wall time on moto, then wall time on gofakes3 (a compiled S3 server, so
# the store is not the bottleneck); every round printed, medians and ratios; commit latency on S3
# vs local. ROWS, RUNS, COMMITS, COLUMNS from the environment (see bench/s3_scan.py);
# NO_GOFAKES3=1 skips the second server.
set -euo pipefail
cd "$(dirname "$0")/.."
export SL_BUILD_DIR=${SL_BUILD_DIR:-$(pwd)/build/release}
cmake --build "$SL_BUILD_DIR" -j2 --target sportlake bench_delta >/dev/null
if [[ -z "${NO_GOFAKES3:-}" && -z "${GOFAKES3:-}" ]] && command -v go >/dev/null; then
  # gofakes3 v1.2.0 (MIT) from the Go module proxy, built once into .cache/gofakes3.
  if [[ ! -x .cache/gofakes3/gofakes3 ]]; then
    GOBIN=$(pwd)/.cache/gofakes3 go install github.com/johannesboyne/gofakes3/cmd/gofakes3@v1.2.0
  fi
  export GOFAKES3=$(pwd)/.cache/gofakes3/gofakes3
fi
exec "${PYTHON:-/work/main/.venv/bin/python}" bench/s3_scan.py "$@"
