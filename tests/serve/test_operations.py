"""Issue 17: the operations page and /api/status (what `sportlake status` shows), /metrics in the
Prometheus text format (parsed by prometheus_client), the live feed's stream and script, and the
roles that read them (ops and hr; a viewer reads the feed only). `sportlake serve` alone here:
the server's own HTTP counts and the gauges read at scrape time; tests/lakehouse/
test_up_dashboard.py checks the jobs' counts and the feed's latency under `sportlake up`."""
import http.client
import json
import socket
import threading
import time

from deltalake import DeltaTable
from prometheus_client.parser import text_string_to_metric_families
from serve_helpers import YEAR, get, token


def samples(text):
    """{(name, frozenset(labels)): value} of a Prometheus text exposition."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def test_operations_status_and_metrics_need_the_ops_or_hr_role(served):
    url, _, home = served
    viewer, ops, hr = token(home, "viewer"), token(home, "ops"), token(home, "hr")
    assert ops.startswith("slo_")
    for path in ("/operations", "/api/status", "/metrics"):
        status, headers, _ = get(url + path)
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer"), path
        status, headers, body = get(url + path, viewer)
        assert status == 403, path
        if path == "/operations":  # a person opened it: an error page, as the other pages'
            assert headers["Content-Type"].startswith("text/html"), path
            assert "role=\"alert\"" in body and "ops" in body, body
        else:  # the API's convention (serve/responses.hpp): {"error","code"}
            error = json.loads(body)
            assert error["code"] == "forbidden" and "ops" in error["error"], (path, error)
        # In the request's language, like every other error.
        status, _, body = get(url + path + "?lang=en", viewer)
        assert status == 403 and "needs the ops role" in body, (path, body)
        status, _, body = get(url + path, viewer, {"Accept-Language": "fr"})
        assert status == 403 and "réservé au rôle ops" in body, (path, body)
        assert get(url + path, ops)[0] == 200, path
        assert get(url + path, hr)[0] == 200, path
    # ops reads the aggregates, never a per-employee row.
    assert get(f"{url}/api/kpi_summary?year={YEAR}", ops)[0] == 200
    assert get(f"{url}/api/prime_sportive?year={YEAR}", ops)[0] == 403
    assert get(f"{url}/api/dq_issues", ops)[0] == 403


def test_api_status_has_the_facts_of_sportlake_status(served, lake_home):
    url, lake, home = served
    sportlake, e, _ = lake_home
    status, headers, body = get(f"{url}/api/status", token(home, "ops"))
    assert status == 200 and headers["Content-Type"] == "application/json"
    report = json.loads(body)
    assert "error" not in report["database"], report["database"]
    slots = {s["name"]: s for s in report["slots"]}
    assert "sportlake_bronze" in slots  # the fixture's ingest
    assert slots["sportlake_bronze"]["lag_bytes"] >= 0 and slots["sportlake_bronze"]["wal_held_bytes"] >= 0
    assert {(d["provider"], d["status"]): d["count"] for d in report["distances"]}[("offline", "ok")] > 0
    tables = {(t["layer"], t["name"]): t for t in report["lake"]["tables"]}
    for layer, name in (("bronze", "strava_activities"), ("silver", "employees"), ("gold", "prime_sportive")):
        t = tables[(layer, name)]
        delta = DeltaTable(str(lake / layer / name))
        assert t["version"] == delta.version(), (layer, name)
        assert t["files"] == len(delta.files()) and t["small_files"] == t["files"]
    assert report["lake"]["last_bronze_commit_ms"] <= report["generated_at_ms"]
    assert report["lake"]["bronze_freshness_seconds"] >= 0
    assert report["lake"]["last_refresh_ms"] == max(t["committed_at_ms"] for (layer, _), t in tables.items()
                                                   if layer == "gold")
    # The same facts as `sportlake status` prints (one collector for both).
    import subprocess
    text = subprocess.run([sportlake, "status"], env=e, check=True, capture_output=True, text=True).stdout
    gold = tables[("gold", "prime_sportive")]
    assert f"gold    prime_sportive       version {gold['version']:<6} {gold['files']:>4} files" in text, text
    assert "WAL held" in text and "last Bronze commit: " in text and "last refresh: " in text
    as_json = json.loads(subprocess.run([sportlake, "status", "--json"], env=e, check=True, capture_output=True,
                                        text=True).stdout)
    assert [(t["layer"], t["name"], t["version"], t["files"]) for t in as_json["lake"]["tables"]] == \
        [(t["layer"], t["name"], t["version"], t["files"]) for t in report["lake"]["tables"]]
    assert as_json["slots"][0].keys() == report["slots"][0].keys()


def test_operations_page_shows_slots_lake_and_freshness_without_script(served):
    url, _, home = served
    status, headers, html = get(f"{url}/operations", token(home, "ops"))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    for expected in ("Exploitation", "Slots de réplication", "sportlake_bronze", "WAL retenu",
                     "Dernier commit Bronze", "Dernier rafraîchissement", "Petits fichiers",
                     "strava_activities", "prime_sportive", "Notifications", "Distances"):
        assert expected in html, expected
    assert "<script" not in html
    assert "script-src" not in headers["Content-Security-Policy"]


def test_metrics_parse_as_prometheus_text_with_http_counts_and_scrape_time_gauges(served):
    url, lake, home = served
    ops = token(home, "ops")
    before = samples(get(f"{url}/metrics", ops)[2])
    healthz = ("sportlake_http_requests_total", frozenset({("route", "/healthz"), ("status", "200")}))
    for _ in range(3):
        assert get(f"{url}/healthz")[0] == 200
    get(f"{url}/api/no_such_table?year={YEAR}", ops)
    get(f"{url}/api/{'x' * 40}", ops)
    status, headers, text = get(f"{url}/metrics", ops)
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4")
    after = samples(text)
    assert after[healthz] - before.get(healthz, 0) == 3
    # Unknown paths share one label: a client cannot grow the series.
    routes = {dict(k[1])["route"] for k in after if k[0] == "sportlake_http_requests_total"}
    assert "other" in routes and not any("x" * 40 in r or "no_such_table" in r for r in routes)
    assert after[("sportlake_status_database_up", frozenset())] == 1
    version = ("sportlake_lake_table_version", frozenset({("layer", "gold"), ("table", "prime_sportive")}))
    assert after[version] == DeltaTable(str(lake / "gold" / "prime_sportive")).version()
    assert ("sportlake_replication_lag_bytes", frozenset({("slot", "sportlake_bronze")})) in after
    assert after[("sportlake_bronze_last_commit_timestamp_seconds", frozenset())] <= time.time()
    # Every family is named by the conventions: prefix, and counters end in _total.
    for family in text_string_to_metric_families(text):
        assert family.name.startswith("sportlake_"), family.name
    assert "# TYPE sportlake_http_requests_total counter" in text


def test_metrics_have_request_durations_per_route_without_ids(served):
    url, _, home = served
    ops, hr = token(home, "ops"), token(home, "hr")
    employee = json.loads(get(f"{url}/api/prime_sportive?year={YEAR}&page_size=2", hr)[2])["rows"]
    before = samples(get(f"{url}/metrics", ops)[2])
    for _ in range(4):
        assert get(f"{url}/?year={YEAR}", hr)[0] == 200
    for row in employee:
        assert get(f"{url}/employee/{row['employee_id']}?year={YEAR}", hr)[0] == 200
    assert get(f"{url}/api/kpi_by_bu?year={YEAR}", hr)[0] == 200
    text = get(f"{url}/metrics", ops)[2]
    after = samples(text)
    families = {f.name: f for f in text_string_to_metric_families(text)}
    family = families["sportlake_http_request_duration_seconds"]
    assert family.type == "histogram"
    name = "sportlake_http_request_duration_seconds"

    def count(route):
        key = (f"{name}_count", frozenset({("route", route)}))
        return after.get(key, 0) - before.get(key, 0)

    assert count("/") == 4
    assert count("/employee/{id}") == len(employee) == 2
    assert count("/api/{table}") == 1
    # Conventional buckets, cumulative, ending at +Inf = the count; the sum in seconds.
    for route in ("/", "/employee/{id}", "/api/{table}"):
        buckets = sorted((float(dict(labels)["le"]), v) for (n, labels), v in after.items()
                         if n == f"{name}_bucket" and dict(labels)["route"] == route)
        bounds = [le for le, _ in buckets]
        assert {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10} <= set(bounds), bounds
        assert bounds[-1] == float("inf")
        counts = [v for _, v in buckets]
        assert counts == sorted(counts) and counts[-1] == after[(f"{name}_count", frozenset({("route", route)}))]
        total = after[(f"{name}_sum", frozenset({("route", route)}))]
        assert 0 < total < 60 * counts[-1], (route, total)
    # Route patterns only: no employee id, no query string in a label; no stream in the histogram.
    routes = {dict(labels)["route"] for (n, labels) in after if n.startswith(name)}
    assert not any(str(row["employee_id"]) in r for r in routes for row in employee), routes
    assert "/api/feed" not in routes


def test_overview_page_loads_the_feed_script_from_the_binary_only(served):
    url, _, home = served
    viewer = token(home, "viewer")
    status, headers, html = get(f"{url}/?year={YEAR}", viewer)
    assert status == 200
    assert '<script src="/static/feed.js" defer></script>' in html and 'id="feed-list"' in html
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert html.count("<script") == 1  # no inline script
    status, headers, js = get(f"{url}/static/feed.js")  # code, no data: no token needed
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert 'new EventSource("/api/feed")' in js and "innerHTML" not in js
    assert get(f"{url}/api/feed")[0] == 401


def open_stream(url, bearer, source_ip):
    """An SSE connection from `source_ip`: (connection, response)."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10, source_address=(source_ip, 0))
    conn.request("GET", "/api/feed", headers={"Authorization": f"Bearer {bearer}", "Accept": "text/event-stream"})
    return conn, conn.getresponse()


