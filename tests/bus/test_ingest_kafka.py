"""`sportlake ingest --source kafka` on a real Apache Kafka broker (KRaft): the Bronze rows equal the
slot ingest's for the same changes; exactly once across a consumer's kill -9, a publisher's
repeats and two consumers of one group.

Exactly-once rests on Bronze, not on Kafka: each table's Delta txn `sportlake-bronze:<group>:
<topic>:<partition>` holds the partition's next offset (with the order of its last change, to drop
a publisher's repeats), written in the commit of the rows; a consumer seeks there at each
assignment. Committed Kafka offsets are written after, for monitoring only."""
import json
import pathlib
import signal
import subprocess
import time

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from deltalake import DeltaTable

from bus_helpers import psql, read_topics, run

BOOKKEEPING = {"_ingest_ts", "_commit_lsn"}  # when it landed; Debezium's lsn_commit on Kafka


def bronze(root, table):
    path = pathlib.Path(root) / table
    if not (path / "_delta_log").exists():
        return []
    return DeltaTable(str(path)).to_pyarrow_table().to_pylist()


def kafka_lake(e, name="kafka_lake"):
    """The environment of an ingest writing to a lake of its own (the slot ingest keeps the default)."""
    root = pathlib.Path(e["SPORTLAKE_HOME"]).parent / name
    return dict(e, SPORTLAKE_LAKE_ROOT=str(root)), root / "bronze"


def comparable(rows):
    return sorted(json.dumps({k: v for k, v in r.items() if k not in BOOKKEEPING}, sort_keys=True,
                             default=str) for r in rows)


def changes(sportlake, e):
    """Inserts, updates of several rows, a delete and a primary-key change."""
    run(sportlake, e, "simulate", "--count", "30", "--delay", "1ms..5ms", "--seed", "21")
    psql(sportlake, e, "UPDATE rh_employees SET moyen_deplacement = 'Vélo', adresse_complete = "
                       "adresse_complete || ' bis' WHERE id IN (SELECT id FROM rh_employees ORDER BY id LIMIT 4)")
    psql(sportlake, e, "DELETE FROM strava_activities WHERE activity_id IN "
                       "(SELECT activity_id FROM strava_activities ORDER BY activity_id LIMIT 2)")
    psql(sportlake, e, "UPDATE strava_activities SET activity_id = activity_id + 900000000 "
                       "WHERE activity_id = (SELECT max(activity_id) FROM strava_activities)")


def key_of(r):
    return r.get("activity_id", r.get("id"))


def assert_exactly_once(rows):
    seen = [(str(key_of(r)), r["_op"], r["_lsn"]) for r in rows]
    assert len(seen) == len(set(seen)), "a change landed twice"


@pytest.mark.parametrize("schemas", [True, False], ids=["schemas", "schemaless"])
def test_kafka_ingest_gives_the_slot_ingest_rows(env, kafka, schemas):
    sportlake, e, prefix = env
    extra = ["--tombstones-on-delete", "true"] + (["--schemas"] if schemas else [])
    ke, kroot = kafka_lake(e)
    sroot = pathlib.Path(e["SPORTLAKE_HOME"]) / "delta" / "bronze"
    # Both slots exist before the changes, so both see the same ones.
    run(sportlake, e, "ingest", "--idle-exit", "1")
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "1", *extra)
    changes(sportlake, e)
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "2", *extra)
    run(sportlake, e, "ingest", "--idle-exit", "1.5")
    out = run(sportlake, ke, "ingest", "--source", "kafka", "--idle-exit", "4", "--json", timeout=180)
    assert json.loads(out.stdout)["changes"] > 30

    tables = {f"{prefix}.public.{t}": t for t in ("strava_activities", "rh_employees")}
    on_kafka, _ = read_topics(kafka.bootstrap, prefix)
    assert set(tables) <= set(on_kafka)
    for topic, table in tables.items():
        from_slot = [r for r in bronze(sroot, table) if r["_op"] != "r"]  # the slot's own snapshot
        from_kafka = bronze(kroot, table)
        assert from_kafka, table
        assert_exactly_once(from_kafka)
        if schemas:
            assert comparable(from_kafka) == comparable(from_slot), table
            schema_slot = DeltaTable(str(sroot / table)).schema().to_pyarrow()
            schema_kafka = DeltaTable(str(kroot / table)).schema().to_pyarrow()
            assert schema_kafka == schema_slot, table
        else:
            # Without schemas JSON tells no types: every column is text, the same changes.
            def text(r):
                return (str(key_of(r)), r["_op"], r["_lsn"], r["_tx_id"], r["_commit_ts"])
            assert sorted(map(text, from_kafka)) == sorted(map(text, from_slot)), table
            schema = DeltaTable(str(kroot / table)).schema().to_pyarrow()
            assert {str(f.type) for f in schema if not f.name.startswith("_")} == {"string"}, table
        # _commit_lsn orders the changes of a key as the slot's does.
        for rows in (from_kafka,):
            by_key = {}
            for r in sorted(rows, key=lambda r: (r["_commit_lsn"], r["_lsn"])):
                by_key.setdefault(key_of(r), []).append(r["_lsn"])
            assert all(lsns == sorted(lsns) for lsns in by_key.values())
    # The offsets are in Bronze's txns, one per partition that had records, and on the group.
    log = (kroot / "strava_activities" / "_delta_log").glob("*.json")
    txns = {}
    for f in sorted(log):
        for line in f.read_text().splitlines():
            a = json.loads(line)
            if "txn" in a:
                txns[a["txn"]["appId"]] = a["txn"]["version"]
    topic = f"{prefix}.public.strava_activities"
    ends = {}
    c = Consumer({"bootstrap.servers": kafka.bootstrap, "group.id": "sportlake_bronze"})
    for p in range(3):
        ends[p] = c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1]
    committed = {tp.partition: tp.offset for tp in c.committed(
        [TopicPartition(topic, p) for p in range(3)], timeout=10)}
    c.close()
    for p, end in ends.items():
        # The txn follows the last record that landed (a tail of tombstones does not move it);
        # the committed offset follows every record processed.
        assert 0 < txns[f"sportlake-bronze:sportlake_bronze:{topic}:{p}"] <= end
        assert committed[p] == end


