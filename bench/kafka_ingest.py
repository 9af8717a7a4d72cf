"""Benchmark: Kafka → Bronze (`sportlake ingest --source kafka`) vs the embedded path (`sportlake
ingest` on its replication slot), same rows, same run.

Starts a real Apache Kafka broker (KRaft, tests/kafka_broker.py) and the embedded PostgreSQL. Each
round: ROWS strava_activities rows inserted in one transaction, published to 3-partition topics by
`sportlake cdc --sink kafka` in both JsonConverter forms (`--schemas`: topics `bench<N>.…`; without:
`bench<N>p.…`; not timed), then the three ingests (slot, Kafka with schemas, Kafka schemaless) land
them in a fresh Bronze (`--max-changes ROWS`), the order rotating; prints each round's rows/s and
peak RSS, its CPU seconds (user + system: steadier than rows/s on a shared machine) and the load
average, then the medians and the ratios kafka / slot.

    ROWS=200000 RUNS=3 /work/main/.venv/bin/python bench/kafka_ingest.py

BASELINE=<another sportlake binary> adds its two Kafka ingests (`schemas@base`, `schemaless@base`)
to every round, on the same topics, in the rotation: a change measured against the binary before
it, with the slot ingest (this binary) as the peer of both.

COMPRESSION=<lz4|zstd|snappy|gzip|none> publishes with that librdkafka `compression.type` (through
`kafka."compression.type"` in a config file) instead of the publisher's default (lz4).

PERF=PREFIX records round 1's Kafka ingests of this binary with `perf record -g -o PREFIX.<form>`
(a profile, not a figure).
"""
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from kafka_broker import KafkaBroker, broker_jars  # noqa: E402

SPORTLAKE = os.environ.get("SPORTLAKE", str(ROOT / "build/release/src/cli/sportlake"))
ROWS = int(os.environ.get("ROWS", "200000"))
RUNS = int(os.environ.get("RUNS", "3"))
BASELINE = os.environ.get("BASELINE")
COMPRESSION = os.environ.get("COMPRESSION")
FORMS = ["schemas", "schemaless"]  # JsonConverter schemas.enable true / false
KAFKA = FORMS + ([f"{form}@base" for form in FORMS] if BASELINE else [])


def sl(env, *args, config=None):
    done = subprocess.run([SPORTLAKE, *(["--config", config] if config else []), *args], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"sportlake {' '.join(args)}: {done.stderr}")
    return done.stdout


def timed(env, *args, perf=None, binary=SPORTLAKE):
    """Seconds, peak RSS (MB) and CPU seconds (user + system, every thread) of one sportlake run
    (under `perf record` to the file `perf`)."""
    profiler = ["perf", "record", "-g", "-q", "-o", perf] if perf else []
    t0 = time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", *profiler, binary, *args], env=env,
                          capture_output=True, text=True)
    seconds = time.monotonic() - t0
    if done.returncode != 0:
        sys.exit(f"sportlake {' '.join(args)}: {done.stderr}")
    kb, user, system = done.stderr.strip().splitlines()[-1].split()
    return seconds, int(kb) / 1024, float(user) + float(system)


