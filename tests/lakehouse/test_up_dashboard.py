"""Issue 17 under `sportlake up` (every service in one process): the live feed sends each new
activity within 2 s of its Slack post (a loopback server recording the posts), and /metrics, parsed
by prometheus_client, carries the jobs' in-process counts — rows ingested, commit latency,
notifications by outcome, Slack call durations, refresh duration, HTTP requests — with the known
numbers of the run."""
import http.client
import json
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request

from prometheus_client.parser import text_string_to_metric_families
from test_notify import Slack
from waiting import dashboard_url, wait_for


def read_events(response, events):
    """Appends (monotonic time of arrival, event) for each `activity` event of an SSE stream."""
    event, data = None, None
    try:
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "" and event == "activity":
                events.append((time.monotonic(), json.loads(data)))
                event, data = None, None
    except (OSError, ValueError, AttributeError):
        pass  # the stream was closed (http.client drops its file then)


def test_up_feeds_each_activity_within_2_s_and_exports_its_counts(build_dir):
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-updash-"))
    os.chmod(base, 0o755)
    slack = Slack()
    e = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="info",
             SPORTLAKE_LISTEN="127.0.0.1:0", SLACK_WEBHOOK_URL=slack.url)
    e.pop("API_KEY_MAPS", None)
    sportlake = str(build_dir / "src" / "cli" / "sportlake")

    def psql(query):
        return subprocess.run([sportlake, "db", "psql", "--", "-XAtc", query], env=e, check=True,
                              capture_output=True, text=True).stdout.split("\n")[:-1]

    subprocess.run([sportlake, "db", "start"], env=e, check=True, capture_output=True)
    subprocess.run([sportlake, "load"], env=e, check=True, capture_output=True)
    up = subprocess.Popen([sportlake, "up", "--refresh-interval", "1"], env=e, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    stream = None
    try:
        url = dashboard_url(up)
        home = base / "home" / "serve"
        viewer, ops = ((home / f"{r}.token").read_text().strip() for r in ("viewer", "ops"))
        slots = "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'sportlake_%'"
        wait_for(lambda: psql(slots) == ["3"], "the three slots exist")

        host, port = url.removeprefix("http://").rsplit(":", 1)
        stream = http.client.HTTPConnection(host, int(port), timeout=60)
        stream.request("GET", "/api/feed", headers={"Authorization": f"Bearer {viewer}"})
        response = stream.getresponse()
        assert response.status == 200
        events = []
        reader = threading.Thread(target=read_events, args=(response, events), daemon=True)
        reader.start()

        def get(path, bearer=None):
            request = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {bearer}"} if bearer else {})
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.read().decode()

        for _ in range(3):
            get("/healthz")
        subprocess.run([sportlake, "simulate", "--count", "5", "--rate", "2", "--seed", "8"], env=e, check=True,
                       capture_output=True)
        wait_for(lambda: psql("SELECT count(*) FROM notification_outbox WHERE status = 'sent'") == ["5"],
                 "the 5 activities announced")
        wait_for(lambda: len(events) >= 5, "the 5 activities in the feed", timeout=5)
        assert len(slack.requests) == 5
        for (posted_at, body), (received_at, event) in zip(slack.requests, events):
            assert event["text"] == body["text"]  # in order, as posted
            assert received_at - posted_at < 2, (received_at - posted_at, event)
        ids = psql("SELECT activity_id FROM notification_outbox ORDER BY sent_at, activity_id")
        assert [event["activity_id"] for _, event in events] == ids

        bronze = base / "home" / "delta" / "bronze" / "strava_activities"
        wait_for(lambda: bronze.exists(), "the activities in Bronze")
        wait_for(lambda: psql("SELECT count(*) FROM distance_cache WHERE status = 'ok'") == ["68"], "distances")

        def metrics():
            out = {}
            for family in text_string_to_metric_families(get("/metrics", ops)):
                for s in family.samples:
                    out[(s.name, frozenset(s.labels.items()))] = s.value
            return out

        rows = ("sportlake_bronze_rows_ingested_total", frozenset({("table", "strava_activities")}))
        refreshes = ("sportlake_refresh_duration_seconds_count", frozenset())
        last = {}

        def exported():
            last.update(metrics())
            return last.get(rows) == 5 and last.get(refreshes, 0) >= 1

        wait_for(exported, "the counts exported", state=last)
        m = metrics()
        assert m[("sportlake_notifications_total", frozenset({("outcome", "sent")}))] == 5
        assert m[("sportlake_outbound_request_duration_seconds_count", frozenset({("service", "slack")}))] == 5
        assert not [k for k in m if k[0] == "sportlake_outbound_request_errors_total"]
        assert m[("sportlake_bronze_commit_duration_seconds_count", frozenset())] >= 1
        assert m[("sportlake_bronze_commit_duration_seconds_bucket", frozenset({("le", "+Inf")}))] == \
            m[("sportlake_bronze_commit_duration_seconds_count", frozenset())]
        assert m[("sportlake_refreshes_total", frozenset({("outcome", "ok")}))] >= 1
        assert m[("sportlake_http_requests_total", frozenset({("route", "/healthz"), ("status", "200")}))] == 3
        assert m[("sportlake_notification_outbox_rows", frozenset({("status", "sent")}))] == 5
        for slot in ("sportlake_bronze", "sportlake_notify", "sportlake_distances"):
            assert m[("sportlake_replication_lag_bytes", frozenset({("slot", slot)}))] >= 0
            assert m[("sportlake_replication_slot_active", frozenset({("slot", slot)}))] == 1
    finally:
        if stream:
            stream.close()
        up.send_signal(signal.SIGTERM)
        out, err = up.communicate(timeout=60)
        slack.close()
    try:
        assert up.returncode == 0, err
        assert "serve: stopped" in err
    finally:
        subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
