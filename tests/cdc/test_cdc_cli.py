"""`sportlake cdc` end to end on the embedded PostgreSQL: simulated activities become Debezium JSON
lines; a consumer killed with SIGKILL mid-stream and restarted loses nothing, and repeats only
transactions it had not acknowledged (each event carries its LSN so a sink can drop them)."""
import json
import os
import pathlib
import signal
import shutil
import subprocess
import tempfile
import time

import pytest


@pytest.fixture()
def env(build_dir):
    # The server may run as the `postgres` user: its folder must be reachable (pytest's tmp_path
    # lives under a 0700 folder).
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-cdc-"))
    os.chmod(base, 0o755)
    home = base / "home"
    e = dict(os.environ, SPORTLAKE_HOME=str(home), SPORTLAKE_LOG_LEVEL="warn")
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    subprocess.run([sportlake, "db", "start"], env=e, check=True, capture_output=True)
    subprocess.run([sportlake, "load"], env=e, check=True, capture_output=True)
    yield sportlake, e
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def events(path: pathlib.Path, table: str):
    out = []
    if not path.exists():
        return out
    for line in path.read_text().splitlines():
        if not line.strip():
            continue  # a line cut by SIGKILL is not complete JSON
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if record["topic"] == f"rh_sport.public.{table}" and record["value"]:
            out.append(record["value"])
    return out


