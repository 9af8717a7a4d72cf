"""Debezium in: the real Debezium PostgreSQL connector (3.6.1.Final, and 2.7.4.Final in one variant, in Kafka Connect 4.3
standalone, pgoutput, JsonConverter; tests/debezium_connect.py) and `sportlake cdc --sink kafka`
publish the same scripted changes (tests/debezium_changes.py: every mapped type and edge value,
updates of a default and of a REPLICA IDENTITY FULL table, primary-key changes with unchanged
TOASTed text and bytea, deletes, a TRUNCATE) from one PostgreSQL into one real KRaft broker, each
from its own slot under its own topic prefix; `sportlake ingest --source kafka` lands each prefix's
topics in a lake of its own, and the two Bronze lakes are compared row by row with delta-rs: every
source column and the change metadata (_op, _lsn, _commit_lsn, _tx_id, _commit_ts, _unconverted),
and each table's Delta schema. Only `_ingest_ts` (when each ingest ran) is left out; the
differences that remain are listed in KNOWN_DIFFERENCES (and in the README's "Reading an existing
Debezium deployment") and asserted kind by kind and count by count.

The default forms (schemas.enable true, decimal.handling.mode precise, time.precision.mode
adaptive) are also compared with the slot ingest's lake for the same changes (the values as the
source database gave them), so a decoding error common to both Kafka paths is caught too.
Variants: schemas.enable false, and the other decimal/time modes, published alike by both.
Slow: a JVM per variant and Maven jars (`make test-slow`)."""
import json
import pathlib
import struct
import sys

import pytest
from deltalake import DeltaTable

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from debezium_changes import CHANGES, debezium_on_changes, psql, run, source_database  # noqa: E402
from debezium_connect import DEBEZIUM_2_VERSION  # noqa: E402
from kafka_broker import read_topics  # noqa: E402
from waiting import wait_for  # noqa: E402

pytestmark = pytest.mark.slow

BRONZE_TABLES = ["cmp_typed", "cmp_nokey", "other.cmp_edge"]
IGNORED = {"_ingest_ts"}  # when each ingest ran: the runs' own

# name → (schemas.enable, decimal.handling.mode, time.precision.mode), set alike on both publishers.
VARIANTS = {
    "schemas": (True, "precise", "adaptive"),
    "plain": (False, "precise", "adaptive"),
    "string_connect": (True, "string", "connect"),
    "double_microseconds": (True, "double", "adaptive_time_microseconds"),
    # Debezium 2.x's topics (our cdc writes 3.x's records): the same Bronze rows.
    "debezium2": (True, "precise", "adaptive"),
}
# The Debezium release a variant runs (DEBEZIUM_VERSION unless named here).
VARIANT_VERSIONS = {"debezium2": DEBEZIUM_2_VERSION}


@pytest.fixture(scope="module")
def env(build_dir, kafka):
    with source_database(build_dir, kafka.bootstrap, "sl-dbzin-") as db:
        yield db


def ends_with_row_99(bootstrap, prefix):
    """Every table's topic ends with the last transaction's row 99 (so everything is there)."""
    topics, _ = read_topics(bootstrap, prefix)
    for table in ("public.cmp_typed", "public.cmp_nokey", "other.cmp_edge"):
        values = [v for _, _, v in topics.get(f"{prefix}.{table}", []) if v is not None]
        payload = values and (values[-1].get("payload", values[-1]))
        after = payload and payload.get("after")
        if not after or 99 not in (after.get("id"), after.get("a"), after.get("k1"),
                                   str(after.get("id")), str(after.get("a")), str(after.get("k1"))):
            return False
    return True


def ops_on(bootstrap, prefix):
    """{table: [op or None (tombstone)]} of the topics `<prefix>.*`."""
    topics, _ = read_topics(bootstrap, prefix)
    return {t.split(".", 1)[1]: [v and v.get("payload", v)["op"] for _, _, v in m]
            for t, m in topics.items()}


def bronze(root):
    """{table: ({(_lsn, _op): row}, pyarrow schema)} of a lake's Bronze tables."""
    out = {}
    for table in BRONZE_TABLES:
        path = root / "bronze" / table
        assert (path / "_delta_log").is_dir(), f"{path} was not written"
        dt = DeltaTable(str(path))
        rows = dt.to_pyarrow_table().to_pylist()
        keyed = {(r["_lsn"], r["_op"]): r for r in rows}
        assert len(keyed) == len(rows), f"{table}: two rows with the same (_lsn, _op)"
        out[table] = (keyed, dt.schema().to_pyarrow())
    return out


