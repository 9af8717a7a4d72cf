"""`sportlake up` runs every service in one process: new activities land in Bronze, are announced
(log mode), the distances are computed, Gold is refreshed and published; SIGTERM stops it all
cleanly (exit 0, every slot acknowledged)."""
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile

from deltalake import DeltaTable
from waiting import delta_committed, wait_for


def test_up_runs_every_service_and_stops_cleanly(build_dir):
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-up-"))
    os.chmod(base, 0o755)
    e = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="info",
             SPORTLAKE_LISTEN="127.0.0.1:0")
    for secret in ("API_KEY_MAPS", "SLACK_WEBHOOK_URL"):
        e.pop(secret, None)
    sportlake = str(build_dir / "src" / "cli" / "sportlake")

    def psql(query):
        return subprocess.run([sportlake, "db", "psql", "--", "-XAtc", query], env=e, check=True,
                              capture_output=True, text=True).stdout.split("\n")[:-1]

    subprocess.run([sportlake, "db", "start"], env=e, check=True, capture_output=True)
    subprocess.run([sportlake, "load"], env=e, check=True, capture_output=True)
    up = subprocess.Popen([sportlake, "up", "--refresh-interval", "1"], env=e, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    try:
        slots = "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'sportlake_%'"
        wait_for(lambda: psql(slots) == ["3"], "the three slots exist")
        subprocess.run([sportlake, "simulate", "--count", "5", "--rate", "50", "--seed", "8"], env=e, check=True,
                       capture_output=True)
        wait_for(lambda: psql("SELECT count(*) FROM notification_outbox WHERE status = 'sent'") == ["5"],
                 "the 5 activities announced")
        wait_for(lambda: psql("SELECT count(*) FROM distance_cache WHERE status = 'ok'") == ["68"],
                 "the distances computed")
        bronze = base / "home" / "delta" / "bronze" / "strava_activities"
        wait_for(lambda: delta_committed(bronze) and DeltaTable(str(bronze)).to_pyarrow_table().num_rows == 5,
                 "the activities in Bronze")
        # Bronze lands within ~0.1 s now, before the first refresh may have created gold.*.
        def gold_activities():
            try:
                return psql("SELECT coalesce(sum(activities), 0) FROM gold.kpi_summary")
            except subprocess.CalledProcessError as failed:
                assert "does not exist" in failed.stderr, failed.stderr
                return ["0"]
        wait_for(lambda: gold_activities() != ["0"], "Gold refreshed with the activities")
    finally:
        up.send_signal(signal.SIGTERM)
        out, err = up.communicate(timeout=60)
    try:
        assert up.returncode == 0, err
        assert "sportlake up: stopped" in out
        for service in ("ingest", "notify", "distances", "refresh"):
            assert f"{service}: stopped" in err
        assert psql("SELECT count(*) FROM pg_replication_slots WHERE active") == ["0"]
        # `status` reports what the services left: their slots, notifications, distances, tables.
        status = subprocess.run([sportlake, "status"], env=e, check=True, capture_output=True, text=True).stdout
        for expected in ("sportlake_bronze", "sportlake_notify", "sportlake_distances", "notifications: 5 sent",
                         "distances: 68 offline ok", "bronze  strava_activities", "gold    prime_sportive"):
            assert expected in status, status
    finally:
        subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
