"""`sportlake cdc --sink kafka` on a real Apache Kafka broker (KRaft): the records on the topics are
the ones `--sink jsonl` writes for the same changes (same keys, values, order per key), in both
JsonConverter forms; a publisher killed with SIGKILL mid-stream and restarted loses nothing.

Delivery to the broker is at-least-once: a transaction is acknowledged to the slot only once every
one of its messages has a delivery report, so after a crash the unacknowledged tail is sent again
and consumers drop repeats by source position (`source.lsn`, as Bronze does with its Delta txn)."""
import json
import signal
import subprocess
import time

import pytest

from bus_helpers import psql, read_topics, run


def read_jsonl(path):
    out = {}
    for line in path.read_text().splitlines():
        record = json.loads(line)
        out.setdefault(record["topic"], []).append((record["key"], record["value"]))
    return out


def without_processing_time(value):
    """The value less the time each run stamps when it writes the record (ts_ms/us/ns)."""
    if value is None:
        return None
    value = json.loads(json.dumps(value))
    payload = value["payload"] if "payload" in value and "schema" in value else value
    for field in ("ts_ms", "ts_us", "ts_ns"):
        payload.pop(field, None)
    # source.sequence[0] is the last commit the run had seen (Debezium's lastCommitLsn), state of
    # each run: only the change's own LSN, sequence[1], is the same for the same change.
    source = payload.get("source") or {}
    if source.get("sequence"):
        source["sequence"] = json.loads(source["sequence"])[1]
    return value


def canonical(key):
    return json.dumps(key, sort_keys=True)


def per_key(records):
    by_key = {}
    for key, value in records:
        by_key.setdefault(canonical(key), []).append(without_processing_time(value))
    return by_key


@pytest.mark.parametrize("schemas", [False, True], ids=["plain", "schemas"])
def test_kafka_topics_equal_the_jsonl_records(env, kafka, tmp_path, schemas):
    sportlake, e, prefix = env
    extra = ["--tombstones-on-delete", "true"] + (["--schemas"] if schemas else [])
    sink = tmp_path / "events.jsonl"
    # Both slots exist before the changes, so both see the same ones.
    run(sportlake, e, "cdc", "--slot", "bus_kafka", "--sink", "kafka", "--idle-exit", "1", *extra)
    run(sportlake, e, "cdc", "--slot", "bus_jsonl", "--sink", f"jsonl:{sink}", "--idle-exit", "1", *extra)
    run(sportlake, e, "simulate", "--count", "40", "--delay", "1ms..5ms", "--seed", "11")
    psql(sportlake, e, "UPDATE rh_employees SET moyen_deplacement = 'Vélo', adresse_complete = "
                       "adresse_complete || ' bis' WHERE id IN (SELECT id FROM rh_employees ORDER BY id LIMIT 5)")
    psql(sportlake, e, "UPDATE rh_employees SET nb_conges_payes = nb_conges_payes + 1 "
                       "WHERE id = (SELECT min(id) FROM rh_employees)")
    psql(sportlake, e, "DELETE FROM strava_activities WHERE activity_id IN "
                       "(SELECT activity_id FROM strava_activities ORDER BY activity_id LIMIT 3)")
    run(sportlake, e, "cdc", "--slot", "bus_kafka", "--sink", "kafka", "--idle-exit", "2", *extra)
    run(sportlake, e, "cdc", "--slot", "bus_jsonl", "--sink", f"jsonl:{sink}", "--idle-exit", "2", *extra)

    on_kafka, partitions = read_topics(kafka.bootstrap, prefix)
    in_file = read_jsonl(sink)
    assert set(on_kafka) == set(in_file) == {f"{prefix}.public.strava_activities",
                                             f"{prefix}.public.rh_employees"}
    for topic, records in in_file.items():
        assert partitions[topic] == 3, "created with kafka.partitions"
        messages = on_kafka[topic]
        assert len(messages) == len(records), topic
        assert all(key is not None for _, key, _ in messages), "keyed by the primary key"
        # One key, one partition: its order is the source's.
        homes = {}
        for partition, key, _ in messages:
            homes.setdefault(canonical(key), set()).add(partition)
        assert all(len(p) == 1 for p in homes.values()), {k: p for k, p in homes.items() if len(p) > 1}
        assert per_key([(k, v) for _, k, v in messages]) == per_key(records), topic
    deletes = [v for _, _, v in on_kafka[f"{prefix}.public.strava_activities"]
               if v is not None and (v.get("payload", v))["op"] == "d"]
    assert len(deletes) == 3
    assert sum(1 for _, _, v in on_kafka[f"{prefix}.public.strava_activities"] if v is None) == 3


