"""Benchmark (issues 3, 16): a full scan of 10M activity-like rows from Parquet, warm against warm.

Ours (bench_parquet_read: every row group and column into our in-memory columns) vs pyarrow
`read_table` (into Arrow arrays), on the same files, each contender in a fresh process that scans
twice and reports its second (warm) scan, so neither side is measured in a process the other
warmed. The order alternates from round to round and every round is printed. Two settings:
one thread (ours `--threads 1`, pyarrow `use_threads=False`) and both cores (ours `--threads 2`,
pyarrow `use_threads=True`, whose pool has one thread per core). Each round also shows the CPU
time of both warm scans (process CPU, every thread): on a shared, loaded machine the wall times
mostly measure the scheduler, the CPU times what each reader costs.

Files (same 7 columns: int64, int32, dictionary strings, distinct strings, double, timestamp,
boolean):
  pyarrow-snappy      pyarrow's defaults (dictionary, SNAPPY)
  sportlake-snappy    written by us (our writer's defaults)
  pyarrow-zstd-nulls  10 % nulls in every column, ZSTD
  pyarrow-plain       no dictionary at all, SNAPPY
ROWS, RUNS and FILES (comma-separated labels) come from the environment; the files (~650 MB at 10M
rows) are deleted at the end unless KEEP=1 (then their folder is printed).
"""
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from parquet_write import BUILD, ROWS, arrow_table

RUNS = int(os.environ.get("RUNS", 5))

# A fresh interpreter: two scans, the second timed (pyarrow's allocator and imports warm).
PYARROW_SCAN = """
import sys, time
import pyarrow.parquet as pq
path, threads = sys.argv[1], sys.argv[2] == "1"
for _ in range(2):
    t0, c0 = time.perf_counter(), time.process_time()
    table = pq.read_table(path, use_threads=threads)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    rows = table.num_rows
    del table
print(seconds, rows, cpu)
"""


def with_nulls(table: pa.Table) -> pa.Table:
    rng = np.random.default_rng(16)
    columns = []
    for column in table.columns:
        mask = pa.array(rng.random(table.num_rows) < 0.10)
        columns.append(pc.if_else(mask, pa.nulls(table.num_rows, column.type), column))
    return pa.table(columns, names=table.column_names)


def write_files(work: pathlib.Path, wanted: set[str]) -> dict[str, pathlib.Path]:
    files = {}
    table = arrow_table()
    if "pyarrow-snappy" in wanted:
        files["pyarrow-snappy"] = work / "arrow.parquet"
        pq.write_table(table, files["pyarrow-snappy"], compression="snappy")
    if "sportlake-snappy" in wanted:
        files["sportlake-snappy"] = work / "ours.parquet"
        subprocess.run([str(BUILD / "bench" / "bench_parquet_write"), str(ROWS), str(files["sportlake-snappy"])],
                       check=True, capture_output=True)
    if "pyarrow-zstd-nulls" in wanted:
        files["pyarrow-zstd-nulls"] = work / "arrow-nulls.parquet"
        pq.write_table(with_nulls(table), files["pyarrow-zstd-nulls"], compression="zstd")
    if "pyarrow-plain" in wanted:
        files["pyarrow-plain"] = work / "arrow-plain.parquet"
        pq.write_table(table, files["pyarrow-plain"], compression="snappy", use_dictionary=False)
    return files


def ours(path: pathlib.Path, threads: int) -> tuple[float, float]:
    """(wall, CPU) seconds of our warm scan."""
    out = subprocess.run([str(BUILD / "bench" / "bench_parquet_read"), str(path), "--threads", str(threads)],
                         check=True, capture_output=True, text=True).stdout.split()
    assert int(out[2]) == ROWS
    return float(out[1]), float(out[3])


def pyarrow(path: pathlib.Path, threads: int) -> tuple[float, float]:
    """(wall, CPU) seconds of pyarrow's warm scan."""
    out = subprocess.run([sys.executable, "-c", PYARROW_SCAN, str(path), "1" if threads > 1 else "0"],
                         check=True, capture_output=True, text=True).stdout.split()
    assert int(out[1]) == ROWS
    return float(out[0]), float(out[2])


def main() -> None:
    labels = os.environ.get("FILES", "pyarrow-snappy,sportlake-snappy,pyarrow-zstd-nulls,pyarrow-plain").split(",")
    work = pathlib.Path(tempfile.mkdtemp(prefix="sl-bench-pq-read-"))
    try:
        scan_all(labels, write_files(work, set(labels)))
    finally:
        if os.environ.get("KEEP", "0") == "1":
            print(f"files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def scan_all(labels: list[str], files: dict[str, pathlib.Path]) -> None:
    print(f"parquet full scan, {ROWS} rows, warm vs warm (second scan of a fresh process), {RUNS} rounds, "
          f"order alternating")
    summary = []
    for label in labels:
        path = files[label]
        for threads in (1, 2):
            mine, theirs = [], []
            for r in range(RUNS):
                if r % 2 == 0:
                    mine.append(ours(path, threads))
                    theirs.append(pyarrow(path, threads))
                else:
                    theirs.append(pyarrow(path, threads))
                    mine.append(ours(path, threads))
                first = "sportlake" if r % 2 == 0 else "pyarrow"
                (mw, mc), (tw, tc) = mine[-1], theirs[-1]
                print(f"  {label:<18} {threads} thread(s) round {r + 1} ({first} first): sportlake "
                      f"{mw:.3f} s (CPU {mc:.3f}), pyarrow {tw:.3f} s (CPU {tc:.3f}), ratio {tw / mw:.2f} "
                      f"(CPU {tc / mc:.2f})", flush=True)
            mw, mc = (statistics.median(x[k] for x in mine) for k in (0, 1))
            tw, tc = (statistics.median(x[k] for x in theirs) for k in (0, 1))
            summary.append(f"  {label:<18} {threads} thread(s): sportlake {ROWS / mw:12,.0f} rows/s ({mw:.3f} s, "
                           f"CPU {mc:.3f}), pyarrow {ROWS / tw:12,.0f} rows/s ({tw:.3f} s, CPU {tc:.3f}), "
                           f"ratio {tw / mw:.2f} (CPU {tc / mc:.2f})")
    print(f"medians of {RUNS} (ratio = pyarrow time / ours; goal >= 2.0 on one thread):")
    print("\n".join(summary))


if __name__ == "__main__":
    main()
