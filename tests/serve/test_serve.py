"""`sportlake serve` over a refreshed lake: the JSON and CSV API return what delta-rs reads in the
Gold tables, the French page shows the year's KPIs, bad requests get clear JSON errors. (Signed in
as hr; who may read what: test_serve_security.py.)"""
import csv
import io
import json
import unicodedata
import urllib.parse

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
    # Names are escaped, nothing executable: the one script is the live feed's, from the binary.
    assert html.count("<script") == 1 and '<script src="/static/feed.js" defer></script>' in html


def test_bad_requests(hr):
    status, kind, body = hr("/api/prime_sportive")
    assert status == 400 and "year" in json.loads(body)["error"]
    assert hr("/api/prime_sportive?year=abc")[0] == 400
    status, _, body = hr(f"/api/salaries?year={YEAR}")
    assert status == 404 and "salaries" in json.loads(body)["error"]
    assert json.loads(body)["code"] == "not_found"
    assert hr("/?year=1999")[0] == 404


def test_api_sorts_searches_and_pages_on_the_server(served, hr):
    """Issue 17: `?sort=&dir=&q=&page=` on the API, the same engine as the page's tables."""
    _, lake, _ = served
    theirs = DeltaTable(str(lake / "gold" / "prime_sportive")).to_pyarrow_table().to_pylist()
    status, _, body = hr(f"/api/prime_sportive?year={YEAR}&sort=salaire_brut&dir=desc&page=2&page_size=20")
    page = json.loads(body)
    assert status == 200 and (page["total"], page["page"], page["pages"], page["page_size"]) == (161, 2, 9, 20)
    salaries = sorted((r["salaire_brut"] for r in theirs), reverse=True)
    assert [float(r["salaire_brut"]) for r in page["rows"]] == [float(s) for s in salaries[20:40]]
    # Search: case-insensitive, over the text columns; CSV gives every matching row in order.
    unit = theirs[0]["business_unit"]
    found = json.loads(hr(f"/api/prime_sportive?year={YEAR}&q={unit.upper()}&sort=employee_id")[2])
    expected = sorted(r["employee_id"] for r in theirs if unit.lower() in
                      " ".join(str(r[c]) for c in ("nom", "prenom", "business_unit", "moyen_deplacement",
                                                   "reason", "reason_text", "distance_source")).lower())
    assert found["total"] == len(expected)
    assert [r["employee_id"] for r in found["rows"]] == expected[:50]
    status, _, body = hr(f"/api/prime_sportive?year={YEAR}&q={unit}&sort=employee_id&format=csv")
    assert [int(r["employee_id"]) for r in csv.DictReader(io.StringIO(body))] == expected
    # Accents and case ignored: a first name with an accent, typed without it and in capitals,
    # finds what Python's own NFD decomposition (marks dropped) finds in delta-rs's rows.
    def folded(text):
        return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()
    accented = next(r["prenom"] for r in theirs if folded(r["prenom"]) != r["prenom"].lower())
    typed = folded(accented).upper()
    assert typed.isascii(), typed
    found = json.loads(hr(f"/api/prime_sportive?year={YEAR}&q={urllib.parse.quote(typed)}"
                          f"&sort=employee_id&page_size=500")[2])
    columns = ("nom", "prenom", "business_unit", "moyen_deplacement", "reason", "reason_text", "distance_source")
    assert [r["employee_id"] for r in found["rows"]] == sorted(
        r["employee_id"] for r in theirs if any(folded(typed) in folded(r[c] or "") for c in columns))
    assert accented in [r["prenom"] for r in found["rows"]]
    # A page past the end shows the last one; the aggregates page too.
    assert json.loads(hr(f"/api/prime_sportive?year={YEAR}&page=99")[2])["page"] == 4
    assert json.loads(hr(f"/api/kpi_by_bu?year={YEAR}&sort=employees&dir=desc")[2])["total"] >= 1
    # Bad parameters: 400 with a code, the message in the request's language.
    for query, word in (("sort=salaire", "salaire"), ("dir=up", "up"), ("page=0", "0"), ("page_size=501", "501")):
        status, _, body = hr(f"/api/prime_sportive?year={YEAR}&{query}")
        assert status == 400 and word in json.loads(body)["error"] and json.loads(body)["code"] == "bad_request", query


def test_errors_in_the_requests_language(served):
    url, _, home = served
    hr = token(home, "hr")
    assert json.loads(get(f"{url}/api/prime_sportive", hr)[2])["error"] == "le paramètre year est obligatoire"
    assert json.loads(get(f"{url}/api/prime_sportive?lang=en", hr)[2])["error"] == "the parameter year is required"
    body = get(f"{url}/api/prime_sportive", hr, {"Accept-Language": "en-US,en;q=0.9"})[2]
    assert json.loads(body)["error"] == "the parameter year is required"
    status, headers, html = get(f"{url}/?year=1999&lang=en", hr)
    assert status == 404 and headers["Content-Type"].startswith("text/html") and "no Gold for 1999" in html
    status, _, body = get(f"{url}/api/years", None, {"Accept-Language": "en"})
    assert status == 401 and json.loads(body)["code"] == "unauthorized" and "token" in json.loads(body)["error"]


def test_viewer_reads_the_distributions(served):
    """The charts' aggregates need no per-employee row: a viewer reads them."""
    url, lake, home = served
    viewer = token(home, "viewer")
    bins = json.loads(get(f"{url}/api/distance_bins?year={YEAR}", viewer)[2])
    prime = DeltaTable(str(lake / "gold" / "prime_sportive")).to_pyarrow_table().to_pylist()
    sporty = [p for p in prime if p["threshold_km"] is not None and p["distance_km"] is not None]
    assert sum(b["employees"] for b in bins) == len(sporty)
    for b in bins:
        assert b["employees"] == sum(1 for p in sporty if min(int(p["distance_km"]), 50) == b["km"]
                                     and (p["threshold_km"] == 15) == (b["travel_mode"] == "walking"))
    shortfall = json.loads(get(f"{url}/api/wellbeing_shortfall?year={YEAR}", viewer)[2])
    wellbeing = DeltaTable(str(lake / "gold" / "wellbeing")).to_pyarrow_table().to_pylist()
    assert {s["missing"]: s["employees"] for s in shortfall} == {
        m: sum(1 for w in wellbeing if (0 if w["eligible"] else w["missing"]) == m)
        for m in {0 if w["eligible"] else w["missing"] for w in wellbeing}}
