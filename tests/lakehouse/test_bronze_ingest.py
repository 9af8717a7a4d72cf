"""`sportlake ingest` end to end on the embedded PostgreSQL, checked by delta-rs and pyarrow.

The initial snapshot and the stream land every change exactly once in the Bronze Delta tables;
the current state rebuilt from Bronze (last change per key by (_commit_lsn, _lsn), deletes
removed) equals the source tables; kill -9 at each dangerous place (data files written but not
committed, between two tables' commits, after the commits but before the acknowledgement, in the
middle of the snapshot) then a restart loses nothing and duplicates nothing.
"""
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

import duckdb
import pytest
from deltalake import DeltaTable

import fault_points


@pytest.fixture()
def env(build_dir):
    # The server may run as the `postgres` user: its folder must be reachable.
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-bronze-"))
    os.chmod(base, 0o755)
    home = base / "home"
    e = dict(os.environ, SPORTLAKE_HOME=str(home), SPORTLAKE_LOG_LEVEL="warn")
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    subprocess.run([sportlake, "db", "start"], env=e, check=True, capture_output=True)
    subprocess.run([sportlake, "load"], env=e, check=True, capture_output=True)
    yield sportlake, e, home / "delta" / "bronze"
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def psql(sportlake, e, query):
    return subprocess.run([sportlake, "db", "psql", "--", "-XAtc", query], env=e, check=True,
                          capture_output=True, text=True).stdout.split("\n")[:-1]


