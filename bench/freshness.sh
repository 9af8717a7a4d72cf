#!/usr/bin/env bash
# Benchmark: Bronze freshness (a row's source commit → the commitInfo timestamp of the Delta
# version that made it visible) while pgbench inserts RATE activities/s (one row per transaction,
# 8 clients; `sportlake simulate --rate` reaches only ~260 rows/s on the shared 2-core machine)
# for SECONDS_RUN seconds, for
# two ingests in the same run: `new` (this build's adaptive commits, default flags) and `old`
# (OLD_SPORTLAKE, default the main checkout's binary: the fixed 1 s tick; or this build with
# OLD_FLAGS, e.g. "--commit-min-interval 1"). RUNS rounds (default 3), order alternating, a
# fresh slot and Bronze each time; prints each round (rows, p50/p95/p99 ms, Delta versions, the
# job's peak RSS) and the medians. JOB=up runs `sportlake up` (every service; UP_FLAGS, e.g.
# "--refresh-interval 20") instead of `sportlake ingest`: its peak RSS is the whole process's.
# RSS_TRACE=DIR keeps, per round, the job's resident size every 100 ms (`HH:MM:SS.mmm kB`,
# rss-<run>-<who>.txt) and its log at info level (log-<run>-<who>.txt: maintenance passes,
# refreshes), to see which event makes the peak.
# JOB=kafka measures the scale-out path against the embedded one, both this build, in the same
# run: `new` is `cdc --sink kafka --schemas` (its own slot) → a real KRaft broker
# (tests/kafka_broker.py, 3 partitions) → `ingest --source kafka`, its peak RSS the consumer's;
# `old` is `up` (the embedded path, as JOB=up). The Kafka round starts the load once a warm-up
# row has landed (the topic exists and the consumer has its partitions), as `up` waits for its
# snapshot.
set -euo pipefail
cd "$(dirname "$0")/.."
SPORTLAKE=${SPORTLAKE:-$(pwd)/build/release/src/cli/sportlake}
OLD_SPORTLAKE=${OLD_SPORTLAKE:-/work/main/build/release/src/cli/sportlake}
OLD_FLAGS=${OLD_FLAGS:-}
RATE=${RATE:-1000}
SECONDS_RUN=${SECONDS_RUN:-10}
RUNS=${RUNS:-3}
PYTHON=${PYTHON:-/work/main/.venv/bin/python}
JOB=${JOB:-ingest}
UP_FLAGS=${UP_FLAGS:-}
RSS_TRACE=${RSS_TRACE:-}
[ -n "$RSS_TRACE" ] && mkdir -p "$RSS_TRACE" && export SPORTLAKE_LOG_LEVEL=info
WORK_PREFIX=sl-bench-fresh
# shellcheck source=bench/insert_load.sh
source bench/insert_load.sh

# trace_rss <pid> <file>: the process's VmRSS every 100 ms until it exits, as "HH:MM:SS.mmm kB"
# (the log's clock).
trace_rss() {
  local now kb
  while kb=$(awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null) && [ -n "$kb" ]; do
    printf -v now '%(%H:%M:%S)T.%s' -1 "${EPOCHREALTIME#*.}"
    echo "${now:0:12} $kb" >>"$2"
    sleep 0.1
  done
}

if [ "$JOB" = kafka ]; then
  # A broker for the whole run (the Python helper the tests use), stopped on exit.
  "$PYTHON" - "$work/bootstrap" <<'PY' &
import pathlib, signal, sys, time
sys.path.insert(0, "tests")
from kafka_broker import KafkaBroker, broker_jars
broker = KafkaBroker(broker_jars())
broker.format()
broker.start()
signal.signal(signal.SIGTERM, lambda *_: (broker.close(), sys.exit(0)))
pathlib.Path(sys.argv[1]).write_text(broker.bootstrap)
while True:
    time.sleep(1)
PY
  broker_pid=$!
  trap 'kill -TERM "$broker_pid" 2>/dev/null; wait "$broker_pid" 2>/dev/null; "$SPORTLAKE" db stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  for _ in $(seq 1200); do [ -s "$work/bootstrap" ] && break; sleep 0.1; done
  KAFKA_BOOTSTRAP_SERVERS=$(cat "$work/bootstrap")
  export KAFKA_BOOTSTRAP_SERVERS SPORTLAKE_KAFKA_PARTITIONS=3
fi

