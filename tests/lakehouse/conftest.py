"""A lake refreshed from the sample for the Spark suites (slow): the embedded chain db start →
load → simulate (12 months of 2025) → distances (offline) → ingest → refresh 2025, published to
PostgreSQL's gold schema. Shared by every module of the session that asks for it."""
import collections
import decimal
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

YEAR = 2025

RefreshedLake = collections.namedtuple("RefreshedLake", "root summary activities run env home")


@pytest.fixture(scope="session")
def refreshed_lake(build_dir):
    """root: the lake; summary: `refresh --json`; activities: rows of strava_activities; run(*args):
    the stdout of `sportlake` on that home; env: its environment; home: SPORTLAKE_HOME."""
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-spark-lake-"))
    os.chmod(base, 0o755)
    e = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="warn")
    e.pop("API_KEY_MAPS", None)
    e.pop("SPORTLAKE_LAKE_ROOT", None)
    sportlake = str(build_dir / "src" / "cli" / "sportlake")

    def run(*args):
        return subprocess.run([sportlake, *args], env=e, check=True, capture_output=True, text=True,
                              timeout=300).stdout

    run("db", "start")
    try:
        run("load")
        run("simulate", "--backfill-months", "12", "--as-of", f"{YEAR}-12-31", "--seed", "3")
        run("distances")
        run("ingest", "--idle-exit", "1")
        summary = json.loads(run("refresh", "--year", str(YEAR), "--json"), parse_float=decimal.Decimal)
        activities = int(run("db", "psql", "--", "-XAtc", "SELECT count(*) FROM strava_activities").strip())
        yield RefreshedLake(base / "home" / "delta", summary, activities, run, e, base / "home")
    finally:
        subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
