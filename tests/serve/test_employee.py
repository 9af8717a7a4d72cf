"""Issue 17: `sportlake explain <id>` and the employee page (/employee/<id>, /api/employee/<id>)
on a lake refreshed from the sample for two years, between which one cyclist moved to Nîmes
(~50 km: no bonus any more, a declaration anomaly). Figures are checked against SQL on the source
tables (bonus = 5 % of the salary, the well-being count) and delta-rs's reading of dq_issues; the
page and the API must say what `explain --json` says; only hr reads them."""
import html as html_module
import json
import re
import shutil
import subprocess
import time
from decimal import ROUND_HALF_UP, Decimal

import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable
from serve_helpers import Server, get, new_home, token

YEAR = 2025
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def lake(build_dir):
    sportlake, e, base, run = new_home(build_dir, "sl-explain-")

    def psql(query):
        return run("db", "psql", "--", "-XAtc", query).split("\n")[:-1]

    run("db", "start")
    run("load")
    run("simulate", "--backfill-months", "18", "--as-of", f"{YEAR}-11-30", "--seed", "5")
    run("distances")
    run("ingest", "--idle-exit", "1")
    run("refresh", "--year", YEAR - 1)
    hired = f"date_embauche < '{YEAR - 1}-01-01'"
    cyclist = int(psql(f"SELECT min(id) FROM rh_employees WHERE moyen_deplacement = "
                       f"'Vélo/Trottinette/Autres' AND {hired}")[0])
    psql(f"UPDATE rh_employees SET adresse_complete = '3 Rue de la Madeleine, 30000 Nîmes' "
         f"WHERE id = {cyclist}")
    run("distances")
    run("ingest", "--idle-exit", "1")
    run("refresh", "--year", YEAR)
    # The walker with the most activities of the year (not every employee does sport).
    walker = int(psql(f"""SELECT e.id FROM rh_employees e JOIN strava_activities s ON s.employee_id = e.id
        WHERE e.moyen_deplacement = 'Marche/running' AND e.{hired}
        AND extract(year FROM s.start_date_local) = {YEAR}
        GROUP BY e.id ORDER BY count(*) DESC, e.id LIMIT 1""")[0])
    issues = DeltaTable(str(base / "home" / "delta" / "silver" / "dq_issues")).to_pyarrow_table().to_pylist()
    mismatch = next(i for i in issues if i["rule"] == "postcode_matches_city")
    assert mismatch["employee_id"] == int(mismatch["row_key"])  # the finding names its employee
    # A name written to run in a browser: the page must show it as text.
    psql(f"UPDATE rh_employees SET nom = $${HOSTILE}$$ WHERE id = {mismatch['employee_id']}")
    run("ingest", "--idle-exit", "1")
    run("refresh", "--year", YEAR)
    server = Server(sportlake, e, "--listen", "127.0.0.1:0")
    yield {"run": run, "psql": psql, "sportlake": sportlake, "env": e, "home": base / "home",
           "url": server.url, "walker": walker, "cyclist": cyclist,
           "mismatch": mismatch["employee_id"]}
    server.stop()
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def explain(lake, *args):
    return json.loads(lake["run"]("explain", *map(str, args), "--json"))


