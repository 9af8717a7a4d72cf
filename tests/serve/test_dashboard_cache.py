"""Issue 17 (latency): the dashboard keeps its rendered answers per Delta versions of the tables
they were drawn from. A refresh that commits new versions must show at once on the cached
Gold answers (overview page, Gold API JSON) and within seconds on the employee page and JSON
(their indexes are rebuilt in the background); the live feed's latest items are
in the overview's HTML (useful without script) and move without a refresh, although the page
around them is cached. A lake of its own: the test changes an employee and refreshes."""
import json
import re
import shutil
import subprocess
import time

import pytest
from serve_helpers import YEAR, Server, get, new_home, token


@pytest.fixture(scope="module")
def lake(build_dir):
    sportlake, e, base, run = new_home(build_dir, "sl-serve-cache-")
    run("db", "start")
    run("load")
    run("distances")
    run("ingest", "--idle-exit", "1")
    run("refresh", "--year", str(YEAR), "--no-publish")
    server = Server(sportlake, e, "--listen", "127.0.0.1:0")
    yield server.url, base / "home", run
    server.stop()
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def ok(url, bearer):
    status, _, body = get(url, bearer)
    assert status == 200, (url, status, body[:300])
    return body


def test_a_refresh_shows_at_once_on_every_cached_answer(lake):
    url, home, run = lake
    hr = token(home, "hr")
    first = json.loads(ok(f"{url}/api/prime_sportive?year={YEAR}&sort=employee_id&page_size=1", hr))
    employee = first["rows"][0]["employee_id"]
    answers = {
        "page": f"{url}/employee/{employee}?year={YEAR}",
        "facts": f"{url}/api/employee/{employee}?year={YEAR}",
        "search": f"{url}/?year={YEAR}&q=zebulon",
        "api": f"{url}/api/prime_sportive?year={YEAR}&q=zebulon",
    }
    before = {name: ok(u, hr) for name, u in answers.items()}
    # Asked again with nothing changed: the same answer (from the cache).
    assert {name: ok(u, hr) for name, u in answers.items()} == before
    assert "Zébulon" not in before["page"] and json.loads(before["api"])["total"] == 0

    run("db", "psql", "--", "-XAtc", f"UPDATE rh_employees SET nom = 'Zébulon' WHERE id = {employee}")
    run("ingest", "--idle-exit", "1")
    run("refresh", "--year", str(YEAR), "--no-publish")

    after = {name: ok(u, hr) for name, u in answers.items()}
    assert f'data-employee="{employee}"' in after["search"]
    assert json.loads(after["api"])["total"] == 1
    # The employee answers read Silver through per-version indexes, which the server builds in
    # the background once it sees the new version (no request waits for it; meanwhile the
    # previous version's answer, whole): within seconds, without a request needing to ask.
    time.sleep(3)
    assert "Zébulon" in ok(answers["page"], hr)
    assert json.loads(ok(answers["facts"], hr))["employee"]["nom"] == "Zébulon"
    # The previous answers are not served any more, in either language.
    assert "Zébulon" in ok(answers["page"] + "&lang=en", hr)


def feed_items(html):
    """The activity ids of the overview's feed list, top first."""
    listed = re.search(r'<ol id="feed-list">(.*?)</ol>', html, re.S)
    assert listed, "no feed list"
    return re.findall(r'<li data-activity-id="(\d+)">', listed.group(1))


def test_the_overview_lists_the_latest_announced_activities_in_its_html(lake):
    url, home, run = lake
    viewer = token(home, "viewer")
    assert feed_items(ok(f"{url}/?year={YEAR}", viewer)) == []

    def announce(activity_id, text, seconds_ago):
        run("db", "psql", "--", "-XAtc",
            "INSERT INTO notification_outbox (activity_id, status, payload, sent_at) VALUES "
            f"({activity_id}, 'sent', jsonb_build_object('text', $${text}$$), "
            f"now() - interval '{seconds_ago} seconds')")

    announce(9100001, "Léa a couru 5,2 km <vite>", 60)
    announce(9100002, "Hugo a roulé 12 km", 30)
    time.sleep(0.6)  # the page's reading of the outbox is at most 0.5 s old
    html = ok(f"{url}/?year={YEAR}", viewer)
    assert feed_items(html) == ["9100002", "9100001"]  # newest first, as the script adds them
    assert "Léa a couru 5,2 km &lt;vite&gt;</li>" in html  # text, never markup
    assert re.search(r'<li data-activity-id="9100002"><time datetime="[0-9T:.-]+Z?">', html)
    # The page around the list is cached, the list is not.
    announce(9100003, "Inès a nagé 1 km", 1)
    time.sleep(0.6)
    assert feed_items(ok(f"{url}/?year={YEAR}", viewer)) == ["9100003", "9100002", "9100001"]
    # English dates in an English page.
    english = ok(f"{url}/?year={YEAR}&lang=en", viewer)
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    assert re.search(rf'<li data-activity-id="9100003"><time [^>]+>\d+ ({months}) ', english)
