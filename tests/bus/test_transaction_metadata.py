"""Debezium's transaction metadata and heartbeats from `sportlake cdc --sink kafka` on a real
Apache Kafka broker (KRaft) and a real PostgreSQL:

- `--provide-transaction-metadata` off (the default): no `<prefix>.transaction` topic, every
  event's `transaction` null;
- on: a BEGIN before and an END after each transaction's events on `<prefix>.transaction` (keyed
  by the id, the END counting the events per table), each event's `transaction` block numbering
  it in its transaction and its table, in both JsonConverter forms; `ingest --source kafka`
  ignores the topic and the block: the same Bronze rows as from the topics without them;
- `--heartbeat-interval-ms`: heartbeat records on `__debezium-heartbeat.<prefix>` at the interval
  while nothing changes, and the slot's confirmed_flush_lsn follows the WAL while only a table
  outside the publication changes.
The records are compared with the real Debezium connector's in tests/bus/test_debezium_in.py
(slow)."""
import json
import signal
import subprocess
import time

import pytest
from confluent_kafka import KafkaException
from deltalake import DeltaTable

from bus_helpers import psql, read_topics, run
from kafka_broker import read_topics as read_prefix
from waiting import wait_for


def payload(value):
    return value["payload"] if value is not None and "schema" in value else value


def seed_activities(sportlake, e):
    """Activities to delete (`load` brings employees only), before any slot exists."""
    run(sportlake, e, "simulate", "--count", "10", "--delay", "1ms..2ms", "--seed", "7")


def changes(sportlake, e):
    """Three transactions: two tables in one (strava_activities first: Debezium's END lists them
    in Java's HashMap order, rh_employees first), one table alone, an update of two rows."""
    psql(sportlake, e, "BEGIN; "
                       "DELETE FROM strava_activities WHERE activity_id = "
                       "(SELECT min(activity_id) FROM strava_activities); "
                       "UPDATE rh_employees SET nb_conges_payes = nb_conges_payes + 1 WHERE id IN "
                       "(SELECT id FROM rh_employees ORDER BY id LIMIT 2); "
                       "UPDATE rh_employees SET nb_conges_payes = nb_conges_payes + 1 WHERE id = "
                       "(SELECT max(id) FROM rh_employees); COMMIT")
    psql(sportlake, e, "DELETE FROM strava_activities WHERE activity_id IN "
                       "(SELECT activity_id FROM strava_activities ORDER BY activity_id LIMIT 3)")
    psql(sportlake, e, "UPDATE rh_employees SET moyen_deplacement = 'Vélo' WHERE id IN "
                       "(SELECT id FROM rh_employees ORDER BY id DESC LIMIT 2)")


def test_off_by_default_no_topic_and_null_blocks(env, kafka):
    sportlake, e, prefix = env
    seed_activities(sportlake, e)
    run(sportlake, e, "cdc", "--slot", "txm_off", "--sink", "kafka", "--idle-exit", "1")
    changes(sportlake, e)
    run(sportlake, e, "cdc", "--slot", "txm_off", "--sink", "kafka", "--idle-exit", "2")
    topics, _ = read_topics(kafka.bootstrap, prefix)
    assert f"{prefix}.transaction" not in topics
    events = [v for records in topics.values() for _, _, v in records if v is not None]
    assert len(events) == 9 and all(v["transaction"] is None for v in events)