def ingest_kafka(sportlake, e, prefix, root):
    e = dict(e, SPORTLAKE_TOPIC_PREFIX=prefix, SPORTLAKE_LAKE_ROOT=str(root))
    out = run(sportlake, e, "ingest", "--source", "kafka", "--group", f"g_{prefix}",
              "--idle-exit", "4", "--json", timeout=300)
    return json.loads(out.stdout)


def same(a, b):
    """Equal values, NaN equal to NaN and -0.0 unequal to 0.0 (the float's bits)."""
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack("<d", a) == struct.pack("<d", b) or (a != a and b != b)
    return type(a) is type(b) and a == b


def differences(mine, theirs):
    """[(table, (_lsn, _op), column, ours, theirs)] between two lakes; a row on one side only
    is column '<row>'; a schema difference is key 'schema'."""
    out = []
    for table in BRONZE_TABLES:
        (ours, our_schema), (real, real_schema) = mine[table], theirs[table]
        if our_schema != real_schema:
            for f in our_schema:
                g = real_schema.field(f.name) if f.name in real_schema.names else None
                if g is None or g != f:
                    out.append((table, "schema", f.name, str(f.type), g and str(g.type)))
            for g in real_schema:
                if g.name not in our_schema.names:
                    out.append((table, "schema", g.name, None, str(g.type)))
        for key in sorted(set(ours) | set(real)):
            if key not in ours or key not in real:
                out.append((table, key, "<row>", key in ours, key in real))
                continue
            a, b = ours[key], real[key]
            for column in sorted(set(a) | set(b)):
                if column not in IGNORED and not same(a.get(column), b.get(column)):
                    out.append((table, key, column, a.get(column), b.get(column)))
    return out


def first_transaction_lsns(theirs):
    """The _lsn of the rows of the earliest transaction (the smallest _tx_id) in a lake."""
    rows = [r for keyed, _ in theirs.values() for r in keyed.values()]
    first = min(r["_tx_id"] for r in rows)
    return {r["_lsn"] for r in rows if r["_tx_id"] == first}


def kind_of(difference, theirs):
    """The KNOWN_DIFFERENCES entry a difference between our publisher's lake and Debezium's is."""
    table, key, column, ours, real = difference
    if column == "_commit_lsn" and real == 0 and ours and key[0] in first_transaction_lsns(theirs):
        return "first_transaction_commit_lsn"
    if column in ("f4", "f8") and isinstance(ours, str) and isinstance(real, str) \
            and ours != real and 0 < abs(float(ours)) < 1e-37 \
            and (float(ours) == float(real)
                 or struct.pack("<f", float(ours)) == struct.pack("<f", float(real))):
        return "subnormal_float_text"
    return None


# The differences left between the lake our publisher's topics give and the lake Debezium's give
# (README, "Reading an existing Debezium deployment"): kind → count per variant.
KNOWN_DIFFERENCES = {
    # _commit_lsn comes from source.sequence[0] (lsn_commit) on Kafka. A fresh Debezium connector
    # writes null there for its first transaction (it has seen no commit yet): 0 in Bronze. Ours
    # writes the slot's start. The first transaction inserts two cmp_typed rows.
    "first_transaction_commit_lsn": 2,
}
# Without schemas every column is text, the JSON number read as a double and printed shortest:
# the smallest subnormal real (cmp_edge row 3) is 1e-45 from us, 1.4E-45 from Java's
# Float.toString, two doubles (the same float32). The double's 5e-324 and 4.9E-324 are one double.
PLAIN_DIFFERENCES = dict(KNOWN_DIFFERENCES, subnormal_float_text=1)
# decimal.handling.mode=string: a delete's before-image of a NOT NULL numeric(12,2) column our
# publisher does not have (REPLICA IDENTITY DEFAULT) is filled at the column's scale ("0.00"), as
# Debezium's: no difference left there.
STRING_DIFFERENCES = KNOWN_DIFFERENCES


def kafka_vs_slot_kind(difference):
    """What differs between a Kafka lake and the slot ingest's lake, legitimately: what Debezium's
    record format cannot carry (README, "Reading an existing Debezium deployment")."""
    table, key, column, kafka_value, slot_value = difference
    if column == "_commit_lsn":
        # Debezium's lsn_commit (the previous commit's end) on Kafka, the commit LSN from the
        # slot; both order a key's changes alike.
        return "commit_lsn_is_lsn_commit"
    if column == "cash":
        return "money_as_decimal"  # Debezium's money is a Decimal (scale 2); the slot keeps its text
    if column == "iv":
        return "interval_as_microseconds"  # MicroDuration: months as 30.4375 days, no days field
    if column == "tz":
        return "timetz_in_utc"  # ZonedTime is normalised to UTC
    if key != "schema" and key[1] == "d" and slot_value is None and kafka_value is not None:
        # REPLICA IDENTITY DEFAULT: a delete's before-image has the key only; Debezium fills the
        # NOT NULL columns with defaults (0, the epoch, the column's DEFAULT, false).
        return "delete_before_image_defaults"
    if column == "n" and kafka_value is None and slot_value in ("NaN", "Infinity", "-Infinity"):
        return "numeric_nan_infinity"  # a Decimal cannot hold them: Debezium writes null
    if column == "_unconverted":
        less = {k: v for k, v in json.loads(slot_value).items() if not (k == "n2" and v == "NaN")}
        if less == json.loads(kafka_value):
            return "numeric_nan_infinity"
    return None


