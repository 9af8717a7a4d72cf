"""Issue 17: the overview page in a real headless Chromium (tests/browser.py). It loads without a
console error, its SVG charts carry the API's numbers, the employees' table sorts, searches and
pages on the server like the API, French by default and English on request, and axe-core finds
no serious or critical accessibility violation."""
import json
from collections import defaultdict

import pytest
from serve_helpers import FRENCH, YEAR, get, token



@pytest.fixture(scope="module")
def api(served):
    url, _, home = served

    def api_get(path):
        status, _, body = get(url + path, token(home, "hr"))
        assert status == 200, (path, body)
        return json.loads(body)
    return api_get


def rects(browser, chart):
    """(series, category) → value of the chart's bars, each drawn with a height."""
    out = {}
    for r in browser.css(f"svg#{chart} rect[data-value]"):
        assert float(r.get_attribute("height")) >= 0
        out[(r.get_attribute("data-series"), r.get_attribute("data-category"))] = float(r.get_attribute("data-value"))
    return out


def test_the_charts_draw_the_apis_numbers(browser, as_hr, api):
    browser.open(f"{as_hr}/?year={YEAR}")
    assert browser.console_errors() == []
    assert browser.driver.execute_script("return document.documentElement.lang") == "fr"
    # KPI cards.
    kpi = api(f"/api/kpi_summary?year={YEAR}")[0]
    cards = {c.get_attribute("data-kpi"): c.get_attribute("data-value") for c in browser.css("#kpis [data-kpi]")}
    assert cards["employees"] == str(kpi["employees"]) and cards["total_bonus_eur"] == kpi["total_bonus_eur"]
    # Activities per month by sport, stacked.
    monthly = defaultdict(float)
    for row in api(f"/api/activity_monthly?year={YEAR}"):
        monthly[(row["sport_type"], str(row["month"]))] += row["activities"]
    drawn = rects(browser, "chart-monthly")
    assert drawn == dict(monthly) and len(drawn) > 5
    # Bars are really laid out (the browser gives them a size).
    bar = browser.css("svg#chart-monthly rect[data-value]")[0]
    assert bar.size["height"] > 0 and bar.size["width"] > 0
    # Bonus cost and headcount by business unit.
    by_bu = api(f"/api/kpi_by_bu?year={YEAR}")
    cost = {k[1]: v for k, v in rects(browser, "chart-bu-cost").items()}
    heads = {k[1]: v for k, v in rects(browser, "chart-bu-headcount").items()}
    assert cost == {r["business_unit"]: float(r["total_bonus_eur"]) for r in by_bu}
    assert heads == {r["business_unit"]: r["employees"] for r in by_bu}
    # Commute distances with the 15 and 25 km limits.
    bins = api(f"/api/distance_bins?year={YEAR}")
    assert bins and sum(b["employees"] for b in bins) == sum(
        1 for p in api(f"/api/prime_sportive?year={YEAR}") if p["threshold_km"] is not None and p["distance_km"] is not None)
    drawn = rects(browser, "chart-distance")
    assert sorted(drawn.values()) == sorted(float(b["employees"]) for b in bins)
    assert sorted(float(m.get_attribute("data-at")) for m in browser.css("svg#chart-distance line.marker")) == [15, 25]
    # Well-being: how many are 1 to 5 activities short.
    wellbeing = api(f"/api/wellbeing?year={YEAR}")
    drawn = {int(k[1]): v for k, v in rects(browser, "chart-wellbeing").items()}
    for short in range(1, 6):
        expected = sum(1 for w in wellbeing if not w["eligible"] and w["missing"] == short)
        assert drawn.get(short, 0) == expected, short


def table_ids(browser):
    return [int(tr.get_attribute("data-employee")) for tr in browser.css("#employee-table tbody tr[data-employee]")]


def test_the_table_sorts_searches_and_pages_on_the_server(browser, as_hr, api):
    browser.open(f"{as_hr}/?year={YEAR}")
    assert len(table_ids(browser)) == 50  # one page of 161
    assert browser.one("#page-of").get_attribute("data-pages") == "4"
    # Sort by bonus: ascending, then descending on a second click; the API gives the same order.
    browser.one('#employee-table th a[data-sort="prime_eur"]').click()
    page = api(f"/api/prime_sportive?year={YEAR}&sort=prime_eur")
    assert table_ids(browser) == [r["employee_id"] for r in page["rows"]]
    browser.one('#employee-table th a[data-sort="prime_eur"]').click()
    page = api(f"/api/prime_sportive?year={YEAR}&sort=prime_eur&dir=desc")
    assert table_ids(browser) == [r["employee_id"] for r in page["rows"]]
    bonuses = [float(r["prime_eur"]) for r in page["rows"]]
    assert bonuses == sorted(bonuses, reverse=True) and bonuses[0] > 0
    assert browser.one('th[aria-sort="descending"] a').get_attribute("data-sort") == "prime_eur"
    # Next page keeps the sort.
    browser.one('nav.pages a[rel="next"]').click()
    page2 = api(f"/api/prime_sportive?year={YEAR}&sort=prime_eur&dir=desc&page=2")
    assert page2["page"] == 2 and page2["total"] == 161 and page2["pages"] == 4
    assert table_ids(browser) == [r["employee_id"] for r in page2["rows"]]
    assert browser.one("#page-of").get_attribute("data-page") == "2"
    # Search: a business unit's name, typed in the search box.
    unit = api(f"/api/kpi_by_bu?year={YEAR}")[0]["business_unit"]
    box = browser.one("#q")
    box.clear()
    box.send_keys(unit.lower())
    box.submit()
    found = api(f"/api/prime_sportive?year={YEAR}&sort=prime_eur&dir=desc&q={unit.lower()}&page_size=500")
    assert 0 < found["total"] < 161
    assert int(browser.one("#row-count").get_attribute("data-total")) == found["total"]
    assert table_ids(browser) == [r["employee_id"] for r in found["rows"]][:50]
    for tr in browser.css("#employee-table tbody tr[data-employee]"):
        assert unit.lower() in tr.text.lower()
    assert browser.console_errors() == []