@pytest.mark.parametrize("schemas", [False, True], ids=["plain", "schemas"])
def test_begin_end_and_blocks(env, kafka, tmp_path, schemas):
    sportlake, e, prefix = env
    extra = ["--schemas"] if schemas else []
    on = ["--provide-transaction-metadata", "true"]
    plain_prefix = prefix + "n"  # the same changes without metadata, for the Bronze comparison
    pe = dict(e, SPORTLAKE_TOPIC_PREFIX=plain_prefix)
    seed_activities(sportlake, e)
    run(sportlake, e, "cdc", "--slot", "txm_on", "--sink", "kafka", "--idle-exit", "1", *on, *extra)
    run(sportlake, pe, "cdc", "--slot", "txm_plain", "--sink", "kafka", "--idle-exit", "1", *extra)
    changes(sportlake, e)
    run(sportlake, e, "cdc", "--slot", "txm_on", "--sink", "kafka", "--idle-exit", "2", *on, *extra)
    run(sportlake, pe, "cdc", "--slot", "txm_plain", "--sink", "kafka", "--idle-exit", "2", *extra)

    topics, partitions = read_topics(kafka.bootstrap, prefix)
    meta = topics.pop(f"{prefix}.transaction")
    assert partitions[f"{prefix}.transaction"] == 3, "created like the tables' topics"
    if schemas:
        assert meta[0][1]["schema"]["name"] == "io.debezium.connector.common.TransactionMetadataKey"
        assert meta[0][2]["schema"]["name"] == \
            "io.debezium.connector.common.TransactionMetadataValue"
    records = [(payload(k), payload(v)) for _, k, v in meta]
    # Per transaction (its xid; the records' ids differ by their LSN part, as Debezium's): one
    # BEGIN and one END, each keyed by its own id — so on 3 partitions they may land apart.
    by_xid = {}
    for key, value in records:
        assert key == {"id": value["id"]}
        by_xid.setdefault(int(value["id"].split(":")[0]), []).append(value)
    assert len(by_xid) == 3
    events = [payload(v) for records_ in topics.values() for _, _, v in records_ if v is not None]
    assert len(events) == 9
    for xid, pair in by_xid.items():
        assert sorted(v["status"] for v in pair) == ["BEGIN", "END"]
        begin, end = sorted(pair, key=lambda v: v["status"])
        assert begin["event_count"] is None and begin["data_collections"] is None
        mine = sorted((ev for ev in events if ev["source"]["txId"] == xid),
                      key=lambda ev: ev["transaction"]["total_order"])
        # Each event's id carries its own LSN, BEGIN's the first event's, END's the commit's end.
        assert all(ev["transaction"]["id"] == f"{xid}:{ev['source']['lsn']}" for ev in mine)
        assert begin["id"] == mine[0]["transaction"]["id"]
        assert int(end["id"].split(":")[1]) > max(ev["source"]["lsn"] for ev in mine)
        assert begin["ts_ms"] == end["ts_ms"] == mine[0]["source"]["ts_ms"]
        assert end["event_count"] == len(mine)
        assert [ev["transaction"]["total_order"] for ev in mine] == list(range(1, len(mine) + 1))
        per_table = {}
        for ev in mine:
            table = f"{ev['source']['schema']}.{ev['source']['table']}"
            per_table.setdefault(table, []).append(ev["transaction"]["data_collection_order"])
        assert per_table == {t: list(range(1, len(o) + 1)) for t, o in per_table.items()}
        assert {(c["data_collection"], c["event_count"]) for c in end["data_collections"]} == \
            {(t, len(o)) for t, o in per_table.items()}
    # The first transaction touched both tables, strava_activities first; its END lists them in
    # Java's HashMap order.
    ends = [v for pair in by_xid.values() for v in pair if v["status"] == "END"]
    two = [end for end in ends if len(end["data_collections"]) == 2][0]
    assert [c["data_collection"] for c in two["data_collections"]] == \
        ["public.rh_employees", "public.strava_activities"]

    # The consumers skip the transaction topic and the blocks: the same Bronze rows.
    lakes = {}
    for name, p in (("meta", prefix), ("plain", plain_prefix)):
        root = tmp_path / name
        out = run(sportlake, dict(e, SPORTLAKE_TOPIC_PREFIX=p, SPORTLAKE_LAKE_ROOT=str(root)),
                  "ingest", "--source", "kafka", "--group", f"g_{name}", "--idle-exit", "4",
                  "--json", timeout=300)
        assert json.loads(out.stdout)["changes"] == 9, out.stdout
        lakes[name] = {}
        for table in ("rh_employees", "strava_activities"):
            rows = DeltaTable(str(root / "bronze" / table)).to_pyarrow_table().to_pylist()
            # _commit_lsn of the first transaction is each slot's start (lsn_commit): left out.
            lakes[name][table] = sorted((json.dumps({k: v for k, v in r.items()
                                                     if k not in ("_ingest_ts", "_commit_lsn")},
                                                    sort_keys=True, default=str) for r in rows))
    assert lakes["meta"] == lakes["plain"]
    assert sum(len(rows) for rows in lakes["meta"].values()) >= 9


def read_heartbeats(bootstrap, prefix):
    topics, _ = read_prefix(bootstrap, "__debezium-heartbeat")
    return topics.get(f"__debezium-heartbeat.{prefix}", [])


def confirmed_flush(sportlake, e, slot):
    return psql(sportlake, e, "SELECT confirmed_flush_lsn - '0/0'::pg_lsn FROM pg_replication_slots "
                              f"WHERE slot_name = '{slot}'")[0]


