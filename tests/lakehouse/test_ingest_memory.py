"""`sportlake ingest` keeps its memory budget on a big transaction (a budget test, not a timed one).

One source transaction of 1,000,000 activities (issue 16's case; before the memory budget the job
peaked at 286 MB on it) must land in Bronze as one Delta version, exactly once, while the job's
peak resident size (the kernel's ru_maxrss of that process, through GNU time) stays under 150 MB: the
Bronze writer spills a table's pending rows to data files once they hold `--spill-mb` (32 MB).
"""
import json

import pytest
from deltalake import DeltaTable

from big_transaction import FIRST_ID, insert_activities_sql
from peak_rss import run_measured
from test_bronze_ingest import env, psql  # noqa: F401 (env is a fixture)

ROWS = 1_000_000
BUDGET_MB = 150


@pytest.mark.slow
def test_a_big_transaction_lands_within_the_memory_budget(env):
    sportlake, e, bronze = env
    # The slot and the snapshot first, then one transaction of wide rows.
    status, _, err = run_measured([sportlake, "ingest", "--slot", "mem", "--idle-exit", "0.5"], e)
    assert status == 0, err
    snapshot_version = DeltaTable(str(bronze / "strava_activities")).version()
    psql(sportlake, e, insert_activities_sql(ROWS))

    status, peak_mb, err = run_measured(
        [sportlake, "ingest", "--slot", "mem", "--max-changes", str(ROWS)], e)
    assert status == 0, err
    assert peak_mb <= BUDGET_MB, f"ingest peaked at {peak_mb:.0f} MB (budget {BUDGET_MB} MB)"

    table = DeltaTable(str(bronze / "strava_activities"))
    # The whole transaction in one version, in several spilled files.
    assert table.version() == snapshot_version + 1
    log = bronze / "strava_activities" / "_delta_log" / f"{table.version():020d}.json"
    adds = [a["add"] for a in map(json.loads, log.read_text().splitlines()) if "add" in a]
    assert len(adds) > 1
    assert sum(json.loads(a["stats"])["numRecords"] for a in adds) == ROWS
    rows = table.to_pyarrow_table(columns=["activity_id", "_op"]).to_pylist()
    streamed = sorted(r["activity_id"] for r in rows if r["_op"] == "c")
    assert streamed == [FIRST_ID + g for g in range(1, ROWS + 1)]
