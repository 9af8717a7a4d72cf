"""A lake refreshed from the sample (one employee's name turned into spreadsheet formulas), and a
way to start `sportlake serve` on it and sign in."""
import pathlib
import shutil
import subprocess

import pytest

from serve_helpers import FORMULA_NOM, FORMULA_PRENOM, FRENCH, YEAR, Server, new_home, token


@pytest.fixture(scope="session")
def lake_home(build_dir):
    sportlake, e, base, run = new_home(build_dir, "sl-serve-")
    run("db", "start")
    run("load")
    run("db", "psql", "--", "-XAtc",
        f"UPDATE rh_employees SET nom = $${FORMULA_NOM}$$, prenom = $${FORMULA_PRENOM}$$ "
        "WHERE id = (SELECT min(id) FROM rh_employees)")
    run("simulate", "--backfill-months", "6", "--as-of", f"{YEAR}-11-30", "--seed", "5")
    run("distances")
    run("ingest", "--idle-exit", "1")
    run("refresh", "--year", str(YEAR))
    yield sportlake, e, base / "home"
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def served(lake_home):
    """The server with tokens: (url, lake root, home)."""
    sportlake, e, home = lake_home
    server = Server(sportlake, e, "--listen", "127.0.0.1:0")
    yield server.url, home / "delta", home
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium through Selenium (tests/browser.py), shared by the dashboard's pages."""
    import sys
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
    from browser import Browser, missing_tools
    if missing_tools():
        pytest.fail(f"browser tests need {missing_tools()}: run scripts/install-deps.sh")
    b = Browser()
    yield b
    b.quit()


@pytest.fixture
def as_hr(browser, served):
    """The browser signed in as hr, asking for French: the server's url."""
    url, _, home = served
    browser.accept_language(FRENCH)  # headless Chromium asks for en-US otherwise
    browser.sign_in(url, token(home, "hr"))
    return url