def expected_bonus(lake, employee):
    salary = Decimal(lake["psql"](f"SELECT salaire_brut FROM rh_employees WHERE id = {employee}")[0])
    return str((salary * Decimal("0.05")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def counted_activities(lake, employee, year):
    return int(lake["psql"](f"""SELECT count(*) FROM strava_activities WHERE employee_id = {employee}
        AND extract(year FROM start_date_local) = {year} AND NOT commute""")[0])


def test_an_eligible_walker(lake):
    w = lake["walker"]
    f = explain(lake, w)
    assert f["employee_id"] == w and f["year"] == YEAR and f["years"] == [YEAR, YEAR - 1]
    d = f["decision"]
    assert d["moyen_deplacement"] == "Marche/running" and d["threshold_km"] == 15
    assert d["eligible"] is True and d["reason"] == "eligible"
    assert d["distance_source"] == "offline" and d["distance_estimate"] is True
    assert 0 < d["distance_km"] <= 15
    assert d["prime_eur"] == expected_bonus(lake, w)
    c = f["commute"]
    address = lake["psql"](f"SELECT adresse_complete FROM rh_employees WHERE id = {w}")[0]
    assert c["address"] == address and c["located"]["match"] and c["located"]["commune"]
    assert f["commute_changed"] is False
    # Well-being: the SQL count, the months add up to it, the activities listed are the year's.
    n = counted_activities(lake, w, YEAR)
    wb = f["wellbeing"]
    assert wb["activities"] == n == sum(wb["monthly"]) > 0
    assert wb["missing"] == max(0, 15 - n) and wb["eligible"] == (n >= 15)
    assert sum(a["counted"] for a in f["activities"]) == n
    assert all(a["start_local"].startswith(str(YEAR)) for a in f["activities"])
    assert [h["year"] for h in f["history"]] == [YEAR, YEAR - 1]
    assert all(h["eligible"] for h in f["history"])
    # The terminal's text says the same.
    text = lake["run"]("explain", w)
    assert f"employee {w}:" in text and "eligible (eligible)" in text
    assert f"bonus           {d['prime_eur']} EUR" in text and address in text


def test_a_cyclist_too_far_with_the_history_of_the_decision(lake):
    c = lake["cyclist"]
    f = explain(lake, c)
    d = f["decision"]
    assert d["moyen_deplacement"] == "Vélo/Trottinette/Autres" and d["threshold_km"] == 25
    assert d["eligible"] is False and d["declaration_anomaly"] is True
    assert d["reason"] in ("over_threshold", "likely_error") and d["distance_km"] > 25
    assert d["prime_eur"] == "0.00"
    assert f["commute"]["address"] == "3 Rue de la Madeleine, 30000 Nîmes"
    assert f["commute"]["located"]["commune"] == "Nîmes"
    assert any(i["rule"] == "within_threshold" for i in f["findings"])
    # The year before, with the old address, the bonus was granted.
    before = {h["year"]: h for h in f["history"]}
    assert before[YEAR - 1]["eligible"] is True and before[YEAR]["eligible"] is False
    assert before[YEAR - 1]["prime_eur"] == expected_bonus(lake, c)
    old = explain(lake, c, "--year", YEAR - 1)
    assert old["year"] == YEAR - 1 and old["decision"]["eligible"] is True
    # Silver holds the new address: that year's decision no longer matches it.
    assert old["commute_changed"] is True
    assert old["wellbeing"]["activities"] == counted_activities(lake, c, YEAR - 1)


def test_an_employee_with_a_data_quality_finding(lake):
    m = lake["mismatch"]
    f = explain(lake, m)
    rules = [i["rule"] for i in f["findings"]]
    assert "postcode_matches_city" in rules
    assert f["commute"]["located"]["match"] == "postcode_mismatch"
    text = lake["run"]("explain", m)
    assert "postcode_matches_city" in text
    # The sample's first postcode mismatch commutes by public transport: no distance is asked.
    assert f["decision"]["threshold_km"] is None and f["decision"]["reason"] == "not_sporty"
    assert "distance        not computed (not a sporty mode)" in text
    page = get(f"{lake['url']}/employee/{m}", token(lake["home"], "hr"))[2]
    assert "non calculée (mode non sportif)" in page and "Source de la distance" not in page


def test_explain_refuses_what_the_lake_does_not_hold(lake):
    for args, message in (([999999], "no employee 999999"), ([lake["walker"], "--year", 1999], "no Gold for 1999")):
        done = subprocess.run([lake["sportlake"], "explain", *map(str, args)], env=lake["env"],
                              capture_output=True, text=True)
        assert done.returncode == 1 and message in done.stderr, done.stderr


def test_only_hr_reads_the_employee_page(lake):
    url, home, w = lake["url"], lake["home"], lake["walker"]
    for path in (f"/employee/{w}", f"/api/employee/{w}?year={YEAR}"):
        status, headers, _ = get(url + path)
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
        assert get(url + path, token(home, "hr"))[0] == 200
    # The API's errors: JSON {"error", "code"} like every API route, in the request's language.
    hr, en = token(home, "hr"), {"Accept-Language": "en"}
    for path, status, code, message in (
            (f"/api/employee/{w}", 403, "forbidden",
             "an employee's page holds per-employee rows: the hr role reads it"),
            ("/api/employee/999999", 404, "not_found", "no employee 999999 in the lake"),
            (f"/api/employee/{w}?year=1999", 404, "not_found", "no Gold for 1999"),
            (f"/api/employee/{w}?year=abc", 400, "bad_request", "year 'abc' is not a year")):
        got, headers, body = get(url + path, token(home, "viewer") if status == 403 else hr, en)
        assert got == status and headers["Content-Type"].startswith("application/json"), body
        assert json.loads(body) == {"error": message, "code": code}
    status, _, body = get(f"{url}/api/employee/999999?lang=fr", hr)
    assert json.loads(body) == {"error": "aucun salarié 999999 dans le lac", "code": "not_found"}
    # The page's errors are pages, in the shared frame, in the person's language.
    for path, status, message in ((f"/employee/{w}", 403, "réservée au rôle hr"),
                                  ("/employee/999999", 404, "aucun salarié 999999 dans le lac"),
                                  (f"/employee/{w}?year=1999", 404, "pas de Gold pour 1999"),
                                  (f"/employee/{w}?year=abc", 400, "année 'abc' invalide")):
        got, headers, body = get(url + path, token(home, "viewer") if status == 403 else hr)
        assert got == status and headers["Content-Type"].startswith("text/html"), body
        assert '<html lang="fr">' in body and html_text(message) in body
    status, _, body = get(f"{url}/employee/999999?lang=en", hr)
    assert status == 404 and '<html lang="en">' in body and "no employee 999999 in the lake" in body


def html_text(text):
    return html_module.escape(text, quote=True).replace("&#x27;", "&#39;")


def french_euros(decimal):
    whole, cents = decimal.split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return "\u202f".join(groups) + "," + cents + "\u00a0€"


@pytest.mark.parametrize("who", ["walker", "cyclist", "mismatch"])
def test_the_page_says_what_explain_says(lake, who):
    url, home, employee = lake["url"], lake["home"], lake[who]
    hr = token(home, "hr")
    facts = explain(lake, employee)
    status, headers, body = get(f"{url}/api/employee/{employee}?year={YEAR}", hr)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert json.loads(body) == facts
    status, headers, html = get(f"{url}/employee/{employee}", hr)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<script" not in html and "script-src" not in headers["Content-Security-Policy"]
    d = facts["decision"]
    name = f"{facts['employee']['prenom']} {facts['employee']['nom']}"
    assert html_text(name) in html
    assert html_text(d["reason_text"]) in html
    assert french_euros(d["prime_eur"]) in html
    assert html_text(facts["commute"]["address"]) in html
    # The monthly chart: a bar per month with activities, carrying its count.
    bars = {int(m): int(n) for m, n in re.findall(
        r'<rect [^>]*data-series="Activités comptées" data-category="(\d+)" data-value="(\d+)"', html)}
    assert bars == {m + 1: n for m, n in enumerate(facts["wellbeing"]["monthly"]) if n}
    assert f"Activités {YEAR} ({len(facts['activities'])})" in html
    for finding in facts["findings"]:
        assert finding["rule"] in html
    if who == "mismatch":
        assert facts["employee"]["nom"] == HOSTILE and "<img" not in html


def test_the_overview_links_each_employee_to_the_page(lake):
    # The employees' table is paged (50 rows by default): one page of 500 holds them all.
    status, _, html = get(f"{lake['url']}/?year={YEAR}&page_size=500", token(lake["home"], "hr"))
    assert status == 200
    assert f'href="/employee/{lake["walker"]}?year={YEAR}"' in html
    assert f'href="/employee/{lake["cyclist"]}?year={YEAR}"' in html


def test_explain_on_a_silver_written_before_dq_issues_named_the_employee(lake, tmp_path):
    """A lake refreshed by an older sportlake (dq_issues without employee_id) still explains:
    the findings keyed by the employee, until the next refresh adds the column."""
    from deltalake import write_deltalake
    root = tmp_path / "delta"
    shutil.copytree(lake["home"] / "delta", root)
    old = DeltaTable(str(root / "silver" / "dq_issues")).to_pyarrow_table().drop(["employee_id"])
    shutil.rmtree(root / "silver" / "dq_issues")
    write_deltalake(str(root / "silver" / "dq_issues"), old)
    assert "employee_id" not in DeltaTable(str(root / "silver" / "dq_issues")).schema().to_pyarrow().names
    env = dict(lake["env"], SPORTLAKE_LAKE_ROOT=str(root))
    done = subprocess.run([lake["sportlake"], "explain", str(lake["mismatch"]), "--json"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rules = [i["rule"] for i in json.loads(done.stdout)["findings"]]
    assert "postcode_matches_city" in rules


def index_metrics(url, home):
    """{(name, table, by): value} of the employee indexes' metrics (/metrics, as hr)."""
    status, _, text = get(f"{url}/metrics", token(home, "hr"))
    assert status == 200
    out = {}
    for line in text.splitlines():
        if line.startswith("sportlake_serve_index_"):
            name, rest = line.split("{", 1)
            labels = dict(kv.split("=", 1) for kv in rest.rsplit("}", 1)[0].split(","))
            out[(name, labels["table"].strip('"'), labels.get("by", '""').strip('"'))] = float(line.rsplit(" ", 1)[1])
    return out


def test_the_employee_indexes_are_built_at_start_and_hold_16_bytes_per_employee_and_part(lake):
    """A server that just started indexes the employee page's tables by itself (/readyz says when),
    so its first employee page is answered from the index: no request builds one. The index of
    Silver activities keeps the rows on disk and 16 bytes per (employee, part of files) in memory
    (bounded here by one entry per employee and file)."""
    server = Server(lake["sportlake"], lake["env"], "--listen", "127.0.0.1:0")
    try:
        url, home = server.url, lake["home"]
        deadline = time.monotonic() + 60
        while (ready := get(f"{url}/readyz"))[0] != 200:  # no token needed
            assert ready[0] == 503 and ready[2] == "indexing" and time.monotonic() < deadline, ready
            time.sleep(0.05)
        assert ready[2] == "ready"
        built = index_metrics(url, home)
        tables = {"silver/activities", "silver/employees", "silver/commutes", "silver/dq_issues",
                  "gold/prime_sportive", "gold/wellbeing"}
        assert {t for (name, t, by) in built if name.endswith("builds_total") and by == "background"} == tables
        status, _, body = get(f"{url}/employee/{lake['walker']}?year={YEAR}", token(home, "hr"))
        assert status == 200 and 'data-fact="activities"' in body
        after = index_metrics(url, home)
        builds = {k: v for k, v in after.items() if k[0].endswith("builds_total")}
        assert builds == {k: v for k, v in built.items() if k[0].endswith("builds_total")}
        assert not any(by == "request" for (_, _, by) in builds)
        # Memory: one entry per (employee, file) and an end marker per file, plus a fixed part.
        files = DeltaTable(str(home / "delta" / "silver" / "activities")).file_uris()
        entries = sum(len(pq.read_table(f, columns=["employee_id"]).column(0).drop_null().unique()) + 1
                      for f in files)
        rows = after[("sportlake_serve_index_rows", "silver/activities", "")]
        memory = after[("sportlake_serve_index_memory_bytes", "silver/activities", "")]
        assert rows == sum(pq.read_metadata(f).num_rows for f in files) > 1000
        assert memory <= 16 * entries + 512 * len(files) + 256, (memory, entries, rows)
        assert after[("sportlake_serve_index_disk_bytes", "silver/activities", "")] > 20 * rows
    finally:
        server.stop()
