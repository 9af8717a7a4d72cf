"""A real headless Chromium for the dashboard's pages: Debian's `chromium` + `chromium-driver`
(installed by scripts/install-deps.sh) driven through Selenium, with the browser console and
axe-core (tests/web, npm) at hand. Every dashboard page's tests use it: `browser` fixture in
tests/serve/conftest.py.

    browser.sign_in(url, token)          # the ?token= login: a session cookie, like a person
    browser.open(url + "/?year=2025")
    assert browser.console_errors() == []
    assert browser.axe_violations() == []   # serious or critical only
"""
import json
import pathlib
import shutil
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "web" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def missing_tools():
    """What the browser tests need and is not installed ('' when all is there)."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    if not AXE.exists():
        missing.append(str(AXE))
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (requirements-test.txt)")
    return ", ".join(missing)


class Browser:
    def __init__(self, width=1280, height=1000):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        self.profile = tempfile.mkdtemp(prefix="sl-chromium-")
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-extensions", "--disable-background-networking",
                    "--disable-sync", "--disable-default-apps", f"--user-data-dir={self.profile}",
                    f"--window-size={width},{height}", "--lang=fr-FR"):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(30)
        self.driver.set_script_timeout(60)
        self._axe = None

    def quit(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def open(self, url):
        self.console_errors()  # forget what earlier pages logged
        self.driver.get(url)

    def sign_in(self, base_url, token):
        """The browser's login: `?token=` answers a 303 and the session cookie."""
        self.driver.delete_all_cookies()
        self.open(f"{base_url}/healthz")  # a page of the origin, to own its cookies
        self.driver.get(f"{base_url}/?token={token}")

    def accept_language(self, value):
        """Send `Accept-Language: value` from now on (None: Chromium's own)."""
        self.driver.execute_cdp_cmd("Network.enable", {})
        headers = {"Accept-Language": value} if value else {}
        self.driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": headers})

    def console_errors(self):
        """The console's errors since the last call (CSP violations, failed loads, script errors)."""
        return [e for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    def axe_violations(self, impacts=("serious", "critical")):
        """axe-core's violations of the current page with one of `impacts`: [(id, help, nodes)]."""
        if self._axe is None:
            self._axe = AXE.read_text()
        self.driver.execute_script(self._axe)
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));")
        violations = json.loads(result)
        assert not isinstance(violations, dict), violations
        return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5])
                for v in violations if v.get("impact") in impacts]

    def css(self, selector):
        from selenium.webdriver.common.by import By
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def one(self, selector):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, selector)
