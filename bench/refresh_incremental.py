"""Benchmark: the incremental `sportlake refresh` (Silver from the Bronze versions since its
watermarks, only the files holding changed keys rewritten, the year's Gold) against the full
rebuild (`refresh --full`) on the same Bronze, in the same run.

Bronze is generated directly as Delta tables (what `sportlake ingest` lands: source columns plus
_op/_lsn/_commit_lsn/...): EMPLOYEES employees and ROWS activities over YEARS years ending with
the refreshed year (default 1M over 3; YEARS=1 puts them all in the refreshed year, the issue's
"10M activities a year": then Gold's year is the whole history),
with realistic defects (negative distances, zero durations, unknown employees, implausible
speeds). Two lakes share that Bronze (a symlink): one is refreshed incrementally, the other in
full. Each of RUNS rounds (default 5) appends CHANGES change rows (default 10,000: 70 % new
activities of the last week, 25 % updates and 5 % deletes of the most recent 2 % — a day of
changes; history is in time order, ids growing with start dates) as one Bronze version, then times both
refreshes as separate processes, the order alternating; every round is printed, then the medians,
the ratio and the peak RSS. The last round's Silver and Gold of both lakes are compared (row
counts and the year's KPIs), so both did the same work.
OLD_SPORTLAKE=<binary> adds a third lake refreshed incrementally by that binary (another build,
e.g. main's) on the same Bronze and changes, in the same rotation; FULL=0 leaves the full
refresh out (at 10M it takes minutes a round); PHASES=1 runs the incremental refreshes at debug
level and prints their phase times (`refresh: ... in N s`) under each round; KEEP=1 keeps the lakes (their directory printed) for
profiling a refresh afterwards."""
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from synthetic_bronze import US, YEAR, SyntheticBronze  # noqa: E402

SPORTLAKE = os.environ.get("SPORTLAKE", str(ROOT / "build" / "release" / "src" / "cli" / "sportlake"))
ROWS = int(os.environ.get("ROWS", "1000000"))
EMPLOYEES = int(os.environ.get("EMPLOYEES", "10000"))
YEARS = int(os.environ.get("YEARS", "3"))
CHANGES = int(os.environ.get("CHANGES", "10000"))
RUNS = int(os.environ.get("RUNS", "5"))
OLD_SPORTLAKE = os.environ.get("OLD_SPORTLAKE", "")
FULL = os.environ.get("FULL", "1") != "0"
KEEP = os.environ.get("KEEP", "0") != "0"
PHASES = os.environ.get("PHASES", "0") != "0"
BRONZE = SyntheticBronze(ROWS, EMPLOYEES, now_us=int(time.time()) * US, years=YEARS)


