"""Full-page screenshots of every dashboard page, for the README, a review or an issue note.

    .venv/bin/python scripts/screenshots.py OUT_DIR [--build build/release]

Builds a lake from the sample as the serve tests do (load, six months of simulated activities,
offline distances, ingest, refresh), starts `sportlake serve`, and saves with headless Chromium
(tests/browser.py): the overview as hr in French and as a viewer in English, the business units
sorted by cost, the employees' table searched, an employee page, the operations page, each as
its first screen and whole. Prints each file with the page's console errors (there should be none)."""
import argparse
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "serve"))
from browser import Browser, missing_tools  # noqa: E402
from serve_helpers import FRENCH, YEAR, Server, new_home, token  # noqa: E402


def full_page(browser, path):
    """The first screen (`NAME-top.png`, what one sees on opening it) and the whole page: the
    window grown to the document's height."""
    browser.driver.save_screenshot(str(path.with_name(path.stem + "-top.png")))
    height = browser.driver.execute_script("return document.documentElement.scrollHeight")
    browser.driver.set_window_size(1280, min(max(height, 800), 12000))
    browser.driver.save_screenshot(str(path))
    browser.driver.set_window_size(1280, 1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--build", type=pathlib.Path, default=ROOT / "build" / "release")
    args = parser.parse_args()
    if missing_tools():
        sys.exit(f"screenshots need {missing_tools()}: run scripts/install-deps.sh")
    args.out.mkdir(parents=True, exist_ok=True)
    sportlake, env, base, run = new_home(args.build.resolve(), "sl-shots-")
    server = browser = None
    try:
        run("db", "start")
        run("load")
        run("simulate", "--backfill-months", "6", "--as-of", f"{YEAR}-11-30", "--seed", "5")
        run("distances")
        run("ingest", "--idle-exit", "1")
        run("refresh", "--year", YEAR)
        server = Server(sportlake, env, "--listen", "127.0.0.1:0")
        home = base / "home"
        employee = run("db", "psql", "--", "-XAtc",
                       "SELECT employee_id FROM strava_activities GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
        pages = [
            ("hr", FRENCH, "/", "overview-hr-fr"),
            ("viewer", "en", "/?lang=en", "overview-viewer-en"),
            ("hr", FRENCH, "/?bu_sort=total_bonus_eur&bu_dir=desc&q=mar#units", "overview-sorted-searched"),
            ("hr", FRENCH, f"/employee/{employee.strip()}?year={YEAR}", "employee-fr"),
            ("hr", "en", "/operations?lang=en", "operations-en"),
        ]
        browser = Browser()
        for role, lang, path, name in pages:
            browser.accept_language(lang)
            browser.sign_in(server.url, token(home, role))
            browser.open(server.url + path)
            shot = args.out / f"{name}.png"
            full_page(browser, shot)
            print(f"{shot}  ({role}, {path}) console errors: {browser.console_errors()}")
    finally:
        if browser:
            browser.quit()
        if server:
            server.stop()
        subprocess.run([sportlake, "db", "stop"], env=env, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
