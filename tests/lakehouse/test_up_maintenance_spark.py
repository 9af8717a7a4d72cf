"""A real Spark (delta-spark) reads Bronze in a loop while `sportlake up` ingests activities from a
real PostgreSQL and its maintenance service compacts, checkpoints, cleans the log and vacuums
(slow: `make test-slow`). Every Spark read succeeds — the latest version, and by `versionAsOf` a
version that was the latest half a retention ago —, counts never go backwards nor exceed what
PostgreSQL committed, and at the end Spark holds each activity exactly once.

The retentions are shortened so that the cleanups delete within the test: Bronze's
delta.deletedFileRetentionDuration is 60 s (set by Spark, as an operator would), so vacuum deletes
what compactions removed a minute earlier. Log cleanup counts in days (its cut-off is rounded
down to midnight UTC, as in Spark), so the test ages the log instead: a log file older than 60 s
gets a modification time two days back, and delta.logRetentionDuration of one second lets the
cleanup delete the commits before the newest aged checkpoint. Readers stay within both: the
versions read by time travel were committed 5 to 20 s earlier."""
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

from waiting import wait_for

pytestmark = pytest.mark.slow

pyspark = pytest.importorskip("pyspark", reason="pip install -r requirements-spark.txt (make test-slow)")

from spark_session import delta_session, delta_session_builder  # noqa: E402 (after the skip)

RETENTION_S = 60   # delta.deletedFileRetentionDuration of Bronze in this test
AGED_S = 60        # log files older than this are made two days old
TRAVEL_AGE_S = 20  # the versions read by time travel were committed this long ago at most
STREAM_S = 100     # inserts go on this long


def age_old_log_files(log_dir, stop):
    """Every 0.5 s, sets the modification time of the commits and checkpoints older than AGED_S
    two days back: what a day of ingest leaves for log cleanup, in a minute."""
    two_days_ago = time.time() - 2 * 86400
    while not stop.is_set():
        cutoff = time.time() - AGED_S
        for entry in os.scandir(log_dir):
            if not re.fullmatch(r"\d{20}\.(json|checkpoint\.parquet)", entry.name):
                continue
            try:
                mtime = entry.stat().st_mtime
                if two_days_ago + 3600 < mtime < cutoff:
                    os.utime(entry.path, (two_days_ago, two_days_ago))
            except FileNotFoundError:  # deleted by the cleanup meanwhile
                pass
        stop.wait(0.5)


def latest_version(log_dir):
    return max(int(name[:20]) for name in os.listdir(log_dir) if re.fullmatch(r"\d{20}\.json", name))


def version_committed_about(log_dir, age_s, at_most):
    """The oldest version ≤ at_most whose commit is between age_s and age_s / 4 seconds old, if any."""
    now = time.time()
    versions = []
    for entry in os.scandir(log_dir):
        if re.fullmatch(r"\d{20}\.json", entry.name) and int(entry.name[:20]) <= at_most:
            try:
                if age_s / 4 <= now - entry.stat().st_mtime <= age_s:
                    versions.append(int(entry.name[:20]))
            except FileNotFoundError:  # deleted by the log cleanup meanwhile
                pass
    return min(versions, default=None)


