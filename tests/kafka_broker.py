"""A real Apache Kafka broker for tests: one KRaft node (broker and controller in one JVM) from the
jars that scripts/kafka-broker-jars.sh caches under .cache/, on 127.0.0.1 free ports, with its log
directory in a temporary folder; stopped by its PID (SIGTERM, then SIGKILL)."""
import base64
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def broker_jars() -> pathlib.Path:
    """The jar folder (fetched with Maven on first use, as install-deps.sh does)."""
    out = subprocess.run([str(ROOT / "scripts" / "kafka-broker-jars.sh")], check=True,
                         capture_output=True, text=True)
    return pathlib.Path(out.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process(proc):
    """Stops a process this test started, by its PID: SIGTERM, then SIGKILL after 30 s."""
    if proc is None or proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="module")
def kafka():
    """A broker per test module (import this fixture into the module or its conftest)."""
    broker = KafkaBroker(broker_jars())
    broker.format()
    broker.start()
    yield broker
    broker.close()


def read_topics(bootstrap, prefix, loads=None):
    """Every message of the topics `<prefix>.*`, up to the high watermarks: {topic: [(partition,
    key, value)]} in offset order within each partition, and {topic: partition count}; keys and
    values parsed by `loads` (json.loads by default)."""
    import json
    loads = loads or json.loads
    from confluent_kafka import Consumer, TopicPartition
    from confluent_kafka.admin import AdminClient
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
        key = loads(msg.key()) if msg.key() is not None else None
        value = loads(msg.value()) if msg.value() is not None else None
        out[msg.topic()].append((msg.partition(), key, value))
        if msg.offset() + 1 >= left.get((msg.topic(), msg.partition()), 0):
            left.pop((msg.topic(), msg.partition()), None)
    consumer.close()
    return out, wanted


class KafkaBroker:
    def __init__(self, jars: pathlib.Path):
        self.jars = jars
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="sl-kafka-"))
        self.port = free_port()
        self.controller_port = free_port()
        self.proc = None
        self.config = self.dir / "server.properties"
        self.config.write_text("\n".join([
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.voters=1@127.0.0.1:{self.controller_port}",
            f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            f"log.dirs={self.dir / 'data'}",
            "num.partitions=1",
            "auto.create.topics.enable=false",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=4",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "group.initial.rebalance.delay.ms=0",
            "",
        ]))
        self.log = self.dir / "broker.log"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _java(self, main: str, *args: str) -> list:
        return ["java", "-Xmx512m", "-XX:+UseSerialGC", "-cp", f"{self.jars}/*", main, *args]

    def format(self):
        # Kafka's Uuid.randomUuid never starts with '-' (the tool would read it as an option).
        cluster_id = "-"
        while cluster_id.startswith("-"):
            cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        subprocess.run(self._java("kafka.tools.StorageTool", "format", "-t", cluster_id, "-c",
                                  str(self.config)), check=True, capture_output=True, timeout=120)

    def start(self, timeout: float = 90):
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self._java("kafka.Kafka", str(self.config)), stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kafka broker exited: {self.log.read_text()[-4000:]}")
            if self._ready():
                return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"kafka broker not ready in {timeout}s: {self.log.read_text()[-4000:]}")

    def _ready(self) -> bool:
        """The port accepts connections and the broker answers a metadata request."""
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", self.port)) != 0:
                return False
        from confluent_kafka.admin import AdminClient
        try:
            md = AdminClient({"bootstrap.servers": self.bootstrap, "log_level": 0}).list_topics(timeout=2)
            return bool(md.brokers)
        except Exception:  # noqa: BLE001 - not up yet
            return False

    def stop(self):
        stop_process(self.proc)
        self.proc = None

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
