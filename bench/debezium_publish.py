"""Benchmark (issue 14): PostgreSQL → Kafka, `sportlake cdc --sink kafka --schemas` vs the real
Debezium PostgreSQL connector (3.6.1.Final in Kafka Connect 4.3 standalone, JsonConverter with
schemas.enable=true; tests/debezium_connect.py), on the same real KRaft broker
(tests/kafka_broker.py) and the same WAL: ROWS strava_activities rows inserted once per round in
one transaction, each publisher reading it from its own slot into its own 1-partition topic.

Each round: fresh table, slots and topics; the Debezium connector is started (its slot created)
and paused, our slot created, the rows inserted; then the two publishers run one after the other,
the order alternating between rounds. Timing, alike for both: from our process's start / the
connector's resume to the moment the topic's high watermark reaches ROWS (polled every 50 ms).
The JVM's start is not counted (the connector runs before the round, as in a deployment); ours
is (connection, slot start). While paused, Debezium's reader thread may fill its queue
(max.queue.size, 8,192 records by default) ahead of the timing: < 1 % of 1M rows, 4 % of 200k
(in Debezium's favour).
Peak RSS: ours from /usr/bin/time, Debezium's the JVM's VmHWM (its heap capped at -Xmx512m, as
in the tests). Prints every round, then the medians, the ratio ours/Debezium (goal >= 2) and the
peak RSS of each, and the load average (1 min) at each round's end: the machine may be shared.

    ROWS=1000000 RUNS=3 /work/main/.venv/bin/python bench/debezium_publish.py

With BASELINE=<another sportlake binary> the peer is that binary's `cdc --sink kafka --schemas`
(its own slot and topic) instead of Debezium: a before/after of a publisher change (throughput
and peak RSS), no JVM.
"""
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from debezium_connect import DebeziumConnect, debezium_jars  # noqa: E402
from kafka_broker import KafkaBroker, broker_jars, free_port  # noqa: E402

SPORTLAKE = os.environ.get("SPORTLAKE", str(ROOT / "build/release/src/cli/sportlake"))
ROWS = int(os.environ.get("ROWS", "1000000"))
RUNS = int(os.environ.get("RUNS", "3"))
BASELINE = os.environ.get("BASELINE")  # the peer: an older sportlake instead of Debezium
PEER = "baseline" if BASELINE else "debezium"

INSERT = """INSERT INTO strava_activities (activity_id, employee_id, name, distance_m, moving_time_s,
      elapsed_time_s, total_elev_gain_m, type, sport_type, start_date_utc, start_date_local, timezone,
      utc_offset_s, calories, raw_payload)
    SELECT 20000000000 + g, 59019, 'Course à pied le matin', 10000 + g % 5000, 3000, 3100, 12.5,
      'Run', 'Run', now() - make_interval(secs => g), localtimestamp, '(GMT+01:00) Europe/Paris',
      3600, 650, jsonb_build_object('id', 20000000000 + g, 'sport_type', 'Run')
    FROM generate_series(1, {rows}) g"""


def sl(env, *args):
    done = subprocess.run([SPORTLAKE, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"sportlake {' '.join(args)}: {done.stderr}")
    return done.stdout


def high_watermark(consumer, topic):
    from confluent_kafka import TopicPartition
    try:
        return consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=5, cached=False)[1]
    except Exception as e:  # noqa: BLE001 - the topic does not exist yet
        return str(e)


def wait_for_rows(bootstrap, topic, deadline_s=1800):
    """Polls the topic's end offset until it holds ROWS records; the time it was seen."""
    from confluent_kafka import Consumer
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-watch"})
    try:
        end = time.monotonic() + deadline_s
        report = time.monotonic() + 30
        while not isinstance(seen := high_watermark(consumer, topic), int) or seen < ROWS:
            if time.monotonic() > report:
                print(f"  {topic}: {seen}", file=sys.stderr, flush=True)
                report = time.monotonic() + 30
            if time.monotonic() > end:
                sys.exit(f"{topic}: fewer than {ROWS} records after {deadline_s} s ({seen})")
            time.sleep(0.05)
        return time.monotonic()
    finally:
        consumer.close()


def connector_state(connect, state):
    request = urllib.request.Request(f"http://127.0.0.1:{connect.port}/connectors/{connect.name}/"
                                     f"{'pause' if state == 'PAUSED' else 'resume'}", method="PUT")
    urllib.request.urlopen(request, timeout=10).read()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = connect.status() or {}
        tasks = status.get("tasks") or []
        if status.get("connector", {}).get("state") == state and tasks and tasks[0]["state"] == state:
            return
        time.sleep(0.1)
    sys.exit(f"the connector did not reach {state}: {connect.tail(2000)}")


