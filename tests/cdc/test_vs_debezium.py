"""The real Debezium PostgreSQL connector (3.6.1.Final in Kafka Connect 4.3 standalone, pgoutput,
JsonConverter schemas.enable=true) and `sportlake cdc --sink kafka --schemas` capture the same
changes on one PostgreSQL into one real Kafka broker, each with its own slot and topic prefix;
the records are compared event by event: topics, keys and key schemas, value schemas (field
names, types, semantic names, parameters, defaults), op, before/after, and the source block less
what legitimately differs between two runs (processing times, connector version and name).
Every other difference is listed in KNOWN_DIFFERENCES (and in src/cdc/README.md) and asserted to
be exactly that; nothing is ignored silently. Slow: two JVMs and Maven jars (`make test-slow`)."""
import copy
import difflib
import json
import os
import pathlib
import re
import struct
import sys
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from kafka_broker import kafka, read_topics  # noqa: E402,F401 - kafka: the fixture
from debezium_connect import DEBEZIUM_2_VERSION, DEBEZIUM_VERSION, DebeziumConnect, debezium_jars  # noqa: E402,E501
from debezium_changes import CHANGES, psql, run, source_database  # noqa: E402

pytestmark = pytest.mark.slow

# Created again before each run: the changes alter it.
CMP_MORE = """
CREATE EXTENSION IF NOT EXISTS hstore;
DROP TABLE IF EXISTS cmp_more;
CREATE TABLE cmp_more (id int PRIMARY KEY, iv interval, b1 bit(1), b8 bit(8), b12 bit(12),
                       vb varbit, vb5 varbit(5), h hstore, p point, m2 int[], t2 text[],
                       l line, s lseg, bx box, pa path, po polygon, c circle, ab bit(3)[],
                       ab1 bit(1)[], avb varbit[], ap point[], ah hstore[], am money[],
                       ai interval[]);
ALTER PUBLICATION dbz_pub ADD TABLE cmp_more;
"""

# After CHANGES (tests/debezium_changes.py, shared with the Bronze comparison), on cmp_more.
MORE_CHANGES = [
    # Intervals with months (Debezium's average month), bit strings, hstore, point, arrays of
    # two dimensions; the geometric types and arrays Debezium leaves out (line, lseg, box, path,
    # polygon, circle, arrays of varbit, point, money and interval: both sides' records equal),
    # bit arrays (a bit string's schema, null) and hstore arrays.
    """INSERT INTO cmp_more VALUES
  (1, '1 mon', B'1', B'10100101', B'101000000001', B'1', B'10110',
   'a=>1, "b c"=>NULL, "q\\"x"=>"y", k2=>v2, k3=>v3', '(1.5,-2.25)', '{{1,2},{3,NULL}}',
   '{{a,b},{c,"d e"}}', '{1,-1,0.5}', '[(1,2),(3,4)]', '(3,4),(1,2)', '[(0,0),(1,1),(2,0)]',
   '((0,0),(1,1),(2,0))', '<(1.5,-2),3>', '{101,NULL,010}', '{1,0}', '{1,1010,""}',
   '{"(1,2)",NULL}', ARRAY['a=>1, b=>NULL'::hstore, NULL, ''], '{1234.56,NULL,-0.01}',
   '{"1 mon","-1 days +02:03:00",NULL}'),
  (2, '-1 years -2 mons +3 days -04:05:06.789', B'0', B'00000000', B'000000000000', B'',
   B'0', '', '(0,-0)', '{1,2}', '{}', NULL, NULL, NULL, '((0,0),(1,1))', NULL, NULL, '{}', NULL,
   '{}', '{}', '{}', '{}', '{}'),
  (3, '1 year 2 mons 3 days 04:05:06.789', NULL, NULL, NULL, B'1111111111111111111111111111111',
   NULL, (SELECT hstore(array_agg('k' || i), array_agg(md5(i::text))) FROM generate_series(1, 400) i),
   '(1e300,-1.25e-7)', '{{{1}}}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL)""",
    # ALTER TABLE mid-stream: a NOT NULL column with a default, a nullable one, a dropped one.
    "ALTER TABLE cmp_more ADD COLUMN added int NOT NULL DEFAULT 7; "
    "INSERT INTO cmp_more (id) VALUES (4)",
    # Row 3's hstore (400 members, stored out of line) unchanged: TOAST's placeholder.
    "ALTER TABLE cmp_more ADD COLUMN opt text; UPDATE cmp_more SET opt = 'x' WHERE id = 1; "
    "UPDATE cmp_more SET opt = 'z' WHERE id = 3",
    "ALTER TABLE cmp_more DROP COLUMN b12; INSERT INTO cmp_more (id, opt) VALUES (5, 'y')",
    "DELETE FROM cmp_more WHERE id = 2",
    "INSERT INTO cmp_more (id) VALUES (99)",  # the end marker
]

