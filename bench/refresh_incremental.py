"""Benchmark: the incremental `sportlake refresh` (Silver from the Bronze versions since its
watermarks, only the files holding changed keys rewritten, the year's Gold) against the full
rebuild (`refresh --full`) on the same Bronze, in the same run.

Bronze is generated directly as Delta tables (what `sportlake ingest` lands: source columns plus
_op/_lsn/_commit_lsn/...): EMPLOYEES employees and ROWS activities over three years (default 1M),
with realistic defects (negative distances, zero durations, unknown employees, implausible
speeds). Two lakes share that Bronze (a symlink): one is refreshed incrementally, the other in
full. Each of RUNS rounds (default 5) appends CHANGES change rows (default 10,000: 70 % new
activities of the last week, 25 % updates and 5 % deletes of the most recent 2 % — a day of
changes; history is in time order, ids growing with start dates) as one Bronze version, then times both
refreshes as separate processes, the order alternating; every round is printed, then the medians,
the ratio and the peak RSS. The last round's Silver and Gold of both lakes are compared (row
counts and the year's KPIs), so both did the same work."""
import datetime
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
SPORTLAKE = os.environ.get("SPORTLAKE", str(ROOT / "build" / "release" / "src" / "cli" / "sportlake"))
ROWS = int(os.environ.get("ROWS", "1000000"))
EMPLOYEES = int(os.environ.get("EMPLOYEES", "10000"))
CHANGES = int(os.environ.get("CHANGES", "10000"))
RUNS = int(os.environ.get("RUNS", "5"))
YEAR = 2025
US = 1_000_000
START = int(datetime.datetime(YEAR - 2, 1, 1, tzinfo=datetime.timezone.utc).timestamp()) * US
SPAN = 3 * 365 * 86_400 * US
TS = pa.timestamp("us", tz="UTC")
SPORTS = np.array(["Run", "Ride", "Walk", "Swim", "Hike", "Yoga", "EBikeRide", "TrailRun"])


def meta(n, op, lsn0, commit_lsn):
    now = np.full(n, int(time.time()) * US, dtype=np.int64)
    return {"_op": pa.array(np.full(n, op)), "_lsn": pa.array(np.arange(lsn0, lsn0 + n, dtype=np.int64)),
            "_commit_lsn": pa.array(np.full(n, commit_lsn, dtype=np.int64)),
            "_tx_id": pa.array(np.full(n, commit_lsn, dtype=np.int64)),
            "_commit_ts": pa.array(now, type=TS), "_ingest_ts": pa.array(now, type=TS),
            "_unconverted": pa.nulls(n, pa.string())}


def employees():
    n = EMPLOYEES
    ids = np.arange(1, n + 1, dtype=np.int64)
    rng = np.random.default_rng(1)
    modes = np.array(["Marche/running", "Vélo/Trottinette/Autres", "véhicule thermique/électrique",
                      "Transports en commun"])
    cols = {"id": pa.array(ids), "nom": pa.array([f"Nom{i}" for i in ids]),
            "prenom": pa.array([f"Prénom{i}" for i in ids]),
            "date_naissance": pa.array(np.full(n, 7300, dtype=np.int32), type=pa.date32()),
            "date_embauche": pa.array(np.full(n, 17000, dtype=np.int32), type=pa.date32()),
            "business_unit": pa.array(np.array(["R&D", "Ventes", "Support", "Finance"])[ids % 4]),
            "contrat": pa.array(np.full(n, "CDI")), "nb_conges_payes": pa.array(np.full(n, 25, dtype=np.int32)),
            "adresse_complete": pa.array([f"{i} Rue du Port, 34000 Montpellier" for i in ids]),
            "moyen_deplacement": pa.array(modes[rng.integers(0, 4, n)])}
    cols["salaire_brut"] = pa.array([f"{v / 100:.2f}" for v in rng.integers(2_500_000, 8_000_000, n)]).cast(
        pa.decimal128(12, 2))
    return pa.table({**cols, **meta(n, "r", 1, 1)})


