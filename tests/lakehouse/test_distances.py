"""`sportlake distances` on the embedded PostgreSQL: the offline estimate from the communes file,
and Google's Distance Matrix through a real HTTP server on 127.0.0.1 that records the requests
and answers as Google does; the cache is filled once, refused requests leave it untouched, and
--follow computes what an address change needs."""
import http.server
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse

import pytest


class FakeGoogle:
    """Distance Matrix: each origin's distance is 100 m per character of its address; the
    malformed sample address is NOT_FOUND. `top_status` forces an API-level status."""

    def __init__(self, top_status="OK"):
        self.requests = []
        self.top_status = top_status
        google = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                google.requests.append(query)
                origins = query["origins"][0].split("|")
                if google.top_status != "OK":
                    reply = {"status": google.top_status, "error_message": "The provided API key is invalid.",
                             "rows": []}
                else:
                    rows = []
                    for o in origins:
                        if o == "Av. de la Mer, Montpellier":
                            rows.append({"elements": [{"status": "NOT_FOUND"}]})
                        else:
                            rows.append({"elements": [{"status": "OK", "distance": {"value": 100 * len(o)},
                                                       "duration": {"value": 60 * len(o)}}]})
                    reply = {"status": "OK", "origin_addresses": origins,
                             "destination_addresses": query["destinations"], "rows": rows}
                body = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()


@pytest.fixture()
def env(build_dir):
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-dist-"))
    os.chmod(base, 0o755)
    e = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="warn")
    e.pop("API_KEY_MAPS", None)
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    subprocess.run([sportlake, "db", "start"], env=e, check=True, capture_output=True)
    subprocess.run([sportlake, "load"], env=e, check=True, capture_output=True)
    yield sportlake, e
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def psql(sportlake, e, query):
    return subprocess.run([sportlake, "db", "psql", "--", "-XAtc", query], env=e, check=True,
                          capture_output=True, text=True).stdout.split("\n")[:-1]


def distances(sportlake, e, *args, check=True):
    done = subprocess.run([sportlake, "distances", "--json", *args], env=e, capture_output=True, text=True,
                          timeout=120)
    if check:
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)
    return done


SPORTY = "moyen_deplacement IN ('Marche/running', 'Vélo/Trottinette/Autres')"


def test_offline_estimates_fill_the_cache_once(env):
    sportlake, e = env
    wanted = int(psql(sportlake, e, f"SELECT count(DISTINCT (adresse_complete, moyen_deplacement)) "
                                    f"FROM rh_employees WHERE {SPORTY}")[0])
    first = distances(sportlake, e)
    assert first == {"provider": "offline", "asked": wanted, "ok": wanted, "not_found": 0, "errors": 0,
                     "failed": 0, "failed_employees": []}
    rows = psql(sportlake, e, "SELECT mode, provider, status, distance_m FROM distance_cache")
    assert len(rows) == wanted
    assert {r.split("|")[0] for r in rows} == {"walking", "bicycling"}
    assert all(r.split("|")[1:3] == ["offline", "ok"] and 0 <= float(r.split("|")[3]) < 25000 for r in rows)
    assert distances(sportlake, e)["asked"] == 0, "cached: nothing asked again"
    assert distances(sportlake, e, "--refresh")["asked"] == wanted
    # A new address is a new key: only it is computed.
    psql(sportlake, e, "UPDATE rh_employees SET adresse_complete = '2 Rue Neuve, 34470 Pérols' "
                       f"WHERE id = (SELECT min(id) FROM rh_employees WHERE {SPORTY})")
    assert distances(sportlake, e)["asked"] == 1


def test_google_distance_matrix_through_a_local_server(env):
    sportlake, e = env
    google = FakeGoogle()
    g = dict(e, API_KEY_MAPS="test-key-123", SPORTLAKE_MAPS_BASE_URL=google.base)
    try:
        got = distances(sportlake, g)
    finally:
        google.close()
    assert got["provider"] == "google_distance_matrix"
    assert got["not_found"] == 1 and got["ok"] == got["asked"] - 1
    modes = sorted(q["mode"][0] for q in google.requests)
    assert set(modes) == {"walking", "bicycling"}
    for q in google.requests:
        assert q["key"] == ["test-key-123"]
        assert q["destinations"] == ["1362 Av. des Platanes, 34970 Lattes"]
        assert len(q["origins"][0].split("|")) <= 25
    sent = sum(len(q["origins"][0].split("|")) for q in google.requests)
    assert sent == got["asked"]
    row = psql(sportlake, e, "SELECT origin, distance_m, duration_s, status FROM distance_cache "
                             "WHERE provider = 'google_distance_matrix' AND status = 'ok' LIMIT 1")[0].split("|")
    assert float(row[1]) == 100 * len(row[0]) and int(row[2]) == 60 * len(row[0])
    missing = psql(sportlake, e, "SELECT status FROM distance_cache WHERE origin = 'Av. de la Mer, Montpellier'")
    assert missing == ["not_found"]


def test_a_refused_key_fails_clearly_and_caches_nothing(env):
    sportlake, e = env
    google = FakeGoogle(top_status="REQUEST_DENIED")
    g = dict(e, API_KEY_MAPS="secret-key-456", SPORTLAKE_MAPS_BASE_URL=google.base)
    try:
        done = distances(sportlake, g, check=False)
    finally:
        google.close()
    assert done.returncode == 1
    assert "REQUEST_DENIED" in done.stderr and "secret-key-456" not in done.stderr
    assert len(google.requests) == 1, "not retried"
    assert psql(sportlake, e, "SELECT count(*) FROM distance_cache") == ["0"]


def test_follow_computes_what_an_address_change_needs(env):
    sportlake, e = env
    worker = subprocess.Popen([sportlake, "distances", "--follow", "--json", "--idle-exit", "3"], env=e,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and psql(sportlake, e, "SELECT count(*) FROM distance_cache") == ["0"]:
        time.sleep(0.2)
    psql(sportlake, e, "UPDATE rh_employees SET adresse_complete = '9 Rue du Lez, 34170 Castelnau-le-Lez' "
                       f"WHERE id = (SELECT min(id) FROM rh_employees WHERE {SPORTY})")
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    assert psql(sportlake, e, "SELECT status FROM distance_cache "
                              "WHERE origin = '9 Rue du Lez, 34170 Castelnau-le-Lez'") == ["ok"]
    lag = psql(sportlake, e, "SELECT pg_current_wal_lsn() - confirmed_flush_lsn < 1024 * 1024 "
                             "FROM pg_replication_slots WHERE slot_name = 'sportlake_distances'")
    assert lag == ["t"]
