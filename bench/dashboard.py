"""Benchmark (issue 17): the overview page under load with a large Gold. EMPLOYEES employees
(default 100,000: the sample's 161 copied, with their addresses so `sportlake distances` finds
them in its cache) and ACTIVITIES activities (default 1,000,000 — the page reads Gold only, whose
size follows the employees, not the activities: activity_monthly is 12 months × sports), refreshed
for YEAR-1 and YEAR by our own pipeline (load, distances, ingest, refresh --no-publish). Then
`sportlake serve --no-auth` on loopback (hr's page: charts and the employees' table) and CLIENTS
(default 50) concurrent keep-alive clients (one process each), SECONDS each on:
  - the overview `/?year=YEAR` (first page of the employees' table, sorted by name),
  - page 7 sorted by bonus descending,
  - a search (`q=`),
  - the viewer-sized API `/api/kpi_by_bu`,
  - the employee page `/employee/<id>?year=YEAR`, each client asking for employees drawn at
    random among all of them (most are asked for the first time: the page is rendered, not
    served from the cache).
Then the employee page again while a new version of Silver `activities` appears 1 s into the
run (an empty commit: commitInfo only, no data change, as a refresh's new version looks to the
server): the server decodes and indexes the table's new version (0.9–2.1 s at 1M activities),
and the answers cached under the old versions are dropped. The kept lake (KEEP_LAKE) gets one
such commit per measured server.
Waits for /readyz (the employee indexes are built at start) and prints how long that took.
Prints p50/p95/p99/max latency (client-measured on loopback) and requests/s per route, the
server-side p50/p99 of the same requests from the server's own histogram
(`sportlake_http_request_duration_seconds`, /metrics: from the complete request head to the
answer written, the wait for a worker included; interpolated within its buckets as Prometheus'
histogram_quantile does), the server's RSS (now and peak, /proc) and its employee indexes'
gauges (rows, memory, disk) at the end, and the overview's page weight (bytes of HTML: the page is
self-contained, no other resource). The 50 Python clients share the server's cores: what they
measure includes their own scheduling; the server's histogram does not."""
import http.client
import json
import multiprocessing
import os
import pathlib
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
SPORTLAKE = os.environ.get("SPORTLAKE", str(ROOT / "build" / "release" / "src" / "cli" / "sportlake"))
EMPLOYEES = int(os.environ.get("EMPLOYEES", "100000"))
ACTIVITIES = int(os.environ.get("ACTIVITIES", "1000000"))
CLIENTS = int(os.environ.get("CLIENTS", "50"))
SECONDS = float(os.environ.get("SECONDS", "10"))
YEAR = 2025
PEER = os.environ.get("PEER")  # another build's sportlake, measured in the same run
ROUNDS = int(os.environ.get("ROUNDS", "2" if PEER else "1"))


def client(args):
    host, port, path, seconds, index, *timeout = args
    ids = None
    if isinstance(path, list):  # employee ids: one page each, drawn at random
        ids, rng = path, random.Random(index)
    # The server allows 16 connections per address: clients come from 127.0.0.10, .11, ...
    source = (f"127.0.0.{10 + index // 12}", 0)
    conn = http.client.HTTPConnection(host, port, timeout=timeout[0] if timeout else 30,
                                      source_address=source)
    latencies, size = [], 0
    end = time.perf_counter() + seconds
    while not latencies or time.perf_counter() < end:
        if ids:
            path = f"/employee/{rng.choice(ids)}?year={YEAR}"
        t0 = time.perf_counter()
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        latencies.append(time.perf_counter() - t0)
        assert r.status == 200, (r.status, body[:200])
        size = len(body)
    conn.close()
    return latencies, size


def metrics_text(host, port):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    return text


def server_histogram(host, port):
    """{route: [(le, cumulative count)]} of sportlake_http_request_duration_seconds."""
    text = metrics_text(host, port)
    out = {}
    for line in text.splitlines():
        if not line.startswith("sportlake_http_request_duration_seconds_bucket{"):
            continue
        labels, value = line[line.index("{") + 1:].rsplit("} ", 1)
        fields = dict(kv.split("=", 1) for kv in labels.split(","))
        le = fields["le"].strip('"')
        out.setdefault(fields["route"].strip('"'), []).append(
            (float("inf") if le == "+Inf" else float(le), float(value)))
    return out


def quantile(q, before, after):
    """histogram_quantile(q) of the requests between two scrapes (linear within a bucket)."""
    if not after:  # a server without the histogram (an older build)
        return float("nan")
    b = dict(before)
    buckets = [(le, n - b.get(le, 0)) for le, n in sorted(after)]
    total = buckets[-1][1]
    if total == 0:
        return float("nan")
    rank, lower, below = q * total, 0.0, 0.0
    for le, n in buckets:
        if n >= rank:
            if le == float("inf"):
                return lower * 1000
            return (lower + (le - lower) * (rank - below) / max(n - below, 1e-9)) * 1000
        lower, below = le, n
    return lower * 1000


