#!/usr/bin/env bash
# Benchmark: ROWS rows shaped like strava_activities inserted in one transaction, then landed in
# the Bronze Delta table by `sportlake ingest` (typed columns, SNAPPY Parquet, Delta commit with
# its txn, slot acknowledged), beside two readers of the same WAL in the same run:
# `sportlake cdc` (the same stream written as Debezium JSON to /dev/null) and the physical limit
# pg_recvlogical (pgoutput to /dev/null, what the server's decoding costs). RUNS rounds (default
# 3), fresh slots and rows each round, the order alternating; prints each round, then the medians
# of rows/s, the ratios ingest / pg_recvlogical and ingest / cdc, and the ingest's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
SPORTLAKE=${SPORTLAKE:-$(pwd)/build/release/src/cli/sportlake}
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
work=$(mktemp -d /tmp/sl-bench-bronze.XXXXXX)
chmod 755 "$work"
export SPORTLAKE_HOME=$work/home SPORTLAKE_LOG_LEVEL=warn
trap '"$SPORTLAKE" db stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$SPORTLAKE" db start >/dev/null
"$SPORTLAKE" load >/dev/null
url=$("$SPORTLAKE" db url --admin)
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
now() { date +%s.%N; }
elapsed() { local t0; t0=$(now); "$@" >/dev/null; echo "$(now) - $t0" | bc -l; }

ingest_run() {
  local t0 t1
  t0=$(now)
  /usr/bin/time -f "%M" -o "$work/rss" "$SPORTLAKE" ingest --slot bench_ingest --max-changes "$ROWS" >/dev/null
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}
cdc_run() { elapsed "$SPORTLAKE" cdc --slot bench_cdc --sink jsonl:/dev/null --max-events "$ROWS"; }
peer_run() {
  # pg_recvlogical stops when its slot reached the WAL end (-E).
  elapsed "$bindir/pg_recvlogical" -d "$url" --slot bench_peer --start -o proto_version=1 \
    -o publication_names=sportlake_pub -E "$end_lsn" -f /dev/null --no-loop
}

ingest_all=() cdc_all=() peer_all=() rss_all=()
for run in $(seq 1 "$RUNS"); do
  psql "$url" -qXc "TRUNCATE strava_activities" >/dev/null
  psql "$url" -qXAtc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                      WHERE slot_name IN ('bench_ingest', 'bench_cdc', 'bench_peer')" >/dev/null
  rm -rf "$SPORTLAKE_HOME/delta/bronze"
  # Every slot exists (and Bronze holds its snapshot) before the rows are written.
  "$SPORTLAKE" ingest --slot bench_ingest --idle-exit 0.5 >/dev/null
  "$SPORTLAKE" cdc --slot bench_cdc --idle-exit 0.5 --sink jsonl:/dev/null >/dev/null
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
    ingest=$(ingest_run); cdc=$(cdc_run); peer=$(peer_run)
  else
    peer=$(peer_run); cdc=$(cdc_run); ingest=$(ingest_run)
  fi
  rss=$(( $(cat "$work/rss") / 1024 ))
  landed=$("$SPORTLAKE" lake ls "$SPORTLAKE_HOME/delta/bronze" | awk '$1 ~ /strava_activities/ {print $4}')
  [ "$landed" = "$ROWS" ] || { echo "bronze holds $landed rows, expected $ROWS" >&2; exit 1; }
  printf 'run %d: sportlake ingest %.2f s = %.0f rows/s (peak RSS %d MB) | sportlake cdc %.2f s = %.0f rows/s | pg_recvlogical %.2f s = %.0f rows/s\n' \
    "$run" "$ingest" "$(echo "$ROWS / $ingest" | bc -l)" "$rss" "$cdc" "$(echo "$ROWS / $cdc" | bc -l)" \
    "$peer" "$(echo "$ROWS / $peer" | bc -l)"
  ingest_all+=("$ingest") cdc_all+=("$cdc") peer_all+=("$peer") rss_all+=("$rss")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ingest_m=$(median "${ingest_all[@]}")
cdc_m=$(median "${cdc_all[@]}")
peer_m=$(median "${peer_all[@]}")
rss_max=$(printf '%s\n' "${rss_all[@]}" | sort -n | tail -1)
printf 'bronze %d rows, median of %d: sportlake ingest %.0f rows/s | sportlake cdc %.0f rows/s | pg_recvlogical %.0f rows/s | ingest/pg_recvlogical %.2f | ingest/cdc %.2f | peak RSS %d MB\n' \
  "$ROWS" "$RUNS" "$(echo "$ROWS / $ingest_m" | bc -l)" "$(echo "$ROWS / $cdc_m" | bc -l)" \
  "$(echo "$ROWS / $peer_m" | bc -l)" "$(echo "$peer_m / $ingest_m" | bc -l)" \
  "$(echo "$cdc_m / $ingest_m" | bc -l)" "$rss_max"
