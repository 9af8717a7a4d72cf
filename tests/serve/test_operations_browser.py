"""The /operations page in a real headless Chromium (tests/browser.py), on the lake of
tests/serve/conftest.py: in the shared frame for the ops and hr roles without a console error,
French by default and English by the FR/EN switch, `?lang=en` or Accept-Language, with numbers,
sizes, durations and dates in the page's language; it reloads every 10 s by the `Refresh`
header, which a link on the page stops; axe-core finds no serious or critical violation. The
browser opens `?refresh=off` (the same page, with the link that restarts the reloading): a
reload in the middle of a test would detach the elements it reads."""
import re

import pytest
from serve_helpers import FRENCH, get, token


@pytest.fixture(params=["ops", "hr"])
def signed_in(request, browser, served):
    """The browser signed in with the role, asking for French: the server's url."""
    url, _, home = served
    browser.accept_language(FRENCH)
    browser.sign_in(url, token(home, request.param))
    return url, request.param


def texts(browser, selector):
    return [e.get_attribute("textContent") for e in browser.css(selector)]


def test_loads_in_the_shared_frame_for_ops_and_hr(browser, signed_in):
    url, role = signed_in
    browser.open(f"{url}/operations?refresh=off")
    assert browser.console_errors() == []
    assert browser.driver.execute_script("return document.documentElement.lang") == "fr"
    assert browser.one("h1").text == "Exploitation"
    current = browser.one('header nav a[aria-current="page"]')
    assert current.get_attribute("pathname") == "/operations" and current.text == "Exploitation"
    assert browser.css("script") == [] and browser.css('meta[http-equiv="refresh"]') == []
    assert len(browser.css("style")) == 1  # the shared sheet, no copy of its own
    assert "Slots de réplication" in texts(browser, "main h2")
    assert "sportlake_bronze" in texts(browser, "main td")
    # French formats: a size in Kio/Mio with a decimal comma, dates with French months.
    sizes = [t for t in texts(browser, "main td.n") if re.search(r"[KMG]io$|\u00a0o$", t)]
    assert sizes and all("." not in s for s in sizes), sizes
    assert any(re.search(r"^il y a [0-9]", t) for t in texts(browser, ".card .v"))
    assert any(re.search(r"\d+ (janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
                         r"octobre|novembre|décembre) \d{4} \d\d:\d\d:\d\d UTC", t)
               for t in texts(browser, "main td"))


def test_the_viewer_has_no_operations_entry_and_gets_403(browser, served):
    url, _, home = served
    browser.accept_language(FRENCH)
    browser.sign_in(url, token(home, "viewer"))
    browser.open(f"{url}/?lang=fr")
    assert [a.get_attribute("pathname") for a in browser.css("header nav a")] == ["/"]
    assert get(f"{url}/operations", token(home, "viewer"))[0] == 403


def test_french_english_switch(browser, signed_in):
    url, _ = signed_in
    browser.open(f"{url}/operations?refresh=off")
    assert "Slots de réplication" in texts(browser, "main h2")
    browser.one("header a.lang").click()
    assert browser.driver.current_url.endswith("/operations?refresh=off&lang=en")
    assert browser.driver.execute_script("return document.documentElement.lang") == "en"
    assert browser.one("h1").text == "Operations"
    assert "Replication slots" in texts(browser, "main h2")
    cells = texts(browser, "main td")
    assert not any("il y a" in t or "Mio" in t or "Kio" in t for t in cells + texts(browser, ".card .v"))
    assert any(re.search(r"^[0-9].*\u00a0(s|min|h) ago$", t) for t in texts(browser, ".card .v"))
    assert any(re.search(r"\d+ (January|February|March|April|May|June|July|August|September|"
                         r"October|November|December) \d{4} ", t) for t in cells)
    assert all("lang=en" in a.get_attribute("href") for a in browser.css('header nav a'))
    browser.one("header a.lang").click()
    assert browser.one("h1").text == "Exploitation"
    # The browser's language, without ?lang=.
    browser.accept_language("en-GB,en;q=0.9,fr;q=0.5")
    browser.open(f"{url}/operations?refresh=off")
    assert browser.one("h1").text == "Operations"
    browser.accept_language(FRENCH)
    assert browser.console_errors() == []


def test_refresh_header_and_the_link_that_stops_it(browser, served):
    url, _, home = served
    status, headers, html = get(f"{url}/operations?lang=en", token(home, "ops"))
    assert status == 200 and headers["Refresh"] == "10" and "reloads every 10" in html
    assert 'href="/operations?refresh=off&amp;lang=en"' in html
    status, headers, html = get(f"{url}/operations?refresh=off&lang=en", token(home, "ops"))
    assert status == 200 and "Refresh" not in headers and "reloading stopped" in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_serious_accessibility_violation(browser, signed_in, lang):
    url, _ = signed_in
    browser.open(f"{url}/operations?refresh=off&lang={lang}")
    assert browser.console_errors() == []
    assert browser.axe_violations() == []
