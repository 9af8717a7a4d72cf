"""`sportlake up` maintains Bronze while it ingests: activities streamed from a real PostgreSQL land
once each, the maintenance service compacts the small files of the busy table behind the ingest
(OPTIMIZE commits, dataChange=false), and delta-rs reads the table at every version while it
happens and after."""
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import threading
import time

from deltalake import DeltaTable
from waiting import delta_committed, wait_for


def test_up_compacts_bronze_while_ingesting(build_dir):
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-upm-"))
    os.chmod(base, 0o755)
    e = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="info",
             SPORTLAKE_LISTEN="127.0.0.1:0", SPORTLAKE_MAINTENANCE_FAN_IN="4")
    for secret in ("API_KEY_MAPS", "SLACK_WEBHOOK_URL"):
        e.pop(secret, None)
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    bronze = base / "home" / "delta" / "bronze" / "strava_activities"

    def psql(query):
        return subprocess.run([sportlake, "db", "psql", "--", "-XAtc", query], env=e, check=True,
                              capture_output=True, text=True).stdout.split("\n")[:-1]

    def bronze_ids(version=None):
        dt = DeltaTable(str(bronze), version=version) if version is not None else DeltaTable(str(bronze))
        return dt.to_pyarrow_table(columns=["activity_id"]).column("activity_id").to_pylist()

    subprocess.run([sportlake, "db", "start"], env=e, check=True, capture_output=True)
    subprocess.run([sportlake, "load"], env=e, check=True, capture_output=True)
    up = subprocess.Popen([sportlake, "up", "--no-notify", "--no-distances", "--no-serve",
                           "--refresh-interval", "3600", "--maintain-interval", "0.5"],
                          env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    failures = []
    reading = threading.Event()
    reading.set()

    def created():  # once a commit exists, every read must succeed
        return delta_committed(bronze)

    def reader():
        while reading.is_set():
            try:
                if created():
                    ids = bronze_ids()
                    assert len(ids) == len(set(ids)), "an activity twice in Bronze"
            except Exception as error:  # noqa: BLE001 - any reader failure is the finding
                failures.append(repr(error))
            time.sleep(0.05)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        wait_for(created, "Bronze created", timeout=90)
        for seed in (1, 2, 3):  # many small commits: one per ~0.1 s while the inserts go on
            subprocess.run([sportlake, "simulate", "--count", "150", "--rate", "60", "--seed", str(seed)],
                           env=e, check=True, capture_output=True)
        source = sorted(int(x) for x in psql("SELECT activity_id FROM strava_activities"))
        wait_for(lambda: sorted(bronze_ids()) == source, "every activity in Bronze", timeout=90)
        history = lambda: DeltaTable(str(bronze)).history()  # noqa: E731
        wait_for(lambda: any(h["operation"] == "OPTIMIZE" for h in history()), "a compaction",
                 timeout=90)
        commits = sum(1 for h in history() if h["operation"] == "STREAMING UPDATE")
        assert commits >= 20, commits
        wait_for(lambda: len(DeltaTable(str(bronze)).files()) <= 3 * 3 + 1, "the small files compacted",
                 timeout=90)
    finally:
        reading.clear()
        thread.join()
        up.send_signal(signal.SIGTERM)
        out, err = up.communicate(timeout=60)
    try:
        assert up.returncode == 0, err
        assert "maintain: stopped" in err and "table maintenance" in out
        assert not failures, failures[:5]
        assert sorted(bronze_ids()) == source  # each activity exactly once
        # Every version reads, without duplicates, and rows only ever grow.
        previous = set()
        for version in range(DeltaTable(str(bronze)).version() + 1):
            ids = bronze_ids(version)
            assert len(ids) == len(set(ids)) and previous <= set(ids), version
            previous = set(ids)
        assert subprocess.run([sportlake, "lake", "check", str(bronze)], env=e,
                              capture_output=True).returncode == 0
    finally:
        subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