def test_french_by_default_english_on_request(browser, as_hr):
    browser.open(f"{as_hr}/?year={YEAR}")
    assert browser.one("h1").text == f"Avantages sportifs {YEAR}"
    assert "172\u202f482,50\u00a0€" in browser.one('[data-kpi="total_bonus_eur"]').get_attribute("textContent")
    browser.one("header a.lang").click()  # the switch keeps the year
    assert browser.driver.execute_script("return document.documentElement.lang") == "en"
    assert browser.one("h1").text == f"Sport benefits {YEAR}"
    assert "€172,482.50" in browser.one('[data-kpi="total_bonus_eur"]').get_attribute("textContent")
    assert "Dec" in browser.one("svg#chart-monthly").get_attribute("innerHTML")
    assert "eligible: sporty commute within the distance limit" in browser.one("#employee-table").text
    browser.one("header a.lang").click()
    assert browser.one("h1").text == f"Avantages sportifs {YEAR}"
    # The browser's language, without ?lang=.
    browser.accept_language("en-GB,en;q=0.9,fr;q=0.5")
    browser.open(f"{as_hr}/?year={YEAR}")
    assert browser.one("h1").text == f"Sport benefits {YEAR}"
    browser.open(f"{as_hr}/?year=1999")  # an error shown to a person is in their language too
    assert "no Gold for 1999" in browser.one("main").text
    browser.accept_language(FRENCH)
    assert browser.console_errors() == [] or all("404" in e["message"] for e in browser.console_errors())


@pytest.mark.parametrize("role,lang", [("hr", "fr"), ("hr", "en"), ("viewer", "fr")])
def test_no_serious_accessibility_violation(browser, served, role, lang):
    url, _, home = served
    browser.accept_language(FRENCH)
    browser.sign_in(url, token(home, role))
    browser.open(f"{url}/?year={YEAR}&lang={lang}")
    assert browser.console_errors() == []
    assert browser.axe_violations() == []
    if role == "viewer":  # the charts drawn from aggregates, no employee's row
        assert browser.css("svg#chart-distance rect[data-value]") and not browser.css("#employee-table")



def announce(lake_home, activity_id, text):
    """A notification_outbox row `sent` now, as the notifier writes it after its Slack post."""
    import subprocess
    sportlake, e, _ = lake_home
    subprocess.run([sportlake, "db", "psql", "--", "-XAtc",
                    "INSERT INTO notification_outbox (activity_id, status, payload, sent_at) VALUES "
                    f"({activity_id}, 'sent', jsonb_build_object('text', $${text}$$), now())"],
                   env=e, check=True, capture_output=True)


def feed_ids(browser):
    return [li.get_attribute("data-activity-id") for li in browser.css("#feed-list li")]


def wait_in(browser, condition, what, seconds=10):
    import time
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, (
            f"never: {what}: {feed_ids(browser)} {browser.one('#feed-state').text} {browser.console_errors()}")
        time.sleep(0.1)


def test_the_feed_shows_its_latest_items_before_any_script_and_each_once(browser, as_hr, lake_home):
    """The list comes in the HTML (useful without script); the stream then sends the latest 20
    again and the script must not list them twice."""
    import time
    announce(lake_home, 9200001, "Zoé a couru 3 km")
    time.sleep(0.6)  # the page's reading of the outbox is at most 0.5 s old
    status, _, html = get(f"{as_hr}/?year={YEAR}", token(lake_home[2], "viewer"))
    assert status == 200 and '<li data-activity-id="9200001">' in html  # in the HTML itself
    browser.open(f"{as_hr}/?year={YEAR}")
    wait_in(browser, lambda: browser.one("#feed-state").text.startswith("en direct"), "the stream live")
    time.sleep(1)  # the stream's first events (the latest 20) had time to arrive
    ids = feed_ids(browser)
    assert ids[0] == "9200001" and len(ids) == len(set(ids)) <= 20, ids
    assert browser.console_errors() == []
    assert browser.axe_violations() == []


def test_the_feed_adds_a_new_activity_on_top_in_chromium(browser, as_hr, lake_home):
    browser.open(f"{as_hr}/?year={YEAR}")
    wait_in(browser, lambda: browser.one("#feed-state").text.startswith("en direct"), "the stream live")
    announce(lake_home, 9200002, "Noé a nagé 1 km")
    wait_in(browser, lambda: feed_ids(browser)[:1] == ["9200002"], "the new activity on top")
    ids = feed_ids(browser)
    assert len(ids) == len(set(ids)), ids
