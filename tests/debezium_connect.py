"""The real Debezium PostgreSQL connector for tests: Kafka Connect in standalone mode
(org.apache.kafka.connect.cli.ConnectStandalone) from the jars scripts/debezium-jars.sh caches
under .cache/ (debezium-connector-postgres 3.6.1.Final, or a 2.x release, Kafka Connect 4.3), its REST listener on
127.0.0.1 on a free port, offsets in a file of a temporary folder, one PostgresConnector
(plugin.name=pgoutput, its own slot and publication, JsonConverter with schemas.enable=true);
stopped by its PID (SIGTERM, then SIGKILL)."""
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import time
import urllib.request

from kafka_broker import free_port, stop_process

ROOT = pathlib.Path(__file__).resolve().parent.parent


# The Debezium release the comparisons run by default (SL_DEBEZIUM_VERSION runs them all on
# another), and the 2.x release they also run.
DEBEZIUM_VERSION = os.environ.get("SL_DEBEZIUM_VERSION", "3.6.1.Final")
DEBEZIUM_2_VERSION = os.environ.get("SL_DEBEZIUM_2_VERSION", "2.7.4.Final")


def debezium_jars(version: str = DEBEZIUM_VERSION) -> pathlib.Path:
    """The jar folder of that Debezium release (fetched with Maven on first use)."""
    out = subprocess.run([str(ROOT / "scripts" / "debezium-jars.sh"), version], check=True,
                         capture_output=True, text=True, timeout=1200)
    return pathlib.Path(out.stdout.strip().splitlines()[-1])


class DebeziumConnect:
    """One Connect worker running one Debezium PostgreSQL connector named `name`.

    `database` = {hostname, port, user, password, dbname}; `connector` overrides or adds
    connector properties (publication.name, slot.name, table.include.list...)."""

    def __init__(self, jars: pathlib.Path, bootstrap: str, database: dict, *, name="dbz",
                 topic_prefix="dbz", schemas=True, connector=None):
        self.jars = jars
        self.name = name
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="sl-connect-"))
        self.port = free_port()
        self.proc = None
        self.log = self.dir / "connect.log"
        enable = "true" if schemas else "false"
        self.worker = self.dir / "worker.properties"
        self.worker.write_text("\n".join([
            f"bootstrap.servers={bootstrap}",
            "key.converter=org.apache.kafka.connect.json.JsonConverter",
            "value.converter=org.apache.kafka.connect.json.JsonConverter",
            f"key.converter.schemas.enable={enable}",
            f"value.converter.schemas.enable={enable}",
            f"offset.storage.file.filename={self.dir / 'offsets.dat'}",
            "offset.flush.interval.ms=500",
            f"listeners=http://127.0.0.1:{self.port}",
            "topic.creation.enable=true",
            "",
        ]))
        props = {
            "name": name,
            "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
            "tasks.max": "1",
            "database.hostname": database["hostname"],
            "database.port": str(database["port"]),
            "database.user": database["user"],
            "database.password": database["password"],
            "database.dbname": database["dbname"],
            "topic.prefix": topic_prefix,
            "plugin.name": "pgoutput",
            "slot.name": f"{name}_slot",
            "publication.name": f"{name}_pub",
            "snapshot.mode": "no_data",
            # The broker does not create topics on its own (tests/kafka_broker.py).
            "topic.creation.default.replication.factor": "1",
            "topic.creation.default.partitions": "1",
            "status.update.interval.ms": "500",
            "poll.interval.ms": "100",
        }
        props.update(connector or {})
        self.connector = self.dir / "connector.properties"
        # Properties escaping: backslashes (regexes in *.include.list) must be doubled.
        self.connector.write_text("".join(f"{k}={v.replace(chr(92), chr(92) * 2)}\n"
                                          for k, v in props.items()))

    def start(self, timeout: float = 180):
        """Starts the worker and waits until the connector's task is RUNNING and its replication
        slot is streaming (so every change made after this returns is captured)."""
        env = dict(os.environ, KAFKA_HEAP_OPTS="-Xmx512m")
        cmd = ["java", "-Xmx512m", "-XX:+UseSerialGC", "-cp", f"{self.jars}/*",
               "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
               "-Dorg.slf4j.simpleLogger.showDateTime=true",
               "org.apache.kafka.connect.cli.ConnectStandalone", str(self.worker), str(self.connector)]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                                         start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Kafka Connect exited: {self.tail()}")
            status = self.status()
            tasks = (status or {}).get("tasks") or []
            if tasks and tasks[0].get("state") == "FAILED":
                trace = tasks[0].get("trace", "")
                self.stop()
                raise RuntimeError(f"Debezium task failed: {trace[:4000]}")
            if tasks and tasks[0].get("state") == "RUNNING" and self._streaming():
                return
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"Debezium not streaming in {timeout}s: {self.tail()}")

    def _streaming(self) -> bool:
        text = self.log.read_text(errors="replace")
        return "Searching for WAL resume position" in text or "Processing messages" in text \
            or "Retrieved latest position from stored offset" in text

    def status(self):
        try:
            with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/connectors/{self.name}/status", timeout=2) as r:
                return json.loads(r.read())
        except Exception:  # noqa: BLE001 - not up yet
            return None

    def tail(self, n=6000) -> str:
        return self.log.read_text(errors="replace")[-n:] if self.log.exists() else ""

    def stop(self):
        stop_process(self.proc)
        self.proc = None

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