def test_feed_events_reach_a_client_that_accepts_compression_at_once(served):
    """Chromium asks every request with `Accept-Encoding: gzip, deflate, br, zstd`. A compressed
    stream holds the events in the compressor until it has enough bytes (kilobytes, never
    flushed per event): the browser showed the stream open and never received an event. The
    feed is sent as is, each event readable as soon as it is written."""
    url, _, home = served
    host, port = url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", "/api/feed", headers={
            "Authorization": f"Bearer {token(home, 'viewer')}", "Accept": "text/event-stream",
            "Cache-Control": "no-cache", "Accept-Encoding": "gzip, deflate, br, zstd"})
        r = conn.getresponse()
        assert r.status == 200 and r.getheader("Content-Type").startswith("text/event-stream")
        assert r.getheader("Content-Encoding") is None, r.getheader("Content-Encoding")
        assert r.read(13) == b"retry: 2000\n\n"  # the first chunk, not waiting behind others
    finally:
        conn.close()


def test_feed_streams_are_bounded_and_do_not_block_other_clients(served):
    url, _, home = served
    viewer, ops = token(home, "viewer"), token(home, "ops")
    refused_503 = ("sportlake_http_refused_total", frozenset({("status", "503")}))
    refused_before = samples(get(f"{url}/metrics", ops)[2]).get(refused_503, 0)
    streams, refused = [], 0
    try:
        # 40 streams from 4 addresses (the per-address cap is 16): 32 taken (max_streams), 8 refused.
        for i in range(40):
            conn, r = open_stream(url, viewer, f"127.0.0.{2 + i % 4}")
            if r.status == 200:
                assert r.getheader("Content-Type").startswith("text/event-stream")
                assert r.read(13) == b"retry: 2000\n\n"  # the stream's first words
                streams.append(conn)
            else:
                assert r.status == 503, r.status
                refused += 1
                conn.close()
        # 32 at most (a browser of another test of this session may still hold one).
        assert len(streams) <= 32 and refused >= 8 and len(streams) + refused == 40
        assert samples(get(f"{url}/metrics", ops)[2])[refused_503] - refused_before == refused  # counted
        # Every stream is open and waiting; the workers still answer everyone else at once.
        for _ in range(20):
            started = time.monotonic()
            assert get(f"{url}/healthz")[0] == 200
            assert get(f"{url}/api/years", viewer)[0] == 200
            assert time.monotonic() - started < 1
    finally:
        for conn in streams:
            conn.close()
    # Closed streams free their places (the server notices within 0.5 s; a new stream is refused
    # until then, then taken).
    deadline = time.monotonic() + 30
    while True:
        conn, r = open_stream(url, viewer, "127.0.0.9")
        conn.close()
        if r.status == 200:
            break
        assert time.monotonic() < deadline, "the closed streams never freed their places"
        time.sleep(0.5)


