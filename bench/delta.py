"""Benchmark (issue 4): Delta snapshot load and append-commit latency, ours vs delta-rs, same run.

1. Snapshot load of a table with 100k add actions over 1,000 commits (100 files per commit, with
   Spark-like stats), latest version, timed in-process for both: `load_snapshot` (bench_delta)
   against `DeltaTable(path)` (delta-rs loads its eager snapshot, every add, there; the file count
   is checked outside the timing):
   - without a checkpoint (1,000 JSON commits to replay);
   - with our checkpoint at version 999 (`sportlake lake checkpoint`), read by both;
   - with delta-rs's own checkpoint at version 999 (`DeltaTable.create_checkpoint()`), read by both.
   Warm against warm: each measurement is a fresh process that loads once untimed (page cache,
   allocator, lazy initialisation) and then times one load. ROUNDS rounds, the order of the two
   sides alternating from round to round, every round printed; wall and CPU time (all threads)
   of the load. Goal: ours >= 2x faster. BASELINE_BENCH=path/to/bench_delta (e.g. main's) adds
   that build as a third side (the order then rotates), to compare two versions in one run.
2. Append-commit latency: COMMITS appends of a 1-row file to a fresh table, each timed from batch
   to committed version (data file written and fsynced, snapshot, commit; checkpoints included).
   Goal: median < 5 ms. Peer: `write_deltalake(mode="append")`.
Prints medians and ratios. ROUNDS, COMMITS, FILES_PER_COMMIT, VERSIONS and BASELINE_BENCH come from
the environment.
"""
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

ROUNDS = int(os.environ.get("ROUNDS", os.environ.get("RUNS", 7)))
COMMITS = int(os.environ.get("COMMITS", 200))
VERSIONS = int(os.environ.get("VERSIONS", 1000))
FILES_PER_COMMIT = int(os.environ.get("FILES_PER_COMMIT", 100))
BUILD = pathlib.Path(os.environ.get("SL_BUILD_DIR", "build/release"))
BENCH = BUILD / "bench" / "bench_delta"
SPORTLAKE = pathlib.Path(os.environ.get("SPORTLAKE", BUILD / "src" / "cli" / "sportlake"))

SCHEMA = {"type": "struct", "fields": [
    {"name": n, "type": t, "nullable": True, "metadata": {}} for n, t in [
        ("activity_id", "long"), ("employee_id", "integer"), ("sport_type", "string"),
        ("distance_m", "double"), ("elapsed_s", "long"), ("start_date", "timestamp"),
        ("comment", "string")]]}


