"""The lake on S3-compatible object storage, against a real S3 server on loopback.

The server is moto in server mode (PyPI `moto[server]`): a pure-Python S3 implementation that
needs no container or JVM, serves ListObjectsV2 with continuation tokens and honours conditional
PUTs (`If-None-Match: *` → 412), which our commits rely on (checked first, below). It does not
verify signatures, so SigV4 itself is libcurl's (CURLOPT_AWS_SIGV4), not proven here.

Checked: every `lake` command on an s3:// table; delta-rs reading our S3 tables with the same rows
and us reading a table delta-rs wrote to the bucket; writers racing for the same versions (every
commit once, versions contiguous); the embedded chain (load → ingest → refresh → status) with
`lake.root = s3://bucket/prefix`.
"""
import collections
import concurrent.futures
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import boto3
import botocore.exceptions
import pyarrow as pa
import pytest
import requests
from deltalake import DeltaTable, write_deltalake

YEAR = 2025
BUCKET = "sl-lake"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3():
    moto = pathlib.Path(sys.executable).parent / "moto_server"
    if not moto.exists():
        pytest.skip("moto[server] is not installed (requirements-test.txt)")
    port = free_port()
    proc = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(endpoint, timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing-secret",
                   AWS_REGION="us-east-1", AWS_ENDPOINT_URL=endpoint)
        env.pop("AWS_SESSION_TOKEN", None)
        # CreateBucket through moto's own API (no signing needed by moto).
        assert requests.put(f"{endpoint}/{BUCKET}", timeout=10).status_code == 200
        yield endpoint, env
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def storage_options(endpoint):
    return {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing-secret", "AWS_REGION": "us-east-1",
            "AWS_ALLOW_HTTP": "true", "AWS_S3_ALLOW_UNSAFE_RENAME": "true"}


@pytest.fixture(scope="module")
def sportlake(build_dir, s3):
    binary = build_dir / "src" / "cli" / "sportlake"
    if not binary.exists():
        pytest.skip("sportlake binary not built")
    _, env = s3
    home = tempfile.mkdtemp(prefix="sl-s3-home-")
    env = dict(env, SPORTLAKE_HOME=home, SPORTLAKE_LOG_LEVEL="warn")

    def run(*args, check=True, extra_env=None):
        proc = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True,
                              timeout=300, env=dict(env, **(extra_env or {})))
        if check and proc.returncode != 0:
            raise AssertionError(f"sportlake {' '.join(map(str, args))} failed: {proc.stderr}")
        return proc

    yield run
    shutil.rmtree(home, ignore_errors=True)