def test_activities_stream_as_debezium_json(env, tmp_path):
    sportlake, e = env
    sink = tmp_path / "events.jsonl"
    cdc = subprocess.Popen([sportlake, "cdc", "--sink", f"jsonl:{sink}", "--idle-exit", "3"], env=e,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # The consumer creates its slot first; changes made before that are not its business.
    deadline = time.time() + 30
    while time.time() < deadline and "sportlake_inspect" not in subprocess.run(
            [sportlake, "cdc", "slots"], env=e, capture_output=True, text=True).stdout:
        time.sleep(0.2)
    subprocess.run([sportlake, "simulate", "--count", "5", "--delay", "50ms..100ms", "--seed", "9"], env=e, check=True,
                   capture_output=True)
    cdc.wait(timeout=60)
    assert cdc.returncode == 0, cdc.stderr.read()
    inserted = events(sink, "strava_activities")
    assert len(inserted) == 5
    for value in inserted:
        assert value["op"] == "c"
        assert value["before"] is None
        assert value["source"]["table"] == "strava_activities"
        assert value["source"]["snapshot"] == "false"
        payload = json.loads(value["after"]["raw_payload"])
        assert payload["id"] == value["after"]["activity_id"]
        assert value["after"]["start_date_utc"].endswith("Z")


def test_kill_minus_nine_then_restart_loses_nothing(env, tmp_path):
    sportlake, e = env
    sink = tmp_path / "events.jsonl"
    # Create the slot first, so changes made while no consumer runs are kept for it.
    subprocess.run([sportlake, "cdc", "--sink", f"jsonl:{sink}", "--idle-exit", "1"], env=e, check=True,
                   capture_output=True, timeout=60)
    writer = subprocess.Popen([sportlake, "simulate", "--count", "300", "--rate", "100", "--seed", "4"], env=e,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    cdc = subprocess.Popen([sportlake, "cdc", "--sink", f"jsonl:{sink}"], env=e,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Kill it once it has written some events (and while the writer is still inserting).
    deadline = time.time() + 30
    while time.time() < deadline and len(events(sink, "strava_activities")) < 20:
        time.sleep(0.1)
    cdc.send_signal(signal.SIGKILL)
    cdc.wait()
    seen_before_kill = len(events(sink, "strava_activities"))
    assert writer.wait(timeout=60) == 0
    subprocess.run([sportlake, "cdc", "--sink", f"jsonl:{sink}", "--idle-exit", "3"], env=e, check=True,
                   capture_output=True, timeout=120)
    ids = subprocess.run([sportlake, "db", "psql", "--", "-XAtc", "SELECT activity_id FROM strava_activities"],
                         env=e, check=True, capture_output=True, text=True).stdout.split()
    got = [v["after"]["activity_id"] for v in events(sink, "strava_activities")]
    assert set(got) == {int(i) for i in ids}, "no activity lost"
    assert 0 < seen_before_kill < 300, "the kill happened mid-stream"
    # Repeats come only from the unacknowledged tail, and carry their LSN: deduplicating by LSN
    # gives exactly one event per activity.
    all_events = events(sink, "strava_activities")
    by_lsn = {(v["source"]["lsn"], v["after"]["activity_id"]) for v in all_events}
    assert len(by_lsn) == 300
    # A sink may drop, after a restart, every event at or below the last LSN it holds: those are
    # exactly the repeats, and everything above it is new.
    before_kill = {(v["source"]["lsn"], v["after"]["activity_id"]) for v in all_events[:seen_before_kill]}
    last_held = max(lsn for lsn, _ in before_kill)
    for v in all_events[seen_before_kill:]:
        event = (v["source"]["lsn"], v["after"]["activity_id"])
        assert (event in before_kill) == (event[0] <= last_held), event


def psql(sportlake, e, query):
    return subprocess.run([sportlake, "db", "psql", "--", "-XAtc", query], env=e, check=True,
                          capture_output=True, text=True).stdout.split()


def test_from_start_snapshot_then_stream_exactly_once(env, tmp_path):
    sportlake, e = env
    sink = tmp_path / "events.jsonl"
    # Activities keep arriving while the consumer takes its snapshot and starts streaming.
    writer = subprocess.Popen([sportlake, "simulate", "--count", "200", "--rate", "100", "--seed", "7"], env=e,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.5)
    cdc = subprocess.Popen([sportlake, "cdc", "--from-start", "--sink", f"jsonl:{sink}", "--idle-exit", "3"],
                           env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert writer.wait(timeout=120) == 0
    cdc.wait(timeout=120)
    assert cdc.returncode == 0, cdc.stderr.read()
    employees = events(sink, "rh_employees")
    assert len(employees) == int(psql(sportlake, e, "SELECT count(*) FROM rh_employees")[0]) == 161
    assert {v["op"] for v in employees} == {"r"}
    activities = events(sink, "strava_activities")
    ids = [v["after"]["activity_id"] for v in activities]
    in_table = {int(i) for i in psql(sportlake, e, "SELECT activity_id FROM strava_activities")}
    assert sorted(ids) == sorted(in_table), "every activity exactly once across snapshot + stream"
    ops = [v["op"] for v in activities]
    assert "r" in ops and "c" in ops, "the writer ran across the snapshot"
    assert ops.index("c") > len(ops) - ops[::-1].index("r") - 1, "snapshot rows come first"
    # Debezium's markers over the whole snapshot: first row "first", last row "last".
    snapshot = [json.loads(line)["value"] for line in sink.read_text().splitlines()
                if json.loads(line)["value"] and json.loads(line)["value"]["op"] == "r"]
    assert snapshot[0]["source"]["snapshot"] == "first"
    assert snapshot[-1]["source"]["snapshot"] == "last"
    assert all(v["source"]["snapshot"] in ("true", "first_in_data_collection", "last_in_data_collection")
               for v in snapshot[1:-1])
    # A second run resumes the existing slot: no second snapshot.
    again = subprocess.run([sportlake, "cdc", "--from-start", "--sink", f"jsonl:{sink}", "--idle-exit", "1"],
                           env=e, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert len(events(sink, "rh_employees")) == 161


def test_terminated_walsender_reconnects_and_loses_nothing(env, tmp_path):
    sportlake, e = env
    sink = tmp_path / "events.jsonl"
    subprocess.run([sportlake, "cdc", "--sink", f"jsonl:{sink}", "--idle-exit", "1"], env=e, check=True,
                   capture_output=True, timeout=60)
    cdc = subprocess.Popen([sportlake, "cdc", "--sink", f"jsonl:{sink}", "--idle-exit", "4"], env=e,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    writer = subprocess.Popen([sportlake, "simulate", "--count", "300", "--rate", "100", "--seed", "5"], env=e,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    terminated = 0
    for wanted in (30, 120):
        deadline = time.time() + 30
        while time.time() < deadline and len(events(sink, "strava_activities")) < wanted:
            time.sleep(0.05)
        killed = psql(sportlake, e, "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
                                    "WHERE slot_name = 'sportlake_inspect' AND active_pid IS NOT NULL")
        terminated += killed.count("t")
    assert writer.wait(timeout=60) == 0
    _, stderr = cdc.communicate(timeout=120)
    assert cdc.returncode == 0, stderr
    assert terminated == 2, "the walsender was terminated twice mid-stream"
    assert stderr.count("reconnected at") == 2, stderr
    got = [v["after"]["activity_id"] for v in events(sink, "strava_activities")]
    ids = {int(i) for i in psql(sportlake, e, "SELECT activity_id FROM strava_activities")}
    assert set(got) == ids, "no activity lost"
    # The unfinished transaction is cut from the file before the server sends it again.
    assert len(got) == len(ids) == 300, "no repeat"


def test_schemas_mode_same_connect_schema_for_snapshot_and_stream(env, tmp_path):
    sportlake, e = env
    sink = tmp_path / "events.jsonl"
    subprocess.run([sportlake, "simulate", "--count", "2", "--delay", "10ms..20ms", "--seed", "3"], env=e,
                   check=True, capture_output=True)
    cdc = subprocess.Popen([sportlake, "cdc", "--from-start", "--schemas", "--sink", f"jsonl:{sink}",
                            "--idle-exit", "3"], env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while time.time() < deadline and "sportlake_inspect" not in subprocess.run(
            [sportlake, "cdc", "slots"], env=e, capture_output=True, text=True).stdout:
        time.sleep(0.2)
    subprocess.run([sportlake, "simulate", "--count", "2", "--delay", "10ms..20ms", "--seed", "8"], env=e,
                   check=True, capture_output=True)
    cdc.wait(timeout=60)
    assert cdc.returncode == 0, cdc.stderr.read()
    records = [json.loads(line) for line in sink.read_text().splitlines()]
    acts = [r for r in records if r["topic"] == "rh_sport.public.strava_activities"]
    ops = [r["value"]["payload"]["op"] for r in acts]
    assert ops.count("r") == 2 and ops.count("c") == 2
    schemas = {json.dumps(r["value"]["schema"], sort_keys=True) for r in acts}
    assert len(schemas) == 1, "snapshot and stream events carry one schema"
    schema = acts[0]["value"]["schema"]
    assert schema["name"] == "rh_sport.public.strava_activities.Envelope" and schema["version"] == 2
    after = {f["field"]: f for f in schema["fields"][1]["fields"]}
    assert after["activity_id"]["type"] == "int64" and after["activity_id"]["optional"] is False
    assert after["start_date_utc"]["name"] == "io.debezium.time.ZonedTimestamp"
    assert after["raw_payload"]["name"] == "io.debezium.data.Json"
    # Snapshot and streamed records alike are keyed by the primary key (streamed ones once had a
    # null key: the catalog query took the first key column for a non-key one).
    for record in acts:
        assert record["key"]["schema"]["name"] == "rh_sport.public.strava_activities.Key"
        assert record["key"]["payload"] == {"activity_id": record["value"]["payload"]["after"]["activity_id"]}


def test_slots_lists_and_drops(env):
    sportlake, e = env
    subprocess.run([sportlake, "cdc", "--slot", "listed_one", "--idle-exit", "0.5", "--sink", "jsonl:/dev/null"],
                   env=e, check=True, capture_output=True, timeout=60)
    listing = subprocess.run([sportlake, "cdc", "slots"], env=e, check=True, capture_output=True, text=True).stdout
    line = next(l for l in listing.splitlines() if l.startswith("listed_one"))
    assert "pgoutput" in line
    dropped = subprocess.run([sportlake, "cdc", "slots", "--drop", "listed_one"], env=e, capture_output=True,
                             text=True)
    assert dropped.returncode == 0, dropped.stderr
    assert "listed_one" not in psql(sportlake, e, "SELECT slot_name FROM pg_replication_slots")
    missing = subprocess.run([sportlake, "cdc", "slots", "--drop", "listed_one"], env=e, capture_output=True,
                             text=True)
    assert missing.returncode == 1 and "listed_one" in missing.stderr


def test_kill_during_the_snapshot_then_from_start_takes_it_again(env, tmp_path):
    sportlake, e = env
    sink = tmp_path / "events.jsonl"
    frozen = dict(e, SPORTLAKE_FAULT_POINT="cdc.snapshot.midway")
    cdc = subprocess.Popen([sportlake, "cdc", "--from-start", "--sink", f"jsonl:{sink}"], env=frozen,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # The fault point stops the process (SIGSTOP) after 100 snapshot rows: kill it there.
    deadline = time.time() + 30
    state = ""
    while time.time() < deadline and state != "T":
        time.sleep(0.05)
        with open(f"/proc/{cdc.pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    assert state == "T", "the consumer reached the fault point"
    cdc.send_signal(signal.SIGKILL)
    cdc.wait()
    assert "sportlake_inspect" in subprocess.run([sportlake, "cdc", "slots"], env=e, capture_output=True,
                                                 text=True).stdout, "the slot outlived the kill"
    again = subprocess.run([sportlake, "cdc", "--from-start", "--sink", f"jsonl:{sink}", "--idle-exit", "2"],
                           env=e, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "did not finish" in again.stderr
    snapshot = [v for v in (json.loads(line)["value"] for line in sink.read_text().splitlines()) if v]
    assert [v["source"]["snapshot"] for v in snapshot].count("last") == 1, "one complete snapshot"
    assert {v["after"]["id"] for v in events(sink, "rh_employees")} == \
        {int(i) for i in psql(sportlake, e, "SELECT id FROM rh_employees")}
    # A third run finds a finished snapshot: it resumes without taking another.
    third = subprocess.run([sportlake, "cdc", "--from-start", "--sink", f"jsonl:{sink}", "--idle-exit", "1"],
                           env=e, capture_output=True, text=True, timeout=60)
    assert third.returncode == 0 and "did not finish" not in third.stderr, third.stderr
    assert len(events(sink, "rh_employees")) == 161


def test_one_million_row_transaction(env):
    """One transaction of 1M inserted rows: every row once, in order, one txId, memory bounded
    (the consumer streams the transaction out instead of holding it)."""
    sportlake, e = env
    subprocess.run([sportlake, "cdc", "--sink", "stdout", "--idle-exit", "1"], env=e, check=True,
                   capture_output=True, timeout=60)  # the slot exists before the transaction
    url = subprocess.run([sportlake, "db", "url"], env=e, check=True, capture_output=True, text=True).stdout.strip()
    n = 1_000_000
    subprocess.run(["psql", url, "-qXc", "INSERT INTO sport_activities (id, pratique_sport) "
                    f"SELECT 1000000000 + g, 'Sport ' || (g % 15) FROM generate_series(1, {n}) g"],
                   check=True, capture_output=True, timeout=300)
    # The server decodes the whole transaction before its first change is sent (long on a busy
    # machine): stop on the count, with a generous idle limit as the safety net.
    cdc = subprocess.Popen([sportlake, "cdc", "--sink", "stdout", "--max-events", str(n),
                            "--idle-exit", "120"], env=e,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ids, transactions, previous_id = set(), set(), 0
    for line in cdc.stdout:
        record = json.loads(line)
        if record["topic"] != "rh_sport.public.sport_activities" or not record["value"]:
            continue
        value = record["value"]
        assert value["op"] == "c"
        row_id = value["after"]["id"]
        assert row_id > previous_id  # insertion order
        previous_id = row_id
        ids.add(row_id)
        transactions.add(value["source"]["txId"])
    _, status, usage = os.wait4(cdc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, cdc.stderr.read()
    assert len(ids) == n and min(ids) == 1_000_000_001 and max(ids) == 1_000_000_000 + n
    assert len(transactions) == 1
    print(f"1M-row transaction: peak RSS of the consumer {usage.ru_maxrss // 1024} MB")
    assert usage.ru_maxrss < 300 * 1024, f"peak RSS {usage.ru_maxrss // 1024} MB"


EDGE_ROWS = [
    # id, date, timestamp, timestamptz, numeric
    "(1, 'infinity', 'infinity', 'infinity', 'NaN')",
    "(2, '-infinity', '-infinity', '-infinity', 'Infinity')",
    "(3, '0044-03-15 BC', '0044-03-15 12:00:00 BC', '0044-03-15 12:00:00+00 BC', '-Infinity')",
    "(4, '10000-01-01', '10000-01-01 00:00:00', '10000-01-01 00:00:00+00', 1.5)",
]


def test_values_postgres_accepts_never_stop_the_stream(env, tmp_path):
    """±infinity, BC, 5-digit years and numeric NaN/Infinity, in the initial snapshot and in the
    stream: `cdc` keeps going (exit 0), writes Debezium's values (null plus a warning where
    Debezium has none) and acknowledges past them."""
    sportlake, e = env
    sink = tmp_path / "events.jsonl"
    psql(sportlake, e, "CREATE TABLE edge (id int PRIMARY KEY, d date, ts timestamp, tz timestamptz, "
                       "v numeric NOT NULL); CREATE PUBLICATION edge_pub FOR TABLE edge; "
                       "INSERT INTO edge VALUES " + ", ".join(EDGE_ROWS))
    cdc = subprocess.Popen([sportlake, "cdc", "--from-start", "--schemas", "--publication", "edge_pub",
                            "--slot", "edge_slot", "--sink", f"jsonl:{sink}", "--idle-exit", "3"],
                           env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 30
    while time.time() < deadline and "edge_slot" not in subprocess.run(
            [sportlake, "cdc", "slots"], env=e, capture_output=True, text=True).stdout:
        time.sleep(0.2)
    psql(sportlake, e, "UPDATE edge SET id = id + 10")  # delete + create of every row, streamed
    _, stderr = cdc.communicate(timeout=120)
    assert cdc.returncode == 0, stderr
    assert "no Decimal form" in stderr
    records = [json.loads(line) for line in sink.read_text().splitlines()]
    values = [r["value"]["payload"] for r in records if r["value"]]
    snapshot = {v["after"]["id"]: v["after"] for v in values if v["op"] == "r"}
    created = {v["after"]["id"] - 10: v["after"] for v in values if v["op"] == "c"}
    assert sorted(snapshot) == sorted(created) == [1, 2, 3, 4]
    for rows in (snapshot, created):
        assert rows[1]["d"] == -2147472692 and rows[2]["d"] == -2147472691
        assert rows[1]["ts"] == 9223372036825200000 and rows[2]["ts"] == -9223372036832400000
        assert rows[1]["tz"] == "infinity" and rows[2]["tz"] == "-infinity"
        assert rows[3]["d"] == -735160 and rows[3]["tz"] == "-0043-03-15T12:00:00.000000Z"
        assert rows[4]["tz"] == "+10000-01-01T00:00:00.000000Z"
        # NOT NULL numeric without a Decimal form: the type's zero keeps the record valid.
        assert rows[1]["v"] == rows[2]["v"] == rows[3]["v"] == {"scale": 0, "value": "AA=="}
        assert rows[4]["v"] == {"scale": 1, "value": "Dw=="}
    # The slot moved past them: nothing is left to stream.
    again = subprocess.run([sportlake, "cdc", "--publication", "edge_pub", "--slot", "edge_slot",
                            "--sink", f"jsonl:{tmp_path / 'again.jsonl'}", "--idle-exit", "2"],
                           env=e, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert not (tmp_path / "again.jsonl").exists() or (tmp_path / "again.jsonl").read_text() == ""


JSONCONVERTER_TABLES = """
CREATE TABLE typed (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL, anyn numeric, payload jsonb,
                    at timestamptz, day date NOT NULL, local_at timestamp, ms timestamp(3), ok boolean NOT NULL,
                    label text NOT NULL, ratio double precision, r4 real, small smallint, blob bytea, u uuid,
                    big text);
CREATE TABLE nokey (a int, b text NOT NULL);
ALTER TABLE nokey REPLICA IDENTITY FULL;
CREATE TABLE fullid (id int PRIMARY KEY, v text NOT NULL);
ALTER TABLE fullid REPLICA IDENTITY FULL;
CREATE PUBLICATION jc_pub FOR TABLE typed, nokey, fullid;
INSERT INTO typed VALUES
  (1, 30940.50, 1.25, '{"k": [1, 2]}', '2026-07-01 10:00:00.5+02', '2026-11-25', '2026-11-25 08:30:00',
   '2026-11-25 08:30:00.123', true, E'\\u00c9quitation \\U0001F3C5 \\u2028 \\x01', 0.25, -1.5, -32768,
   '\\x00ff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'short'),
  (2, 0, 'NaN', NULL, 'infinity', '-infinity', 'infinity', '-infinity', false, '', NULL, NULL, 32767, NULL,
   NULL, NULL),
  (3, -0.01, 'Infinity', 'null', '0044-03-15 12:00:00+00 BC', '0044-03-15 BC', '10000-01-01 00:00:00',
   '0044-03-15 12:00:00 BC', true, 'x', 1e308, 3.4e38, 0, '\\x', NULL, NULL);
INSERT INTO nokey VALUES (1, 'a'), (NULL, 'b');
INSERT INTO fullid VALUES (1, 'v');
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE forms (id int PRIMARY KEY, t time, t3 time(3), tz timetz, iv interval, ints int4[],
                    texts text[], amounts numeric(10,2)[], floats float8[], moods mood[], m mood,
                    cash money, f8 float8, f4 real, tz3 timestamptz(3), tz0 timestamptz(0), anyn numeric,
                    status text NOT NULL DEFAULT 'new', level int DEFAULT 7, note text DEFAULT 'none',
                    mood_d mood NOT NULL DEFAULT 'ok', bin bytea);
ALTER PUBLICATION jc_pub ADD TABLE forms;
CREATE PUBLICATION jc_forms_pub FOR TABLE forms, nokey, fullid;
INSERT INTO forms VALUES
  (1, '10:15:30.123456', '10:15:30.123', '10:15:30+02', '1 year 2 mons 3 days 04:05:06.789', '{1,NULL,-3}',
   '{a,"b c",NULL}', '{1.5,NULL}', '{1,2.5,1e16}', '{sad,happy}', 'happy', '1234.56', 1, 100, '2016-11-04 11:51:30.1+00',
   '2016-11-04 11:51:30+00', 1.500, 'open', NULL, NULL, 'sad', '\\x00ff'),
  (2, '24:00:00', NULL, '00:00:00.5-03:30', '-1 days +02:03:00', '{}', '{}', NULL, NULL, '{}', NULL, '-0.01', 12345678,
   0.1, NULL, NULL, 100, DEFAULT, DEFAULT, DEFAULT, DEFAULT, NULL);
"""

JSONCONVERTER_CHANGES = """
INSERT INTO typed (id, amount, day, ok, label, big, blob)
  SELECT 4, 1, '-infinity', true, 'toast', string_agg(md5(g::text), ''), decode(string_agg(md5((g + 7)::text), ''), 'hex')
  FROM generate_series(1, 600) g;
UPDATE typed SET small = 5 WHERE id = 4;
UPDATE typed SET id = 5 WHERE id = 4;
UPDATE typed SET anyn = 'NaN', amount = 'NaN' WHERE id = 1;
DELETE FROM typed WHERE id = 2;
UPDATE nokey SET b = 'c' WHERE a IS NULL;
DELETE FROM nokey WHERE a = 1;
UPDATE fullid SET v = 'w';
UPDATE fullid SET id = 2;
DELETE FROM fullid;
TRUNCATE nokey;
INSERT INTO forms (id, iv, cash, ints, texts)
  SELECT 3, '-00:00:01.5', '0', array_agg(g * 7919 % 100003), array_agg(md5(g::text)) FROM generate_series(1, 5000) g;
UPDATE forms SET f8 = 2 WHERE id = 3;
DELETE FROM forms WHERE id = 2;
"""

# The forms of Debezium's defaults (issue 13, "Debezium's own forms"), as its documentation and
# converters write them. Float -0.0 is left out (unit-tested): JsonConverter reads floats as
# BigDecimal, which has no negative zero, and writes 0.0 back.
DEFAULT_FORMS = {
    1: {"t": 36930123456, "t3": 36930123, "tz": "08:15:30Z",
        "iv": ((14 * 30.4375 + 3) * 86400 + 4 * 3600 + 5 * 60) * 1000000 + 6789000,
        "ints": [1, None, -3], "texts": ["a", "b c", None], "amounts": ["AJY=", None],
        "floats": [1.0, 2.5, 1e16], "moods": ["sad", "happy"], "m": "happy", "cash": "AeJA",
        "f8": 1.0, "f4": 100.0, "tz3": "2016-11-04T11:51:30.100Z", "tz0": "2016-11-04T11:51:30Z",
        "anyn": {"scale": 1, "value": "Dw=="}, "status": "open", "level": 7, "note": "none", "mood_d": "sad",
        "bin": "AP8="},
    2: {"t": 86400000000, "tz": "03:30:00.5Z", "iv": -86400000000 + 7380000000, "ints": [], "texts": [],
        "moods": [], "cash": "/w==", "f8": 12345678.0, "anyn": {"scale": 0, "value": "ZA=="}, "status": "new",
        "level": 7, "note": "none", "mood_d": "ok"},
}


# (schemas.enable, extra `cdc` options): Debezium's defaults in both modes, then every other
# value of the options that change the forms.
JSONCONVERTER_RUNS = [
    (True, "jc_pub", []),
    (False, "jc_pub", []),
    (True, "jc_pub", ["--decimal-handling-mode", "string", "--time-precision-mode", "connect",
                      "--binary-handling-mode", "hex", "--interval-handling-mode", "string"]),
    # Without `typed`'s numeric NaN/Infinity: Debezium writes them as the strings "NaN"... in a
    # double field, which JsonConverter reads back as 0.0 (as float NaN, see the README).
    (True, "jc_forms_pub", ["--decimal-handling-mode", "double", "--time-precision-mode",
                            "adaptive_time_microseconds", "--binary-handling-mode", "base64",
                            "--tombstones-on-delete", "false", "--skipped-operations", "none"]),
]


def test_every_record_is_accepted_by_kafka_connect_jsonconverter(env, tmp_path):
    """Kafka Connect's own JsonConverter.toConnectData reads every key and value `cdc` writes,
    snapshot and stream, both schemas.enable modes and every value of Debezium's form options,
    and writes back the same payload; the values are Debezium's forms."""
    sportlake, e = env
    root = pathlib.Path(__file__).resolve().parents[2]
    jars = subprocess.run([str(root / "scripts" / "kafka-connect-jars.sh")], check=True,
                          capture_output=True, text=True, timeout=600).stdout.strip()
    psql(sportlake, e, JSONCONVERTER_TABLES)
    runs = []
    for n, (schemas, publication, extra) in enumerate(JSONCONVERTER_RUNS):
        sink = tmp_path / f"run-{n}.jsonl"
        slot = f"jc_{n}"
        args = [sportlake, "cdc", "--from-start", "--publication", publication, "--slot", slot,
                "--sink", f"jsonl:{sink}", "--idle-exit", "3"] + (["--schemas"] if schemas else []) + extra
        runs.append((schemas, publication, extra, sink, slot, subprocess.Popen(args, env=e, stdout=subprocess.PIPE,
                                                                  stderr=subprocess.PIPE, text=True)))
    deadline = time.time() + 30
    while time.time() < deadline and not all(
            run[4] in subprocess.run([sportlake, "cdc", "slots"], env=e, capture_output=True, text=True).stdout
            for run in runs):
        time.sleep(0.2)
    psql(sportlake, e, JSONCONVERTER_CHANGES)
    for schemas, publication, extra, sink, _, cdc in runs:
        _, stderr = cdc.communicate(timeout=120)
        assert cdc.returncode == 0, stderr
        lines = [line for line in sink.read_text().split("\n") if line]  # not splitlines(): U+2028
        records = [json.loads(line) for line in lines]
        values = [(r["value"]["payload"] if schemas else r["value"]) if r["value"] else None for r in records]
        ops = [v["op"] for v in values if v]
        assert ops.count("r") == (8 if publication == "jc_pub" else 5) and {"c", "u", "d"} <= set(ops), ops
        # skipped.operations=t by default (Debezium's), tombstones.on.delete=true by default.
        assert ("t" in ops) == ("--skipped-operations" in extra), ops
        assert (None in values) == ("--tombstones-on-delete" not in extra)
        forms = {v["after"]["id"]: v["after"] for v in values
                 if v and v["source"]["table"] == "forms" and v["op"] in ("r", "c")}
        if not extra:
            for row, expected in DEFAULT_FORMS.items():
                assert {k: forms[row][k] for k in expected} == expected, (row, forms[row])
            assert forms[3]["ints"] == [g * 7919 % 100003 for g in range(1, 5001)] and forms[3]["iv"] == -1500000
            # Unchanged TOASTed arrays after the update: Debezium's placeholders, typed.
            updated = [v["after"] for v in values if v and v["op"] == "u" and v["source"]["table"] == "forms"]
            assert updated[0]["ints"] == [ord(c) for c in "__debezium_unavailable_value"]
            assert updated[0]["texts"] == ["__debezium_unavailable_value"]
            if schemas:
                last = next(r["value"] for r in reversed(records)
                            if r["value"] and r["topic"] == "rh_sport.public.forms")
                fields = {f["field"]: f for f in next(
                    f for f in last["schema"]["fields"] if f["field"] == "after")["fields"]}
                assert fields["t"]["name"] == "io.debezium.time.MicroTime" and fields["t"]["type"] == "int64"
                assert fields["t3"]["name"] == "io.debezium.time.Time" and fields["t3"]["type"] == "int32"
                assert fields["tz"]["name"] == "io.debezium.time.ZonedTime"
                assert fields["iv"]["name"] == "io.debezium.time.MicroDuration"
                assert fields["ints"]["type"] == "array" and fields["ints"]["items"] == {"type": "int32",
                                                                                        "optional": True}
                assert fields["moods"]["items"]["parameters"] == {"allowed": "sad,ok,happy"}
                assert fields["m"]["name"] == "io.debezium.data.Enum"
                assert fields["cash"]["parameters"] == {"scale": "2"}
                assert fields["status"]["default"] == "new" and fields["status"]["optional"] is False
                assert fields["level"]["default"] == 7 and fields["mood_d"]["default"] == "ok"
                assert "origin" in last["payload"]["source"]
        elif "connect" in extra:
            assert forms[1]["t"] == 36930123 and forms[1]["cash"] == "1234.56" and forms[1]["bin"] == "00ff"
            assert forms[1]["iv"] == "P1Y2M3DT4H5M6.789S" and forms[1]["anyn"] == "1.500"
        else:
            assert forms[1]["t3"] == 36930123000 and forms[1]["cash"] == 1234.56 and forms[1]["anyn"] == 1.5
        check = subprocess.run(["java", "-cp", f"{jars}/*", str(root / "tests" / "cdc" / "jsonconverter" /
                                                                 "JsonConverterCheck.java"), str(schemas).lower()],
                               input=sink.read_text(), capture_output=True, text=True, timeout=300)
        assert check.returncode == 0, check.stderr
        assert check.stdout.strip().endswith(f"checked {len(lines)} records, 0 problems"), check.stdout[-4000:]