def test_publisher_repeats_land_once(env, kafka):
    """A publisher that crashed before its acknowledgement sends its last transactions again:
    the same records, re-produced here onto every partition's tail (a primary-key change included,
    whose delete and insert share one LSN)."""
    sportlake, e, prefix = env
    ke, kroot = kafka_lake(e)
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "1", "--schemas")
    changes(sportlake, e)
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "2", "--schemas")
    first = run(sportlake, ke, "ingest", "--source", "kafka", "--idle-exit", "4", "--json")
    assert json.loads(first.stdout)["skipped"] == 0
    before = bronze(kroot, "strava_activities")

    on_kafka, _ = read_topics(kafka.bootstrap, prefix)
    producer = Producer({"bootstrap.servers": kafka.bootstrap})
    repeated = 0
    for topic, records in on_kafka.items():
        for p in range(3):
            mine = [(k, v) for (part, k, v) in records if part == p]
            for k, v in mine[-5:]:
                producer.produce(topic, partition=p, key=None if k is None else json.dumps(k),
                                 value=None if v is None else json.dumps(v))
                repeated += v is not None
    producer.flush(30)
    again = run(sportlake, ke, "ingest", "--source", "kafka", "--idle-exit", "4", "--json")
    stats = json.loads(again.stdout)
    assert stats["changes"] == 0 and stats["skipped"] == repeated
    assert bronze(kroot, "strava_activities") == before


def test_a_backlog_lands_in_commits_as_large_as_the_ceiling_allows(env, kafka):
    """A topic filled while no consumer ran: every record is a "transaction" of its own, and a
    10 ms floor used to commit the drain every 10 ms (dozens of Delta versions for 20,000 rows);
    while the source is behind, only a full batch or the ceiling (here 60 s) commits, so the
    backlog lands in one or two versions (one more when a partition's records arrive after the
    others' end), every row once."""
    sportlake, e, prefix = env
    ke, kroot = kafka_lake(e)
    rows = 20000
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "1", "--schemas")
    psql(sportlake, e, f"""INSERT INTO strava_activities (activity_id, employee_id, name, distance_m,
          moving_time_s, elapsed_time_s, total_elev_gain_m, type, sport_type, start_date_utc,
          start_date_local, timezone, utc_offset_s, calories, raw_payload)
        SELECT 30000000000 + g, 59019, 'Course', 10000 + g, 3000, 3100, 12.5, 'Run', 'Run',
          now() - make_interval(secs => g), localtimestamp, '(GMT+01:00) Europe/Paris', 3600, 650,
          jsonb_build_object('id', g)
        FROM generate_series(1, {rows}) g""")
    run(sportlake, e, "cdc", "--sink", "kafka", "--schemas", "--max-events", str(rows))
    out = run(sportlake, ke, "ingest", "--source", "kafka", "--max-changes", str(rows),
              "--commit-min-interval", "0.01", "--commit-interval", "60", "--json", timeout=180)
    assert json.loads(out.stdout)["changes"] == rows
    landed = bronze(kroot, "strava_activities")
    assert len(landed) == rows
    assert_exactly_once(landed)
    log = kroot / "strava_activities" / "_delta_log"
    with_rows = [f for f in sorted(log.glob("*.json")) if '"add"' in f.read_text()]
    assert 1 <= len(with_rows) <= 3, [f.name for f in with_rows]


