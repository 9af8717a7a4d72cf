"""`sportlake up` keeps its memory budget under sustained load (a budget test, not a timed one).

Issue 16: the whole process — ingest, notify, distances, the dashboard and the maintenance
service compacting Bronze behind the ingest — peaks at no more than 120 MB of resident memory
(the kernel's ru_maxrss, through GNU time) while pgbench inserts 10,000 activities/s (1,000
transactions of 10 rows) into a real PostgreSQL for 45 s. Every inserted activity must land in
Bronze exactly once, and the maintenance service must have compacted during the run (the budget
covers its passes). Three runs: with the periodic Silver/Gold refresh kept out (--refresh-interval
3600); with it every 15 s, so that at least two incremental refreshes run during the load, each
rebuilding the ~150,000 activities inserted since the previous one (the increment is built and
written piecewise: lakehouse/README "Refresh memory"), first without the dashboard (--no-serve:
the refresh's own budget), then with it (its employee indexes are rebuilt after each refresh:
serve/README). A fourth run removes Silver 20 s into the load, so that the refresh after it
rebuilds ~300,000 activities in full, as the first refresh to find Bronze does: within the
quarter of `up`'s budget its refresh is given (`up --memory-mb`, lakehouse/README).
"""
import glob
import os
import pathlib
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import pytest
from deltalake import DeltaTable
from waiting import wait_for

BUDGET_MB = 120
RATE = 10_000  # rows/s
ROWS_PER_TX = 10
SECONDS = 45


@pytest.mark.slow
@pytest.mark.parametrize("refresh_interval,flags,wipe_silver_at",
                         [(3600, [], None), (15, ["--no-serve"], None), (15, [], None),
                          (30, ["--no-serve"], 20)],
                         ids=["no-refresh", "refresh-15s-no-serve", "refresh-15s",
                              "full-rebuild-no-serve"])
def test_up_stays_within_its_memory_budget_at_10k_rows_per_second(build_dir, refresh_interval,
                                                                   flags, wipe_silver_at):
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-upmem-"))
    os.chmod(base, 0o755)
    e = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="warn",
             SPORTLAKE_LISTEN="127.0.0.1:0")
    for secret in ("API_KEY_MAPS", "SLACK_WEBHOOK_URL"):
        e.pop(secret, None)
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    bronze = base / "home" / "delta" / "bronze" / "strava_activities"
    pgbench = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))[-1]
    subprocess.run([sportlake, "db", "start"], env=e, check=True, capture_output=True)
    try:
        subprocess.run([sportlake, "load"], env=e, check=True, capture_output=True)
        url = subprocess.run([sportlake, "db", "url", "--admin"], env=e, check=True,
                             capture_output=True, text=True).stdout.strip()
        script = base / "insert.sql"
        script.write_text(f"""
INSERT INTO strava_activities (activity_id, employee_id, name, distance_m, moving_time_s,
  elapsed_time_s, total_elev_gain_m, type, sport_type, start_date_utc, start_date_local, timezone,
  utc_offset_s, calories, raw_payload)
SELECT 30000000000 + nextval('up_memory_seq'), 59019, 'Course à pied le matin', 10000, 3000,
  3100, 12.5, 'Run', 'Run', now(), localtimestamp, '(GMT+01:00) Europe/Paris', 3600, 650,
  '{{"sport_type": "Run"}}' FROM generate_series(1, {ROWS_PER_TX});
""")
        subprocess.run(["psql", url, "-qXc", "CREATE SEQUENCE up_memory_seq"], check=True,
                       capture_output=True)
        rss = base / "rss"
        up = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", str(rss), sportlake, "up",
                               "--refresh-interval", str(refresh_interval), *flags],
                              env=e, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: (bronze / "_delta_log" / f"{0:020d}.json").exists(),
                     "the Bronze snapshot", timeout=120)
            load_started = time.time()
            silver = base / "home" / "delta" / "silver"
            if wipe_silver_at:
                # Silver gone mid-load (no watermark): the next refresh rebuilds ~300,000
                # activities in full, as `up`'s first refresh to find Bronze does.
                threading.Timer(wipe_silver_at, shutil.rmtree, [silver], {"ignore_errors": True}).start()
            load = subprocess.run([pgbench, "-n", "-c", "8", "-j", "2", "-R",
                                   str(RATE // ROWS_PER_TX), "-T", str(SECONDS), "-f",
                                   str(script), url], capture_output=True, text=True)
            load_ended = time.time()
            assert load.returncode == 0, load.stderr
            tps = float(re.search(r"tps = ([0-9.]+)", load.stdout).group(1))
            inserted = int(subprocess.run(
                ["psql", url, "-XAtc", "SELECT count(*) FROM strava_activities "
                                       "WHERE activity_id > 30000000000"],
                check=True, capture_output=True, text=True).stdout)
            print(f"inserted {inserted} rows at {tps * ROWS_PER_TX:.0f} rows/s")

            def streamed():
                ids = DeltaTable(str(bronze)).to_pyarrow_table(columns=["activity_id"]) \
                    .column("activity_id").to_pylist()
                return [i for i in ids if i > 30000000000]
            wait_for(lambda: len(streamed()) >= inserted, "every inserted row in Bronze",
                     timeout=120)
            # One more maintenance pass over the last commits before the budget is read.
            time.sleep(16)
        finally:
            job = subprocess.run(["pgrep", "-P", str(up.pid)], capture_output=True, text=True)
            for pid in job.stdout.split():
                os.kill(int(pid), signal.SIGTERM)
            _, err = up.communicate(timeout=120)
        assert up.returncode == 0, err
        peak_mb = int(rss.read_text().split()[-1]) / 1024
        print(f"sportlake up peaked at {peak_mb:.0f} MB")

        ids = streamed()
        assert len(ids) == len(set(ids)) == inserted  # each activity exactly once
        history = DeltaTable(str(bronze)).history()
        assert any(h["operation"] == "OPTIMIZE" for h in history), "no compaction ran"
        if wipe_silver_at:
            activities = DeltaTable(str(silver / "activities"))
            full = [h for h in activities.history() if h["operation"] == "REFRESH SILVER"]
            assert full, "no full rebuild after Silver was removed"
            rebuilt = DeltaTable(str(silver / "activities"), version=min(h["version"] for h in full))
            assert rebuilt.to_pyarrow_table(columns=["activity_id"]).num_rows >= 100_000
        elif refresh_interval < SECONDS:
            # The refreshes that ran while pgbench inserted: Silver's activities got new rows.
            during = [h for h in DeltaTable(str(silver / "activities")).history()
                      if h["operation"] == "REFRESH SILVER (incremental)"
                      and load_started * 1000 <= h["timestamp"] <= load_ended * 1000 + 15_000]
            print(f"{len(during)} incremental refreshes during the load")
            assert len(during) >= 2, f"only {len(during)} incremental refreshes during the load"
        # At least half the asked rate, or the run did not test what it says.
        assert tps * ROWS_PER_TX >= RATE / 2, f"only {tps * ROWS_PER_TX:.0f} rows/s inserted"
        assert peak_mb <= BUDGET_MB, f"up peaked at {peak_mb:.0f} MB (budget {BUDGET_MB} MB)"
    finally:
        subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
