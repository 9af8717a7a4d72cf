"""Poison records on a real Apache Kafka broker (KRaft): records the Debezium decoder refuses
(invalid JSON, a value not matching its schema, an unknown schema form, a truncated message, a
message that is no Debezium event) published raw among good ones, on several partitions.

The team's rule: a bad row is isolated and reported, it never stops the job nor changes another
row's result. Every consuming role (ingest, notify, distances) records each one in job_failures
(item `kafka <topic>:<partition>@<offset>`) and goes on; Bronze's txn moves past it in the commit
that follows, so a restart does not read (nor report) it again, and a kill -9 between the poison
and that commit reports it again into the same row (one row per poison record)."""
import copy
import json
import pathlib
import signal
import subprocess
import time

from confluent_kafka import Producer

from bus_helpers import assert_every_activity_once, bronze, psql, read_topics, run




def txns(root, table):
    out = {}
    for f in sorted((pathlib.Path(root) / table / "_delta_log").glob("*.json")):
        for line in f.read_text().splitlines():
            a = json.loads(line)
            if "txn" in a:
                out[a["txn"]["appId"]] = a["txn"]["version"]
    return out


def publish(sportlake, e, idle=2):
    run(sportlake, e, "cdc", "--sink", "kafka", "--schemas", "--idle-exit", str(idle))


def simulate(sportlake, e, count, seed):
    run(sportlake, e, "simulate", "--count", str(count), "--rate", "200", "--seed", str(seed))


