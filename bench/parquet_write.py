"""Benchmark (issue 3): writing a 10M-row activity-like table to Parquet, SNAPPY, one thread.

Ours (bench_parquet_write) vs pyarrow `write_table` and DuckDB `COPY ... TO parquet` (threads=1),
same values, same run; data generation is not timed. Prints rows/s, ratios (goal >= 1.0) and file
sizes (goal: within 10 % of pyarrow). ROWS and RUNS come from the environment.
"""
import os
import pathlib
import statistics
import subprocess
import tempfile
import time

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROWS = int(os.environ.get("ROWS", 10_000_000))
RUNS = int(os.environ.get("RUNS", 3))
BUILD = pathlib.Path(os.environ.get("SL_BUILD_DIR", "build/release"))
SPORTS = ["Run", "Hike", "Swim", "Ride", "Tennis", "Badminton", "TableTennis", "RockClimbing", "Soccer", "Sail",
          "Workout", "Walk", "Rugby", "Judo", "Boxe"]


def arrow_table() -> pa.Table:
    n = np.arange(ROWS, dtype=np.int64)
    sports = pa.array(SPORTS)
    return pa.table({
        "activity_id": pa.array(10_000_000_000 + n),
        "employee_id": pa.array(((n * 7919) % 161 + 10000).astype(np.int32)),
        "sport_type": sports.take(pa.array((n * 31) % 15)),
        "name": pa.array([f"Activité {i}" for i in range(ROWS)]),
        "distance_m": pa.array((n % 20000) * 1.5),
        "start_date_utc": pa.array(1_700_000_000_000_000 + n * 60_000_000, type=pa.timestamp("us", tz="UTC")),
        "commute": pa.array(n % 7 == 0),
    })


def main() -> None:
    work = pathlib.Path(tempfile.mkdtemp(prefix="sl-bench-pq-"))
    ours, arrow, duck = [], [], []
    ours_size = arrow_size = duck_size = 0
    table = arrow_table()
    con = duckdb.connect()
    con.execute("SET threads = 1")
    con.register("arrow_table", table)
    con.execute("CREATE TABLE t AS SELECT * FROM arrow_table")
    for _ in range(RUNS):
        out = subprocess.run([str(BUILD / "bench" / "bench_parquet_write"), str(ROWS), str(work / "ours.parquet")],
                             check=True, capture_output=True, text=True).stdout.split()
        ours.append(float(out[0]))
        ours_size = int(out[1])
        t0 = time.perf_counter()
        pq.write_table(table, work / "arrow.parquet", compression="snappy")
        arrow.append(time.perf_counter() - t0)
        arrow_size = (work / "arrow.parquet").stat().st_size
        (work / "duck.parquet").unlink(missing_ok=True)
        t0 = time.perf_counter()
        con.execute(f"COPY t TO '{work / 'duck.parquet'}' (FORMAT parquet, COMPRESSION snappy)")
        duck.append(time.perf_counter() - t0)
        duck_size = (work / "duck.parquet").stat().st_size
    o, a, d = statistics.median(ours), statistics.median(arrow), statistics.median(duck)
    print(f"parquet write {ROWS} rows, SNAPPY, 1 thread, median of {RUNS}:")
    print(f"  sportlake {ROWS / o:12,.0f} rows/s  {ours_size:>12,} bytes")
    print(f"  pyarrow   {ROWS / a:12,.0f} rows/s  {arrow_size:>12,} bytes   ratio ours/pyarrow {a / o:.2f} (goal >= 1.0)")
    print(f"  duckdb    {ROWS / d:12,.0f} rows/s  {duck_size:>12,} bytes   ratio ours/duckdb {d / o:.2f} (goal >= 1.0)")
    print(f"  size ours/pyarrow {ours_size / arrow_size:.3f} (goal within 1.10)")
    # Same values: every reader sees the same table.
    written = pq.read_table(work / "ours.parquet")
    assert written.num_rows == ROWS
    assert all(written.column(name).equals(table.column(name)) for name in table.column_names)


if __name__ == "__main__":
    main()