def run_timed(args, env, binary=SPORTLAKE):
    """Wall time, peak RSS (MB), stdout and stderr of one process, failing when it fails.

    The peak comes from GNU time, not from this process's wait4: Python starts a child by vfork,
    and Linux carries the high-water RSS of the address space left at exec (this interpreter's,
    hundreds of MB after generating Bronze) into the child's ru_maxrss, which floored every
    figure at Python's own size."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        t = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, binary, *args],
                              env=env, stdout=out, stderr=err)
        elapsed = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        text_out, text_err = out.read(), err.read()
        peak_kb = int(rss.read().split()[-1])
    if done.returncode != 0:
        sys.exit(f"{args}: {text_err}")
    return elapsed, peak_kb / 1024, text_out, text_err


def main():
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-bench-incr-"))
    bronze = base / "incremental" / "delta" / "bronze"
    bronze.mkdir(parents=True)
    lakes = ["incremental"] + (["old"] if OLD_SPORTLAKE else []) + (["full"] if FULL else [])
    binary = {name: OLD_SPORTLAKE if name == "old" else SPORTLAKE for name in lakes}
    for name in lakes[1:]:
        (base / name / "delta").mkdir(parents=True)
        os.symlink(bronze, base / name / "delta" / "bronze")
    envs = {}
    for name in lakes:
        level = "debug" if PHASES and name != "full" else "warn"
        envs[name] = dict(os.environ, SPORTLAKE_HOME=str(base / name), SPORTLAKE_LOG_LEVEL=level)
        envs[name].pop("API_KEY_MAPS", None)
        envs[name].pop("SPORTLAKE_LAKE_ROOT", None)
    try:
        rng = np.random.default_rng(7)
        t = time.perf_counter()
        write_deltalake(str(bronze / "rh_employees"), BRONZE.employees(np.random.default_rng(1)))
        lsn = 10
        batch = 250_000
        for first in range(1, ROWS + 1, batch):
            ids = np.arange(first, min(first + batch, ROWS + 1))
            write_deltalake(str(bronze / "strava_activities"), BRONZE.activities(ids, rng, "r", lsn, 5), mode="append")
            lsn += len(ids)
        print(f"Bronze: {EMPLOYEES} employees, {ROWS} activities over {YEARS} year(s) in {time.perf_counter() - t:.1f} s", flush=True)
        args = ["refresh", "--year", str(YEAR), "--no-publish", "--json"]
        for name in lakes:  # the first refresh of each lake is a full one
            elapsed, rss, out, err = run_timed(args, envs[name], binary[name])
            print(f"first refresh ({name} lake): {elapsed:.2f} s, {rss:.0f} MB", flush=True)
        next_id = ROWS + 1
        commit = 1000
        times = {name: [] for name in lakes}
        rss = {name: [] for name in lakes}
        for round_ in range(RUNS):
            # CHANGES change rows in one Bronze version: new activities, updates, deletes.
            commit += 1
            new = int(CHANGES * 0.70)
            upd = int(CHANGES * 0.25)
            dele = CHANGES - new - upd
            # Edits and deletions of recent activities (the last 2 %: a Strava edit follows the upload).
            existing = rng.choice(np.arange(max(1, next_id - ROWS // 50), next_id), upd + dele, replace=False)
            parts = [BRONZE.activities(np.arange(next_id, next_id + new), rng, "c", lsn, commit),
                     BRONZE.activities(existing[:upd], rng, "u", lsn + new, commit),
                     BRONZE.activities(existing[upd:], rng, "d", lsn + new + upd, commit)]
            next_id += new
            lsn += CHANGES
            write_deltalake(str(bronze / "strava_activities"), pa.concat_tables(parts), mode="append")
            order = lakes[round_ % len(lakes):] + lakes[:round_ % len(lakes)]
            line = []
            phases = []
            for name in order:
                extra = ["--full"] if name == "full" else []
                elapsed, peak, out, err = run_timed(args + extra, envs[name], binary[name])
                if name != "full" and '"incremental":true' not in out:
                    sys.exit(f"the incremental refresh ran in full: {err}")
                times[name].append(elapsed)
                rss[name].append(peak)
                line.append(f"{name} {elapsed:.3f} s ({peak:.0f} MB)")
                if PHASES and name != "full":
                    phases += [f"    {name}: {text.split('] ', 1)[-1]}" for text in err.splitlines()
                               if "refresh:" in text and " s" in text]
            print(f"round {round_ + 1}: " + ", ".join(line), flush=True)
            if phases:
                print("\n".join(phases), flush=True)
        for layer, table in (("silver", "activities"), ("silver", "dq_issues"), ("gold", "kpi_summary"),
                             ("gold", "wellbeing")):
            a = DeltaTable(str(base / "incremental" / "delta" / layer / table)).to_pyarrow_table()
            for other in lakes[1:]:
                b = DeltaTable(str(base / other / "delta" / layer / table)).to_pyarrow_table()
                assert a.num_rows == b.num_rows, f"{layer}.{table} ({other}): {a.num_rows} vs {b.num_rows}"
                if table == "kpi_summary":
                    assert sorted(a.to_pylist(), key=repr) == sorted(b.to_pylist(), key=repr)
        files = len(DeltaTable(str(base / "incremental" / "delta" / "silver" / "activities")).files())
        inc = statistics.median(times["incremental"])
        print(f"\n{ROWS} activities, {CHANGES} changes per round, {RUNS} rounds (medians):")
        print(f"  incremental refresh {inc:.3f} s, peak RSS {statistics.median(rss['incremental']):.0f} MB")
        if OLD_SPORTLAKE:
            old = statistics.median(times["old"])
            print(f"  old binary's incremental {old:.3f} s, peak RSS {statistics.median(rss['old']):.0f} MB"
                  f" (this / old: time {inc / old:.2f}x, RSS "
                  f"{statistics.median(rss['incremental']) / statistics.median(rss['old']):.2f}x)")
        if FULL:
            full = statistics.median(times["full"])
            print(f"  full refresh        {full:.3f} s, peak RSS {statistics.median(rss['full']):.0f} MB")
            print(f"  full / incremental  {full / inc:.1f}x")
        print(f"  Silver activities files after the rounds: {files}")
    finally:
        if KEEP:
            print(f"  lakes kept under {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