# What Debezium writes for CHANGES, topic by topic (None: a tombstone), so the comparison below
# is known to cover each kind of change.
DEBEZIUM_OPS = {
    "public.cmp_typed": ["c", "c", "c", "u", "u", "d", None, "c", "d", None, "c"],
    "public.cmp_nokey": ["c", "c", "u", "d", None, "c"],
    "other.cmp_edge": ["c", "c", "c", "c", "u", "d", None, "c", "d", None, "c"],
    "public.cmp_more": ["c", "c", "c", "c", "u", "u", "c", "d", None, "c"],
}

# The differences that remain between the real connector's records and ours, each justified in
# src/cdc/README.md ("Compared with the real connector"); every difference found must be one of
# these, and each of these must be found exactly as often as stated.
KNOWN_DIFFERENCES = {
    # Debezium writes a tombstone with a null key after a delete in a table without a key (it
    # cannot serve compaction, which needs a key; a compacted topic refuses it); we write none.
    "tombstone_without_key": 1,
    # source.sequence[0] of the first transaction a fresh connector streams: Debezium has seen no
    # commit yet and writes null; ours is the slot's confirmed position (where the stream starts).
    # Both records of the first transaction; sequence[1] is equal, and later transactions equal.
    "first_transaction_sequence": 2,
    # The smallest subnormal real and double precision: we print the shortest digits (1e-45,
    # 5.0E-324), Debezium Java's Float/Double.toString (1.4E-45, 4.9E-324); each pair reads back
    # as the same float32/float64 (Float.MIN_VALUE, Double.MIN_VALUE).
    "subnormal_float_text": 2,
    # Text arrays of two dimensions: Debezium writes each sub-array as the Java array's identity
    # ("[Ljava.lang.String;@52b70682", a different one at each run: no data); we write its text
    # ("{a,b}"). Numbers' sub-arrays are null on both sides. Row 1's insert and update.
    "multidim_text_array_items": 2,
}


# With an initial snapshot (the options run), for its `r` records (3 rows):
SNAPSHOT_DIFFERENCES = {
    # source.lsn and sequence[1]: each side's own slot's consistent point (the two slots are
    # created at different moments; the streamed changes after them have the same LSNs).
    "snapshot_position": 6,
    # source.ts_ms/us/ns: when each side read the row (Debezium: its snapshot's start).
    "snapshot_time": 9,
    # source.txId: Debezium writes its snapshot transaction's xid; ours is null (the rows were
    # not written by that transaction, and it is no change's transaction).
    "snapshot_txid": 3,
    # source.snapshot: Debezium writes `first` on the first row of the first table it snapshots
    # (tables in name order: other.cmp_edge, empty here), so no row carries it and cmp_typed's
    # first row is `first_in_data_collection`; ours marks the first row written `first`.
    "snapshot_first_marker": 1,
}