def load(host, port, path, clients=CLIENTS, route="/"):
    before = server_histogram(host, port).get(route, [])
    with multiprocessing.Pool(clients) as pool:
        t0 = time.perf_counter()
        results = pool.map(client, [(host, port, path, SECONDS, i) for i in range(clients)], chunksize=1)
        elapsed = time.perf_counter() - t0
    after = server_histogram(host, port).get(route, [])
    latencies = sorted(l for ls, _ in results for l in ls)
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    name = f"/employee/<random id>?year={YEAR}" if isinstance(path, list) else path
    server_p50, server_p95, server_p99 = (quantile(q, before, after) for q in (0.5, 0.95, 0.99))
    print(f"{clients:>2} × {name:<52} n={len(latencies):>6} {len(latencies) / elapsed:>7.0f} req/s  "
          f"client p50 {p(0.5):6.1f} p95 {p(0.95):6.1f} p99 {p(0.99):6.1f} max {latencies[-1] * 1000:6.1f} ms | "
          f"server p50 {server_p50:6.2f} p95 {server_p95:6.2f} p99 {server_p99:6.2f} ms  {results[0][1]:>7} B",
          flush=True)
    return p(0.99), server_p99, results[0][1]


def measure(binary, env, ids, label):
    """One server of `binary` on the lake, the routes under load."""
    server = subprocess.Popen([binary, "serve", "--no-auth", "--listen", "127.0.0.1:0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().split()[1].rstrip("/")
        host, port = url.removeprefix("http://").rsplit(":", 1)
        port = int(port)
        print(f"--- {label}: {binary}", flush=True)
        print(f"ready (/readyz: employee indexes built at start) after {wait_ready(host, port):.0f} ms; "
              f"server RSS {rss(server.pid)}", flush=True)
        # Warm: the first request decodes Gold (then cached per Delta version).
        t0 = time.perf_counter()
        client((host, port, f"/?year={YEAR}", 0, 0, 600))
        print(f"first overview request (Gold decoded): {(time.perf_counter() - t0) * 1000:.0f} ms")
        t0 = time.perf_counter()
        client((host, port, f"/employee/{ids[0]}?year={YEAR}", 0, 0, 600))  # an index built then
        print(f"first employee page (Silver and Gold read): {(time.perf_counter() - t0) * 1000:.0f} ms")
        # One client: the server's own time per page (no queueing behind other requests).
        load(host, port, f"/?year={YEAR}", clients=1)
        load(host, port, f"/?year={YEAR}&q=finance&page=3", clients=1)
        load(host, port, ids, clients=1, route="/employee/{id}")
        print(f"{CLIENTS} concurrent keep-alive clients, {SECONDS:.0f} s per route:")
        perf = None
        if os.environ.get("PERF"):  # where the server's time goes: perf report -i PERF
            perf = subprocess.Popen(["perf", "record", "-g", "-o", os.environ["PERF"], "-p", str(server.pid)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        p99, server_p99, weight = load(host, port, f"/?year={YEAR}")
        if perf:
            perf.send_signal(2)
            perf.wait()
        load(host, port, f"/?year={YEAR}&sort=prime_eur&dir=desc&page=7")
        load(host, port, f"/?year={YEAR}&q=finance&page=3")
        load(host, port, f"/api/kpi_by_bu?year={YEAR}", route="/api/{table}")
        employee_p99_client, employee_p99, _ = load(host, port, ids, route="/employee/{id}")
        print("the same while a new version of silver/activities appears 1 s into the run:")
        log = pathlib.Path(env["SPORTLAKE_HOME"]) / "delta" / "silver" / "activities" / "_delta_log"
        committing = threading.Timer(1.0, empty_commit, [log])
        committing.start()
        new_version_p99_client, new_version_p99, _ = load(host, port, ids, route="/employee/{id}")
        committing.join()
        print(f"{label}: server RSS {rss(server.pid)}; employee index {index_gauges(host, port)}")
        print(f"{label}: overview p99 client {p99:.1f} ms, server {server_p99:.1f} ms; employee page "
              f"p99 client {employee_p99_client:.1f} ms, server {employee_p99:.1f} ms (target < 100 ms), "
              f"across a new version client {new_version_p99_client:.1f} ms, server {new_version_p99:.1f} ms; "
              f"overview page weight {weight / 1024:.1f} KB (target < 300 KB)", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_ready(host, port):
    """Milliseconds until /readyz answers 200 (a build without it: 404, ready at once)."""
    t0 = time.perf_counter()
    while True:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        conn.request("GET", "/readyz")
        status = conn.getresponse().status
        conn.close()
        if status != 503:
            return (time.perf_counter() - t0) * 1000
        time.sleep(0.05)


def rss(pid):
    """The process's resident set now and at its peak (VmRSS, VmHWM)."""
    fields = dict(line.split(":", 1) for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines())
    mb = lambda k: int(fields[k].split()[0]) / 1024
    return f"{mb('VmRSS'):.0f} MB, peak {mb('VmHWM'):.0f} MB"


def index_gauges(host, port):
    """The employee indexes' sportlake_serve_index_* gauges, summed over the tables."""
    text = metrics_text(host, port)
    sums = {}
    for line in text.splitlines():
        if line.startswith("sportlake_serve_index_") and not line.startswith("sportlake_serve_index_builds"):
            name, value = line.split("{", 1)[0], float(line.rsplit(" ", 1)[1])
            sums[name] = sums.get(name, 0) + value
    if not sums:
        return "(no gauges: an older build)"
    return ", ".join(f"{k.removeprefix('sportlake_serve_index_')} {v:,.0f}" for k, v in sorted(sums.items()))


def empty_commit(log):
    """The table's next version, changing nothing (Delta allows a commit of commitInfo alone)."""
    latest = max(int(f.name[:20]) for f in log.glob("*.json") if f.name[:20].isdigit())
    info = {"commitInfo": {"timestamp": int(time.time() * 1000), "operation": "BENCH NEW VERSION",
                           "operationParameters": {}, "readVersion": latest, "isBlindAppend": True}}
    with open(log / f"{latest + 1:020d}.json", "x") as f:  # never over a commit
        f.write(json.dumps(info) + "\n")


def setup(run):
    t0 = time.perf_counter()
    run("load")
    run("distances")
    run("db", "psql", "--", "-qXc", f"""
        INSERT INTO rh_employees (id, nom, prenom, date_naissance, date_embauche, business_unit,
          salaire_brut, contrat, nb_conges_payes, adresse_complete, moyen_deplacement)
        SELECT 1000000 + g, e.nom || ' ' || g, e.prenom, e.date_naissance, e.date_embauche,
          e.business_unit, e.salaire_brut + (g % 1000), e.contrat, e.nb_conges_payes,
          e.adresse_complete, e.moyen_deplacement
        FROM generate_series(1, {EMPLOYEES} - (SELECT count(*) FROM rh_employees)) g
        JOIN (SELECT *, row_number() OVER (ORDER BY id) - 1 AS n FROM rh_employees) e
          ON e.n = g % (SELECT count(*) FROM rh_employees)""")
    run("distances")  # every address is in the cache already
    run("db", "psql", "--", "-qXc", f"""
        INSERT INTO strava_activities (activity_id, employee_id, name, distance_m, moving_time_s,
          elapsed_time_s, total_elev_gain_m, type, sport_type, start_date_utc, start_date_local, timezone,
          utc_offset_s, calories, raw_payload)
        SELECT 30000000000 + g, e.ids[1 + (g::bigint * 7919) % array_length(e.ids, 1)], 'Séance',
          5000 + g % 5000, 1800, 1900, 10, s.t, s.t,
          timestamp '{YEAR - 1}-01-01' + make_interval(secs => (g * 61) % 63000000),
          timestamp '{YEAR - 1}-01-01' + make_interval(secs => (g * 61) % 63000000),
          '(GMT+01:00) Europe/Paris', 3600, 400, jsonb_build_object('id', 30000000000 + g)
        FROM generate_series(1, {ACTIVITIES}) g,
             (SELECT array_agg(id ORDER BY id) ids FROM rh_employees) e,
             LATERAL (SELECT (ARRAY['Run','Ride','Walk','Swim','Hike','Workout','Yoga','Tennis'])[1 + g % 8] AS t) s""")
    run("ingest", "--max-changes", str(ACTIVITIES + EMPLOYEES * 2), "--idle-exit", "2")
    run("refresh", "--year", str(YEAR - 1), "--no-publish")
    run("refresh", "--year", str(YEAR), "--no-publish")
    print(f"setup: {EMPLOYEES} employees, {ACTIVITIES} activities, refreshed in "
          f"{time.perf_counter() - t0:.0f} s", flush=True)


def main():
    # KEEP_LAKE=dir: the lake (and its database) is made there once and kept, later runs reuse it.
    kept = os.environ.get("KEEP_LAKE")
    base = pathlib.Path(kept) if kept else pathlib.Path(tempfile.mkdtemp(prefix="sl-bench-dashboard-"))
    reuse = kept is not None and (base / "home").exists()
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o755)
    env = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="warn")
    env.pop("API_KEY_MAPS", None)

    def run(*args):
        proc = subprocess.run([SPORTLAKE, *args], env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"sportlake {args[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
        return proc.stdout

    try:
        run("db", "start")
        if reuse:
            print(f"lake reused from {base}", flush=True)
        else:
            setup(run)
        ids = [int(line) for line in run("db", "psql", "--", "-XAtc",
                                         "SELECT id FROM rh_employees").split()]
        # Rounds, the peer (PEER: another build's binary, e.g. main's) in alternating order.
        binaries = [(SPORTLAKE, "this build")] + ([(PEER, "peer")] if PEER else [])
        for r in range(ROUNDS):
            for binary, label in (binaries if r % 2 == 0 else binaries[::-1]):
                measure(binary, env, ids, f"round {r + 1} {label}")
    finally:
        subprocess.run([SPORTLAKE, "db", "stop"], env=env, capture_output=True)
        if not kept:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