def ingest(sportlake, e, *args, timeout=180):
    done = subprocess.run([sportlake, "ingest", "--idle-exit", "1.5", *args], env=e, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done


def simulate(sportlake, e, count, seed):
    subprocess.run([sportlake, "simulate", "--count", str(count), "--rate", "500", "--seed", str(seed)], env=e, check=True,
                   capture_output=True)


def bronze(root, table, columns=None):
    return DeltaTable(str(root / table)).to_pyarrow_table(columns=columns).to_pylist()


def current_state(rows, key):
    """The source table as Bronze says it is now: the last change per key, deletes removed."""
    last = {}
    for r in sorted(rows, key=lambda r: (r["_commit_lsn"], r["_lsn"])):
        last[r[key]] = r
    return {k: r for k, r in last.items() if r["_op"] != "d"}


def assert_exactly_once(rows, key):
    changes = [(r[key], r["_op"], r["_commit_lsn"], r["_lsn"]) for r in rows]
    assert len(changes) == len(set(changes)), "a change landed twice"


def test_snapshot_then_stream_matches_the_source(env):
    sportlake, e, root = env
    simulate(sportlake, e, 30, 1)
    first = ingest(sportlake, e, "--json")
    assert '"snapshot_rows":352' in first.stdout  # 161 employees + 161 sports + 30 activities
    employees = bronze(root, "rh_employees")
    assert len(employees) == 161 and {r["_op"] for r in employees} == {"r"}
    row = next(r for r in employees if r["nom"] and r["salaire_brut"] is not None)
    assert str(row["salaire_brut"]).count(".") == 1, "salary is a decimal, not text"
    assert isinstance(row["date_embauche"].year, int), "dates are dates"

    # Inserts, an update, a delete and a primary-key-less no-op while nobody is consuming.
    simulate(sportlake, e, 20, 2)
    some_id = psql(sportlake, e, "SELECT min(id) FROM rh_employees")[0]
    psql(sportlake, e, f"UPDATE rh_employees SET adresse_complete = '1 Rue Neuve, 34000 Montpellier' "
                       f"WHERE id = {some_id}")
    gone = psql(sportlake, e, "SELECT min(activity_id) FROM strava_activities")[0]
    psql(sportlake, e, f"DELETE FROM strava_activities WHERE activity_id = {gone}")
    ingest(sportlake, e)

    activities = bronze(root, "strava_activities")
    assert_exactly_once(activities, "activity_id")
    ops = sorted(r["_op"] for r in activities)
    assert ops.count("r") == 30 and ops.count("c") == 20 and ops.count("d") == 1
    deleted = next(r for r in activities if r["_op"] == "d")
    assert deleted["activity_id"] == int(gone) and deleted["name"], "a delete keeps the old row"
    in_source = {int(i) for i in psql(sportlake, e, "SELECT activity_id FROM strava_activities")}
    assert set(current_state(activities, "activity_id")) == in_source

    # DuckDB, another Parquet reader, reads the live files the same.
    files = DeltaTable(str(root / "strava_activities")).file_uris()
    got = duckdb.sql(f"SELECT count(*), sum(CASE WHEN _op = 'd' THEN 1 ELSE 0 END), max(distance_m) "
                     f"FROM read_parquet({files!r})").fetchone()
    assert got == (len(activities), 1, max(r["distance_m"] for r in activities))

    employees = bronze(root, "rh_employees")
    state = current_state(employees, "id")
    assert len(state) == 161
    assert state[int(some_id)]["adresse_complete"] == "1 Rue Neuve, 34000 Montpellier"
    assert state[int(some_id)]["_op"] == "u"
    # The slot was acknowledged up to the last change: nothing is pending for it.
    lag = psql(sportlake, e, "SELECT pg_current_wal_lsn() - confirmed_flush_lsn <= 1024*1024 "
                             "FROM pg_replication_slots WHERE slot_name = 'sportlake_bronze'")
    assert lag == ["t"]


def test_schema_change_and_unconvertible_values(env):
    sportlake, e, root = env
    ingest(sportlake, e)
    psql(sportlake, e, "ALTER TABLE sport_activities ADD COLUMN niveau numeric(4,1)")
    psql(sportlake, e, "UPDATE sport_activities SET niveau = 'NaN' WHERE id = (SELECT min(id) FROM sport_activities)")
    psql(sportlake, e, "UPDATE sport_activities SET niveau = 12.5 WHERE id = (SELECT max(id) FROM sport_activities)")
    ingest(sportlake, e)
    rows = bronze(root, "sport_activities")
    updates = [r for r in rows if r["_op"] == "u"]
    assert len(updates) == 2
    nan = next(r for r in updates if r["_unconverted"])
    assert nan["niveau"] is None and nan["_unconverted"] == '{"niveau":"NaN"}'
    value = next(r for r in updates if not r["_unconverted"])
    assert str(value["niveau"]) == "12.5"
    assert all(r["niveau"] is None for r in rows if r["_op"] == "r"), "older rows read the new column as null"


def test_types_without_a_lake_form_land_as_their_text(env):
    """hstore, bit strings, point and arrays of two dimensions (issue 13): kept as PostgreSQL's
    text, in the snapshot and in the stream, never a stop."""
    sportlake, e, root = env
    psql(sportlake, e, "CREATE EXTENSION IF NOT EXISTS hstore; ALTER TABLE sport_activities "
                       "ADD COLUMN h hstore, ADD COLUMN b8 bit(8), ADD COLUMN vb varbit, "
                       "ADD COLUMN p point, ADD COLUMN m2 int[]")
    first = "(SELECT min(id) FROM sport_activities)"
    psql(sportlake, e, f"""UPDATE sport_activities SET h = 'a=>1, "b c"=>NULL', b8 = B'10100101', """
                       f"vb = B'101', p = '(1.5,-2.25)', m2 = '{{{{1,2}},{{3,NULL}}}}' WHERE id = {first}")
    ingest(sportlake, e)  # the snapshot
    psql(sportlake, e, f"UPDATE sport_activities SET h = 'k=>v', b8 = B'00000001', vb = B'', "
                       f"p = '(0,-0)', m2 = '{{{{{{1}}}}}}' WHERE id = {first}")
    ingest(sportlake, e)  # the stream
    rows = sorted((r for r in bronze(root, "sport_activities") if r["h"] is not None), key=lambda r: r["_op"])
    assert [(r["_op"], r["h"], r["b8"], r["vb"], r["p"], r["m2"], r["_unconverted"]) for r in rows] == [
        ("r", '"a"=>"1", "b c"=>NULL', "10100101", "101", "(1.5,-2.25)", "{{1,2},{3,NULL}}", None),
        ("u", '"k"=>"v"', "00000001", "", "(0,-0)", "{{{1}}}", None)]


def run_frozen(sportlake, e, point, *args):
    """Starts `sportlake ingest` frozen at fault point `point` and kills it there with SIGKILL."""
    fault_points.kill_at(point, [sportlake, "ingest", *args], env=e)


@pytest.mark.parametrize("point", ["delta.write.before_commit", "bronze.commit.after_table:public.rh_employees",
                                   "bronze.commit.before_ack"])
def test_kill_minus_nine_while_streaming_then_restart(env, point):
    sportlake, e, root = env
    ingest(sportlake, e)  # snapshot
    # One transaction touching two tables, then more activities: a flush commits table after table.
    psql(sportlake, e, "BEGIN; UPDATE rh_employees SET nb_conges_payes = nb_conges_payes + 1 WHERE id IN "
                       "(SELECT id FROM rh_employees ORDER BY id LIMIT 5); "
                       "UPDATE sport_activities SET pratique_sport = pratique_sport WHERE id IN "
                       "(SELECT id FROM sport_activities ORDER BY id LIMIT 3); COMMIT;")
    simulate(sportlake, e, 15, 3)
    run_frozen(sportlake, e, point, "--commit-interval", "0")
    simulate(sportlake, e, 10, 4)
    ingest(sportlake, e)
    employees = bronze(root, "rh_employees")
    assert_exactly_once(employees, "id")
    assert sum(r["_op"] == "u" for r in employees) == 5
    sports = bronze(root, "sport_activities")
    assert_exactly_once(sports, "id")
    assert sum(r["_op"] == "u" for r in sports) == 3
    activities = bronze(root, "strava_activities")
    assert_exactly_once(activities, "activity_id")
    in_source = {int(i) for i in psql(sportlake, e, "SELECT activity_id FROM strava_activities")}
    assert sorted(r["activity_id"] for r in activities) == sorted(in_source)


def test_kill_minus_nine_during_the_snapshot_then_restart(env):
    sportlake, e, root = env
    simulate(sportlake, e, 40, 5)
    # Frozen after the first 100 snapshot rows: the slot exists, no Bronze table was committed.
    run_frozen(sportlake, e, "bronze.snapshot.midway")
    simulate(sportlake, e, 10, 6)
    done = ingest(sportlake, e, "--json")
    assert '"snapshot_rows":372' in done.stdout  # read again at a later point: 161 + 161 + 50
    activities = bronze(root, "strava_activities")
    assert_exactly_once(activities, "activity_id")
    in_source = {int(i) for i in psql(sportlake, e, "SELECT activity_id FROM strava_activities")}
    assert sorted(r["activity_id"] for r in activities) == sorted(in_source), \
        "the 10 activities inserted after the kill are in the late snapshot, not twice"
    simulate(sportlake, e, 5, 7)
    ingest(sportlake, e)
    activities = bronze(root, "strava_activities")
    assert_exactly_once(activities, "activity_id")
    assert len(activities) == 55


def test_a_lone_change_lands_without_waiting_for_the_commit_interval(env):
    """Adaptive commits: with a 30 s ceiling, one inserted row is committed as soon as the stream
    is idle (a functional check of idleness; the bound is generous, not a timing benchmark)."""
    sportlake, e, root = env
    ingest(sportlake, e)  # the slot and the snapshot
    follower = subprocess.Popen([sportlake, "ingest", "--commit-interval", "30"], env=e,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        simulate(sportlake, e, 1, 7)
        deadline = time.monotonic() + 15  # half the ceiling
        landed = []
        while time.monotonic() < deadline and not landed:
            time.sleep(0.2)
            landed = [r for r in bronze(root, "strava_activities", ["_op"]) if r["_op"] == "c"]
        assert follower.poll() is None, follower.stderr.read()
        assert len(landed) == 1, "the row waited for the 30 s ceiling"
    finally:
        follower.send_signal(signal.SIGTERM)
        follower.wait(timeout=30)
    assert follower.returncode == 0
