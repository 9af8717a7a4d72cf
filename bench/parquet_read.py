"""Benchmark (issue 3): a full scan of a 10M-row activity-like Parquet file, one thread.

Ours (bench_parquet_read: every row group and column into our in-memory columns) vs pyarrow
`read_table(use_threads=False)` (into Arrow arrays), in the same run, alternating, on the same
files: one written by pyarrow (SNAPPY, dictionary) and one written by us. Prints rows/s and the
ratio (goal >= 1.0) per file, twice: our first scan in a fresh process ("cold": its memory comes
from the kernel page by page), and our second scan in that process ("warm"), which is how
pyarrow's runs are measured (in this Python process, after the first). ROWS and RUNS come from
the environment.
"""
import os
import pathlib
import statistics
import subprocess
import tempfile
import time

import pyarrow.parquet as pq

from parquet_write import BUILD, ROWS, arrow_table

RUNS = int(os.environ.get("RUNS", 3))


def main() -> None:
    work = pathlib.Path(tempfile.mkdtemp(prefix="sl-bench-pq-read-"))
    files = {"pyarrow-written": work / "arrow.parquet", "sportlake-written": work / "ours.parquet"}
    pq.write_table(arrow_table(), files["pyarrow-written"], compression="snappy")
    subprocess.run([str(BUILD / "bench" / "bench_parquet_write"), str(ROWS), str(files["sportlake-written"])],
                   check=True, capture_output=True)
    print(f"parquet full scan, {ROWS} rows, 1 thread, median of {RUNS}:")
    for label, path in files.items():
        cold, warm, arrow = [], [], []
        for _ in range(RUNS):
            out = subprocess.run([str(BUILD / "bench" / "bench_parquet_read"), str(path)], check=True,
                                 capture_output=True, text=True).stdout.split()
            assert int(out[2]) == ROWS
            cold.append(float(out[0]))
            warm.append(float(out[1]))
            t0 = time.perf_counter()
            table = pq.read_table(path, use_threads=False)
            arrow.append(time.perf_counter() - t0)
            assert table.num_rows == ROWS
            del table
        c, w, a = statistics.median(cold), statistics.median(warm), statistics.median(arrow)
        print(f"  {label:<18} pyarrow {ROWS / a:12,.0f} rows/s   sportlake warm {ROWS / w:12,.0f} rows/s "
              f"(ratio {a / w:.2f}), cold {ROWS / c:12,.0f} rows/s (ratio {a / c:.2f})   goal >= 1.0")

if __name__ == "__main__":
    main()
