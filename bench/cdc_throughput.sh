#!/usr/bin/env bash
# Benchmark (issue 5): N rows inserted into strava_activities in one transaction, then streamed
# from a replication slot and written as Debezium JSON to /dev/null by `sportlake cdc`, beside the
# peer pg_recvlogical (pgoutput, same publication, output to /dev/null) reading the same WAL from
# its own slot, in the same run. Prints rows/s of each, the ratio (goal >= 0.9) and our peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
SPORTLAKE=${SPORTLAKE:-$(pwd)/build/release/src/cli/sportlake}
ROWS=${ROWS:-1000000}
work=$(mktemp -d /tmp/sl-bench-cdc.XXXXXX)
chmod 755 "$work"
export SPORTLAKE_HOME=$work/home SPORTLAKE_LOG_LEVEL=warn
trap '"$SPORTLAKE" db stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$SPORTLAKE" db start >/dev/null
"$SPORTLAKE" load >/dev/null
url=$("$SPORTLAKE" db url)
# Both slots exist before the rows are written, so both read the same WAL.
"$SPORTLAKE" cdc --slot bench_ours --idle-exit 1 --sink jsonl:/dev/null >/dev/null
psql "$url" -qXc "SELECT pg_create_logical_replication_slot('bench_peer', 'pgoutput')" >/dev/null
psql "$url" -qXc "INSERT INTO strava_activities (activity_id, employee_id, name, distance_m, moving_time_s, elapsed_time_s,
    total_elev_gain_m, type, sport_type, start_date_utc, start_date_local, timezone, utc_offset_s, calories, raw_payload)
  SELECT 20000000000 + g, 59019, 'Course à pied le matin', 10000 + g % 5000, 3000, 3100, 12.5, 'Run', 'Run',
    now() - make_interval(secs => g), localtimestamp, '(GMT+01:00) Europe/Paris', 3600, 650,
    jsonb_build_object('id', 20000000000 + g, 'distance', 10000 + g % 5000, 'sport_type', 'Run')
  FROM generate_series(1, $ROWS) g"
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
t0=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/rss" "$SPORTLAKE" cdc --slot bench_ours --sink jsonl:/dev/null --max-events "$ROWS" >/dev/null
t1=$(date +%s.%N)
# pg_recvlogical has no "stop after N" for pgoutput: stop it when its slot reached the end of the WAL.
end_lsn=$(psql "$url" -XAtc "SELECT pg_current_wal_lsn()")
t2=$(date +%s.%N)
"$bindir/pg_recvlogical" -d "$url" --slot bench_peer --start -o proto_version=1 -o publication_names=sportlake_pub \
  -E "$end_lsn" -f /dev/null --no-loop 2>/dev/null || true
t3=$(date +%s.%N)
ours=$(echo "$t1 - $t0" | bc -l)
peer=$(echo "$t3 - $t2" | bc -l)
printf 'cdc %d rows: sportlake cdc %.2f s = %.0f rows/s (peak RSS %d MB) | pg_recvlogical %.2f s = %.0f rows/s | ratio %.2f (goal >= 0.9)\n' \
  "$ROWS" "$ours" "$(echo "$ROWS / $ours" | bc -l)" "$(( $(cat "$work/rss") / 1024 ))" "$peer" "$(echo "$ROWS / $peer" | bc -l)" \
  "$(echo "$peer / $ours" | bc -l)"
