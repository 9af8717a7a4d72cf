"""Freshness of a Bronze Delta table: for each streamed row (_op c/u/d), the time from its source
commit (`_commit_ts`) to the commitInfo timestamp of the Delta version that added its file (the
version that made it visible). Prints `n p50 p95 p99 versions` (milliseconds)."""
import json
import pathlib
import sys

import pyarrow.compute as pc
import pyarrow.parquet as pq

table = pathlib.Path(sys.argv[1])
lags = []
versions = 0
for log in sorted((table / "_delta_log").glob("*.json")):
    actions = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    info = next((a["commitInfo"] for a in actions if "commitInfo" in a), None)
    # Data changes only: an OPTIMIZE rewrites rows that were visible already (dataChange=false).
    adds = [a["add"]["path"] for a in actions if "add" in a and a["add"].get("dataChange", True)]
    if info is None or not adds:
        continue
    committed_ms = info["timestamp"]
    streamed = 0
    for path in adds:
        rows = pq.read_table(table / path, columns=["_op", "_commit_ts"])
        rows = rows.filter(pc.not_equal(rows["_op"], "r"))
        micros = pc.cast(rows["_commit_ts"], "int64").to_pylist()
        lags.extend(committed_ms - m / 1000 for m in micros)
        streamed += len(micros)
    versions += streamed > 0
lags.sort()
if not lags:
    sys.exit("no streamed rows")


def pct(p):
    return lags[min(len(lags) - 1, int(p / 100 * len(lags)))]


print(f"{len(lags)} {pct(50):.1f} {pct(95):.1f} {pct(99):.1f} {versions}")