# Under Debezium 2.x (the debezium2 run), what 2.x writes differently from 3.x, which our records
# follow (src/cdc/README.md, "Debezium 2.x"), per record of the run:
V2_DIFFERENCES = {
    # The source block's schema: no `version` on the struct, no `origin`/`origin_lsn` fields
    # (3.5), and the snapshot enum's `allowed` lacks first/first_in_data_collection/
    # last_in_data_collection (3.0).
    "v2_source_schema": 93,  # 3 schema parts × 31 records
    # ... and so no `origin`/`origin_lsn` values in the source block.
    "v2_source_origin": 62,  # 2 fields × 31 records
}


def known_differences(scenario):
    """KNOWN_DIFFERENCES as the scenario changes them: with a snapshot, its differences, and the
    first streamed transaction is one record (an update of cmp_typed); under Debezium 2.x, its
    differences from 3.x."""
    out = dict(KNOWN_DIFFERENCES)
    if SCENARIOS[scenario]["snapshot"]:
        out.update(SNAPSHOT_DIFFERENCES, first_transaction_sequence=1)
    if SCENARIOS[scenario].get("version", DEBEZIUM_VERSION).startswith("2."):
        out.update(V2_DIFFERENCES)
    return out


V2_SNAPSHOT_ALLOWED = "true,last,false,incremental"


def known_v2(difference):
    """The V2_DIFFERENCES entry this difference is, or None."""
    part, ours, theirs = difference[2], difference[3], difference[4] if len(difference) > 4 else None
    if part == "schema source" and {k: v for k, v in ours.items() if k != "version"} == theirs:
        return "v2_source_schema"
    if part == "schema source fields" and [f for f in ours if f not in ("origin", "origin_lsn")] == theirs:
        return "v2_source_schema"
    if part == "schema source.snapshot" and theirs.get("parameters") == {"allowed": V2_SNAPSHOT_ALLOWED} \
            and {k: v for k, v in ours.items() if k != "parameters"} == \
            {k: v for k, v in theirs.items() if k != "parameters"}:
        return "v2_source_schema"
    if part in ("source.origin", "source.origin_lsn") and ours is None and theirs == "<absent>":
        return "v2_source_origin"
    return None


def known(difference, real, version=DEBEZIUM_VERSION):
    """The KNOWN_DIFFERENCES (or, under 2.x, V2_DIFFERENCES) entry this difference is, or None."""
    table, j, part = difference[:3]
    if version.startswith("2.") and (kind := known_v2(difference)):
        return kind
    if part == "only_debezium" and difference[3] == "tombstone" and real[j][0] is None \
            and real[j - 1][1]["payload"]["op"] == "d" and real[j - 1][0] is None:
        return "tombstone_without_key"
    op = real[j][1]["payload"]["op"] if real[j][1] is not None else None
    if op == "r" and part in ("source.lsn", "source.sequence"):
        return "snapshot_position"
    if op == "r" and part in ("source.ts_ms", "source.ts_us", "source.ts_ns"):
        return "snapshot_time"
    if op == "r" and part == "source.txId" and difference[3] is None and isinstance(difference[4], int):
        return "snapshot_txid"
    if op == "r" and part == "source.snapshot" and difference[3:5] == ["first", "first_in_data_collection"]:
        return "snapshot_first_marker"
    if part == "source.sequence":
        ours, theirs = json.loads(difference[3]), json.loads(difference[4])
        txids = [v["payload"]["source"]["txId"] for _, v in real
                 if v is not None and v["payload"]["op"] != "r"]
        if theirs[0] is None and ours[0] is not None and ours[1] == theirs[1] and \
                real[j][1]["payload"]["source"]["txId"] == min(txids):
            return "first_transaction_sequence"
    if part.startswith(("after.", "before.")) and isinstance(difference[3], FloatText) \
            and isinstance(difference[4], FloatText) and difference[3] != difference[4] \
            and abs(float(difference[3])) < 1e-37 \
            and (float(difference[3]) == float(difference[4])
                 or struct.pack("<f", float(difference[3])) == struct.pack("<f", float(difference[4]))):
        return "subnormal_float_text"
    if part.startswith(("after.", "before.")) and isinstance(difference[3], list) \
            and isinstance(difference[4], list) and len(difference[3]) == len(difference[4]) \
            and all(isinstance(o, str) and o.startswith("{") for o in difference[3]) \
            and all(isinstance(t, str) and re.fullmatch(r"\[L[\w.$]+;@[0-9a-f]+", t) for t in difference[4]):
        return "multidim_text_array_items"
    return None


