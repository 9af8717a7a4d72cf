"""Issue 12 §4: the dashboard asks for a token (viewer: aggregates, hr: every row), refuses
--no-auth beyond loopback, survives slow clients, sends security headers, writes spreadsheet-safe
CSV, refuses unknown formats, answers kept-alive requests without the delayed-ACK stall, and
listens on IPv6 loopback."""
import csv
import http.client
import io
import json
import os
import socket
import statistics
import stat
import subprocess
import threading
import time

import pytest
from serve_helpers import FORMULA_NOM, FORMULA_PRENOM, YEAR, Server, get, token


def host_port(url):
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return host.strip("[]"), int(port)


def test_without_a_valid_token_nothing_but_healthz(served):
    url, _, _ = served
    for path in ("/", "/api/years", f"/api/kpi_summary?year={YEAR}", f"/api/prime_sportive?year={YEAR}",
                 "/api/dq_issues"):
        status, headers, body = get(url + path)
        assert status == 401, path
        assert headers["WWW-Authenticate"].startswith("Bearer")
        assert "token" in json.loads(body)["error"]
        assert get(url + path, "slh_" + "A" * 43)[0] == 401  # a guess
    assert get(f"{url}/healthz")[0] == 200


def test_viewer_reads_aggregates_only(served):
    url, _, home = served
    viewer, hr = token(home, "viewer"), token(home, "hr")
    for table in ("kpi_summary", "kpi_by_bu", "activity_monthly"):
        assert get(f"{url}/api/{table}?year={YEAR}", viewer)[0] == 200, table
    assert get(f"{url}/api/years", viewer)[0] == 200
    for path in (f"/api/prime_sportive?year={YEAR}", f"/api/wellbeing?year={YEAR}&format=csv", "/api/dq_issues"):
        status, _, body = get(url + path, viewer)
        assert status == 403 and "hr" in json.loads(body)["error"], path
        assert get(url + path, hr)[0] == 200, path
    # The page: cards and business units, no employee's name.
    names = {r["nom"] for r in json.loads(get(f"{url}/api/prime_sportive?year={YEAR}", hr)[2])}
    status, _, html = get(f"{url}/", viewer)
    assert status == 200 and f"Avantages sportifs {YEAR}" in html and "Par business unit" in html
    assert 'id="employee-table"' not in html
    assert not [n for n in names if len(n) > 3 and f">{n}<" in html.replace(" ", "><")]
    assert 'id="employee-table"' in get(f"{url}/", hr)[2]


def test_viewer_never_reads_one_persons_pay(served):
    """A bonus is 5 % of a salary: a viewer gets no money figure of one or two people (statistical
    secrecy: the year's largest bonus, a unit's total with 1–2 eligible, and one more unit when a
    single one is withheld, or the year's total minus the others would give it back)."""
    url, _, home = served
    viewer, hr = token(home, "viewer"), token(home, "hr")
    theirs = json.loads(get(f"{url}/api/kpi_summary?year={YEAR}", hr)[2])[0]
    seen = json.loads(get(f"{url}/api/kpi_summary?year={YEAR}", viewer)[2])[0]
    assert theirs["max_bonus_eur"] is not None and seen["max_bonus_eur"] is None
    assert seen["total_bonus_eur"] == theirs["total_bonus_eur"] and theirs["eligible_bonus"] >= 3
    units_hr = json.loads(get(f"{url}/api/kpi_by_bu?year={YEAR}", hr)[2])
    units = json.loads(get(f"{url}/api/kpi_by_bu?year={YEAR}", viewer)[2])
    assert [u["business_unit"] for u in units] == [u["business_unit"] for u in units_hr]
    withheld = [u for u in units if u["total_bonus_eur"] is None]
    assert all(u["total_bonus_eur"] is not None for u in units_hr)
    assert len(withheld) != 1
    for mine, full in zip(units, units_hr):
        if 0 < full["eligible_bonus"] < 3:
            assert mine["total_bonus_eur"] is None, mine
        elif mine["total_bonus_eur"] is not None:
            assert mine == full
    csv_rows = list(csv.DictReader(io.StringIO(get(f"{url}/api/kpi_by_bu?year={YEAR}&format=csv", viewer)[2])))
    assert sum(r["total_bonus_eur"] == "" for r in csv_rows) == len(withheld)