def test_spark_reads_bronze_while_up_ingests_and_maintains(build_dir, tmp_path):
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-upms-"))
    os.chmod(base, 0o755)
    e = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="info",
             SPORTLAKE_LISTEN="127.0.0.1:0", SPORTLAKE_MAINTENANCE_FAN_IN="4",
             SPORTLAKE_MAINTENANCE_CLEANUP_INTERVAL="2")
    for secret in ("API_KEY_MAPS", "SLACK_WEBHOOK_URL"):
        e.pop(secret, None)
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    bronze = base / "home" / "delta" / "bronze" / "strava_activities"
    log_dir = bronze / "_delta_log"

    def run(*args):
        return subprocess.run([sportlake, *args], env=e, check=True, capture_output=True, text=True,
                              timeout=120).stdout

    def pg_count():
        return int(run("db", "psql", "--", "-XAtc", "SELECT count(*) FROM strava_activities").strip())

    run("db", "start")
    up = simulator = spark = None
    err = ""
    stop_aging = threading.Event()
    ager = threading.Thread(target=age_old_log_files, args=(log_dir, stop_aging))
    try:
        run("load")
        run("simulate", "--count", "50", "--rate", "1000", "--seed", "1")
        run("ingest", "--idle-exit", "1")
        # Two partitions for the log replay of each snapshot (50 by default): reads in seconds.
        spark = delta_session(delta_session_builder("sportlake-up-maintenance", tmp_path / "warehouse")
                              .config("spark.databricks.delta.snapshotPartitions", "2")
                              .config("spark.ui.showConsoleProgress", "false"))
        table = f"delta.`{bronze}`"
        spark.sql(f"ALTER TABLE {table} SET TBLPROPERTIES ("
                  f"'delta.deletedFileRetentionDuration' = 'interval {RETENTION_S} seconds', "
                  "'delta.logRetentionDuration' = 'interval 1 seconds', 'delta.checkpointInterval' = '5')")

        def spark_counts(version=None):
            reader = spark.read.format("delta")
            if version is not None:
                reader = reader.option("versionAsOf", version)
            row = reader.load(str(bronze)).selectExpr("count(*)", "count(DISTINCT activity_id)").first()
            return row[0], row[1]

        up = subprocess.Popen([sportlake, "up", "--no-notify", "--no-distances", "--no-serve",
                               "--refresh-interval", "3600", "--maintain-interval", "0.5"],
                              env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        rate = 30
        simulator = subprocess.Popen([sportlake, "simulate", "--count", str(rate * STREAM_S), "--rate",
                                      str(rate), "--seed", "2"], env=e, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        ager.start()
        seen = []  # (time, version listed before the read, count read): latest versions
        travels = []  # (version, count) read by time travel
        previous = 0
        deadline = time.monotonic() + STREAM_S + 150
        try:
            while True:
                assert time.monotonic() < deadline, "Spark never caught up with PostgreSQL"
                listed_at, listed = time.monotonic(), latest_version(log_dir)
                count, distinct = spark_counts()
                committed = pg_count()
                assert count == distinct, f"an activity twice in Bronze at version ≥ {listed}"
                assert previous <= count <= committed, (previous, count, committed)
                previous = count
                seen.append((listed_at, listed, count))
                # Time travel to a version committed TRAVEL_AGE_S ago or less: inside the
                # (shortened) log retention, and whatever a later commit removed from it was
                # removed even more recently, inside the vacuum's retention.
                version = version_committed_about(log_dir, TRAVEL_AGE_S, listed)
                if version is not None:
                    old, old_distinct = spark_counts(version)
                    assert old == old_distinct, f"an activity twice at version {version}"
                    # The count just read (at a version ≥ listed ≥ it) bounds it from above; a
                    # count read before a listing ≤ it (so at a version ≤ it), from below.
                    below = max([c for (_, _, c), (_, v, _) in zip(seen, seen[1:]) if v <= version],
                                default=0)
                    assert below <= old <= count, (version, below, old, count)
                    travels.append((version, old))
                if simulator.poll() is not None and count == committed:
                    break
                time.sleep(0.2)
        finally:
            stop_aging.set()
            ager.join()
            if simulator.poll() is None:
                simulator.kill()
            simulator.wait()
            up.send_signal(signal.SIGTERM)
            _, err = up.communicate(timeout=60)
        assert simulator.returncode == 0, simulator.stderr.read()
        assert up.returncode == 0, err[-3000:]
        # Each maintenance step happened while Spark read (else the test proves nothing).
        assert "compaction" in err and "checkpoint at" in err, err[-3000:]
        assert re.search(r"[1-9]\d* expired log files deleted", err), err[-3000:]
        assert re.search(r"[1-9]\d* files vacuumed", err), err[-3000:]
        assert len(travels) >= 3, (travels, [(round(t - seen[0][0], 1), v, c) for t, v, c in seen])
        # Every change exactly once: Spark's rows are PostgreSQL's activities.
        ids = run("db", "psql", "--", "-XAtc", "SELECT activity_id FROM strava_activities").split()
        rows = spark.read.format("delta").load(str(bronze)).select("activity_id").collect()
        assert sorted(r[0] for r in rows) == sorted(int(i) for i in ids)
        assert len(ids) == 50 + rate * STREAM_S
        assert subprocess.run([sportlake, "lake", "check", str(bronze)], env=e,
                              capture_output=True).returncode == 0
    finally:
        if up and up.poll() is None:
            up.kill()
            up.wait()
        if spark:
            spark.stop()
        subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