@pytest.fixture(scope="module")
def env(build_dir, kafka):
    with source_database(build_dir, kafka.bootstrap, "sl-dbz-") as db:
        yield db[:4]


class FloatText(str):
    """A JSON float kept as its text, so -0.0 ≠ 0.0 and 1.0E7 ≠ 10000000.0 are seen."""


def loads(data):
    return json.loads(data, parse_float=FloatText)


def records(bootstrap, prefix):
    """{topic: [(key, value)]} of the topics `<prefix>.*` (one partition each), floats as text."""
    return {topic: [(k, v) for _, k, v in messages]
            for topic, messages in read_topics(bootstrap, prefix, loads)[0].items()}


def unprefixed(obj, prefix):
    """The record with the topic prefix taken out of schema names (`<prefix>.public.t.Value`)."""
    if isinstance(obj, dict):
        return {k: unprefixed(v, prefix) for k, v in obj.items()}
    if isinstance(obj, list):
        return [unprefixed(v, prefix) for v in obj]
    if type(obj) is str and obj.startswith(prefix + "."):
        return "PREFIX." + obj[len(prefix) + 1:]
    return obj


def comparable(value, schemas):
    """The value less what two runs legitimately differ in: the envelope's processing times
    (ts_ms/us/ns), the connector version and logical name (source.ts_* is the commit time in both
    and is compared). Without schemas the payload is wrapped as {"schema": None, "payload": ...}."""
    if value is None:
        return None
    value = copy.deepcopy(value) if schemas else {"schema": None, "payload": copy.deepcopy(value)}
    payload = value["payload"]
    for field in ("ts_ms", "ts_us", "ts_ns"):
        payload.pop(field, None)
    source = payload.get("source") or {}
    for field in ("version", "name"):
        source.pop(field, None)
    return value


def ends_with_sentinel(topics, schemas):
    """Both tables' topics exist and end with the last transaction's row 99."""
    def last_is_99(messages):
        values = [v for _, v in messages if v is not None]
        after = values and (values[-1]["payload"] if schemas else values[-1])["after"]
        return bool(after) and 99 in (after.get("id"), after.get("a"), after.get("k1"))
    tables = {t.split(".", 1)[1]: m for t, m in topics.items()}
    return all(last_is_99(tables.get(t, [])) for t in DEBEZIUM_OPS)


