"""Benchmark: `sportlake refresh` (Bronze → Silver → Gold of a year, Delta tables written, no
publication) on ROWS activities (default 1M, one Bronze table as `sportlake ingest` lands it),
beside DuckDB doing the core of the same work on the same Bronze Parquet files in the same run:
the current state per activity (last change by _commit_lsn, _lsn; deletes gone) written as a
SNAPPY Parquet file, then the well-being aggregation per employee of the year written too.
DuckDB runs in-process with 1 thread and with all threads; RUNS rounds (default 3), medians.
Ours also checks types, the data-quality rules, commutes, bonuses, KPIs and writes 9 Delta
tables, so the ratio is conservative for us."""
import os
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import time

import duckdb
from deltalake import DeltaTable

ROOT = pathlib.Path(__file__).resolve().parent.parent
SPORTLAKE = os.environ.get("SPORTLAKE", str(ROOT / "build" / "release" / "src" / "cli" / "sportlake"))
ROWS = int(os.environ.get("ROWS", "1000000"))
RUNS = int(os.environ.get("RUNS", "3"))
YEAR = 2025


def main():
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-bench-refresh-"))
    os.chmod(base, 0o755)
    env = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="warn")
    env.pop("API_KEY_MAPS", None)

    def run(*args):
        return subprocess.run([SPORTLAKE, *args], env=env, check=True, capture_output=True, text=True).stdout

    try:
        run("db", "start")
        run("load")
        run("distances")
        run("ingest", "--idle-exit", "0.5")
        run("db", "psql", "--", "-qXc", f"""
            INSERT INTO strava_activities (activity_id, employee_id, name, distance_m, moving_time_s,
              elapsed_time_s, total_elev_gain_m, type, sport_type, start_date_utc, start_date_local, timezone,
              utc_offset_s, calories, raw_payload)
            SELECT 20000000000 + g, e.ids[1 + g % array_length(e.ids, 1)], 'Course à pied le matin',
              10000 + g % 5000, 3000, 3100, 12.5, 'Run', 'Run',
              timestamp '{YEAR}-01-01' + make_interval(secs => (g * 31) % 31000000),
              timestamp '{YEAR}-01-01' + make_interval(secs => (g * 31) % 31000000),
              '(GMT+01:00) Europe/Paris', 3600, 650, jsonb_build_object('id', 20000000000 + g)
            FROM generate_series(1, {ROWS}) g, (SELECT array_agg(id ORDER BY id) ids FROM rh_employees) e""")
        run("ingest", "--max-changes", str(ROWS))
        lake = base / "home" / "delta"

        ours = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            run("refresh", "--year", str(YEAR), "--no-publish")
            ours.append(time.perf_counter() - t0)

        files = DeltaTable(str(lake / "bronze" / "strava_activities")).file_uris()
        out = base / "duckdb"
        out.mkdir()

        def duck(threads):
            con = duckdb.connect()
            con.execute(f"SET threads = {threads}")
            t0 = time.perf_counter()
            con.execute(f"""COPY (SELECT * EXCLUDE (rn) FROM (
                SELECT *, row_number() OVER (PARTITION BY activity_id ORDER BY _commit_lsn DESC, _lsn DESC) rn
                FROM read_parquet({files!r})) WHERE rn = 1 AND _op <> 'd')
                TO '{out}/silver_activities.parquet' (FORMAT parquet, COMPRESSION snappy)""")
            con.execute(f"""COPY (SELECT employee_id, count(*) AS activities, min(start_date_local) AS first,
                max(start_date_local) AS last, count(*) >= 15 AS eligible
                FROM read_parquet('{out}/silver_activities.parquet')
                WHERE year(start_date_local) = {YEAR} AND NOT commute GROUP BY employee_id)
                TO '{out}/gold_wellbeing.parquet' (FORMAT parquet, COMPRESSION snappy)""")
            elapsed = time.perf_counter() - t0
            con.close()
            return elapsed

        duck1 = [duck(1) for _ in range(RUNS)]
        duckn = [duck(os.cpu_count()) for _ in range(RUNS)]
        m_ours, m_d1, m_dn = (statistics.median(x) for x in (ours, duck1, duckn))
        print(f"refresh {ROWS} activities, median of {RUNS}: sportlake refresh {m_ours:.2f} s "
              f"({ROWS / m_ours:,.0f} rows/s) | DuckDB 1 thread {m_d1:.2f} s (ratio {m_d1 / m_ours:.2f}) | "
              f"DuckDB {os.cpu_count()} threads {m_dn:.2f} s (ratio {m_dn / m_ours:.2f})")
    finally:
        subprocess.run([SPORTLAKE, "db", "stop"], env=env, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