def test_a_database_that_does_not_answer_costs_a_status_request_seconds_not_minutes(lake_home):
    """A "database" that accepts connections and never says a word (libpq alone waits forever for
    its first answer, and every status request would queue behind it): the status comes in seconds
    with the lake part and the database's error, and the rest of the server answers meanwhile."""
    from serve_helpers import Server
    sportlake, e, home = lake_home
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    held = []
    accepting = threading.Thread(target=lambda: held.extend(iter(lambda: silent.accept()[0], None)), daemon=True)
    accepting.start()
    port = silent.getsockname()[1]
    server = Server(sportlake, dict(e, SPORTLAKE_DB_URL=f"postgresql://sportlake@127.0.0.1:{port}/x"),
                    "--listen", "127.0.0.1:0")
    try:
        ops = token(home, "ops")
        answers = []

        def ask():
            started = time.monotonic()
            status, _, body = get(f"{server.url}/api/status", ops)
            answers.append((status, time.monotonic() - started, json.loads(body)))

        askers = [threading.Thread(target=ask) for _ in range(4)]
        for t in askers:
            t.start()
        for _ in range(10):
            started = time.monotonic()
            assert get(f"{server.url}/healthz")[0] == 200
            assert time.monotonic() - started < 1
            time.sleep(0.2)
        for t in askers:
            t.join(timeout=40)
        assert len(answers) == 4, "status requests still waiting for the database"
        for status, took, report in answers:
            assert status == 200 and took < 5, (status, took)
            assert report["database"]["error"]
            assert any(t["name"] == "prime_sportive" for t in report["lake"]["tables"])
    finally:
        server.stop()
        silent.close()
        for conn in held:
            conn.close()