def wait_for(predicate, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_consumer_kill_minus_nine_then_restart_lands_every_change_once(env, kafka):
    sportlake, e, prefix = env
    ke, kroot = kafka_lake(e)
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "1", "--schemas")
    publisher = subprocess.Popen([sportlake, "cdc", "--sink", "kafka", "--schemas", "--idle-exit", "15"], env=e,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    consumer = subprocess.Popen([sportlake, "ingest", "--source", "kafka", "--commit-interval", "0.2"], env=ke,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    run(sportlake, e, "simulate", "--count", "5", "--seed", "3")
    assert wait_for(lambda: len(bronze(kroot, "strava_activities")) >= 5), "the consumer is up"
    writer = subprocess.Popen([sportlake, "simulate", "--count", "300", "--rate", "100", "--seed", "4"], env=e,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert wait_for(lambda: len(bronze(kroot, "strava_activities")) >= 40), "rows landed before the kill"
    consumer.send_signal(signal.SIGKILL)
    consumer.wait()
    landed_before = len(bronze(kroot, "strava_activities"))
    assert writer.wait(timeout=90) == 0
    assert landed_before < 305, "the kill happened mid-stream"
    assert publisher.wait(timeout=90) == 0
    # The killed member holds its partitions until its session times out (10 s): then they move.
    run(sportlake, ke, "ingest", "--source", "kafka", "--idle-exit", "20")

    rows = bronze(kroot, "strava_activities")
    assert_exactly_once(rows)
    ids = {int(i) for i in psql(sportlake, e, "SELECT activity_id FROM strava_activities")}
    assert sorted(r["activity_id"] for r in rows) == sorted(ids), "every insert exactly once"


def test_two_consumers_of_one_group_share_the_partitions(env, kafka):
    sportlake, e, prefix = env
    ke, kroot = kafka_lake(e)
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "1", "--schemas")
    run(sportlake, e, "simulate", "--count", "5", "--seed", "7")
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "2", "--schemas")  # the topics exist
    consumers = [subprocess.Popen([sportlake, "ingest", "--source", "kafka", "--commit-interval", "0.2",
                                   "--idle-exit", "15", "--json"], env=ke, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    publisher = subprocess.Popen([sportlake, "cdc", "--sink", "kafka", "--schemas", "--idle-exit", "15"], env=e,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    writer = subprocess.Popen([sportlake, "simulate", "--count", "300", "--rate", "100", "--seed", "8"], env=e,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert writer.wait(timeout=90) == 0
    assert publisher.wait(timeout=90) == 0
    outs = [c.communicate(timeout=120) for c in consumers]
    for c, (out, err) in zip(consumers, outs):
        assert c.returncode == 0, err
    assert all(json.loads(out)["changes"] > 0 for out, _ in outs), "both consumers had partitions"

    rows = bronze(kroot, "strava_activities")
    assert_exactly_once(rows)
    ids = {int(i) for i in psql(sportlake, e, "SELECT activity_id FROM strava_activities")}
    assert sorted(r["activity_id"] for r in rows) == sorted(ids)
    log = sorted(int(f.stem) for f in (kroot / "strava_activities" / "_delta_log").glob("*.json"))
    assert log == list(range(len(log))), "Delta versions contiguous"


@pytest.mark.parametrize("schemas", [True, False], ids=["schemas", "schemaless"])
def test_a_column_added_mid_stream_lands_every_row_with_its_columns(env, kafka, schemas):
    """The consumer keeps each topic's Connect schema by its text and reuses it for the records that
    repeat it: a column added mid-stream is a new text, read once, and every record after it lands
    with the column (null before it), as the slot ingest lands them."""
    sportlake, e, prefix = env
    extra = ["--schemas"] if schemas else []
    ke, kroot = kafka_lake(e)
    sroot = pathlib.Path(e["SPORTLAKE_HOME"]) / "delta" / "bronze"
    run(sportlake, e, "ingest", "--idle-exit", "1")
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "1", *extra)
    five = "id IN (SELECT id FROM rh_employees ORDER BY id LIMIT 5)"
    psql(sportlake, e, f"UPDATE rh_employees SET moyen_deplacement = 'Vélo' WHERE {five}")
    psql(sportlake, e, "ALTER TABLE rh_employees ADD COLUMN badge integer")
    psql(sportlake, e, f"UPDATE rh_employees SET badge = id * 10 WHERE {five}")
    psql(sportlake, e, f"UPDATE rh_employees SET moyen_deplacement = 'Marche' WHERE {five}")
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "2", *extra)
    run(sportlake, e, "ingest", "--idle-exit", "1.5")
    out = run(sportlake, ke, "ingest", "--source", "kafka", "--idle-exit", "4", "--json", timeout=180)
    assert json.loads(out.stdout)["changes"] == 15

    rows = sorted(bronze(kroot, "rh_employees"), key=lambda r: r["_lsn"])
    assert_exactly_once(rows)
    assert len(rows) == 15
    assert all(r["badge"] is None for r in rows[:5])  # before the column existed
    badge = (lambda r: r["id"] * 10) if schemas else (lambda r: str(int(r["id"]) * 10))
    assert all(r["badge"] == badge(r) for r in rows[5:]), rows[5:]
    assert [r["moyen_deplacement"] for r in rows[10:]] == ["Marche"] * 5
    if schemas:
        from_slot = [r for r in bronze(sroot, "rh_employees") if r["_op"] != "r"]
        assert comparable(rows) == comparable(from_slot)
        # The same columns and types (their order follows when Bronze's table was created: before
        # the column was added for the slot's, with it for this fresh lake).
        def columns(root):
            return {f.name: str(f.type) for f in DeltaTable(str(root / "rh_employees")).schema().to_pyarrow()}
        assert columns(kroot) == columns(sroot)
