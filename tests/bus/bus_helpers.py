"""Helpers of the bus suites: run sportlake, query the source database, read the topics."""
import json
import subprocess
import uuid

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient


def run(sportlake, e, *args, timeout=120):
    done = subprocess.run([sportlake, *args], env=e, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done


def psql(sportlake, e, query):
    return run(sportlake, e, "db", "psql", "--", "-XAtc", query).stdout.split()


def read_topics(bootstrap, prefix):
    """Every message of the topics `<prefix>.*`, up to the high watermarks: {topic: [(partition,
    key, value)]} in offset order within each partition."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    md = admin.list_topics(timeout=10)
    wanted = {name: len(t.partitions) for name, t in md.topics.items() if name.startswith(prefix + ".")}
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "test-" + uuid.uuid4().hex,
                         "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    ends = {}
    for name, count in wanted.items():
        for p in range(count):
            _, high = consumer.get_watermark_offsets(TopicPartition(name, p), timeout=10)
            if high > 0:
                ends[(name, p)] = high
    consumer.assign([TopicPartition(t, p, 0) for (t, p) in ends])
    out = {name: [] for name in wanted}
    left = dict(ends)
    while left:
        msg = consumer.poll(10)
        assert msg is not None, f"no message although {left} remain"
        assert msg.error() is None, msg.error()
        key = json.loads(msg.key()) if msg.key() is not None else None
        value = json.loads(msg.value()) if msg.value() is not None else None
        out[msg.topic()].append((msg.partition(), key, value))
        if msg.offset() + 1 >= left.get((msg.topic(), msg.partition()), 0):
            left.pop((msg.topic(), msg.partition()), None)
    consumer.close()
    return out, wanted
