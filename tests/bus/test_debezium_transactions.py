"""Transaction metadata and heartbeats against the real Debezium connector (3.6.1.Final in Kafka
Connect 4.3 standalone, pgoutput, JsonConverter; tests/debezium_connect.py): both publish the
scripted changes (tests/debezium_changes.py, plus one transaction writing three tables in the
reverse of the order Debezium lists them) from one PostgreSQL into one real KRaft broker, each
from its own slot under its own prefix, with `provide.transaction.metadata=true` and
`heartbeat.interval.ms=1000`, in both `schemas.enable` forms. Compared:
- the `<prefix>.transaction` topics, record for record (keys, values with their schemas; one
  partition each, so in order): equal — the ids ("<xid>:<LSN>") too, both reading the same WAL;
- every event's `transaction` block (events matched by topic, LSN and op): equal;
- the heartbeat topics `__debezium-heartbeat.<prefix>`: the same key (the prefix aside) and value
  schema; the per-run differences are the prefix and the heartbeats' times and number.
Slow: a JVM per form and Maven jars (`make test-slow`)."""
import pathlib
import sys
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from debezium_changes import CHANGES, debezium_on_changes, psql, run, source_database  # noqa: E402
from kafka_broker import read_topics  # noqa: E402
from waiting import wait_for  # noqa: E402

pytestmark = pytest.mark.slow

# Three tables, inserted in the reverse of the HashMap order Debezium's END lists them in.
REVERSED = ("INSERT INTO other.cmp_edge (k1, k2) VALUES (50, 'r'); "
            "INSERT INTO cmp_nokey VALUES (50, 'r'); "
            "INSERT INTO cmp_typed (id, amount, day, ok) VALUES (50, 0, '2000-01-01', true)")


@pytest.fixture(scope="module")
def env(build_dir, kafka):
    with source_database(build_dir, kafka.bootstrap, "sl-dbztx-") as db:
        yield db


def payload(value):
    return value["payload"] if isinstance(value, dict) and "schema" in value else value


def transaction_end_count(bootstrap, prefix):
    topics, _ = read_topics(bootstrap, prefix)
    return sum(1 for _, _, v in topics.get(f"{prefix}.transaction", [])
               if payload(v)["status"] == "END")


def blocks(topics, prefix):
    """{(table topic suffix, lsn, op): transaction block} of a prefix's table topics."""
    out = {}
    for topic, records in topics.items():
        if topic == f"{prefix}.transaction":
            continue
        for _, _, value in records:
            if value is None:
                continue
            p = payload(value)
            key = (topic[len(prefix) + 1:], p["source"]["lsn"], p["op"])
            assert key not in out, key
            out[key] = (value.get("schema", {}).get("fields", [None] * 4)[3], p["transaction"])
    return out


def heartbeats(bootstrap, prefix):
    topics, _ = read_topics(bootstrap, "__debezium-heartbeat")
    return topics.get(f"__debezium-heartbeat.{prefix}", [])


@pytest.mark.parametrize("schemas", [True, False], ids=["schemas", "plain"])
def test_transaction_topic_blocks_and_heartbeats_equal_debeziums(env, kafka, schemas):
    sportlake, e, home, port, base = env
    tag = "s" if schemas else "p"
    prefix, dbz = f"sltx{tag}", f"dbztx{tag}"
    psql(sportlake, e, "DELETE FROM cmp_typed; DELETE FROM cmp_nokey; DELETE FROM other.cmp_edge")
    connect = debezium_on_changes(home, port, kafka.bootstrap, dbz, schemas, **{
        "provide.transaction.metadata": "true", "heartbeat.interval.ms": "1000"})
    pe = dict(e, SPORTLAKE_TOPIC_PREFIX=prefix)
    ours = ["cdc", "--publication", "dbz_pub", "--slot", f"sl_tx_{tag}", "--sink", "kafka",
            "--skipped-operations", "none", "--provide-transaction-metadata", "true",
            "--heartbeat-interval-ms", "1000"] + (["--schemas"] if schemas else [])
    changes = CHANGES[:-1] + [REVERSED, CHANGES[-1]]
    try:
        connect.start()
        wait_for(lambda: f"{dbz}_slot" in psql(sportlake, e, "SELECT slot_name FROM pg_replication_slots"),
                 "Debezium's slot", timeout=120)
        run(sportlake, pe, *ours, "--idle-exit", "1")  # our slot, before the changes
        for transaction in changes:
            psql(sportlake, e, transaction)
        started = time.time()
        run(sportlake, pe, *ours, "--idle-exit", "4")
        idle = time.time() - started
        # 16 committed transactions with captured rows (the rolled-back one has none).
        wait_for(lambda: transaction_end_count(kafka.bootstrap, dbz) == 16,
                 "Debezium's last END", timeout=120, state=connect.tail(2000))
    finally:
        connect.close()
        psql(sportlake, e, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                           f"WHERE slot_name IN ('{dbz}_slot', 'sl_tx_{tag}')")

    mine, _ = read_topics(kafka.bootstrap, prefix)
    theirs, _ = read_topics(kafka.bootstrap, dbz)
    # The transaction topics: the same records in the same order.
    ours_tx = [(k, v) for _, k, v in mine[f"{prefix}.transaction"]]
    real_tx = [(k, v) for _, k, v in theirs[f"{dbz}.transaction"]]
    assert len(real_tx) == 32
    assert ours_tx == real_tx
    reversed_end = [payload(v) for _, v in real_tx
                    if payload(v)["status"] == "END" and len(payload(v)["data_collections"]) == 3]
    assert [c["data_collection"] for c in reversed_end[0]["data_collections"]] == \
        ["public.cmp_typed", "public.cmp_nokey", "other.cmp_edge"]  # not the insertion order
    # Every event's block, and its schema.
    ours_blocks, real_blocks = blocks(mine, prefix), blocks(theirs, dbz)
    assert len(real_blocks) > 20 and ours_blocks == real_blocks
    # Heartbeats: the same records but for the prefix and the times.
    our_beats, real_beats = heartbeats(kafka.bootstrap, prefix), heartbeats(kafka.bootstrap, dbz)
    assert len(our_beats) >= idle - 3 and real_beats
    for (_, k1, v1), (_, k2, v2) in ((our_beats[0], real_beats[0]),):
        assert payload(k1) == {"serverName": prefix} and payload(k2) == {"serverName": dbz}
        if schemas:
            assert k1["schema"] == k2["schema"] and v1["schema"] == v2["schema"]
        assert set(payload(v1)) == set(payload(v2)) == {"ts_ms"}