def main():
    work = pathlib.Path(tempfile.mkdtemp(prefix="sl-bench-kafka-"))
    os.chmod(work, 0o755)
    broker = KafkaBroker(broker_jars())
    broker.format()
    broker.start()
    env = dict(os.environ, SPORTLAKE_HOME=str(work / "home"), SPORTLAKE_LOG_LEVEL="warn",
               KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap, SPORTLAKE_KAFKA_PARTITIONS="3")
    publisher_config = None
    if COMPRESSION:
        publisher_config = str(work / "publisher.toml")
        pathlib.Path(publisher_config).write_text(f'[kafka]\n"compression.type" = "{COMPRESSION}"\n')
    try:
        sl(env, "db", "start")
        sl(env, "load")
        url = sl(env, "db", "url", "--admin").strip()
        psql = lambda q: subprocess.run(["psql", url, "-qXAtc", q], check=True, capture_output=True)  # noqa: E731
        results = {"slot": [], **{who: [] for who in KAFKA}}
        for run in range(1, RUNS + 1):
            e = dict(env, SPORTLAKE_TOPIC_PREFIX=f"bench{run}")
            psql("TRUNCATE strava_activities")
            psql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                 "WHERE slot_name IN ('bench_ingest', 'bench_pub', 'bench_pub_plain')")
            shutil.rmtree(work / "home" / "delta", ignore_errors=True)
            for who in KAFKA:
                shutil.rmtree(work / f"kafka_lake_{who}", ignore_errors=True)
            sl(e, "ingest", "--slot", "bench_ingest", "--idle-exit", "0.5")  # slot + (empty) snapshot
            sl(e, "cdc", "--slot", "bench_pub", "--sink", "kafka", "--idle-exit", "0.5")
            sl(e, "cdc", "--slot", "bench_pub_plain", "--sink", "kafka", "--idle-exit", "0.5")
            psql(f"""INSERT INTO strava_activities (activity_id, employee_id, name, distance_m, moving_time_s,
                  elapsed_time_s, total_elev_gain_m, type, sport_type, start_date_utc, start_date_local, timezone,
                  utc_offset_s, calories, raw_payload)
                SELECT 20000000000 + g, 59019, 'Course à pied le matin', 10000 + g % 5000, 3000, 3100, 12.5,
                  'Run', 'Run', now() - make_interval(secs => g), localtimestamp, '(GMT+01:00) Europe/Paris',
                  3600, 650, jsonb_build_object('id', 20000000000 + g, 'sport_type', 'Run')
                FROM generate_series(1, {ROWS}) g""")
            sl(e, "cdc", "--slot", "bench_pub", "--sink", "kafka", "--schemas", "--max-events", str(ROWS),
               config=publisher_config)
            sl(dict(e, SPORTLAKE_TOPIC_PREFIX=f"bench{run}p"), "cdc", "--slot", "bench_pub_plain",
               "--sink", "kafka", "--max-events", str(ROWS), config=publisher_config)
            order = ["slot", *KAFKA]
            order = order[run % len(order):] + order[:run % len(order)]
            row = {}
            for who in order:
                if who == "slot":
                    row[who] = timed(e, "ingest", "--slot", "bench_ingest", "--max-changes", str(ROWS))
                else:
                    form, _, base = who.partition("@")
                    ke = dict(e, SPORTLAKE_LAKE_ROOT=str(work / f"kafka_lake_{who}"),
                              SPORTLAKE_TOPIC_PREFIX=f"bench{run}" + ("" if form == "schemas" else "p"))
                    perf = f"{os.environ['PERF']}.{form}" if os.environ.get("PERF") and run == 1 and not base else None
                    row[who] = timed(ke, "ingest", "--source", "kafka", "--group",
                                     f"bench{run}{form}{base}", "--max-changes", str(ROWS), perf=perf,
                                     binary=BASELINE if base else SPORTLAKE)
                results[who].append(row[who])
            print(f"round {run} ({', '.join(order)}): " +
                  ", ".join(f"{who} {ROWS / row[who][0]:,.0f} rows/s ({row[who][1]:.0f} MB, {row[who][2]:.2f} s CPU)"
                            for who in ["slot", *KAFKA]) +
                  "; load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()), flush=True)
        median = {who: statistics.median(ROWS / s for s, _, _ in results[who]) for who in results}
        cpu = {who: statistics.median(c for _, _, c in results[who]) for who in results}
        print(f"median of {RUNS}, {ROWS} rows: " +
              ", ".join(f"{who} {median[who]:,.0f} rows/s" for who in results) + "; " +
              ", ".join(f"ratio kafka {who}/slot {median[who] / median['slot']:.2f}" for who in KAFKA) +
              "; CPU s " + ", ".join(f"{who} {cpu[who]:.2f}" for who in results) +
              "; peak RSS " + ", ".join(f"{who} {max(m for _, m, _ in results[who]):.0f} MB" for who in results))
    finally:
        subprocess.run([SPORTLAKE, "db", "stop"], env=env, capture_output=True)
        broker.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
