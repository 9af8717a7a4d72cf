"""`sportlake serve` over a refreshed lake: the JSON and CSV API return what delta-rs reads in the
Gold tables, the French page shows the year's KPIs, bad requests get clear JSON errors."""
import csv
import io
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request

import pytest
from deltalake import DeltaTable

YEAR = 2025


@pytest.fixture(scope="module")
def served(build_dir):
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-serve-"))
    os.chmod(base, 0o755)
    e = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="warn")
    e.pop("API_KEY_MAPS", None)
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    for args in (["db", "start"], ["load"], ["simulate", "--backfill-months", "6", "--as-of", f"{YEAR}-11-30",
                                             "--seed", "5"], ["distances"], ["ingest", "--idle-exit", "1"],
                 ["refresh", "--year", str(YEAR)]):
        subprocess.run([sportlake, *args], env=e, check=True, capture_output=True, timeout=300)
    server = subprocess.Popen([sportlake, "serve", "--listen", "127.0.0.1:0"], env=e, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    assert line.startswith("dashboard: http://127.0.0.1:"), line + server.stderr.read()
    yield line.split()[1].rstrip("/"), base / "home" / "delta"
    server.terminate()
    server.wait(timeout=30)
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type"), err.read().decode()


def test_api_returns_the_gold_tables(served):
    url, lake = served
    assert get(f"{url}/healthz")[0] == 200
    assert json.loads(get(f"{url}/api/years")[2]) == [YEAR]
    status, kind, body = get(f"{url}/api/prime_sportive?year={YEAR}")
    assert status == 200 and kind.startswith("application/json")
    rows = json.loads(body)
    theirs = DeltaTable(str(lake / "gold" / "prime_sportive")).to_pyarrow_table().to_pylist()
    assert len(rows) == len(theirs) == 161
    by_id = {r["employee_id"]: r for r in theirs}
    for r in rows:
        assert r["eligible"] == by_id[r["employee_id"]]["eligible"]
        assert r["prime_eur"] == str(by_id[r["employee_id"]]["prime_eur"])
    kpi = json.loads(get(f"{url}/api/kpi_summary?year={YEAR}")[2])
    assert kpi[0]["total_bonus_eur"] == "172482.50" and kpi[0]["employees"] == 161


def test_csv_exports(served):
    url, lake = served
    status, kind, body = get(f"{url}/api/wellbeing?year={YEAR}&format=csv")
    assert status == 200 and kind.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 161 and "days" in rows[0]
    eligible = sum(r["eligible"] == "true" for r in rows)
    theirs = DeltaTable(str(lake / "gold" / "wellbeing")).to_pyarrow_table().to_pylist()
    assert eligible == sum(r["eligible"] for r in theirs)
    issues = list(csv.DictReader(io.StringIO(get(f"{url}/api/dq_issues?format=csv")[2])))
    assert sum(i["rule"] == "sport_label_normalised" for i in issues) == 18


def test_the_french_page(served):
    url, _ = served
    status, kind, html = get(f"{url}/")
    assert status == 200 and kind.startswith("text/html")
    assert f"Avantages sportifs {YEAR}" in html
    assert "172\u202f482,50 €" in html
    assert "Prime sportive" in html and "Jours bien-être" in html
    assert "<script" not in html  # names are escaped, nothing executable


def test_bad_requests(served):
    url, _ = served
    status, kind, body = get(f"{url}/api/prime_sportive")
    assert status == 400 and "year" in json.loads(body)["error"]
    assert get(f"{url}/api/prime_sportive?year=abc")[0] == 400
    status, _, body = get(f"{url}/api/salaries?year={YEAR}")
    assert status == 404 and "salaries" in json.loads(body)["error"]
    assert get(f"{url}/?year=1999")[0] == 404