def test_heartbeats_while_idle_and_the_slot_follows_unrelated_wal(env, kafka):
    sportlake, e, prefix = env
    psql(sportlake, e, "CREATE TABLE unrelated (id serial PRIMARY KEY, note text)")
    run(sportlake, e, "cdc", "--slot", "txm_hb", "--sink", "kafka", "--idle-exit", "1")
    before = int(confirmed_flush(sportlake, e, "txm_hb"))
    proc = subprocess.Popen([sportlake, "cdc", "--slot", "txm_hb", "--sink", "kafka",
                             "--heartbeat-interval-ms", "500", "--idle-exit", "7"], env=e,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)
        # Only a table outside the publication changes: no event, yet WAL moves on.
        for i in range(5):
            psql(sportlake, e, f"INSERT INTO unrelated (note) SELECT repeat('x', 500) "
                               f"FROM generate_series(1, 200)")
            time.sleep(0.3)
        wal = int(psql(sportlake, e, "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")[0])
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    after = int(confirmed_flush(sportlake, e, "txm_hb"))
    assert after >= wal > before, (before, wal, after)

    beats = read_heartbeats(kafka.bootstrap, prefix)
    # About 7 s idle (and the unrelated inserts) at 500 ms: one heartbeat per interval.
    assert 10 <= len(beats) <= 20, len(beats)
    assert all(k == {"serverName": prefix} for _, k, _ in beats)
    times = [v["ts_ms"] for _, _, v in beats]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert all(480 <= g for g in gaps) and sorted(gaps)[len(gaps) // 2] < 800, gaps


def test_heartbeat_prefix_and_schemas(env, kafka):
    sportlake, e, prefix = env
    run(sportlake, e, "cdc", "--slot", "txm_hb2", "--sink", "kafka", "--heartbeat-interval-ms",
        "300", "--topic-heartbeat-prefix", "beat", "--schemas", "--idle-exit", "1.5")
    topics, _ = read_prefix(kafka.bootstrap, "beat")
    beats = topics[f"beat.{prefix}"]
    assert len(beats) >= 3
    _, key, value = beats[0]
    assert key["schema"]["name"] == "io.debezium.connector.common.ServerNameKey"
    assert key["payload"] == {"serverName": prefix}
    assert value["schema"]["name"] == "io.debezium.connector.common.Heartbeat"
    assert abs(value["payload"]["ts_ms"] - time.time() * 1000) < 60000
    assert not read_heartbeats(kafka.bootstrap, prefix), "no heartbeat topic of the default prefix"


def test_kill_minus_nine_every_transaction_keeps_its_end(env, kafka):
    """The slot is acknowledged past a transaction only once its END, too, has a delivery report:
    after a SIGKILL mid-stream (librdkafka's queue lost) and a restart, every published
    transaction has its END (a repeat publishes the whole transaction again, BEGIN to END)."""
    sportlake, e, prefix = env
    on = ["--provide-transaction-metadata", "true"]
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "1", *on)
    writer = subprocess.Popen([sportlake, "simulate", "--count", "600", "--rate", "100", "--seed", "5"],
                              env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    cdc = subprocess.Popen([sportlake, "cdc", "--sink", "kafka", *on], env=e,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    activities = f"{prefix}.public.strava_activities"
    deadline = time.time() + 60
    seen = 0
    while time.time() < deadline and seen < 20:
        time.sleep(0.2)
        try:
            seen = len(read_topics(kafka.bootstrap, prefix)[0].get(activities, []))
        except KafkaException:  # a topic just created has no leader yet
            pass
    cdc.send_signal(signal.SIGKILL)
    cdc.wait()
    assert writer.wait(timeout=60) == 0
    assert 0 < seen < 600, "the kill happened mid-stream"
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "3", *on)

    topics, _ = read_topics(kafka.bootstrap, prefix)
    events = [v for _, _, v in topics[activities] if v is not None]
    ends = {}
    for _, _, v in topics[f"{prefix}.transaction"]:
        if v["status"] == "END":
            ends[int(v["id"].split(":")[0])] = v["event_count"]
    per_xid = {}
    for v in events:
        per_xid.setdefault(v["source"]["txId"], set()).add(v["source"]["lsn"])
    assert len({v["after"]["activity_id"] for v in events}) == 600
    assert set(per_xid) == set(ends), "every transaction published has its END"
    assert all(ends[x] == len(lsns) for x, lsns in per_xid.items())


def test_up_kafka_publisher_takes_the_settings(env, kafka, tmp_path):
    """`up --kafka`'s publish role reads the same settings as `cdc`
    (cdc.provide_transaction_metadata from the environment, the heartbeat keys from sportlake.toml): BEGIN/END on
    `<prefix>.transaction` for each transaction, heartbeats on `<topic.heartbeat.prefix>.<prefix>`;
    a bad value stops `up` at once, naming its key; a `cdc` flag overrides the setting."""
    sportlake, e, prefix = env
    toml = tmp_path / "sportlake.toml"
    toml.write_text('[cdc]\nheartbeat_interval_ms = 300\ntopic_heartbeat_prefix = "upbeat"\n')
    e = dict(e, SPORTLAKE_PROVIDE_TRANSACTION_METADATA="true", SPORTLAKE_KAFKA_GROUP=prefix)
    bad = subprocess.run([sportlake, "up", "--kafka", "--no-serve"], env=dict(
        e, SPORTLAKE_HEARTBEAT_INTERVAL_MS="-5"), capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and "cdc.heartbeat_interval_ms" in bad.stderr, bad.stderr
    seed_activities(sportlake, e)
    up = subprocess.Popen([sportlake, "--config", str(toml), "up", "--kafka", "--no-notify",
                           "--no-distances", "--no-serve", "--no-maintain"], env=e,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def settled(read):
        try:
            return read()
        except (KafkaException, AssertionError):  # a topic just created has no leader yet
            return []

    def transaction_records():
        return settled(lambda: read_topics(kafka.bootstrap, prefix)[0].get(f"{prefix}.transaction", []))

    try:
        # The publish role's snapshot (op r, no transaction) is on the topics before the changes.
        wait_for(lambda: settled(lambda: read_heartbeats_of(kafka.bootstrap, "upbeat", prefix)), "a heartbeat",
                 timeout=90)
        changes(sportlake, e)
        wait_for(lambda: len(transaction_records()) == 6, "BEGIN and END of 3 transactions",
                 timeout=90)
    finally:
        up.send_signal(signal.SIGTERM)
        _, err = up.communicate(timeout=90)
    assert up.returncode == 0, err
    statuses = {}  # the publish role writes the schemas.enable=true form
    for _, key, value in transaction_records():
        key, value = payload(key), payload(value)
        assert key == {"id": value["id"]}
        statuses.setdefault(int(value["id"].split(":")[0]), []).append(value["status"])
    # BEGIN and END have their own keys: on 3 partitions they may be read in either order.
    assert [sorted(pair) for pair in statuses.values()] == [["BEGIN", "END"]] * 3, statuses
    topics, _ = read_topics(kafka.bootstrap, prefix)
    events = [payload(v) for name, records in topics.items() if name != f"{prefix}.transaction"
              for _, _, v in records if v is not None and payload(v)["op"] != "r"]
    assert len(events) == 9 and all(v["transaction"]["id"].split(":")[0].isdigit() for v in events)
    beats = read_heartbeats_of(kafka.bootstrap, "upbeat", prefix)
    assert beats and all(k["payload"] == {"serverName": prefix} for _, k, _ in beats), beats
    assert not read_heartbeats(kafka.bootstrap, prefix), "no heartbeat topic of the default prefix"

    # `cdc`'s flag over the environment's setting: no transaction metadata on its own prefix.
    off = dict(e, SPORTLAKE_TOPIC_PREFIX=prefix + "f")
    run(sportlake, off, "cdc", "--slot", "txm_flag", "--sink", "kafka", "--idle-exit", "1",
        "--provide-transaction-metadata", "false")
    psql(sportlake, e, "UPDATE rh_employees SET nb_conges_payes = nb_conges_payes + 1 WHERE id = "
                       "(SELECT min(id) FROM rh_employees)")
    run(sportlake, off, "cdc", "--slot", "txm_flag", "--sink", "kafka", "--idle-exit", "2",
        "--provide-transaction-metadata", "false")
    flagged, _ = read_topics(kafka.bootstrap, prefix + "f")
    assert f"{prefix}f.transaction" not in flagged
    assert [v["transaction"] for records in flagged.values() for _, _, v in records] == [None]


def read_heartbeats_of(bootstrap, heartbeat_prefix, prefix):
    topics, _ = read_prefix(bootstrap, heartbeat_prefix)
    return topics.get(f"{heartbeat_prefix}.{prefix}", [])
