"""Issue 17: the employee page in a real headless Chromium (tests/browser.py), on the lake of
tests/serve/conftest.py. It loads without a console error, in the shared frame; what it shows —
the decision and its reason, the bonus, the distance, the well-being count and how many are
missing, the monthly chart's bars — is what `sportlake explain --json` says for the same
employee and year; the FR/EN switch translates labels, the reason (by its code), money, numbers
and months; axe-core finds no serious or critical accessibility violation."""
import json
import subprocess

import pytest
from serve_helpers import FRENCH, YEAR, get, token

REASONS_EN = {  # rewards::reason_code → the English page's text (i18n.cpp)
    "eligible": "eligible: sporty commute within the distance limit",
    "not_sporty": "not eligible: commute mode not sporty",
    "unknown_mode": "not eligible: unknown commute mode",
    "distance_unknown": "not eligible: commute distance unknown (when in doubt, no bonus)",
    "over_threshold": "not eligible: distance beyond the declared mode's limit (declaration anomaly)",
    "likely_error": "not eligible: distance beyond twice the limit (likely declaration error)",
}


@pytest.fixture(scope="module")
def people(lake_home, served):
    """Employees of the year worth a look: the eligible one with the most counted activities, a
    refused one, one with a data-quality finding."""
    url, _, home = served

    def api(path):
        status, _, body = get(url + path, token(home, "hr"))
        assert status == 200, (path, body)
        return json.loads(body)
    prime = {p["employee_id"]: p for p in api(f"/api/prime_sportive?year={YEAR}")}
    wellbeing = {w["employee_id"]: w for w in api(f"/api/wellbeing?year={YEAR}")}
    eligible = max((i for i, p in prime.items() if p["eligible"]),
                   key=lambda i: (wellbeing.get(i, {}).get("activities", 0), -i))
    # The sample's sporty commuters all live within their limit: a refused one drives or rides.
    refused = min(i for i, p in prime.items() if not p["eligible"])
    finding = min(d["employee_id"] for d in api("/api/dq_issues")
                  if d.get("employee_id") is not None and d["employee_id"] in prime)
    return {"eligible": eligible, "refused": refused, "finding": finding}


def explain(lake_home, employee):
    sportlake, env, _ = lake_home
    done = subprocess.run([sportlake, "explain", str(employee), "--year", str(YEAR), "--json"],
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def money(decimal, lang):
    whole, cents = decimal.split(".")
    if lang == "en":
        return f"€{int(whole):,}.{cents}"
    return f"{int(whole):,}".replace(",", "\u202f") + "," + cents + "\u00a0€"


def km(value, lang):
    text = f"{value:.1f}"
    return (text.replace(".", ",") if lang == "fr" else text) + "\u00a0km"


def fact(browser, name):
    return browser.one(f'dd[data-fact="{name}"]').get_attribute("textContent")


def check_facts(browser, facts, lang):
    """The page now open shows `facts` (explain --json) in `lang`."""
    assert browser.driver.execute_script("return document.documentElement.lang") == lang
    assert browser.one("h1").text == f"{facts['employee']['prenom']} {facts['employee']['nom']}"
    d = facts["decision"]
    reason = browser.one('dd[data-fact="decision"] span[data-reason]')
    assert reason.get_attribute("data-reason") == d["reason"]
    assert reason.get_attribute("textContent") == (d["reason_text"] if lang == "fr" else REASONS_EN[d["reason"]])
    assert browser.one('dd[data-fact="bonus"] b').get_attribute("data-value") == d["prime_eur"]
    assert fact(browser, "bonus") == money(d["prime_eur"], lang)
    assert fact(browser, "salary") == money(d["salaire_brut_eur"], lang)
    if d["threshold_km"] is not None:
        assert fact(browser, "distance") == km(d["distance_km"], lang)
        assert fact(browser, "threshold") == km(d["threshold_km"], lang)
    wb = facts["wellbeing"]
    assert int(browser.one('dd[data-fact="activities"] span').get_attribute("data-value")) == wb["activities"]
    missing = browser.one('dd[data-fact="wellbeing_decision"] span')
    assert int(missing.get_attribute("data-missing")) == wb["missing"]
    if not wb["eligible"]:
        assert str(wb["missing"]) in missing.get_attribute("textContent")
    # The monthly chart: a bar per month with activities, laid out, carrying its count.
    bars = {}
    for r in browser.css("svg#chart-employee-monthly rect[data-value]"):
        assert r.size["height"] > 0 and r.size["width"] > 0
        bars[int(r.get_attribute("data-category"))] = int(float(r.get_attribute("data-value")))
    assert bars == {m + 1: n for m, n in enumerate(wb["monthly"]) if n}
    assert sum(bars.values()) == wb["activities"]
    # The activities' table: every activity of the year, the counted ones marked.
    rows = browser.css("#activities tbody tr")
    assert len(rows) == len(facts["activities"])
    assert sum(r.get_attribute("data-counted") == "1" for r in rows) == sum(a["counted"] for a in facts["activities"])
    findings = [r.get_attribute("data-rule") for r in browser.css("#findings tbody tr")]
    assert findings == [f["rule"] for f in facts["findings"]]
    assert [int(r.get_attribute("data-year")) for r in browser.css("#history tbody tr")] == \
        [h["year"] for h in facts["history"]]


@pytest.mark.parametrize("who", ["eligible", "refused", "finding"])
def test_the_page_shows_what_explain_says(browser, as_hr, lake_home, people, who):
    facts = explain(lake_home, people[who])
    browser.open(f"{as_hr}/employee/{people[who]}?year={YEAR}")
    assert browser.console_errors() == []
    check_facts(browser, facts, "fr")
    if who == "eligible":
        assert facts["wellbeing"]["activities"] > 0 and facts["decision"]["eligible"]
    if who == "finding":
        assert facts["findings"]


def test_french_english_switch(browser, as_hr, lake_home, people):
    employee = people["eligible"]
    facts = explain(lake_home, employee)
    browser.open(f"{as_hr}/employee/{employee}?year={YEAR}")
    assert browser.one("main h2").text == "Prime sportive"
    browser.one("header a.lang").click()  # the switch keeps the employee and the year
    assert browser.driver.current_url.endswith(f"/employee/{employee}?year={YEAR}&lang=en")
    check_facts(browser, facts, "en")
    assert browser.one("main h2").text == "Sport bonus"
    assert "Jan" in browser.one("svg#chart-employee-monthly").get_attribute("innerHTML")
    assert "Activities counted per month" in browser.one("figure.monthly figcaption").text
    # Links keep the language: another year, the overview (the JSON has none).
    links = browser.css("#history tbody a, nav.years a:not([href^='/api/'])")
    assert len(links) >= 3 and all("lang=en" in a.get_attribute("href") for a in links)
    browser.one("header a.lang").click()
    check_facts(browser, facts, "fr")
    # The browser's language, without ?lang=.
    browser.accept_language("en-GB,en;q=0.9,fr;q=0.5")
    browser.open(f"{as_hr}/employee/{employee}?year={YEAR}")
    assert browser.one("main h2").text == "Sport bonus"
    browser.accept_language(FRENCH)
    assert browser.console_errors() == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_serious_accessibility_violation(browser, as_hr, people, lang):
    for who in ("eligible", "finding"):
        browser.open(f"{as_hr}/employee/{people[who]}?year={YEAR}&lang={lang}")
        assert browser.console_errors() == []
        assert browser.axe_violations() == []
