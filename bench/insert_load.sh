# Sourced by the Bronze benchmarks (freshness.sh, maintenance.sh): a private PostgreSQL with the
# sample loaded under a fresh SPORTLAKE_HOME in $work, and `insert_load RATE SECONDS`, which
# inserts RATE activities/s with pgbench (one row per transaction, 8 clients; `sportlake simulate
# --rate` reaches only ~260 rows/s on the shared 2-core machine) and prints the achieved rate.
# ROWS_PER_TX (default 1) rows per transaction: pgbench's one-row transactions top out near
# 1,000/s on the loaded machine, so 10,000 rows/s is reached as 1,000 transactions of 10 rows.
# Expects SPORTLAKE and a `work` name prefix in WORK_PREFIX; sets work, url.
work=$(mktemp -d "/tmp/${WORK_PREFIX:-sl-bench}.XXXXXX")
chmod 755 "$work"
export SPORTLAKE_HOME=$work/home SPORTLAKE_LOG_LEVEL=${SPORTLAKE_LOG_LEVEL:-warn}
trap '"$SPORTLAKE" db stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$SPORTLAKE" db start >/dev/null
"$SPORTLAKE" load >/dev/null
url=$("$SPORTLAKE" db url --admin)
pg_bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
psql "$url" -qXc "CREATE SEQUENCE IF NOT EXISTS bench_fresh_seq" >/dev/null
ROWS_PER_TX=${ROWS_PER_TX:-1}
cat >"$work/insert.sql" <<SQL
INSERT INTO strava_activities (activity_id, employee_id, name, distance_m, moving_time_s,
  elapsed_time_s, total_elev_gain_m, type, sport_type, start_date_utc, start_date_local, timezone,
  utc_offset_s, calories, raw_payload)
SELECT 30000000000 + nextval('bench_fresh_seq'), 59019, 'Course à pied le matin', 10000, 3000,
  3100, 12.5, 'Run', 'Run', now(), localtimestamp, '(GMT+01:00) Europe/Paris', 3600, 650,
  '{"sport_type": "Run"}' FROM generate_series(1, $ROWS_PER_TX);
SQL

# insert_load RATE SECONDS: prints the achieved inserted rows/s followed by a space.
insert_load() {
  "$pg_bindir/pgbench" -n -c 8 -j 2 -R "$(( $1 / ROWS_PER_TX ))" -T "$2" -f "$work/insert.sql" "$url" \
    >"$work/pgbench.out" 2>&1 || { cat "$work/pgbench.out" >&2; exit 1; }
  grep -o 'tps = [0-9.]*' "$work/pgbench.out" | head -1 | awk -v n="$ROWS_PER_TX" '{printf "%s ", $3 * n}'
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
