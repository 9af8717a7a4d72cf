"""Helpers of the bus suites: run sportlake, query the source database, read the topics
(`read_topics` lives with the broker fixture, shared with the Debezium comparison)."""
import pathlib
import subprocess

from kafka_broker import read_topics  # noqa: F401 - re-exported for the bus suites


def run(sportlake, e, *args, timeout=120):
    done = subprocess.run([sportlake, *args], env=e, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done


def psql(sportlake, e, query):
    return run(sportlake, e, "db", "psql", "--", "-XAtc", query).stdout.split()


def bronze(root, table):
    """A Bronze table's rows read by delta-rs ([] before it exists)."""
    from deltalake import DeltaTable
    path = pathlib.Path(root) / table
    if not (path / "_delta_log").exists():
        return []
    return DeltaTable(str(path)).to_pyarrow_table().to_pylist()


def assert_every_activity_once(sportlake, e, root):
    """Bronze's strava_activities holds every activity of the source exactly once."""
    rows = bronze(root, "strava_activities")
    seen = [(r["activity_id"], r["_op"], r["_lsn"]) for r in rows]
    assert len(seen) == len(set(seen)), "a change landed twice"
    ids = {int(i) for i in psql(sportlake, e, "SELECT activity_id FROM strava_activities")}
    assert sorted(r["activity_id"] for r in rows) == sorted(ids), "every insert exactly once"
