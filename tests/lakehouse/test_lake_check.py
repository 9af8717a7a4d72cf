"""`sportlake lake check` end to end: HR data loaded into the embedded PostgreSQL, activities
simulated, `ingest` lands them in Bronze; one byte flipped inside a data page of the live
strava_activities file (column elapsed_time_s) must then be
- reported by `lake check` (the whole lake and the table) with the file's path, row group, column
  and page, exit 1;
- a clear error when the column is read, never a wrong value with exit 0;
- shown by `status` (DAMAGED, and when the lake was last checked clean).
pyarrow verifies the page checksums of our Bronze files before the damage.
"""
import os
import pathlib
import shutil
import subprocess
import tempfile

import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable


@pytest.fixture()
def env(build_dir):
    # The server may run as the `postgres` user: its folder must be reachable.
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-check-"))
    os.chmod(base, 0o755)
    home = base / "home"
    e = dict(os.environ, SPORTLAKE_HOME=str(home), SPORTLAKE_LOG_LEVEL="warn")
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    subprocess.run([sportlake, "db", "start"], env=e, check=True, capture_output=True)
    subprocess.run([sportlake, "load"], env=e, check=True, capture_output=True)
    subprocess.run([sportlake, "simulate", "--count", "40", "--rate", "500", "--seed", "12"], env=e, check=True,
                   capture_output=True)
    done = subprocess.run([sportlake, "ingest", "--idle-exit", "1.5"], env=e, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr
    yield sportlake, e, home / "delta"
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def run(sportlake, e, *args):
    return subprocess.run([sportlake, *args], env=e, capture_output=True, text=True, timeout=120)


def flip_in_column(path: pathlib.Path, column: str) -> None:
    """Flips one byte 3 bytes before the end of the column's chunk (its last page's body) in every
    row group."""
    md = pq.ParquetFile(path).metadata
    index = [md.schema.column(i).name for i in range(md.num_columns)].index(column)
    data = bytearray(path.read_bytes())
    for g in range(md.num_row_groups):
        c = md.row_group(g).column(index)
        start = c.dictionary_page_offset if c.has_dictionary_page else c.data_page_offset
        data[start + c.total_compressed_size - 3] ^= 0x20
    path.write_bytes(bytes(data))


def test_a_flipped_byte_in_bronze_is_found_reported_and_refused(env):
    sportlake, e, lake = env
    table = lake / "bronze" / "strava_activities"
    files = [pathlib.Path(u.removeprefix("file://")) for u in DeltaTable(str(table)).file_uris()]
    assert files
    for f in files:  # an independent reader verifies our page checksums
        pq.ParquetFile(f, page_checksum_verification=True).read()
    expected = pq.read_table(files[0], columns=["activity_id", "elapsed_time_s"]).to_pylist()

    clean = run(sportlake, e, "lake", "check")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "bronze/strava_activities: version" in clean.stdout and "clean" in clean.stdout
    assert "damaged" not in clean.stdout.lower().replace("0 damaged", "")
    status = run(sportlake, e, "status")
    assert status.returncode == 0, status.stderr
    line = next(l for l in status.stdout.splitlines() if "strava_activities" in l and "bronze" in l)
    assert "checked clean" in line, line

    flip_in_column(files[0], "elapsed_time_s")

    check = run(sportlake, e, "lake", "check", "bronze/strava_activities")
    assert check.returncode == 1, check.stdout + check.stderr
    finding = next(l for l in check.stdout.splitlines() if "damaged:" in l)
    assert str(files[0]) in finding, finding
    assert "row group 0" in finding and "column 'elapsed_time_s'" in finding, finding
    assert "page " in finding and "checksum mismatch" in finding, finding
    assert "DAMAGED" in check.stdout

    whole = run(sportlake, e, "lake", "check")
    assert whole.returncode == 1
    assert "1 damaged" in whole.stdout, whole.stdout

    # Reading the damaged column fails clearly; before page checksums it printed wrong values, exit 0.
    scan = run(sportlake, e, "lake", "scan", "bronze/strava_activities", "--columns", "activity_id,elapsed_time_s")
    assert scan.returncode == 1, f"a damaged page was read: {scan.stdout[:300]}"
    assert files[0].name in scan.stderr and "elapsed_time_s" in scan.stderr and "checksum mismatch" in scan.stderr
    # A reader that projects other columns does not touch the damaged page: lake check is what finds it.
    other = run(sportlake, e, "lake", "scan", "bronze/strava_activities", "--columns", "activity_id")
    assert other.returncode == 0, other.stderr
    assert len(other.stdout.splitlines()) >= len(expected)

    status = run(sportlake, e, "status")
    line = next(l for l in status.stdout.splitlines() if "strava_activities" in l and "bronze" in l)
    assert "DAMAGED" in line and "checked clean" in line, line
