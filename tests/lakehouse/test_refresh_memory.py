"""The full refresh keeps its memory budget (`refresh --full --memory-mb`, issue 16): a budget
test, not a timed one.

A generated Bronze of ROWS activities over three years (updates and deletes in later versions,
~3 % with a finding) and 10,000 employees is refreshed in full twice, in two lakes sharing that
Bronze (a symlink): once under a small budget, which makes the refresh write Silver's rows as data
files while it builds them (the log says how many "spills"), and once under the
default budget. The first process's peak resident size (ru_maxrss, through GNU time) must stay
under its budget, and both lakes must hold the same Silver and Gold (pyarrow reads them, sorted).
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from deltalake import DeltaTable, write_deltalake

from peak_rss import run_measured

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from synthetic_bronze import START, YEAR, SyntheticBronze  # noqa: E402

ROWS = 1_000_000
EMPLOYEES = 10_000
BUDGET_MB = 384
BRONZE = SyntheticBronze(ROWS, EMPLOYEES, now_us=START)


def sorted_table(path, keys):
    """The table's rows in one order (keys first, then every column: findings share keys)."""
    t = DeltaTable(str(path)).to_pyarrow_table()
    t = t.select(sorted(t.column_names))
    return t.sort_by([(k, "ascending") for k in keys + [c for c in t.column_names if c not in keys]])


@pytest.fixture()
def two_lakes():
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-refresh-mem-"))
    bronze = base / "budget" / "delta" / "bronze"
    bronze.mkdir(parents=True)
    (base / "roomy" / "delta").mkdir(parents=True)
    os.symlink(bronze, base / "roomy" / "delta" / "bronze")
    rng = np.random.default_rng(16)
    write_deltalake(str(bronze / "rh_employees"), BRONZE.employees(rng))
    lsn, batch = 10, 250_000
    for first in range(1, ROWS + 1, batch):  # the history, then its edits and deletions
        ids = np.arange(first, min(first + batch, ROWS + 1))
        write_deltalake(str(bronze / "strava_activities"), BRONZE.activities(ids, rng, "r", lsn, 5), mode="append")
        lsn += len(ids)
    edited = rng.choice(np.arange(1, ROWS + 1), ROWS // 20 + ROWS // 200, replace=False)
    write_deltalake(str(bronze / "strava_activities"), pa.concat_tables([
        BRONZE.activities(edited[:ROWS // 20], rng, "u", lsn, 100),
        BRONZE.activities(edited[ROWS // 20:], rng, "d", lsn + ROWS // 20, 100)]), mode="append")
    envs = {}
    for name in ("budget", "roomy"):
        envs[name] = dict(os.environ, SPORTLAKE_HOME=str(base / name), SPORTLAKE_LOG_LEVEL="info")
        envs[name].pop("API_KEY_MAPS", None)
        envs[name].pop("SPORTLAKE_LAKE_ROOT", None)
    yield base, envs
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.slow
def test_a_full_refresh_stays_within_its_memory_budget(build_dir, two_lakes):
    base, envs = two_lakes
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    args = [sportlake, "refresh", "--full", "--year", str(YEAR), "--no-publish", "--json"]
    status, rss, err = run_measured([*args, "--memory-mb", str(BUDGET_MB)], envs["budget"])
    assert status == 0, err
    assert rss <= BUDGET_MB, f"peak RSS {rss:.0f} MB over the {BUDGET_MB} MB budget"
    spills = re.search(r"Silver activities (\d+) rows \((\d+) spills\)", err)
    assert spills and int(spills.group(2)) >= 1, err  # the budget made it write as it went
    status, _, err = run_measured(args, envs["roomy"])
    assert status == 0, err

    keys = {"employees": ["id"], "activities": ["activity_id"], "commutes": ["employee_id"],
            "dq_issues": ["table_name", "row_key", "rule"]}
    for table, key in keys.items():
        budget = sorted_table(base / "budget" / "delta" / "silver" / table, key)
        roomy = sorted_table(base / "roomy" / "delta" / "silver" / table, key)
        assert budget.num_rows == roomy.num_rows, table
        assert budget.equals(roomy), f"silver.{table} differs"
    silver = DeltaTable(str(base / "budget" / "delta" / "silver" / "activities")).to_pyarrow_table(
        columns=["activity_id"])
    assert silver.num_rows > ROWS * 0.9
    assert pc.count_distinct(silver["activity_id"]).as_py() == silver.num_rows  # every key once
    for table in ("wellbeing", "kpi_summary", "activity_monthly", "prime_sportive"):
        budget = DeltaTable(str(base / "budget" / "delta" / "gold" / table)).to_pyarrow_table()
        roomy = DeltaTable(str(base / "roomy" / "delta" / "gold" / table)).to_pyarrow_table()
        drop = [c for c in ("published_at",) if c in budget.column_names]
        assert budget.drop(drop).sort_by([(c, "ascending") for c in budget.drop(drop).column_names
                                          if pa.types.is_integer(budget.schema.field(c).type)]).equals(
            roomy.drop(drop).sort_by([(c, "ascending") for c in roomy.drop(drop).column_names
                                      if pa.types.is_integer(roomy.schema.field(c).type)])), f"gold.{table}"