# round <binary> <job> <flags...>: prints "inserts/s rows p50 p95 p99 versions rss_mb"; TRACE_NAME
# names the round's RSS_TRACE files.
round() {
  local bin=$1 job=$2; shift 2
  psql "$url" -qXAtc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                      WHERE NOT active" >/dev/null
  rm -rf "$SPORTLAKE_HOME/delta"
  local pid publisher=
  if [ "$job" = kafka ]; then
    # Fresh topics per round; the publisher's slot exists before the load.
    export SPORTLAKE_TOPIC_PREFIX=fresh$RANDOM$RANDOM
    "$bin" cdc --sink kafka --schemas --slot bench_pub --idle-exit 0.5 >/dev/null
    "$bin" cdc --sink kafka --schemas --slot bench_pub >/dev/null 2>"$work/publisher.log" &
    publisher=$!
    /usr/bin/time -f "%M" -o "$work/rss" "$bin" ingest --source kafka --group "$SPORTLAKE_TOPIC_PREFIX" \
      >/dev/null 2>"$work/consumer.log" &
    pid=$!
    psql "$url" -qXf "$work/insert.sql" >/dev/null  # the warm-up row: creates the topic
    local first="$SPORTLAKE_HOME/delta/bronze/strava_activities/_delta_log/00000000000000000000.json"
    for _ in $(seq 600); do [ -e "$first" ] && break; sleep 0.1; done
  elif [ "$job" = up ]; then
    # shellcheck disable=SC2086
    /usr/bin/time -f "%M" -o "$work/rss" "$bin" up $UP_FLAGS "$@" >"$work/up.log" 2>&1 &
    pid=$!
    if [ -n "$RSS_TRACE" ]; then
      sleep 0.2
      trace_rss "$(pgrep -P "$pid")" "$RSS_TRACE/rss-$TRACE_NAME.txt" &
    fi
    # The load starts once the snapshot is committed (the first Bronze version exists).
    local first="$SPORTLAKE_HOME/delta/bronze/strava_activities/_delta_log/00000000000000000000.json"
    for _ in $(seq 600); do [ -e "$first" ] && break; sleep 0.1; done
  else
    "$bin" ingest --slot bench_fresh --idle-exit 0.5 >/dev/null  # slot + snapshot
    /usr/bin/time -f "%M" -o "$work/rss" "$bin" ingest --slot bench_fresh "$@" >/dev/null &
    pid=$!
  fi
  insert_load "$RATE" "$SECONDS_RUN"
  sleep 2  # past the longest ceiling: everything inserted is committed
  # The job itself stops (/usr/bin/time would die of the signal without reporting).
  kill -TERM "$(pgrep -P "$pid")"; wait "$pid" || true
  if [ -n "$RSS_TRACE" ] && [ "$job" = up ]; then cp "$work/up.log" "$RSS_TRACE/log-$TRACE_NAME.txt"; fi
  if [ -n "$publisher" ]; then kill -TERM "$publisher"; wait "$publisher" || true; fi
  "$PYTHON" bench/freshness.py "$SPORTLAKE_HOME/delta/bronze/strava_activities" | tr '\n' ' '
  echo $(( $(tail -1 "$work/rss") / 1024 ))
}

# What ran as `new` / `old`: with JOB=kafka, kafka (cdc → broker → ingest) and up (embedded).
job_name() {
  if [ "$JOB" != kafka ]; then echo "$JOB"; elif [ "$1" = new ]; then echo kafka; else echo up; fi
}

declare -A col
for run in $(seq 1 "$RUNS"); do
  if (( run % 2 == 1 )); then order="new old"; else order="old new"; fi
  for who in $order; do
    TRACE_NAME=$run-$who
    if [ "$JOB" = kafka ]; then
      # the same build both sides: Kafka (new) against the embedded `up` (old)
      if [ "$who" = new ]; then r=$(round "$SPORTLAKE" kafka); else r=$(round "$SPORTLAKE" up); fi
    elif [ "$who" = new ]; then r=$(round "$SPORTLAKE" "$JOB")
    else r=$(round "$OLD_SPORTLAKE" "$JOB" $OLD_FLAGS); fi
    read -r tps n p50 p95 p99 versions rss <<<"$r"
    printf 'run %d %s %s: %d rows at %.0f rows/s, freshness p50 %.0f ms p95 %.0f ms p99 %.0f ms, %d Delta versions, peak RSS %d MB\n' \
      "$run" "$who" "$(job_name "$who")" "$n" "$tps" "$p50" "$p95" "$p99" "$versions" "$rss"
    col[$who.p50]+="$p50 " col[$who.p95]+="$p95 " col[$who.p99]+="$p99 " col[$who.v]+="$versions "
    col[$who.rss]+="$rss "
  done
done
for who in new old; do
  # shellcheck disable=SC2086
  printf '%s %s: median of %d at %d rows/s: freshness p50 %.0f ms p95 %.0f ms p99 %.0f ms, %.0f Delta versions in %d s, peak RSS %.0f MB\n' \
    "$who" "$(job_name "$who")" "$RUNS" "$RATE" "$(median ${col[$who.p50]})" "$(median ${col[$who.p95]})" \
    "$(median ${col[$who.p99]})" "$(median ${col[$who.v]})" "$SECONDS_RUN" "$(median ${col[$who.rss]})"
done
