#!/usr/bin/env bash
# Benchmark (issue 5): ROWS rows shaped like strava_activities inserted in one transaction, then
# streamed from a replication slot and written as Debezium JSON to /dev/null by `sportlake cdc`,
# beside the peer pg_recvlogical (pgoutput, same publication, output to /dev/null) reading the
# same WAL from its own slot, in the same run. RUNS rounds (default 3), fresh slots and rows each
# round, the order of the two alternating; prints each round, then the medians of rows/s, the
# ratio of the medians (goal >= 0.9) and our peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
SPORTLAKE=${SPORTLAKE:-$(pwd)/build/release/src/cli/sportlake}
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
work=$(mktemp -d /tmp/sl-bench-cdc.XXXXXX)
chmod 755 "$work"
export SPORTLAKE_HOME=$work/home SPORTLAKE_LOG_LEVEL=warn
trap '"$SPORTLAKE" db stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$SPORTLAKE" db start >/dev/null
"$SPORTLAKE" load >/dev/null
url=$("$SPORTLAKE" db url --admin)
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
now() { date +%s.%N; }

ours_run() {
  local t0 t1
  t0=$(now)
  /usr/bin/time -f "%M" -o "$work/rss" "$SPORTLAKE" cdc --slot bench_ours --sink jsonl:/dev/null \
    --max-events "$ROWS" >/dev/null
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}
peer_run() {
  local t0 t1
  # pg_recvlogical has no "stop after N" for pgoutput: it stops when its slot reached the WAL end.
  t0=$(now)
  "$bindir/pg_recvlogical" -d "$url" --slot bench_peer --start -o proto_version=1 \
    -o publication_names=sportlake_pub -E "$end_lsn" -f /dev/null --no-loop 2>/dev/null || true
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}

ours_all=() peer_all=() rss_all=()
for run in $(seq 1 "$RUNS"); do
  psql "$url" -qXc "TRUNCATE strava_activities" >/dev/null
  psql "$url" -qXAtc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                      WHERE slot_name IN ('bench_ours', 'bench_peer')" >/dev/null
  # Both slots exist before the rows are written, so both read the same WAL.
  "$SPORTLAKE" cdc --slot bench_ours --idle-exit 1 --sink jsonl:/dev/null >/dev/null
  psql "$url" -qXc "SELECT pg_create_logical_replication_slot('bench_peer', 'pgoutput')" >/dev/null
  psql "$url" -qXc "INSERT INTO strava_activities (activity_id, employee_id, name, distance_m, moving_time_s,
      elapsed_time_s, total_elev_gain_m, type, sport_type, start_date_utc, start_date_local, timezone,
      utc_offset_s, calories, raw_payload)
    SELECT 20000000000 + g, 59019, 'Course à pied le matin', 10000 + g % 5000, 3000, 3100, 12.5, 'Run', 'Run',
      now() - make_interval(secs => g), localtimestamp, '(GMT+01:00) Europe/Paris', 3600, 650,
      jsonb_build_object('id', 20000000000 + g, 'distance', 10000 + g % 5000, 'sport_type', 'Run')
    FROM generate_series(1, $ROWS) g" >/dev/null
  end_lsn=$(psql "$url" -XAtc "SELECT pg_current_wal_lsn()")
  if (( run % 2 == 1 )); then
    ours=$(ours_run); peer=$(peer_run)
  else
    peer=$(peer_run); ours=$(ours_run)
  fi
  rss=$(( $(cat "$work/rss") / 1024 ))
  printf 'run %d: sportlake cdc %.2f s = %.0f rows/s (peak RSS %d MB) | pg_recvlogical %.2f s = %.0f rows/s\n' \
    "$run" "$ours" "$(echo "$ROWS / $ours" | bc -l)" "$rss" "$peer" "$(echo "$ROWS / $peer" | bc -l)"
  ours_all+=("$ours") peer_all+=("$peer") rss_all+=("$rss")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ours_m=$(median "${ours_all[@]}")
peer_m=$(median "${peer_all[@]}")
rss_max=$(printf '%s\n' "${rss_all[@]}" | sort -n | tail -1)
printf 'cdc %d rows, median of %d: sportlake cdc %.0f rows/s | pg_recvlogical %.0f rows/s | ratio %.2f (goal >= 0.9) | peak RSS %d MB\n' \
  "$ROWS" "$RUNS" "$(echo "$ROWS / $ours_m" | bc -l)" "$(echo "$ROWS / $peer_m" | bc -l)" \
  "$(echo "$peer_m / $ours_m" | bc -l)" "$rss_max"