SLOT_DIFFERENCES = {"commit_lsn_is_lsn_commit", "money_as_decimal", "interval_as_microseconds",
                    "timetz_in_utc", "delete_before_image_defaults", "numeric_nan_infinity"}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_debezium_topics_land_the_same_bronze_rows(env, kafka, variant):
    sportlake, e, home, port, base = env
    schemas, decimal, time_mode = VARIANTS[variant]
    tag = variant.replace("_", "")[:10]
    prefix, dbz = f"sl{tag}", f"dbz{tag}"  # each variant's own topics, slots, connector, lakes
    psql(sportlake, e, "DELETE FROM cmp_typed; DELETE FROM cmp_nokey; DELETE FROM other.cmp_edge")
    connect = debezium_on_changes(home, port, kafka.bootstrap, dbz, schemas, VARIANT_VERSIONS.get(variant), **{
        "decimal.handling.mode": decimal, "time.precision.mode": time_mode})
    pe = dict(e, SPORTLAKE_TOPIC_PREFIX=prefix)
    ours_cdc = ["cdc", "--publication", "dbz_pub", "--slot", f"sl_in_{tag}", "--sink", "kafka",
                "--skipped-operations", "none", "--decimal-handling-mode", decimal,
                "--time-precision-mode", time_mode] + (["--schemas"] if schemas else [])
    slot_lake = base / f"slot_{tag}"
    with_slot = variant == "schemas"
    se = dict(e, SPORTLAKE_LAKE_ROOT=str(slot_lake))
    slot_ingest = ["ingest", "--publication", "dbz_pub", "--slot", f"sl_bronze_{tag}"]
    try:
        connect.start()
        wait_for(lambda: f"{dbz}_slot" in psql(sportlake, e, "SELECT slot_name FROM pg_replication_slots"),
                 "Debezium's slot", timeout=120)
        run(sportlake, pe, *ours_cdc, "--idle-exit", "1")  # our slot, before the changes
        if with_slot:
            run(sportlake, se, *slot_ingest, "--idle-exit", "1")
        for transaction in CHANGES:
            psql(sportlake, e, transaction)
        run(sportlake, pe, *ours_cdc, "--idle-exit", "3")
        if with_slot:
            run(sportlake, se, *slot_ingest, "--idle-exit", "3")
        wait_for(lambda: ends_with_row_99(kafka.bootstrap, dbz), "Debezium's last records",
                 timeout=120, state=connect.tail(2000))
    finally:
        connect.close()
        psql(sportlake, e, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                           f"WHERE slot_name IN ('{dbz}_slot', 'sl_in_{tag}', 'sl_bronze_{tag}')")

    # Both published the TRUNCATE, tombstones and every kind of change.
    for ops in (ops_on(kafka.bootstrap, dbz), ops_on(kafka.bootstrap, prefix)):
        assert {"c", "u", "d", "t", None} <= set(ops["public.cmp_nokey"]) | set(ops["public.cmp_typed"])
    ours_stats = ingest_kafka(sportlake, e, prefix, base / f"ours_{tag}")
    real_stats = ingest_kafka(sportlake, e, dbz, base / f"dbz_{tag}")
    assert ours_stats["changes"] == real_stats["changes"] > 20, (ours_stats, real_stats)
    mine, theirs = bronze(base / f"ours_{tag}"), bronze(base / f"dbz_{tag}")

    unexplained, explained = [], {}
    for d in differences(mine, theirs):
        kind = kind_of(d, theirs)
        if kind is None:
            unexplained.append(d)
        else:
            explained[kind] = explained.get(kind, 0) + 1
    assert unexplained == [], "\n".join(map(repr, unexplained))[:30000]
    expected = PLAIN_DIFFERENCES if not schemas else \
        STRING_DIFFERENCES if decimal == "string" else KNOWN_DIFFERENCES
    assert explained == expected, explained

    if with_slot:
        from_slot = bronze(slot_lake)
        for lake in (mine, theirs):
            found = differences(lake, from_slot)
            left = [d for d in found if kafka_vs_slot_kind(d) is None]
            assert left == [], "\n".join(map(repr, left))[:30000]
            assert {kafka_vs_slot_kind(d) for d in found} == SLOT_DIFFERENCES