def activities(ids, rng, op, lsn0, commit_lsn):
    n = len(ids)
    # History in time order (ids grow with start dates), new activities in the last week.
    start = START + np.minimum(ids, ROWS) * (SPAN // ROWS) - rng.integers(0, 7 * 86_400 * US, n)
    moving = rng.integers(600, 7200, n).astype(np.int32)
    distance = rng.uniform(1000, 40000, n)
    distance[rng.random(n) < 0.01] = -5.0            # distance_non_negative
    elapsed = moving + 60
    elapsed[rng.random(n) < 0.01] = 0                # elapsed_positive
    employee = rng.integers(1, EMPLOYEES + 1, n)
    employee[rng.random(n) < 0.005] = EMPLOYEES + 1  # employee_exists
    return pa.table({
        "activity_id": pa.array(ids.astype(np.int64)), "employee_id": pa.array(employee.astype(np.int64)),
        "name": pa.array(np.char.add("Sortie ", ids.astype(str))), "sport_type": pa.array(SPORTS[ids % 8]),
        "type": pa.nulls(n, pa.string()), "distance_m": pa.array(distance),
        "moving_time_s": pa.array(moving), "elapsed_time_s": pa.array(elapsed.astype(np.int32)),
        "start_date_utc": pa.array(start, type=TS), "start_date_local": pa.array(start + 3600 * US, type=TS),
        "commute": pa.array(rng.random(n) < 0.2), "calories": pa.array(rng.uniform(100, 900, n)),
        **meta(n, op, lsn0, commit_lsn)})


def run_timed(args, env):
    """Wall time, peak RSS (MB), stdout and stderr of one process, failing when it fails.

    The peak comes from GNU time, not from this process's wait4: Python starts a child by vfork,
    and Linux carries the high-water RSS of the address space left at exec (this interpreter's,
    hundreds of MB after generating Bronze) into the child's ru_maxrss, which floored every
    figure at Python's own size."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        t = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, SPORTLAKE, *args],
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
    (base / "full" / "delta").mkdir(parents=True)
    os.symlink(bronze, base / "full" / "delta" / "bronze")
    envs = {}
    for name in ("incremental", "full"):
        envs[name] = dict(os.environ, SPORTLAKE_HOME=str(base / name), SPORTLAKE_LOG_LEVEL="warn")
        envs[name].pop("API_KEY_MAPS", None)
        envs[name].pop("SPORTLAKE_LAKE_ROOT", None)
    try:
        rng = np.random.default_rng(7)
        t = time.perf_counter()
        write_deltalake(str(bronze / "rh_employees"), employees())
        lsn = 10
        batch = 250_000
        for first in range(1, ROWS + 1, batch):
            ids = np.arange(first, min(first + batch, ROWS + 1))
            write_deltalake(str(bronze / "strava_activities"), activities(ids, rng, "r", lsn, 5), mode="append")
            lsn += len(ids)
        print(f"Bronze: {EMPLOYEES} employees, {ROWS} activities in {time.perf_counter() - t:.1f} s", flush=True)
        args = ["refresh", "--year", str(YEAR), "--no-publish", "--json"]
        for name in ("incremental", "full"):  # the first refresh of each lake is a full one
            elapsed, rss, out, err = run_timed(args, envs[name])
            print(f"first refresh ({name} lake): {elapsed:.2f} s, {rss:.0f} MB", flush=True)
        next_id = ROWS + 1
        commit = 1000
        times = {"incremental": [], "full": []}
        rss = {"incremental": [], "full": []}
        for round_ in range(RUNS):
            # CHANGES change rows in one Bronze version: new activities, updates, deletes.
            commit += 1
            new = int(CHANGES * 0.70)
            upd = int(CHANGES * 0.25)
            dele = CHANGES - new - upd
            # Edits and deletions of recent activities (the last 2 %: a Strava edit follows the upload).
            existing = rng.choice(np.arange(max(1, next_id - ROWS // 50), next_id), upd + dele, replace=False)
            parts = [activities(np.arange(next_id, next_id + new), rng, "c", lsn, commit),
                     activities(existing[:upd], rng, "u", lsn + new, commit),
                     activities(existing[upd:], rng, "d", lsn + new + upd, commit)]
            next_id += new
            lsn += CHANGES
            write_deltalake(str(bronze / "strava_activities"), pa.concat_tables(parts), mode="append")
            order = ["incremental", "full"] if round_ % 2 == 0 else ["full", "incremental"]
            line = []
            for name in order:
                extra = ["--full"] if name == "full" else []
                elapsed, peak, out, err = run_timed(args + extra, envs[name])
                if name == "incremental" and '"incremental":true' not in out:
                    sys.exit(f"the incremental refresh ran in full: {err}")
                times[name].append(elapsed)
                rss[name].append(peak)
                line.append(f"{name} {elapsed:.3f} s ({peak:.0f} MB)")
            print(f"round {round_ + 1}: " + ", ".join(line), flush=True)
        for layer, table in (("silver", "activities"), ("silver", "dq_issues"), ("gold", "kpi_summary"),
                             ("gold", "wellbeing")):
            a, b = (DeltaTable(str(base / n / "delta" / layer / table)).to_pyarrow_table() for n in ("incremental", "full"))
            assert a.num_rows == b.num_rows, f"{layer}.{table}: {a.num_rows} vs {b.num_rows}"
            if table == "kpi_summary":
                assert sorted(a.to_pylist(), key=repr) == sorted(b.to_pylist(), key=repr)
        files = len(DeltaTable(str(base / "incremental" / "delta" / "silver" / "activities")).files())
        inc, full = statistics.median(times["incremental"]), statistics.median(times["full"])
        print(f"\n{ROWS} activities, {CHANGES} changes per round, {RUNS} rounds (medians):")
        print(f"  incremental refresh {inc:.3f} s, peak RSS {statistics.median(rss['incremental']):.0f} MB")
        print(f"  full refresh        {full:.3f} s, peak RSS {statistics.median(rss['full']):.0f} MB")
        print(f"  full / incremental  {full / inc:.1f}x; Silver activities files after the rounds: {files}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
