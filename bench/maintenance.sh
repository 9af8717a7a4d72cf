#!/usr/bin/env bash
# Benchmark: Bronze after a sustained insert load through `sportlake up`, with the table
# maintenance service on (its defaults; MAINTAIN_INTERVAL, default 15 s like maintenance.interval)
# and off (--no-maintain), in the same run: pgbench inserts RATE activities/s (default 1,000) for
# SECONDS_RUN seconds (default 300); then, for bronze/strava_activities, the live files and MB, the
# data files on disk, the log files, the newest checkpoint's size and the versions
# (bench/table_files.py), and the freshness p50/p95/p99 (bench/freshness.py: source commit → the
# commitInfo timestamp of the version that made the row visible). RUNS rounds (default 2), order
# alternating, a fresh slot and Bronze each time; each round printed, then the medians.
# up runs without notify, distances and dashboard, and refreshes only once (at start).
# ONLY=on (or off) runs that contender alone: the hour-long run of the file counts
# (`ONLY=on RUNS=1 SECONDS_RUN=3600`), where the peer's figure is known (one file per commit).
set -euo pipefail
cd "$(dirname "$0")/.."
SPORTLAKE=${SPORTLAKE:-$(pwd)/build/release/src/cli/sportlake}
RATE=${RATE:-1000}
SECONDS_RUN=${SECONDS_RUN:-300}
RUNS=${RUNS:-2}
MAINTAIN_INTERVAL=${MAINTAIN_INTERVAL:-15}
PYTHON=${PYTHON:-/work/main/.venv/bin/python}
WORK_PREFIX=sl-bench-maint
# shellcheck source=bench/insert_load.sh
source bench/insert_load.sh
bronze=$SPORTLAKE_HOME/delta/bronze/strava_activities

# round on|off: prints "inserts/s live_files live_mb data_files log_files checkpoint_kb versions
# rows p50 p95 p99 data_versions".
round() {
  local flags=(--no-notify --no-distances --no-serve --refresh-interval 1000000)
  if [ "$1" = on ]; then flags+=(--maintain-interval "$MAINTAIN_INTERVAL"); else flags+=(--no-maintain); fi
  psql "$url" -qXAtc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                      WHERE slot_name LIKE 'sportlake_%'" >/dev/null
  rm -rf "$SPORTLAKE_HOME/delta"
  "$SPORTLAKE" up "${flags[@]}" >"$work/up.out" 2>"$work/up.err" &
  local pid=$! waited=0
  until [ -d "$bronze/_delta_log" ]; do
    sleep 0.5; waited=$((waited + 1))
    if (( waited > 240 )); then cat "$work/up.err" >&2; exit 1; fi
  done
  sleep 3  # the start-up refresh is over
  insert_load "$RATE" "$SECONDS_RUN"
  sleep 2  # past the longest commit ceiling
  kill -TERM "$pid"; wait "$pid"
  printf '%s ' "$("$PYTHON" bench/table_files.py "$bronze")"
  "$PYTHON" bench/freshness.py "$bronze"
}

declare -A col
for run in $(seq 1 "$RUNS"); do
  if (( run % 2 == 1 )); then order="on off"; else order="off on"; fi
  [ -n "${ONLY:-}" ] && order=$ONLY
  for who in $order; do
    r=$(round "$who")
    read -r tps live live_mb disk logs cp_kb versions n p50 p95 p99 data_versions <<<"$r"
    printf 'run %d maintenance %-3s: %d rows at %.0f rows/s; %d live files (%s MB), %d data files on disk, %d log files, checkpoint %s KB, %d versions (%d with data); freshness p50 %.0f ms p95 %.0f ms p99 %.0f ms\n' \
      "$run" "$who" "$n" "$tps" "$live" "$live_mb" "$disk" "$logs" "$cp_kb" "$versions" "$data_versions" "$p50" "$p95" "$p99"
    for k in live disk logs cp_kb versions p50 p95 p99; do col[$who.$k]+="${!k} "; done
  done
done
for who in ${ONLY:-on off}; do
  # shellcheck disable=SC2086
  printf 'maintenance %-3s: median of %d, %d s at %d rows/s: %.0f live files, %.0f data files on disk, %.0f log files, checkpoint %.0f KB, %.0f versions; freshness p50 %.0f ms p95 %.0f ms p99 %.0f ms\n' \
    "$who" "$RUNS" "$SECONDS_RUN" "$RATE" "$(median ${col[$who.live]})" "$(median ${col[$who.disk]})" \
    "$(median ${col[$who.logs]})" "$(median ${col[$who.cp_kb]})" "$(median ${col[$who.versions]})" \
    "$(median ${col[$who.p50]})" "$(median ${col[$who.p95]})" "$(median ${col[$who.p99]})"
done