def write_csv(path, first_id, n):
    lines = ["id,name,day,amount"]
    for i in range(first_id, first_id + n):
        lines.append(f"{i},nom-{i}-é,2025-01-0{1 + i % 3},{i * 1.25}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def scan_rows(sportlake, table, *args):
    return [json.loads(line) for line in sportlake("lake", "scan", table, "--json", *args).stdout.splitlines()]


def test_server_honours_conditional_put(s3):
    """What the commits rely on: a second `If-None-Match: *` PUT of a key is refused (412)."""
    endpoint, _ = s3
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing-secret")
    key = "probe/_delta_log/00000000000000000000.json"
    client.put_object(Bucket=BUCKET, Key=key, Body=b"first", IfNoneMatch="*")
    with pytest.raises(botocore.exceptions.ClientError) as lost:
        client.put_object(Bucket=BUCKET, Key=key, Body=b"second", IfNoneMatch="*")
    assert lost.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert client.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"first"


def test_lake_commands_on_s3_and_delta_rs_reads_them(sportlake, s3, tmp_path):
    endpoint, _ = s3
    table = f"s3://{BUCKET}/cmds/events"
    sportlake("lake", "import", table, write_csv(tmp_path / "a.csv", 0, 50), "--partition-by", "day")
    sportlake("lake", "import", table, write_csv(tmp_path / "b.csv", 50, 30))
    rows = scan_rows(sportlake, table)
    assert sorted(r["id"] for r in rows) == list(range(80))
    assert scan_rows(sportlake, table, "--where", "id<10", "--columns", "id,name")[0].keys() == {"id", "name"}
    assert "2025-01-02" in sportlake("lake", "scan", table, "--where", "day=2025-01-02", "--csv").stdout

    history = sportlake("lake", "history", table, "--json").stdout.splitlines()
    assert [json.loads(h)["version"] for h in history] == [1, 0]
    assert "day date (partition)" in sportlake("lake", "schema", table).stdout
    listed = sportlake("lake", "ls", f"s3://{BUCKET}/cmds").stdout
    assert "events" in listed and " 80 " in listed

    # delta-rs reads the same rows, partition values decoded from our keys (day=2025-01-01/...).
    theirs = DeltaTable(table, storage_options=storage_options(endpoint))
    assert theirs.version() == 1
    assert sorted(theirs.to_pyarrow_table().column("id").to_pylist()) == list(range(80))

    # Time travel reads the log from the bucket too.
    assert len(scan_rows(sportlake, table, "--version", "0")) == 50

    # Maintenance on the object store: compaction, checkpoint, vacuum, check.
    out = sportlake("lake", "optimize", table).stdout
    assert out.startswith("version 2:")
    assert sportlake("lake", "checkpoint", table).stdout.startswith("checkpoint at version 2")
    assert "deleted" in sportlake("lake", "vacuum", table, "--retention-hours", "0", "--force").stdout
    assert ": clean" in sportlake("lake", "check", table).stdout
    assert sorted(r["id"] for r in scan_rows(sportlake, table)) == list(range(80))
    theirs = DeltaTable(table, storage_options=storage_options(endpoint))
    assert theirs.version() == 2
    assert sorted(theirs.to_pyarrow_table().column("id").to_pylist()) == list(range(80))


def test_we_read_a_table_delta_rs_wrote_to_the_bucket(sportlake, s3):
    endpoint, _ = s3
    table = f"s3://{BUCKET}/theirs/t"
    data = pa.table({"id": pa.array(range(20), pa.int64()), "label": [f"x{i}" for i in range(20)],
                     "part": ["a" if i % 2 else "b" for i in range(20)]})
    write_deltalake(table, data, partition_by=["part"], storage_options=storage_options(endpoint))
    write_deltalake(table, data.slice(0, 5), mode="append", storage_options=storage_options(endpoint))
    rows = scan_rows(sportlake, table)
    assert len(rows) == 25
    assert sorted((r["id"], r["part"]) for r in rows)[:2] == [(0, "b"), (0, "b")]


def test_missing_table_and_bad_uri_are_clear_errors(sportlake):
    missing = sportlake("lake", "history", f"s3://{BUCKET}/nothing/here", check=False)
    assert missing.returncode != 0 and f"s3://{BUCKET}/nothing/here" in missing.stderr
    bad = sportlake("lake", "scan", "s3://UPPER/x", check=False)
    assert bad.returncode != 0 and "bucket names" in bad.stderr
    # Secrets never appear in messages.
    assert "testing-secret" not in missing.stderr + bad.stderr


def test_racing_writers_commit_every_change_once(sportlake, tmp_path):
    """Six processes append to one new table at once: each commit is a conditional PUT of the
    next `_delta_log/N.json`; the losers of a version see 412 and retry on the next one."""
    table = f"s3://{BUCKET}/race/t"
    files = [write_csv(tmp_path / f"w{i}.csv", i * 100, 10) for i in range(6)]
    sportlake("lake", "import", table, write_csv(tmp_path / "seed.csv", 1000, 1))
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        outs = list(pool.map(lambda f: sportlake("lake", "import", table, f).stdout, files))
    versions = sorted(int(o.split(":")[0].split()[1]) for o in outs)
    assert versions == [1, 2, 3, 4, 5, 6]  # every writer got its own version, none lost
    history = [json.loads(h)["version"] for h in
               sportlake("lake", "history", table, "--json").stdout.splitlines()]
    assert history == list(range(6, -1, -1))
    ids = sorted(r["id"] for r in scan_rows(sportlake, table))
    assert ids == sorted([1000] + [i * 100 + k for i in range(6) for k in range(10)])


@pytest.fixture(scope="module")
def embedded_on_s3(build_dir, s3):
    """The embedded chain with the lake in the bucket: PostgreSQL stays local, the lake does not."""
    _, env = s3
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-s3-chain-"))
    os.chmod(base, 0o755)
    root = f"s3://{BUCKET}/chain/lake"
    e = dict(env, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="warn",
             SPORTLAKE_LAKE_ROOT=root)
    e.pop("API_KEY_MAPS", None)
    binary = str(build_dir / "src" / "cli" / "sportlake")

    def run(*args):
        done = subprocess.run([binary, *args], env=e, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{args}: {done.stderr}"
        return done.stdout

    run.env, run.binary = e, binary

    run("db", "start")
    try:
        run("load")
        run("simulate", "--backfill-months", "12", "--as-of", f"{YEAR}-12-31", "--seed", "11")
        run("distances")
        run("ingest", "--idle-exit", "1")
        yield run, root, base
    finally:
        subprocess.run([binary, "db", "stop"], env=e, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_ingest_refresh_status_with_the_lake_on_s3(embedded_on_s3, s3):
    run, root, base = embedded_on_s3
    endpoint, _ = s3
    k = json.loads(run("refresh", "--year", str(YEAR), "--json"))
    assert k["employees"] == 161 and k["sporty_commuters"] == 68 and k["eligible_bonus"] == 68
    # Nothing of the lake was written locally.
    assert not (base / "home" / "delta").exists()
    prime = DeltaTable(f"{root}/gold/prime_sportive", storage_options=storage_options(endpoint))
    rows = prime.to_pyarrow_table().to_pylist()
    assert len(rows) == 161 and sum(r["eligible"] for r in rows) == 68
    employees = DeltaTable(f"{root}/bronze/rh_employees", storage_options=storage_options(endpoint))
    assert employees.to_pyarrow_table().num_rows >= 161
    status = run("status")
    assert root in status and "rh_employees" in status
    listed = run("lake", "ls")
    assert "gold/prime_sportive" in listed and "bronze/rh_employees" in listed
    # The dashboard's API reads Gold from the bucket.
    server = subprocess.Popen([run.binary, "serve", "--no-auth", "--listen", "127.0.0.1:0"],
                              env=run.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = server.stdout.readline()
        assert first.startswith("dashboard: http://"), first
        url = first.split()[1].rstrip("/")
        years = requests.get(f"{url}/api/years", timeout=30)
        assert years.status_code == 200 and years.json() == [YEAR]
        prime = requests.get(f"{url}/api/prime_sportive?year={YEAR}", timeout=30)
        assert prime.status_code == 200 and len(prime.json()) == 161
    finally:
        server.terminate()
        server.communicate(timeout=30)
    # Ingest again: nothing new, nothing duplicated (the Delta txn read back from the bucket).
    before = employees.to_pyarrow_table().num_rows
    run("ingest", "--idle-exit", "1")
    employees = DeltaTable(f"{root}/bronze/rh_employees", storage_options=storage_options(endpoint))
    assert employees.to_pyarrow_table().num_rows == before


class FaultyProxy:
    """An HTTP proxy in front of moto that injects faults by rule: answer 503 SlowDown / 500,
    close the connection before forwarding, or forward and then close without answering (the
    request took effect, its reply is lost). `rules` is a list of dicts
    {method, contains, action, times}; `hits` counts the faults injected."""

    def __init__(self, upstream):
        import http.client
        import http.server
        import threading
        self.rules, self.hits, self.requests, self.ranges, self.sent = [], 0, [], [], []
        self.authorizations = []  # the Authorization header of each request
        self.strip_if_none_match = False  # act as a store that ignores conditional PUTs
        self.list_page_size = None  # answer listings in pages of this many keys
        host, port = upstream.split("//")[1].split(":")
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.requests.append((self.command, self.path))
                proxy.ranges.append(self.headers.get("Range"))
                proxy.authorizations.append(self.headers.get("Authorization") or "")
                action = proxy.take(self.command, self.path)
                if action == "drop_before":
                    self.close_connection = True
                    return
                if action in ("503", "500"):
                    code = "SlowDown" if action == "503" else "InternalError"
                    reply = f"<Error><Code>{code}</Code><Message>injected</Message></Error>".encode()
                    self.send_response(int(action))
                    self.send_header("Content-Length", str(len(reply)))
                    self.end_headers()
                    self.wfile.write(reply)
                    return
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
                dropped = ("connection", "if-none-match") if proxy.strip_if_none_match else ("connection",)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in dropped}
                path = self.path
                if proxy.list_page_size and "list-type=2" in path:
                    path += f"&max-keys={proxy.list_page_size}"
                conn.request(self.command, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                conn.close()
                if action == "drop_after":
                    self.close_connection = True
                    return
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("connection", "transfer-encoding", "content-length", "server", "date"):
                        self.send_header(k, v)
                length = resp.getheader("Content-Length") if self.command == "HEAD" else str(len(data))
                self.send_header("Content-Length", length or "0")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                    proxy.sent.append((self.command, self.path, len(data)))

            do_GET = do_PUT = do_HEAD = do_DELETE = do_POST = handle_any

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def take(self, method, path):
        for rule in self.rules:
            if rule["times"] > 0 and rule["method"] == method and rule["contains"] in path:
                rule["times"] -= 1
                self.hits += 1
                return rule["action"]
        return None

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def faulty(s3):
    endpoint, _ = s3
    proxy = FaultyProxy(endpoint)
    yield proxy
    proxy.close()


def test_retries_on_throttling_errors_and_dropped_connections(sportlake, faulty, tmp_path):
    table = f"s3://{BUCKET}/faults/retried"
    on_proxy = {"AWS_ENDPOINT_URL": faulty.endpoint}
    faulty.rules = [
        {"method": "GET", "contains": "list-type=2", "action": "503", "times": 2},
        {"method": "PUT", "contains": ".parquet", "action": "drop_before", "times": 1},
        {"method": "PUT", "contains": ".parquet", "action": "500", "times": 1},
        {"method": "PUT", "contains": "_delta_log/", "action": "503", "times": 1},
    ]
    out = sportlake("lake", "import", table, write_csv(tmp_path / "a.csv", 0, 40), extra_env=on_proxy).stdout
    assert out.startswith("version 0: 40 rows")
    assert faulty.hits == 5
    faulty.rules = [{"method": "GET", "contains": ".parquet", "action": "drop_before", "times": 1},
                    {"method": "GET", "contains": "_delta_log/", "action": "500", "times": 1}]
    rows = [json.loads(line) for line in
            sportlake("lake", "scan", table, "--json", extra_env=on_proxy).stdout.splitlines()]
    assert sorted(r["id"] for r in rows) == list(range(40)) and faulty.hits == 7


def test_a_commit_whose_reply_is_lost_is_not_committed_twice(sportlake, faulty, tmp_path):
    """The commit PUT reaches the store but the connection drops before the reply: the retry
    gets 412, reads the object back, recognises its own commit: one version, rows once."""
    table = f"s3://{BUCKET}/faults/lost-reply"
    on_proxy = {"AWS_ENDPOINT_URL": faulty.endpoint}
    sportlake("lake", "import", table, write_csv(tmp_path / "a.csv", 0, 10), extra_env=on_proxy)
    faulty.rules = [{"method": "PUT", "contains": "_delta_log/00000000000000000001.json",
                     "action": "drop_after", "times": 1}]
    out = sportlake("lake", "import", table, write_csv(tmp_path / "b.csv", 10, 10), extra_env=on_proxy).stdout
    assert faulty.hits == 1
    assert out.startswith("version 1: 10 rows")
    history = [json.loads(h)["version"] for h in
               sportlake("lake", "history", table, "--json").stdout.splitlines()]
    assert history == [1, 0]
    assert sorted(r["id"] for r in scan_rows(sportlake, table)) == list(range(20))


def test_a_store_that_keeps_failing_fails_the_write_cleanly(sportlake, faulty, tmp_path):
    """Every commit PUT answered 503: the import fails as unavailable, naming the object and
    never a secret, and no commit becomes visible."""
    table = f"s3://{BUCKET}/faults/down"
    on_proxy = {"AWS_ENDPOINT_URL": faulty.endpoint}
    faulty.rules = [{"method": "PUT", "contains": "_delta_log/", "action": "503", "times": 1000}]
    failed = sportlake("lake", "import", table, write_csv(tmp_path / "a.csv", 0, 5), check=False,
                       extra_env=on_proxy)
    assert failed.returncode != 0
    assert "SlowDown" in failed.stderr and "_delta_log/00000000000000000000.json" in failed.stderr
    assert "testing-secret" not in failed.stderr
    missing = sportlake("lake", "history", table, check=False)
    assert missing.returncode != 0


def test_a_store_ignoring_conditional_puts_is_refused_unless_single_writer(sportlake, faulty, tmp_path):
    """Never a silent last-writer-wins: the first commit of a process probes the store; one that
    ignores If-None-Match is refused with a clear error naming the single-writer option."""
    table = f"s3://{BUCKET}/faults/no-condition"
    on_proxy = {"AWS_ENDPOINT_URL": faulty.endpoint}
    faulty.strip_if_none_match = True
    refused = sportlake("lake", "import", table, write_csv(tmp_path / "a.csv", 0, 5), check=False,
                        extra_env=on_proxy)
    assert refused.returncode != 0
    assert "does not honour conditional PUTs" in refused.stderr
    assert "SPORTLAKE_S3_SINGLE_WRITER=true" in refused.stderr
    assert sportlake("lake", "history", table, check=False).returncode != 0  # nothing committed
    out = sportlake("lake", "import", table, write_csv(tmp_path / "a.csv", 0, 5),
                    extra_env=dict(on_proxy, SPORTLAKE_S3_SINGLE_WRITER="true")).stdout
    assert out.startswith("version 0: 5 rows")
    assert sorted(r["id"] for r in scan_rows(sportlake, table)) == list(range(5))


def big_csv(path, rows):
    import random
    rng = random.Random(7)
    lines = ["id,blob"] + [f"{i},{rng.getrandbits(256):064x}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_large_files_go_up_in_parts_retried_one_by_one(sportlake, faulty, s3, tmp_path):
    endpoint, _ = s3
    table = f"s3://{BUCKET}/multipart/t"
    on_proxy = {"AWS_ENDPOINT_URL": faulty.endpoint, "SPORTLAKE_S3_MULTIPART_MB": "5"}
    faulty.rules = [{"method": "PUT", "contains": "partNumber=2&", "action": "drop_before", "times": 1}]
    out = sportlake("lake", "import", table, big_csv(tmp_path / "big.csv", 150_000), extra_env=on_proxy).stdout
    assert out.startswith("version 0: 150000 rows") and faulty.hits == 1
    parts = {p for m, p in faulty.requests if m == "PUT" and "partNumber=" in p}
    assert len(parts) >= 2  # the ~10 MB file went up in 5 MiB parts (part 2 twice: retried)
    theirs = DeltaTable(table, storage_options=storage_options(endpoint)).to_pyarrow_table()
    assert theirs.num_rows == 150_000 and sorted(theirs.column("id").to_pylist()) == list(range(150_000))


def test_a_failed_multipart_upload_leaves_nothing_visible(sportlake, faulty, s3, tmp_path):
    endpoint, _ = s3
    table = f"s3://{BUCKET}/multipart/failed"
    on_proxy = {"AWS_ENDPOINT_URL": faulty.endpoint, "SPORTLAKE_S3_MULTIPART_MB": "5"}
    faulty.rules = [{"method": "POST", "contains": "uploadId=", "action": "500", "times": 1000}]
    failed = sportlake("lake", "import", table, big_csv(tmp_path / "big.csv", 150_000), check=False,
                       extra_env=on_proxy)
    assert failed.returncode != 0 and "InternalError" in failed.stderr
    # The upload was aborted: no object, no pending upload, no commit.
    assert any(m == "DELETE" and "uploadId=" in p for m, p in faulty.requests)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing-secret")
    assert client.list_objects_v2(Bucket=BUCKET, Prefix="multipart/failed/").get("KeyCount") == 0
    assert not client.list_multipart_uploads(Bucket=BUCKET, Prefix="multipart/failed/").get("Uploads")


def test_listings_follow_continuation_tokens(sportlake, faulty, tmp_path):
    """Listings answered two keys at a time: the log, the lake's tables and vacuum's file walk
    still see every key (ListObjectsV2 continuation tokens, and start-after from a checkpoint)."""
    table = f"s3://{BUCKET}/paged/t"
    on_proxy = {"AWS_ENDPOINT_URL": faulty.endpoint}
    for i in range(12):  # a checkpoint at version 10, then two more commits
        sportlake("lake", "import", table, write_csv(tmp_path / f"{i}.csv", i * 10, 10), extra_env=on_proxy)
    faulty.list_page_size = 2
    faulty.requests.clear()
    rows = [json.loads(line) for line in
            sportlake("lake", "scan", table, "--json", extra_env=on_proxy).stdout.splitlines()]
    assert sorted(r["id"] for r in rows) == list(range(120))
    pages = [p for m, p in faulty.requests if m == "GET" and "list-type=2" in p]
    assert any("continuation-token=" in p for p in pages) and any("start-after=" in p for p in pages)
    history = sportlake("lake", "history", table, "--json", extra_env=on_proxy).stdout.splitlines()
    assert [json.loads(h)["version"] for h in history] == list(range(11, -1, -1))
    listed = sportlake("lake", "ls", f"s3://{BUCKET}/paged", extra_env=on_proxy).stdout
    assert " 120 " in listed
    paged = sportlake("lake", "vacuum", table, "--dry-run", extra_env=on_proxy).stdout
    faulty.list_page_size = None
    assert paged == sportlake("lake", "vacuum", table, "--dry-run", extra_env=on_proxy).stdout
    assert paged.startswith("0 files to delete")


def test_a_projection_fetches_the_footer_and_its_columns_only(sportlake, faulty, s3, tmp_path):
    """Scanning one narrow column of a wide file: ranged GETs for the footer and that column's
    chunks, not the whole file; the rows are the same as delta-rs reads."""
    endpoint, _ = s3
    table = f"s3://{BUCKET}/ranged/t"
    on_proxy = {"AWS_ENDPOINT_URL": faulty.endpoint}
    sportlake("lake", "import", table, big_csv(tmp_path / "big.csv", 150_000))
    dt = DeltaTable(table, storage_options=storage_options(endpoint))
    size = sum(a["size_bytes"] for a in dt.get_add_actions(flatten=True).to_pylist())
    rows = [json.loads(line) for line in sportlake("lake", "scan", table, "--columns", "id", "--json",
                                                   extra_env=on_proxy).stdout.splitlines()]
    assert sorted(r["id"] for r in rows) == list(range(150_000))
    data_gets = [(p, n) for m, p, n in faulty.sent if m == "GET" and p.endswith(".parquet")]
    fetched = sum(n for _, n in data_gets)
    assert fetched < size / 3, (fetched, size)  # the blob column (most of the file) is not fetched
    assert all(r for r, (m, p) in zip(faulty.ranges, faulty.requests) if m == "GET" and p.endswith(".parquet"))
    # The whole row still reads right through ranges (every column projected).
    full = [json.loads(line) for line in sportlake("lake", "scan", table, "--json", "--limit", "3",
                                                   extra_env=on_proxy).stdout.splitlines()]
    expected = dt.to_pyarrow_table().sort_by("id").slice(0, 3).to_pylist()
    assert sorted(full, key=lambda r: r["id"]) == sorted(expected, key=lambda r: r["id"])


def test_client_settings_from_the_settings_file_and_the_aws_profile_files(build_dir, faulty, tmp_path):
    """lake.s3.* in the settings file (endpoint, path style, profile) and the named profile's keys
    and region from AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE: the requests are signed with
    that key id for that region; `config` never prints a secret; a missing profile is named."""
    binary = str(build_dir / "src" / "cli" / "sportlake")
    (tmp_path / "credentials").write_text(
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret-x\n\n"
        "[lake]\naws_access_key_id = AKIDPROFILELAKE\naws_secret_access_key = profile-secret-y\n")
    (tmp_path / "config").write_text("[profile lake]\nregion = eu-west-3\n")
    toml = tmp_path / "sportlake.toml"
    toml.write_text(f'[lake.s3]\nendpoint = "{faulty.endpoint}"\npath_style = true\nprofile = "lake"\n'
                    f'session_token = "file-token-z"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(SPORTLAKE_HOME=str(tmp_path / "home"), SPORTLAKE_LOG_LEVEL="warn",
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
               AWS_CONFIG_FILE=str(tmp_path / "config"))

    def run(*args, extra=None):
        return subprocess.run([binary, "--config", str(toml), *map(str, args)], capture_output=True,
                              text=True, timeout=120, env=dict(env, **(extra or {})))

    table = f"s3://{BUCKET}/settings/t"
    done = run("lake", "import", table, write_csv(tmp_path / "a.csv", 0, 5))
    assert done.returncode == 0, done.stderr
    signed = [a for a in faulty.authorizations if a]
    assert signed and all("Credential=AKIDPROFILELAKE/" in a and "/eu-west-3/s3/aws4_request" in a
                          for a in signed), signed[:2]
    rows = run("lake", "scan", table, "--json")
    assert rows.returncode == 0 and len(rows.stdout.splitlines()) == 5, rows.stderr
    # The environment overrides the file, as for every key: AWS_PROFILE=default picks the other keys.
    faulty.authorizations.clear()
    assert run("lake", "ls", table, extra={"AWS_PROFILE": "default"}).returncode == 0
    assert all("Credential=AKIDDEFAULT/" in a for a in faulty.authorizations if a)
    # Secrets are masked by `config`, wherever they come from.
    shown = run("config", extra={"AWS_SECRET_ACCESS_KEY": "env-secret-w", "AWS_ACCESS_KEY_ID": "AKIDENV"})
    assert shown.returncode == 0, shown.stderr
    lines = {line.split()[0]: line for line in shown.stdout.splitlines() if line.startswith("lake.s3.")}
    assert "lake" in lines["lake.s3.profile"] and faulty.endpoint in lines["lake.s3.endpoint"]
    for key in ("lake.s3.secret_access_key", "lake.s3.session_token", "lake.s3.access_key_id"):
        assert "********" in lines[key], lines[key]
    for secret in ("env-secret-w", "file-token-z", "profile-secret-y", "default-secret-x", "AKIDENV"):
        assert secret not in shown.stdout + shown.stderr
    # A named profile that exists nowhere: a clear error, no request with someone else's keys.
    missing = run("lake", "ls", table, extra={"AWS_PROFILE": "nope"})
    assert missing.returncode != 0 and "'nope'" in missing.stderr, missing.stderr
    assert "profile-secret-y" not in missing.stderr


def test_two_ingests_with_separate_homes_share_the_bronze_tables(build_dir, s3):
    """Two sites (two homes, two source databases, two slot prefixes) ingest into the same S3
    Bronze tables at once: every change of each source lands once, the versions of each table
    are contiguous, and both applications' txn watermarks are in the log."""
    endpoint, env = s3
    binary = str(build_dir / "src" / "cli" / "sportlake")
    root = f"s3://{BUCKET}/two-sites/lake"
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-s3-sites-"))
    os.chmod(base, 0o755)  # the embedded clusters run as postgres
    sites = {}
    for name, seed in (("site_a", 21), ("site_b", 22)):
        e = dict(env, SPORTLAKE_HOME=str(base / name), SPORTLAKE_LOG_LEVEL="warn",
                 SPORTLAKE_LAKE_ROOT=root, SPORTLAKE_CDC_SLOT=name)
        e.pop("API_KEY_MAPS", None)
        sites[name] = (e, seed)

    def run(e, *args):
        done = subprocess.run([binary, *map(str, args)], env=e, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{args}: {done.stderr}"
        return done.stdout

    started = []
    try:
        for e, seed in sites.values():
            run(e, "db", "start")
            started.append(e)
            run(e, "load")
            run(e, "simulate", "--count", "60", "--rate", "1000", "--seed", seed)
        # Both ingests at once, twice (the second round after more changes in both sources).
        for round_no in range(2):
            if round_no == 1:
                for e, seed in sites.values():
                    run(e, "simulate", "--count", "40", "--rate", "1000", "--seed", seed + 100)
            procs = [subprocess.Popen([binary, "ingest", "--idle-exit", "1"], env=e,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for e, _ in sites.values()]
            for p in procs:
                out, err = p.communicate(timeout=300)
                assert p.returncode == 0, err
        source_rows = []
        for e, _ in sites.values():
            out = run(e, "db", "psql", "--", "-XAtc",
                      "SELECT activity_id, distance_m, moving_time_s FROM strava_activities")
            for line in out.splitlines():
                a, d, m = line.split("|")
                source_rows.append((int(a), float(d) if d else None, int(m) if m else None))
        opts = storage_options(endpoint)
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id="testing", aws_secret_access_key="testing-secret")
        for table, check_rows in (("strava_activities", True), ("rh_employees", False)):
            dt = DeltaTable(f"{root}/bronze/{table}", storage_options=opts)
            versions = sorted(h["version"] for h in dt.history())
            assert versions == list(range(dt.version() + 1))  # contiguous, none lost
            ours = [json.loads(h)["version"] for h in
                    run(sites["site_a"][0], "lake", "history", f"{root}/bronze/{table}", "--json").splitlines()]
            assert ours == versions[::-1]
            # Both sites' watermarks are in the log: each committed under its own application id.
            apps = set()
            for v in versions:
                key = f"two-sites/lake/bronze/{table}/_delta_log/{v:020d}.json"
                text = client.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode()
                for line in text.splitlines():
                    action = json.loads(line)
                    if "txn" in action:
                        apps.add(action["txn"]["appId"])
            assert apps == {"sportlake-bronze:site_a_bronze", "sportlake-bronze:site_b_bronze"}, apps
            if check_rows:
                bronze = dt.to_pyarrow_table(columns=["activity_id", "distance_m", "moving_time_s"])
                landed = collections.Counter(tuple(r.values()) for r in bronze.to_pylist())
                assert len(source_rows) >= 2 * 100  # both sites' 60 + 40 simulated activities
                assert landed == collections.Counter(source_rows)  # every change once
            else:
                ids = collections.Counter(dt.to_pyarrow_table(columns=["id"]).column("id").to_pylist())
                assert len(ids) == 161 and set(ids.values()) == {2}  # each site's 161 employees once
    finally:
        for e in started:
            subprocess.run([binary, "db", "stop"], env=e, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