def wait_for(predicate, what, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


# The runs: Debezium's defaults in both schemas.enable forms (streaming only, snapshot.mode=
# no_data), and one with an initial snapshot (snapshot.mode=initial / --from-start), TRUNCATE
# written (skipped.operations=none) and non-default value forms (decimal.handling.mode=string,
# time.precision.mode=connect). The options run takes CHANGES[:SNAPSHOT_CHANGES] before the slots
# exist (the snapshot's `r` rows) and streams the rest.
SNAPSHOT_CHANGES = 2
SCENARIOS = {
    "schemas": dict(schemas=True, snapshot=False, debezium={}, ours=[]),
    "plain": dict(schemas=False, snapshot=False, debezium={}, ours=[]),
    "options": dict(schemas=True, snapshot=True,
                    debezium={"snapshot.mode": "initial", "skipped.operations": "none",
                              "decimal.handling.mode": "string", "time.precision.mode": "connect",
                              "hstore.handling.mode": "map"},
                    ours=["--from-start", "--skipped-operations", "none",
                          "--decimal-handling-mode", "string", "--time-precision-mode", "connect",
                          "--hstore-handling-mode", "map"]),
    # The same changes under Debezium 2.x: our records follow 3.x; what 2.x writes differently
    # is V2_DIFFERENCES.
    "debezium2": dict(schemas=True, snapshot=False, debezium={}, ours=[], version=DEBEZIUM_2_VERSION),
}


def expected_ops(scenario):
    """DEBEZIUM_OPS as the scenario changes it: the snapshot's rows are `r` (the rows of the first
    SNAPSHOT_CHANGES transactions: ids 1, 2, 3 of cmp_typed), and the TRUNCATE is written."""
    ops = copy.deepcopy(DEBEZIUM_OPS)
    if SCENARIOS[scenario]["snapshot"]:
        ops["public.cmp_typed"][:3] = ["r", "r", "r"]
    if SCENARIOS[scenario]["debezium"].get("skipped.operations") == "none":
        ops["public.cmp_nokey"].insert(-1, "t")
    return ops


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_same_changes_same_records_as_real_debezium(env, kafka, scenario):
    sportlake, e, home, port = env
    settings = SCENARIOS[scenario]
    schemas = settings["schemas"]
    tag = scenario[0]
    prefix, dbz = f"sl{tag}", f"dbz{tag}"  # each run's own topics, slots and connector
    e = dict(e, SPORTLAKE_TOPIC_PREFIX=prefix)
    psql(sportlake, e, "DELETE FROM cmp_typed; DELETE FROM cmp_nokey; DELETE FROM other.cmp_edge;" + CMP_MORE)  # before the slots
    before = CHANGES[:SNAPSHOT_CHANGES] if settings["snapshot"] else []
    for transaction in before:
        psql(sportlake, e, transaction)
    password = (home / "secrets" / "sportlake_jobs.password").read_text().strip()
    connect = DebeziumConnect(debezium_jars(settings.get("version", DEBEZIUM_VERSION)), kafka.bootstrap, {
        "hostname": "127.0.0.1", "port": port, "user": "sportlake_jobs", "password": password,
        "dbname": "rh_sport"}, name=dbz, topic_prefix=dbz, schemas=schemas, connector={
            "publication.name": "dbz_pub", "publication.autocreate.mode": "disabled",
            "table.include.list": r"public\.cmp_.*,other\.cmp_.*", **settings["debezium"]})
    ours_cdc = ["cdc", "--publication", "dbz_pub", "--slot", f"sl_cmp_{tag}", "--sink", "kafka"] + (
        ["--schemas"] if schemas else []) + settings["ours"]
    try:
        connect.start()
        wait_for(lambda: f"{dbz}_slot" in psql(sportlake, e, "SELECT slot_name FROM pg_replication_slots"),
                 "Debezium's slot")
        run(sportlake, e, *ours_cdc, "--idle-exit", "1")  # our slot (and snapshot), before the changes
        for transaction in CHANGES[len(before):] + MORE_CHANGES:
            psql(sportlake, e, transaction)
        run(sportlake, e, *ours_cdc, "--idle-exit", "3")
        ours = records(kafka.bootstrap, prefix)
        wait_for(lambda: ends_with_sentinel(records(kafka.bootstrap, dbz), schemas),
                 f"Debezium's last records (log: {connect.tail(2000)})")
        theirs = records(kafka.bootstrap, dbz)
    finally:
        connect.close()
        psql(sportlake, e, f"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                           f"WHERE slot_name IN ('{dbz}_slot', 'sl_cmp_{tag}')")

    ops = expected_ops(scenario)
    assert {t.split(".", 1)[1] for t in ours} == {t.split(".", 1)[1] for t in theirs} == set(ops)
    unexplained, explained = [], {}  # explained: kind → differences
    for topic in sorted(ours):
        table = topic.split(".", 1)[1]
        mine = [(unprefixed(k, prefix), unprefixed(comparable(v, schemas), prefix)) for k, v in ours[topic]]
        real = [(unprefixed(k, dbz), unprefixed(comparable(v, schemas), dbz))
                for k, v in theirs[f"{dbz}.{table}"]]
        assert [v and v["payload"]["op"] for _, v in real] == ops[table]
        for difference in compare(table, mine, real):
            kind = known(difference, real, settings.get("version", DEBEZIUM_VERSION))
            if kind is None:
                unexplained.append(difference)
            else:
                explained.setdefault(kind, []).append(difference)
    if unexplained and os.environ.get("SL_DIFFERENCES_FILE"):  # the whole list, for a look
        pathlib.Path(os.environ["SL_DIFFERENCES_FILE"]).write_text(json.dumps(unexplained, indent=1))
    assert unexplained == [], json.dumps(unexplained, indent=1)[:30000]
    assert {kind: len(found) for kind, found in explained.items()} == known_differences(scenario), explained


def signature(record):
    """What aligns two streams: the op, or `tombstone`."""
    _, value = record
    return "tombstone" if value is None else value["payload"]["op"]


def compare(table, mine, real):
    """Every difference between our records and the real connector's for one topic, as
    (table, record number in Debezium's stream, part, ours, theirs); records present on one side
    only (aligned on their op sequence) are `only_ours` / `only_debezium`."""
    out = []
    matcher = difflib.SequenceMatcher(a=[signature(r) for r in mine], b=[signature(r) for r in real],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            out += [[table, j1, "only_ours", signature(r)] for r in mine[i1:i2]]
            out += [[table, j, "only_debezium", signature(real[j])] for j in range(j1, j2)]
            continue
        for (mk, mv), j in zip(mine[i1:i2], range(j1, j2)):
            rk, rv = real[j]
            if mk != rk:
                out.append([table, j, "key", mk, rk])
            if mv is None:
                continue
            if mv["schema"] is not None and mv["schema"] != rv["schema"]:
                out += schema_differences(table, j, mv["schema"], rv["schema"])
            for part in ("op", "before", "after", "source", "transaction"):
                a, b = mv["payload"].get(part), rv["payload"].get(part)
                if isinstance(a, dict) and isinstance(b, dict):
                    for field in sorted(set(a) | set(b)):
                        if a.get(field, "<absent>") != b.get(field, "<absent>"):
                            out.append([table, j, f"{part}.{field}", a.get(field, "<absent>"),
                                        b.get(field, "<absent>")])
                elif a != b:
                    out.append([table, j, part, a, b])
    return out


def schema_differences(table, j, mine, real):
    """Field by field: [table, j, "schema <envelope field>.<column>", ours, theirs]."""
    out = []
    if {k: v for k, v in mine.items() if k != "fields"} != {k: v for k, v in real.items() if k != "fields"}:
        out.append([table, j, "schema", {k: v for k, v in mine.items() if k != "fields"},
                    {k: v for k, v in real.items() if k != "fields"}])
    mf = {f["field"]: f for f in mine.get("fields", [])}
    rf = {f["field"]: f for f in real.get("fields", [])}
    if list(mf) != list(rf):
        out.append([table, j, "schema fields", list(mf), list(rf)])
    for name in mf:
        if name not in rf or mf[name] == rf[name]:
            continue
        a, b = mf[name], rf[name]
        if "fields" in a and "fields" in b:
            top = {k: v for k, v in a.items() if k != "fields"}, {k: v for k, v in b.items() if k != "fields"}
            if top[0] != top[1]:
                out.append([table, j, f"schema {name}", top[0], top[1]])
            ac = {f["field"]: f for f in a["fields"]}
            bc = {f["field"]: f for f in b["fields"]}
            if list(ac) != list(bc):
                out.append([table, j, f"schema {name} fields", list(ac), list(bc)])
            for c in ac:
                if c in bc and ac[c] != bc[c]:
                    out.append([table, j, f"schema {name}.{c}", ac[c], bc[c]])
        else:
            out.append([table, j, f"schema {name}", a, b])
    return out