def test_browser_login_sets_a_private_cookie_and_drops_the_token_from_the_url(served):
    url, _, home = served
    host, port = host_port(url)
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", f"/?year={YEAR}&token={token(home, 'hr')}")
    r = conn.getresponse()
    r.read()
    assert r.status == 303
    assert r.getheader("Location") == f"/?year={YEAR}"
    cookie = r.getheader("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    session = cookie.split(";")[0]
    conn.request("GET", r.getheader("Location"), headers={"Cookie": f"other=1; {session}"})
    r = conn.getresponse()
    assert r.status == 200 and 'id="employee-table"' in r.read().decode()
    conn.request("GET", "/?token=nope")
    r = conn.getresponse()
    r.read()
    assert r.status == 401 and r.getheader("Set-Cookie") is None


def test_token_files_are_private_and_rotation_ends_the_old_token(served, lake_home):
    url, _, home = served
    sportlake, e, _ = lake_home
    assert stat.S_IMODE(os.stat(home / "serve").st_mode) == 0o700
    for role in ("viewer", "hr"):
        assert stat.S_IMODE(os.stat(home / "serve" / f"{role}.token").st_mode) == 0o600
    old = token(home, "viewer")
    assert get(f"{url}/api/years", old)[0] == 200
    out = subprocess.run([sportlake, "serve", "token", "--role", "viewer"], env=e, check=True,
                         capture_output=True, text=True)
    new = token(home, "viewer")
    assert new != old and new not in out.stdout + out.stderr and "viewer.token" in out.stdout
    assert get(f"{url}/api/years", old)[0] == 401  # the running server sees the rotation
    assert get(f"{url}/api/years", new)[0] == 200
    assert get(f"{url}/api/years", token(home, "hr"))[0] == 200  # the other role kept its token


def test_no_auth_refused_beyond_loopback_and_warned_on_it(lake_home):
    sportlake, e, _ = lake_home
    refused = subprocess.run([sportlake, "serve", "--no-auth", "--listen", "0.0.0.0:0"], env=e,
                             capture_output=True, text=True, timeout=30)
    assert refused.returncode != 0 and "refused" in refused.stderr and "dashboard:" not in refused.stdout
    server = Server(sportlake, e, "--no-auth", "--listen", "127.0.0.1:0")
    try:
        assert get(f"{server.url}/api/prime_sportive?year={YEAR}")[0] == 200
    finally:
        err = server.stop()
    assert "--no-auth" in err and "every salary" in err


def test_security_headers_on_every_answer(served):
    url, _, home = served
    hr = token(home, "hr")
    for path, bearer, expected in (("/", hr, 200), (f"/api/prime_sportive?year={YEAR}&format=csv", hr, 200),
                                   ("/api/years", None, 401), ("/nothing", hr, 404),
                                   ("/api/kpi_summary?year=x", hr, 400)):
        status, headers, _ = get(url + path, bearer)
        assert status == expected, path
        assert "default-src 'none'" in headers["Content-Security-Policy"], path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["Referrer-Policy"] == "no-referrer", path
        assert headers["Cache-Control"] == "no-store", path


def test_csv_exports_neutralise_formula_cells(served):
    url, _, home = served
    hr = token(home, "hr")
    rows = list(csv.DictReader(io.StringIO(get(f"{url}/api/prime_sportive?year={YEAR}&format=csv", hr)[2])))
    mine = [r for r in rows if "HYPERLINK" in r["nom"]]
    assert len(mine) == 1
    assert mine[0]["nom"] == "'" + FORMULA_NOM and mine[0]["prenom"] == "'" + FORMULA_PRENOM
    assert all(not r[k].startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for k in r)
    # JSON keeps the value as it is (it is no spreadsheet's input).
    data = json.loads(get(f"{url}/api/prime_sportive?year={YEAR}", hr)[2])
    assert [r["nom"] for r in data if "HYPERLINK" in r["nom"]] == [FORMULA_NOM]


def test_unknown_formats_and_bodies_are_refused(served):
    url, _, home = served
    hr = token(home, "hr")
    for fmt in ("xml", "CSV", "", "csv%00"):
        status, _, body = get(f"{url}/api/kpi_summary?year={YEAR}&format={fmt}", hr)
        assert status == 400 and "format" in json.loads(body)["error"], fmt
    assert get(f"{url}/api/kpi_summary?year={YEAR}&format=json", hr)[0] == 200
    host, port = host_port(url)
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("POST", "/api/years", body=b"x" * 100, headers={"Authorization": f"Bearer {hr}"})
    assert conn.getresponse().status == 413


def test_kept_alive_requests_answer_without_the_delayed_ack_stall(served):
    url, _, home = served
    host, port = host_port(url)
    conn = http.client.HTTPConnection(host, port, timeout=10)
    headers = {"Authorization": f"Bearer {token(home, 'viewer')}"}
    conn.request("GET", "/api/years", headers=headers)
    conn.getresponse().read()
    sock = conn.sock
    latencies = []
    for _ in range(20):
        start = time.perf_counter()
        conn.request("GET", f"/api/kpi_summary?year={YEAR}", headers=headers)
        r = conn.getresponse()
        r.read()
        latencies.append(time.perf_counter() - start)
        assert r.status == 200
    assert conn.sock is sock  # one connection throughout
    # Without TCP_NODELAY the body waits for the client's delayed ACK of the head: ≥ 40 ms each.
    assert statistics.median(latencies) < 0.030, latencies


def test_slow_clients_do_not_starve_the_others(served):
    """50 connections from 127.0.0.2 sending a header byte every 2 s; meanwhile a client on
    127.0.0.1 gets every answer in < 1 s. The slow ones are capped per address (429 beyond) and
    cut by the head timeout (10 s, 408)."""
    url, _, home = served
    host, port = host_port(url)
    hr = token(home, "hr")
    slow, refused = [], 0
    for _ in range(50):
        s = socket.socket()
        s.bind(("127.0.0.2", 0))
        s.settimeout(5)
        s.connect((host, port))
        s.sendall(b"GET / HTTP/1.1\r\n")
        slow.append(s)
    stop = threading.Event()

    def trickle():
        while not stop.wait(2.0):
            for s in slow:
                try:
                    s.send(b"X")
                except OSError:
                    pass
    dripper = threading.Thread(target=trickle)
    dripper.start()
    latencies = []
    try:
        deadline = time.monotonic() + 11.5
        while time.monotonic() < deadline:
            start = time.perf_counter()
            status = get(f"{url}/api/kpi_summary?year={YEAR}", hr)[0]
            latencies.append(time.perf_counter() - start)
            assert status == 200
            time.sleep(0.1)
    finally:
        stop.set()
        dripper.join()
    answers = []
    for s in slow:
        s.settimeout(2)
        try:
            answers.append(s.recv(200).split(b"\r\n")[0])
        except OSError:
            answers.append(b"")
        s.close()
    assert max(latencies) < 1.0, max(latencies)
    refused = sum(a.startswith(b"HTTP/1.1 429") for a in answers)
    timed_out = sum(a.startswith(b"HTTP/1.1 408") for a in answers)
    assert refused == 50 - 16 and timed_out == 16, answers


def test_ipv6_loopback(lake_home):
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    sportlake, e, home = lake_home
    server = Server(sportlake, e, "--listen", "[::1]:0")
    try:
        assert server.first_line.startswith("dashboard: http://[::1]:")
        assert server.url.startswith("http://[::1]:") and server.url.rsplit(":", 1)[1].isdigit()
        assert get(f"{server.url}/api/years", token(home, "viewer"))[0] == 200
    finally:
        server.stop()