def activity_events(on_kafka, prefix):
    return [v for _, _, v in on_kafka.get(f"{prefix}.public.strava_activities", []) if v is not None]


def test_kill_minus_nine_then_restart_loses_nothing(env, kafka):
    sportlake, e, prefix = env
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "1")  # the slot keeps what follows
    writer = subprocess.Popen([sportlake, "simulate", "--count", "300", "--rate", "100", "--seed", "4"], env=e,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    cdc = subprocess.Popen([sportlake, "cdc", "--sink", "kafka"], env=e, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    deadline = time.time() + 60
    seen_before_kill = 0
    while time.time() < deadline and seen_before_kill < 20:
        time.sleep(0.2)
        seen_before_kill = len(activity_events(read_topics(kafka.bootstrap, prefix)[0], prefix))
    cdc.send_signal(signal.SIGKILL)
    cdc.wait()
    assert writer.wait(timeout=60) == 0
    assert 0 < seen_before_kill < 300, "the kill happened mid-stream"
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "3")

    events = activity_events(read_topics(kafka.bootstrap, prefix)[0], prefix)
    ids = {int(i) for i in psql(sportlake, e, "SELECT activity_id FROM strava_activities")}
    assert {v["after"]["activity_id"] for v in events} == ids, "no activity lost"
    # At-least-once on the broker: repeats carry their source position, so deduplicating by it
    # gives exactly one event per activity.
    assert len({(v["source"]["lsn"], v["after"]["activity_id"]) for v in events}) == 300


def test_kafka_settings_pass_through_and_secrets_stay_hidden(env, tmp_path):
    sportlake, e, _ = env
    config = tmp_path / "sportlake.toml"
    config.write_text('[kafka]\n"compression.type" = "nonsense"\n"sasl.password" = "hunter2-secret"\n')
    done = subprocess.run([sportlake, "--config", str(config), "cdc", "--sink", "kafka", "--idle-exit", "1"],
                          env=e, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "kafka.compression.type" in done.stderr, done.stderr  # passed to librdkafka, refused there
    shown = run(sportlake, e, "--config", str(config), "config")
    for output in (done.stdout, done.stderr, shown.stdout, shown.stderr):
        assert "hunter2-secret" not in output


def test_broker_restart_mid_stream_loses_nothing(env, kafka):
    sportlake, e, prefix = env
    run(sportlake, e, "cdc", "--sink", "kafka", "--idle-exit", "1")  # the slot keeps what follows
    writer = subprocess.Popen([sportlake, "simulate", "--count", "400", "--rate", "100", "--seed", "6"], env=e,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    cdc = subprocess.Popen([sportlake, "cdc", "--sink", "kafka", "--idle-exit", "5"], env=e,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    seen_before_restart = 0
    while time.time() < deadline and seen_before_restart < 30:
        time.sleep(0.2)
        seen_before_restart = len(activity_events(read_topics(kafka.bootstrap, prefix)[0], prefix))
    kafka.stop()  # the publisher goes on reading the slot; librdkafka keeps the messages
    kafka.start()
    assert writer.wait(timeout=60) == 0
    _, stderr = cdc.communicate(timeout=180)
    assert cdc.returncode == 0, stderr
    assert 0 < seen_before_restart < 400, "the restart happened mid-stream"

    events = activity_events(read_topics(kafka.bootstrap, prefix)[0], prefix)
    ids = {int(i) for i in psql(sportlake, e, "SELECT activity_id FROM strava_activities")}
    assert {v["after"]["activity_id"] for v in events} == ids, "no activity lost"
    # The idempotent producer's retries across the restart write nothing twice.
    assert len(events) == 400


def test_initial_snapshot_reaches_the_topics(env, kafka):
    sportlake, e, prefix = env
    run(sportlake, e, "cdc", "--from-start", "--sink", "kafka", "--idle-exit", "1")
    on_kafka, _ = read_topics(kafka.bootstrap, prefix)
    employees = on_kafka[f"{prefix}.public.rh_employees"]
    ids = {int(i) for i in psql(sportlake, e, "SELECT id FROM rh_employees")}
    assert {key["id"] for _, key, _ in employees} == ids
    assert len(employees) == len(ids), "each row once"
    assert {v["op"] for _, _, v in employees} == {"r"}