def vm_hwm_mb(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main():
    work = pathlib.Path(tempfile.mkdtemp(prefix="sl-bench-dbz-"))
    os.chmod(work, 0o755)
    broker = KafkaBroker(broker_jars())
    broker.format()
    broker.start()
    port = free_port()
    env = dict(os.environ, SPORTLAKE_HOME=str(work / "home"), SPORTLAKE_LOG_LEVEL="warn",
               SPORTLAKE_PG_LISTEN="127.0.0.1", SPORTLAKE_PG_PORT=str(port),
               KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap, SPORTLAKE_KAFKA_PARTITIONS="1")
    jars = None if BASELINE else debezium_jars()
    connect = None
    try:
        sl(env, "db", "start")
        sl(env, "load")
        url = sl(env, "db", "url", "--admin").strip()
        password = (work / "home" / "secrets" / "sportlake_jobs.password").read_text().strip()

        def psql(q):
            return subprocess.run(["psql", url, "-qXAtc", q], check=True, capture_output=True, text=True).stdout

        def publish(binary, slot, e, topic):
            """Rows/s and peak RSS (MB) of one `cdc --sink kafka --schemas` run of `binary`."""
            t0 = time.monotonic()
            done = subprocess.run(["/usr/bin/time", "-f", "%M", binary, "cdc", "--slot", slot, "--sink",
                                   "kafka", "--schemas", "--max-events", str(ROWS)], env=e,
                                  capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"{binary} cdc: {done.stderr}")
            t1 = wait_for_rows(broker.bootstrap, topic)
            return ROWS / (t1 - t0), int(done.stderr.strip().splitlines()[-1]) / 1024

        results = {"sportlake": [], PEER: []}
        loads = []
        for run in range(1, RUNS + 1):
            ours_topic = f"sl{run}.public.strava_activities"
            dbz_topic = f"dbz{run}.public.strava_activities"
            psql("TRUNCATE strava_activities")
            e = dict(env, SPORTLAKE_TOPIC_PREFIX=f"sl{run}")
            base_env = dict(env, SPORTLAKE_TOPIC_PREFIX=f"base{run}")
            if BASELINE:
                sl(base_env, "cdc", "--slot", f"bench_base{run}", "--sink", "kafka", "--schemas",
                   "--idle-exit", "0.5")
            else:
                connect = DebeziumConnect(jars, broker.bootstrap, {
                    "hostname": "127.0.0.1", "port": port, "user": "sportlake_jobs", "password": password,
                    "dbname": "rh_sport"}, name=f"dbz{run}", topic_prefix=f"dbz{run}", schemas=True, connector={
                        "publication.name": "sportlake_pub", "publication.autocreate.mode": "disabled",
                        "table.include.list": r"public\.strava_activities"})
                connect.start()
                connector_state(connect, "PAUSED")
            sl(e, "cdc", "--slot", f"bench_pub{run}", "--sink", "kafka", "--schemas", "--idle-exit", "0.5")
            t_insert = time.monotonic()
            psql(INSERT.format(rows=ROWS))
            print(f"round {run}: {ROWS} rows inserted in {time.monotonic() - t_insert:.1f} s", flush=True)
            order = ["sportlake", PEER] if run % 2 else [PEER, "sportlake"]
            row = {}
            for who in order:
                if who == "sportlake":
                    row[who] = publish(SPORTLAKE, f"bench_pub{run}", e, ours_topic)
                elif who == "baseline":
                    row[who] = publish(BASELINE, f"bench_base{run}", base_env,
                                       f"base{run}.public.strava_activities")
                else:
                    t0 = time.monotonic()
                    connector_state(connect, "RUNNING")
                    t1 = wait_for_rows(broker.bootstrap, dbz_topic)
                    row[who] = (ROWS / (t1 - t0), vm_hwm_mb(connect.proc.pid))
                results[who].append(row[who])
            if connect is not None:
                connect.close()
                connect = None
            psql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                 f"WHERE slot_name IN ('bench_pub{run}', 'bench_base{run}', 'dbz{run}_slot')")
            print(f"round {run} ({' then '.join(order)}): sportlake {row['sportlake'][0]:,.0f} rows/s "
                  f"({row['sportlake'][1]:.0f} MB), {PEER} {row[PEER][0]:,.0f} rows/s "
                  f"({row[PEER][1]:.0f} MB), ratio {row['sportlake'][0] / row[PEER][0]:.2f}, "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
            loads.append(os.getloadavg()[0])
        ours = statistics.median(r for r, _ in results["sportlake"])
        theirs = statistics.median(r for r, _ in results[PEER])
        print(json.dumps({"rows": ROWS, "rounds": RUNS, "peer": PEER, "sportlake_rows_s": round(ours),
                          f"{PEER}_rows_s": round(theirs), "ratio": round(ours / theirs, 2),
                          "sportlake_peak_rss_mb": [round(m) for _, m in results["sportlake"]],
                          f"{PEER}_peak_rss_mb": [round(m) for _, m in results[PEER]],
                          "load_average_1min": [round(x, 1) for x in loads]}))
        print(f"median of {RUNS}, {ROWS} rows: sportlake cdc {ours:,.0f} rows/s, {PEER} {theirs:,.0f} "
              f"rows/s, ratio {ours / theirs:.2f}; peak RSS sportlake "
              f"{max(m for _, m in results['sportlake']):.0f} MB (median "
              f"{statistics.median(m for _, m in results['sportlake']):.0f}), {PEER} "
              f"{max(m for _, m in results[PEER]):.0f} MB (median "
              f"{statistics.median(m for _, m in results[PEER]):.0f})")
    finally:
        if connect is not None:
            connect.close()
        subprocess.run([SPORTLAKE, "db", "stop"], env=env, capture_output=True)
        broker.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