def write_log(table: pathlib.Path) -> None:
    """VERSIONS commits of FILES_PER_COMMIT adds each, as Spark would write them."""
    log = table / "_delta_log"
    log.mkdir(parents=True)
    now = 1_760_000_000_000
    for v in range(VERSIONS):
        lines = [{"commitInfo": {"timestamp": now + v, "operation": "WRITE",
                                 "operationParameters": {"mode": "Append", "partitionBy": "[]"},
                                 "isBlindAppend": True, "engineInfo": "bench"}}]
        if v == 0:
            lines.append({"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}})
            lines.append({"metaData": {"id": str(uuid.UUID(int=1)), "format": {"provider": "parquet", "options": {}},
                                       "schemaString": json.dumps(SCHEMA, separators=(",", ":")),
                                       "partitionColumns": [], "configuration": {}, "createdTime": now}})
        for f in range(FILES_PER_COMMIT):
            i = v * FILES_PER_COMMIT + f
            stats = {"numRecords": 1000,
                     "minValues": {"activity_id": i * 1000, "employee_id": 10000 + i % 100, "sport_type": "Badminton",
                                   "distance_m": 0.5, "elapsed_s": 60, "start_date": "2025-01-01T00:00:00.000Z",
                                   "comment": "Belle sortie"},
                     "maxValues": {"activity_id": i * 1000 + 999, "employee_id": 10160, "sport_type": "Walk",
                                   "distance_m": 42195.0, "elapsed_s": 36000, "start_date": "2025-12-31T23:59:59.000Z",
                                   "comment": "Très belle sortie"},
                     "nullCount": {"activity_id": 0, "employee_id": 0, "sport_type": 0, "distance_m": 3,
                                   "elapsed_s": 0, "start_date": 0, "comment": 412}}
            lines.append({"add": {"path": f"part-{i:05d}-{uuid.UUID(int=i)}-c000.snappy.parquet", "partitionValues": {},
                                  "size": 41_000 + i % 977, "modificationTime": now + v, "dataChange": True,
                                  "stats": json.dumps(stats, separators=(",", ":"))}})
        (log / f"{v:020d}.json").write_text("\n".join(json.dumps(l, separators=(",", ":")) for l in lines) + "\n")


DELTA_RS_LOAD = """
import sys, time
from deltalake import DeltaTable
DeltaTable(sys.argv[1])  # warm-up, untimed
t0, c0 = time.perf_counter(), time.process_time()
table = DeltaTable(sys.argv[1])
took, cpu = time.perf_counter() - t0, time.process_time() - c0
print(took, len(table.file_uris()), cpu)
"""


def bench_snapshot(bench: pathlib.Path, table: pathlib.Path) -> tuple[float, float]:
    """Wall and CPU seconds (all threads) of the second load in a fresh bench_delta (the first
    one warms up); CPU is NaN for a binary that does not report it."""
    out = subprocess.run([str(bench), "snapshot", str(table), "2"], check=True, capture_output=True,
                         text=True).stdout.split("\n")
    fields = out[1].split()
    assert int(fields[1]) == VERSIONS * FILES_PER_COMMIT, fields
    return float(fields[0]), float(fields[2]) if len(fields) > 2 else float("nan")


def delta_rs_snapshot(table: pathlib.Path) -> tuple[float, float]:
    """Wall and CPU seconds of delta-rs's second load in a fresh Python process."""
    out = subprocess.run([sys.executable, "-c", DELTA_RS_LOAD, str(table)], check=True,
                         capture_output=True, text=True).stdout.split()
    assert int(out[1]) == VERSIONS * FILES_PER_COMMIT, out
    return float(out[0]), float(out[2])


def contenders() -> list[tuple[str, object]]:
    """sportlake and delta-rs; with BASELINE_BENCH (another build's bench_delta, e.g. main's),
    that binary too, as `baseline`."""
    sides = [("sportlake", lambda t: bench_snapshot(BENCH, t)), ("delta-rs", delta_rs_snapshot)]
    if os.environ.get("BASELINE_BENCH"):
        baseline = pathlib.Path(os.environ["BASELINE_BENCH"])
        sides.append(("baseline", lambda t: bench_snapshot(baseline, t)))
    return sides


def snapshot_rounds(label: str, table: pathlib.Path) -> dict[str, tuple[float, float]]:
    """ROUNDS rounds, the contenders' order rotating from round to round (with two: alternating);
    every round printed (wall ms / CPU ms); each contender's medians (wall, CPU)."""
    sides = contenders()
    wall = {name: [] for name, _ in sides}
    cpu = {name: [] for name, _ in sides}
    for r in range(ROUNDS):
        shift = r % len(sides)
        for name, load in sides[shift:] + sides[:shift]:
            w, c = load(table)
            wall[name].append(w)
            cpu[name].append(c)
        line = "   ".join(f"{name} {wall[name][-1] * 1000:8.2f} / {cpu[name][-1] * 1000:7.2f} ms"
                          for name, _ in sides)
        print(f"    {label} round {r + 1} ({sides[shift][0]} first, wall / CPU): {line}   "
              f"{wall['delta-rs'][-1] / wall['sportlake'][-1]:5.2f}x", flush=True)
    return {name: (statistics.median(wall[name]), statistics.median(cpu[name])) for name, _ in sides}


def report(label, ours, theirs, unit="s", scale=1.0):
    print(f"{label:<44} sportlake {ours * scale:9.3f} {unit}   delta-rs {theirs * scale:9.3f} {unit}   "
          f"speed-up {theirs / ours:5.2f}x")


def main() -> None:
    only_snapshot = "--snapshot-only" in sys.argv or "--checkpoints-only" in sys.argv
    work = pathlib.Path(tempfile.mkdtemp(prefix="sl-bench-delta-"))
    try:
        plain = work / "plain"
        write_log(plain)
        ours_cp = work / "ours_cp"
        shutil.copytree(plain, ours_cp)
        subprocess.run([str(SPORTLAKE), "lake", "checkpoint", str(ours_cp)], check=True, capture_output=True)
        theirs_cp = work / "theirs_cp"
        shutil.copytree(plain, theirs_cp)
        DeltaTable(str(theirs_cp)).create_checkpoint()
        n = VERSIONS * FILES_PER_COMMIT
        print(f"snapshot load, {n} adds over {VERSIONS} commits, warm, fresh processes, "
              f"{ROUNDS} alternating rounds", flush=True)
        tables = [("no checkpoint", plain), ("our checkpoint", ours_cp), ("delta-rs checkpoint", theirs_cp)]
        if "--checkpoints-only" in sys.argv:
            tables = tables[1:]
        results = [(label, snapshot_rounds(label, table)) for label, table in tables]
        print(f"snapshot load medians ({ROUNDS} rounds)")
        for label, medians in results:
            for i, what in enumerate(["wall", "CPU"]):
                ours, theirs = medians["sportlake"][i], medians["delta-rs"][i]
                report(f"  {label}, {what}", ours, theirs, "ms", 1000)
                if "baseline" in medians:
                    base = medians["baseline"][i]
                    print(f"{'':<44} baseline  {base * 1000:9.3f} ms   speed-up over it {base / ours:5.2f}x")

        if only_snapshot:
            return
        ours_table = work / "ours_appends"
        out = subprocess.run([str(BENCH), "append", str(ours_table), str(COMMITS)], check=True,
                             capture_output=True, text=True).stdout.split()
        ours_ms = statistics.median(float(x) for x in out)
        theirs_table = work / "theirs_appends"
        row = pa.table({"id": pa.array([1], pa.int64()), "sport": pa.array(["Run"])})
        theirs_ms = []
        for _ in range(COMMITS):
            t0 = time.perf_counter()
            write_deltalake(str(theirs_table), row, mode="append")
            theirs_ms.append((time.perf_counter() - t0) * 1000)
        print(f"append commit of one 1-row file ({COMMITS} commits, median; goal < 5 ms)")
        report("  latency", ours_ms / 1000, statistics.median(theirs_ms) / 1000, "ms", 1000)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
