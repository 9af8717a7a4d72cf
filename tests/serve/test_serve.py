"""`sportlake serve` over a refreshed lake: the JSON and CSV API return what delta-rs reads in the
Gold tables, the French page shows the year's KPIs, bad requests get clear JSON errors. (Signed in
as hr; who may read what: test_serve_security.py.)"""
import csv
import io
import json

import pytest
from deltalake import DeltaTable
from serve_helpers import YEAR, get, token


@pytest.fixture(scope="module")
def hr(served):
    """GET a path as hr: (status, content type, body)."""
    url, _, home = served

    def hr_get(path):
        status, headers, body = get(url + path, token(home, "hr"))
        return status, headers.get("Content-Type"), body
    return hr_get


def test_api_returns_the_gold_tables(served, hr):
    url, lake, _ = served
    assert get(f"{url}/healthz")[0] == 200  # no token needed
    assert json.loads(hr("/api/years")[2]) == [YEAR]
    status, kind, body = hr(f"/api/prime_sportive?year={YEAR}")
    assert status == 200 and kind.startswith("application/json")
    rows = json.loads(body)
    theirs = DeltaTable(str(lake / "gold" / "prime_sportive")).to_pyarrow_table().to_pylist()
    assert len(rows) == len(theirs) == 161
    by_id = {r["employee_id"]: r for r in theirs}
    for r in rows:
        assert r["eligible"] == by_id[r["employee_id"]]["eligible"]
        assert r["prime_eur"] == str(by_id[r["employee_id"]]["prime_eur"])
    kpi = json.loads(hr(f"/api/kpi_summary?year={YEAR}")[2])
    assert kpi[0]["total_bonus_eur"] == "172482.50" and kpi[0]["employees"] == 161


def test_csv_exports(served, hr):
    _, lake, _ = served
    status, kind, body = hr(f"/api/wellbeing?year={YEAR}&format=csv")
    assert status == 200 and kind.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 161 and "days" in rows[0]
    eligible = sum(r["eligible"] == "true" for r in rows)
    theirs = DeltaTable(str(lake / "gold" / "wellbeing")).to_pyarrow_table().to_pylist()
    assert eligible == sum(r["eligible"] for r in theirs)
    issues = list(csv.DictReader(io.StringIO(hr("/api/dq_issues?format=csv")[2])))
    assert sum(i["rule"] == "sport_label_normalised" for i in issues) == 18


def test_the_french_page(hr):
    status, kind, html = hr("/")
    assert status == 200 and kind.startswith("text/html")
    assert f"Avantages sportifs {YEAR}" in html
    assert "172\u202f482,50\u00a0€" in html  # no-break space: the € stays with its amount
    assert 'id="employee-table"' in html and "Jours" in html and "Manquantes" in html
    assert "<script" not in html  # names are escaped, nothing executable


def test_bad_requests(hr):
    status, kind, body = hr("/api/prime_sportive")
    assert status == 400 and "year" in json.loads(body)["error"]
    assert hr("/api/prime_sportive?year=abc")[0] == 400
    status, _, body = hr(f"/api/salaries?year={YEAR}")
    assert status == 404 and "salaries" in json.loads(body)["error"]
    assert json.loads(body)["code"] == "not_found"
    assert hr("/?year=1999")[0] == 404
