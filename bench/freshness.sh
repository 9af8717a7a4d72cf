#!/usr/bin/env bash
# Benchmark: Bronze freshness (a row's source commit → the commitInfo timestamp of the Delta
# version that made it visible) while pgbench inserts RATE activities/s (one row per transaction,
# 8 clients; `sportlake simulate --rate` reaches only ~260 rows/s on the shared 2-core machine)
# for SECONDS_RUN seconds, for
# two ingests in the same run: `new` (this build's adaptive commits, default flags) and `old`
# (OLD_SPORTLAKE, default the main checkout's binary: the fixed 1 s tick; or this build with
# OLD_FLAGS, e.g. "--commit-min-interval 1"). RUNS rounds (default 3), order alternating, a
# fresh slot and Bronze each time; prints each round (rows, p50/p95/p99 ms, Delta versions) and
# the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
SPORTLAKE=${SPORTLAKE:-$(pwd)/build/release/src/cli/sportlake}
OLD_SPORTLAKE=${OLD_SPORTLAKE:-/work/main/build/release/src/cli/sportlake}
OLD_FLAGS=${OLD_FLAGS:-}
RATE=${RATE:-1000}
SECONDS_RUN=${SECONDS_RUN:-10}
RUNS=${RUNS:-3}
PYTHON=${PYTHON:-/work/main/.venv/bin/python}
WORK_PREFIX=sl-bench-fresh
# shellcheck source=bench/insert_load.sh
source bench/insert_load.sh

# round <binary> <flags...>: prints "inserts/s rows p50 p95 p99 versions".
round() {
  local bin=$1; shift
  psql "$url" -qXAtc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                      WHERE slot_name = 'bench_fresh'" >/dev/null
  rm -rf "$SPORTLAKE_HOME/delta/bronze"
  "$bin" ingest --slot bench_fresh --idle-exit 0.5 >/dev/null  # slot + snapshot
  "$bin" ingest --slot bench_fresh "$@" >/dev/null &
  local pid=$!
  insert_load "$RATE" "$SECONDS_RUN"
  sleep 2  # past the longest ceiling: everything inserted is committed
  kill -TERM "$pid"; wait "$pid"
  "$PYTHON" bench/freshness.py "$SPORTLAKE_HOME/delta/bronze/strava_activities"
}

declare -A col
for run in $(seq 1 "$RUNS"); do
  if (( run % 2 == 1 )); then order="new old"; else order="old new"; fi
  for who in $order; do
    if [ "$who" = new ]; then r=$(round "$SPORTLAKE"); else r=$(round "$OLD_SPORTLAKE" $OLD_FLAGS); fi
    read -r tps n p50 p95 p99 versions <<<"$r"
    printf 'run %d %s: %d rows at %.0f rows/s, freshness p50 %.0f ms p95 %.0f ms p99 %.0f ms, %d Delta versions\n' \
      "$run" "$who" "$n" "$tps" "$p50" "$p95" "$p99" "$versions"
    col[$who.p50]+="$p50 " col[$who.p95]+="$p95 " col[$who.p99]+="$p99 " col[$who.v]+="$versions "
  done
done
for who in new old; do
  # shellcheck disable=SC2086
  printf '%s: median of %d at %d rows/s: freshness p50 %.0f ms p95 %.0f ms p99 %.0f ms, %.0f Delta versions in %d s\n' \
    "$who" "$RUNS" "$RATE" "$(median ${col[$who.p50]})" "$(median ${col[$who.p95]})" \
    "$(median ${col[$who.p99]})" "$(median ${col[$who.v]})" "$SECONDS_RUN"
done