def poison_forms(good):
    """The refused forms, built from one good record (`good`: its parsed value, with schema)."""
    text = json.dumps(good).encode()
    mismatched = copy.deepcopy(good)
    key_field = next(k for k in mismatched["payload"]["after"] if k in ("activity_id", "id"))
    mismatched["payload"]["after"][key_field] = "not a number"
    unknown = copy.deepcopy(good)
    unknown["schema"] = {"type": "struct", "fields": [{"field": "after", "type": "no-such-type"}]}
    return [
        ("invalid json", b"{\"schema\": oops, }"),
        ("value against its schema", json.dumps(mismatched).encode()),
        ("unknown schema form", json.dumps(unknown).encode()),
        ("truncated", text[: len(text) // 2]),
        ("not debezium", b"{\"hello\": \"world\"}"),
    ]


def produce(bootstrap, topic, records, partitions=3, first=0):
    """Produces `records` [(name, bytes)] raw, round robin over the partitions; returns the items
    job_failures names them by: `kafka <topic>:<partition>@<offset>`."""
    placed = []
    producer = Producer({"bootstrap.servers": bootstrap})

    def delivered(err, msg):
        assert err is None, err
        placed.append(f"kafka {msg.topic()}:{msg.partition()}@{msg.offset()}")
    for n, (_, value) in enumerate(records):
        producer.produce(topic, partition=(first + n) % partitions, value=value, on_delivery=delivered)
    producer.flush(30)
    assert len(placed) == len(records)
    return placed


def failures(sportlake, e, job):
    # (psql's lines are split at whitespace: the item's space travels as '+')
    rows = psql(sportlake, e, f"SELECT replace(item, ' ', '+') || '=' || failures FROM job_failures "
                              f"WHERE job = '{job}' ORDER BY item")
    return dict(r.replace("+", " ").split("=") for r in rows)


def good_value(bootstrap, topic, prefix):
    on_kafka, _ = read_topics(bootstrap, prefix)
    return next(v for (_, _, v) in on_kafka[topic] if v and v.get("payload", {}).get("after"))




def test_ingest_reports_and_skips_each_poison_record_once(env, kafka):
    sportlake, e, prefix = env
    ke = dict(e, SPORTLAKE_LAKE_ROOT=str(pathlib.Path(e["SPORTLAKE_HOME"]).parent / "kafka_lake"))
    root = pathlib.Path(ke["SPORTLAKE_LAKE_ROOT"]) / "bronze"
    topic = f"{prefix}.public.strava_activities"
    publish(sportlake, e, idle=1)  # the slot exists before the activities
    simulate(sportlake, e, 6, 41)
    publish(sportlake, e)
    forms = poison_forms(good_value(kafka.bootstrap, topic, prefix))
    items = produce(kafka.bootstrap, topic, forms[:3])
    simulate(sportlake, e, 9, 42)  # good records after the first poisons, on every partition
    publish(sportlake, e)
    items += produce(kafka.bootstrap, topic, forms[3:], first=1)
    simulate(sportlake, e, 6, 43)
    publish(sportlake, e)
    # Every partition ends with a poison record (the case that failed one run in two, as the
    # partitions fell): Bronze does not exist when the run starts, so those positions must go
    # with the commit that creates the table, not be lost.
    items += produce(kafka.bootstrap, topic, forms[:3])

    out = run(sportlake, ke, "ingest", "--source", "kafka", "--idle-exit", "4", "--json", timeout=180)
    assert json.loads(out.stdout)["rejected"] == len(items)
    assert_every_activity_once(sportlake, e, root)
    reported = failures(sportlake, e, "ingest")
    assert sorted(reported) == sorted(items), reported
    assert set(reported.values()) == {"1"}
    # The txns moved past every record, poison included: a second run reads (and reports) nothing.
    again = run(sportlake, ke, "ingest", "--source", "kafka", "--idle-exit", "3", "--json")
    assert json.loads(again.stdout)["rejected"] == 0
    assert failures(sportlake, e, "ingest") == reported
    status = json.loads(run(sportlake, e, "status", "--json").stdout)
    assert {"job": "ingest", "count": len(items)}.items() <= next(
        f for f in status["job_failures"] if f["job"] == "ingest").items()


def test_a_poison_record_last_on_its_partition_is_reported_once_across_a_kill_9(env, kafka):
    sportlake, e, prefix = env
    ke = dict(e, SPORTLAKE_LAKE_ROOT=str(pathlib.Path(e["SPORTLAKE_HOME"]).parent / "kafka_lake"))
    root = pathlib.Path(ke["SPORTLAKE_LAKE_ROOT"]) / "bronze"
    topic = f"{prefix}.public.strava_activities"
    publish(sportlake, e, idle=1)
    simulate(sportlake, e, 6, 51)
    publish(sportlake, e)
    run(sportlake, ke, "ingest", "--source", "kafka", "--idle-exit", "3")
    before = txns(root, "strava_activities")
    forms = poison_forms(good_value(kafka.bootstrap, topic, prefix))
    items = produce(kafka.bootstrap, topic, forms)  # the last records of every partition
    # Read and reported, never committed: the commit is a minute away when it is killed.
    consumer = subprocess.Popen([sportlake, "ingest", "--source", "kafka", "--commit-interval", "60",
                                 "--commit-min-interval", "60"], env=ke, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        while len(failures(sportlake, e, "ingest")) < len(items) and time.time() < deadline:
            time.sleep(0.2)
        assert sorted(failures(sportlake, e, "ingest")) == sorted(items)
    finally:
        consumer.send_signal(signal.SIGKILL)
        consumer.wait()
    assert txns(root, "strava_activities") == before, "killed before its commit: the test proves nothing"

    simulate(sportlake, e, 6, 52)
    publish(sportlake, e)
    # The killed member holds its partitions until its session times out (10 s).
    out = run(sportlake, ke, "ingest", "--source", "kafka", "--idle-exit", "15", "--json", timeout=180)
    assert json.loads(out.stdout)["rejected"] == len(forms), "read again after the kill"
    assert_every_activity_once(sportlake, e, root)
    reported = failures(sportlake, e, "ingest")
    assert sorted(reported) == sorted(items), "one row per poison record"
    # Every partition's txn is past its last record (a poison one where the partition ends so).
    ends = {}
    for item in items:
        where, offset = item.split(" ", 1)[1].rsplit("@", 1)
        ends[where] = max(ends.get(where, 0), int(offset) + 1)
    after = txns(root, "strava_activities")
    for where, end in ends.items():
        assert after[f"sportlake-bronze:sportlake_bronze:{where}"] >= end, where
    again = run(sportlake, ke, "ingest", "--source", "kafka", "--idle-exit", "3", "--json")
    assert json.loads(again.stdout)["rejected"] == 0
    assert failures(sportlake, e, "ingest") == reported, "not reported again once committed"


def test_notify_and_distances_report_poison_records_and_go_on(env, kafka):
    sportlake, e, prefix = env
    e = dict(e, SPORTLAKE_KAFKA_GROUP=prefix)
    e.pop("API_KEY_MAPS", None)
    activities = f"{prefix}.public.strava_activities"
    employees = f"{prefix}.public.rh_employees"
    run(sportlake, e, "cdc", "--sink", "kafka", "--schemas", "--idle-exit", "2", "--from-start")
    simulate(sportlake, e, 3, 61)
    publish(sportlake, e)
    forms = poison_forms(good_value(kafka.bootstrap, activities, prefix))
    employee_forms = poison_forms(good_value(kafka.bootstrap, employees, prefix))[:3]
    on_activities = produce(kafka.bootstrap, activities, forms)
    on_employees = produce(kafka.bootstrap, employees, employee_forms)
    simulate(sportlake, e, 4, 62)  # good activities after the poison
    psql(sportlake, e, "UPDATE rh_employees SET adresse_complete = adresse_complete || ' bis' "
                       "WHERE id IN (SELECT id FROM rh_employees ORDER BY id LIMIT 2)")
    publish(sportlake, e)

    run(sportlake, e, "notify", "--source", "kafka", "--idle-exit", "4", "--max-age", "0",
        timeout=180)
    assert sorted(failures(sportlake, e, "notify")) == sorted(on_activities)
    queued = psql(sportlake, e, "SELECT count(*) FROM notification_outbox")
    assert queued == psql(sportlake, e, "SELECT count(*) FROM strava_activities"), "every activity queued"

    run(sportlake, e, "distances", "--follow", "--source", "kafka", "--provider", "offline",
        "--idle-exit", "4", timeout=180)
    assert sorted(failures(sportlake, e, "distances")) == sorted(on_employees)
    moved = psql(sportlake, e, "SELECT count(*) FROM distance_cache WHERE origin LIKE '% bis'")
    assert moved != ["0"], "the change after the poison was followed"
    # Their groups went past the poison: nothing is reported twice on a second run.
    run(sportlake, e, "notify", "--source", "kafka", "--idle-exit", "3", "--max-age", "0")
    assert set(failures(sportlake, e, "notify").values()) == {"1"}
