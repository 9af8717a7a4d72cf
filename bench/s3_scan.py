"""Benchmark (issue 15): a projected scan of a Delta table on S3, ours vs delta-rs, same run.

The store is moto in server mode on loopback (PyPI `moto[server]`, the test suite's S3 server):
no AWS account needed, and its access log names every request, so requests are counted at the
server for both readers (no proxy in the path). moto is a Python server and the slowest part of
the path for both readers; so the same rounds run again on gofakes3 (Go, in-memory; built from
the Go module proxy by s3_scan.sh, GOFAKES3 names the binary), where the readers' own costs show.
Neither is AWS: no TLS, no 20-50 ms first-byte latency (where parallel requests matter more).

1. The table: ROWS rows (default 10,000,000) written by us (`sportlake lake import` of
   1,000,000-row Parquet files made by pyarrow, one commit each) to s3://bench/scan/t: an
   activity-like schema of 7 columns.
2. RUNS rounds, order alternating: load the latest snapshot and read the 2 columns
   `COLUMNS` (default id,distance_m) of every file, in-process for both:
   ours `bench_delta scan`, delta-rs `DeltaTable(uri, storage_options).to_pyarrow_table(columns)`.
   Each round prints both wall times and both request counts (from moto's log, by method).
3. Commit latency: COMMITS (default 30) appends of a 1-row file (`bench_delta append`) to a
   fresh table on S3 and to a local folder; medians.
Prints every round, the medians and the ratios. ROWS, RUNS, COMMITS, COLUMNS from the
environment; SL_BUILD_DIR names the build (default build/release).
"""
import collections
import os
import pathlib
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import requests

ROWS = int(os.environ.get("ROWS", 10_000_000))
RUNS = int(os.environ.get("RUNS", 5))
COMMITS = int(os.environ.get("COMMITS", 30))
COLUMNS = os.environ.get("COLUMNS", "id,distance_m").split(",")
BUILD = pathlib.Path(os.environ.get("SL_BUILD_DIR", "build/release"))
BENCH = BUILD / "bench" / "bench_delta"
SPORTLAKE = pathlib.Path(os.environ.get("SPORTLAKE", BUILD / "src" / "cli" / "sportlake"))
BUCKET = "bench"
CHUNK = 1_000_000
REQUEST = re.compile(r'"(?:\x1b\[[0-9;]*m)*(GET|HEAD|PUT|POST|DELETE) /' + BUCKET + r'[/?]')

# deltalake 0.21 sometimes aborts at interpreter exit after a large S3 read ("terminate called
# without an active exception", a runtime thread still joinable): the figure is printed first,
# then the process leaves without running the teardown.
DELTA_RS_SCAN = """
import os, sys, time
from deltalake import DeltaTable
uri, columns = sys.argv[1], sys.argv[2].split(",")
opts = {"AWS_ENDPOINT_URL": sys.argv[3], "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench-secret",
        "AWS_REGION": "us-east-1", "AWS_ALLOW_HTTP": "true"}
start = time.perf_counter()
table = DeltaTable(uri, storage_options=opts).to_pyarrow_table(columns=columns)
print(f"{time.perf_counter() - start:.6f} {table.num_rows} {len(table.columns)}", flush=True)
os._exit(0)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(endpoint):
    for _ in range(200):
        try:
            requests.get(endpoint, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError(f"no S3 server at {endpoint}")


class Moto:
    """moto_server on a free loopback port, its access log in a file we count lines of."""
    name = "moto"
    counts_requests = True

    def __init__(self, work):
        self.log = work / "moto.log"
        port = free_port()
        self.endpoint = f"http://127.0.0.1:{port}"
        moto = pathlib.Path(sys.executable).parent / "moto_server"
        self.proc = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)],
                                     stdout=subprocess.DEVNULL, stderr=open(self.log, "w"))
        wait_until_up(self.endpoint)
        assert requests.put(f"{self.endpoint}/{BUCKET}", timeout=10).status_code == 200

    def requests_since(self, offset):
        """(requests by method, new offset) of the log lines written after `offset`."""
        time.sleep(0.3)  # the last lines are written after the replies
        with open(self.log, "rb") as f:
            f.seek(offset)
            text = f.read().decode("utf-8", "replace")
            end = f.tell()
        counted = collections.Counter(m.group(1) for m in REQUEST.finditer(text))
        return counted, end

    def offset(self):
        time.sleep(0.3)
        return self.log.stat().st_size

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class GoFakeS3(Moto):
    """gofakes3 (Go, in-memory backend) on a free loopback port: a compiled server, to see the
    readers' times where the store is not the bottleneck. It logs no access lines: requests are
    counted on moto (a reader's requests do not depend on the server)."""
    name = "gofakes3"
    counts_requests = False

    def __init__(self, work, binary):
        self.log = work / "gofakes3.log"
        port = free_port()
        self.endpoint = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen([binary, "-backend", "memory", "-host", f"127.0.0.1:{port}",
                                      "-initialbucket", BUCKET, "-quiet"],
                                     stdout=subprocess.DEVNULL, stderr=open(self.log, "w"))
        wait_until_up(self.endpoint)


def make_table(moto, env, work):
    uri = f"s3://{BUCKET}/scan/t"
    rng = np.random.default_rng(15)
    sports = np.array(["Run", "Ride", "Walk", "Hike", "Swim", "Badminton", "Tennis", "Yoga"])
    start = time.perf_counter()
    for first in range(0, ROWS, CHUNK):
        n = min(CHUNK, ROWS - first)
        batch = pa.table({
            "id": pa.array(np.arange(first, first + n, dtype=np.int64)),
            "employee_id": pa.array(rng.integers(10000, 20000, n, dtype=np.int32)),
            "sport_type": pa.array(sports[rng.integers(0, len(sports), n)]),
            "distance_m": pa.array(np.round(rng.random(n) * 20000, 1)),
            "elapsed_s": pa.array(rng.integers(60, 10000, n, dtype=np.int64)),
            "start_date": pa.array((1_735_689_600_000_000 + np.arange(first, first + n) * 60_000_000)
                                   .astype("datetime64[us]")).cast(pa.timestamp("us", tz="UTC")),
            "comment": pa.array([f"séance {i % 977} au parc" for i in range(first, first + n)]),
        })
        chunk = work / "chunk.parquet"
        pq.write_table(batch, chunk)
        subprocess.run([str(SPORTLAKE), "lake", "import", uri, str(chunk)], env=env, check=True,
                       capture_output=True)
    print(f"table: {ROWS:,} rows written to {uri} in {time.perf_counter() - start:.1f} s")
    return uri


def run(args, env):
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} {args[1] if len(args) > 1 else ''} failed "
                           f"({done.returncode}): {done.stderr[-3000:]}")
    return done.stdout.split()


def ours(uri, env):
    out = run([str(BENCH), "scan", uri, ",".join(COLUMNS)], env)
    return float(out[0]), int(out[1])


def delta_rs(uri, env, endpoint):
    out = run([sys.executable, "-c", DELTA_RS_SCAN, uri, ",".join(COLUMNS), endpoint], env)
    return float(out[0]), int(out[1])


def fmt(counted):
    return "+".join(f"{n} {m}" for m, n in sorted(counted.items())) or "0"


def commits(target, env):
    return statistics.median(float(x) for x in run([str(BENCH), "append", target, str(COMMITS)], env))


def bench_on(server, work):
    """The table, the scan rounds and the commit latency on one server; the medians."""
    env = dict(os.environ, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench-secret",
               AWS_REGION="us-east-1", AWS_ENDPOINT_URL=server.endpoint,
               SPORTLAKE_HOME=str(work / "home"), SPORTLAKE_LOG_LEVEL="warn")
    env.pop("AWS_SESSION_TOKEN", None)
    env.pop("AWS_PROFILE", None)
    print(f"== {server.name} ({server.endpoint})")
    uri = make_table(server, env, work)
    print(f"scan of {len(COLUMNS)} columns ({','.join(COLUMNS)}), {RUNS} rounds, order alternating")
    print(f"{'round':>5} {'first':>8} {'ours s':>8} {'delta-rs s':>10} {'ours req':>14} {'delta-rs req':>16}")
    times = {"ours": [], "delta-rs": []}
    reqs = {"ours": [], "delta-rs": []}
    for r in range(RUNS):
        order = ["ours", "delta-rs"] if r % 2 == 0 else ["delta-rs", "ours"]
        row = {}
        for who in order:
            offset = server.offset() if server.counts_requests else 0
            seconds, rows = ours(uri, env) if who == "ours" else delta_rs(uri, env, server.endpoint)
            counted = server.requests_since(offset)[0] if server.counts_requests else collections.Counter()
            assert rows == ROWS, (who, rows)
            times[who].append(seconds)
            reqs[who].append(sum(counted.values()))
            row[who] = (seconds, counted)
        print(f"{r + 1:>5} {order[0]:>8} {row['ours'][0]:>8.3f} {row['delta-rs'][0]:>10.3f} "
              f"{fmt(row['ours'][1]) if server.counts_requests else '-':>14} "
              f"{fmt(row['delta-rs'][1]) if server.counts_requests else '-':>16}")
    t_ours, t_rs = statistics.median(times["ours"]), statistics.median(times["delta-rs"])
    print(f"median scan: ours {t_ours:.3f} s, delta-rs {t_rs:.3f} s, delta-rs/ours = {t_rs / t_ours:.2f}x")
    if server.counts_requests:
        r_ours, r_rs = statistics.median(reqs["ours"]), statistics.median(reqs["delta-rs"])
        print(f"median requests: ours {r_ours:g}, delta-rs {r_rs:g} (ours/delta-rs = {r_ours / r_rs:.2f})")
    local = work / f"local-commits-{server.name}"
    s3_ms = commits(f"s3://{BUCKET}/commits/t", env)
    local_ms = commits(str(local), env)
    print(f"commit latency ({COMMITS} 1-row appends, median): S3 ({server.name}) {s3_ms:.1f} ms, "
          f"local {local_ms:.1f} ms, S3/local = {s3_ms / local_ms:.1f}x")


def main():
    work = pathlib.Path(tempfile.mkdtemp(prefix="sl-bench-s3-"))
    try:
        servers = [lambda: Moto(work)]
        if os.environ.get("GOFAKES3"):
            servers.append(lambda: GoFakeS3(work, os.environ["GOFAKES3"]))
        for start in servers:
            server = start()
            try:
                bench_on(server, work)
            finally:
                server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
