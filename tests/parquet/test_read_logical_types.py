"""`sportlake parquet cat` prints unsigned integers, TIME, UUID, INTERVAL and timestamps without a
time zone as their logical values (files written by pyarrow and DuckDB), and `--where` takes their
literals. Before the fix UINT32/UINT64 printed as signed (4294967168 → -128), `--where` refused
literals above 2^63 - 1, TIME printed raw microseconds, UUID bare hex, INTERVAL hex and a local
timestamp carried a `Z`."""
import json
import subprocess

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

U64_MAX = 2**64 - 1


@pytest.fixture(scope="module")
def sportlake(build_dir):
    return str(build_dir / "src" / "cli" / "sportlake")


def run(sportlake, *args):
    return subprocess.run([sportlake, *map(str, args)], capture_output=True, text=True, timeout=60)


def cat(sportlake, path, *args):
    proc = run(sportlake, "parquet", "cat", "--json", *args, path)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.fixture(scope="module")
def unsigned_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("uint") / "u.parquet"
    u32 = [0, 1, 2**31, 4294967168, 2**32 - 1, None]
    u64 = [0, 1, 2**63, U64_MAX - 127, U64_MAX, None]
    pq.write_table(pa.table({
        "id": pa.array(range(6), pa.int64()),
        "u8": pa.array([0, 1, 128, 200, 255, None], pa.uint8()),
        "u16": pa.array([0, 1, 2**15, 65000, 2**16 - 1, None], pa.uint16()),
        "u32": pa.array(u32, pa.uint32()),
        "u64": pa.array(u64, pa.uint64()),
    }), path, row_group_size=2)
    return path


def test_unsigned_integers_print_as_pyarrow_reads_them(sportlake, unsigned_file):
    assert cat(sportlake, unsigned_file) == pq.read_table(unsigned_file).to_pylist()
    schema = run(sportlake, "parquet", "schema", unsigned_file).stdout
    assert "u64 uint64" in schema and "u32 int64" in schema


@pytest.mark.parametrize("text,ids", [
    ("u32 = 4294967168", [3]),
    ("u32 > 2147483647", [2, 3, 4]),
    (f"u64 = {U64_MAX}", [4]),
    ("u64 >= 9223372036854775808", [2, 3, 4]),
    ("u64 < 9223372036854775808", [0, 1]),
    ("u8 > 127", [2, 3, 4]),
])
def test_where_on_unsigned_columns(sportlake, unsigned_file, text, ids):
    assert [r["id"] for r in cat(sportlake, unsigned_file, "--where", text)] == ids


def test_where_refuses_a_negative_unsigned_literal(sportlake, unsigned_file):
    proc = run(sportlake, "parquet", "cat", "--where", "u64 = -1", unsigned_file)
    assert proc.returncode == 1 and "'u64'" in proc.stderr and "partition" not in proc.stderr


def test_duckdb_unsigned_columns(sportlake, tmp_path):
    path = tmp_path / "duck.parquet"
    duckdb.sql(f"COPY (SELECT 4294967168::UINTEGER AS a, {U64_MAX}::UBIGINT AS b, 200::UTINYINT AS c) "
               f"TO '{path}' (FORMAT parquet)")
    assert cat(sportlake, path) == [{"a": 4294967168, "b": U64_MAX, "c": 200}]


def test_a_uint64_column_is_refused_by_a_delta_write(sportlake, unsigned_file, tmp_path):
    proc = run(sportlake, "lake", "import", tmp_path / "t", unsigned_file)
    assert proc.returncode == 1 and "'u64' is uint64" in proc.stderr


def test_time_and_local_timestamps_of_a_pyarrow_file(sportlake, tmp_path):
    import datetime
    path = tmp_path / "t.parquet"
    t = datetime.time(8, 30, 5, 250000)
    local = datetime.datetime(2024, 2, 29, 23, 59, 58, 123456)
    pq.write_table(pa.table({
        "ms": pa.array([t, None], pa.time32("ms")),
        "us": pa.array([t, None], pa.time64("us")),
        "ns": pa.array([t, None], pa.time64("ns")),
        "local": pa.array([local, None], pa.timestamp("us")),
        "utc": pa.array([local, None], pa.timestamp("us", tz="UTC")),
    }), path)
    assert cat(sportlake, path) == [
        {"ms": "08:30:05.250", "us": "08:30:05.250000", "ns": "08:30:05.250000000",
         "local": "2024-02-29T23:59:58.123456", "utc": "2024-02-29T23:59:58.123456Z"},
        {"ms": None, "us": None, "ns": None, "local": None, "utc": None}]


def test_uuid_and_interval_of_a_duckdb_file(sportlake, tmp_path):
    path = tmp_path / "d.parquet"
    duckdb.sql(f"COPY (SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID AS u, "
               f"INTERVAL '1 year 2 months 3 days 4.005 seconds' AS i, INTERVAL '0 days' AS z, "
               f"TIME '23:59:59.999999' AS t) TO '{path}' (FORMAT parquet)")
    assert cat(sportlake, path) == [{"u": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "i": "P14M3DT4.005S",
                                     "z": "P0M0DT0S", "t": "23:59:59.999999"}]


def test_a_delta_timestamp_ntz_column_prints_without_a_zone(sportlake, tmp_path):
    import datetime
    from deltalake import write_deltalake
    write_deltalake(str(tmp_path / "t"), pa.table({"at": pa.array([datetime.datetime(2024, 1, 2, 3, 4, 5)],
                                                                    pa.timestamp("us"))}))
    proc = run(sportlake, "lake", "scan", tmp_path / "t")
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(l) for l in proc.stdout.splitlines()] == [{"at": "2024-01-02T03:04:05.000000"}]


@pytest.mark.parametrize("text,rows", [
    ("ms = '08:30:05.250'", 1), ("us = '08:30:05.25'", 1), ("ns >= '08:30'", 1), ("us < '08:30:05'", 0),
    ("ms != '08:30:05.251'", 1), ("us > '23:59:59.999999'", 0), ("ns <= '24:00:00'", 1)])
def test_where_takes_time_literals_as_they_print(sportlake, tmp_path, text, rows):
    """Issue 13: `--where` on a TIME column took only raw units ('10:15:30' "is not a valid long")."""
    import datetime
    path = tmp_path / "t.parquet"
    t = datetime.time(8, 30, 5, 250000)
    pq.write_table(pa.table({"ms": pa.array([t, None], pa.time32("ms")),
                             "us": pa.array([t, None], pa.time64("us")),
                             "ns": pa.array([t, None], pa.time64("ns"))}), path)
    assert len(cat(sportlake, path, "--where", text)) == rows


def test_where_refuses_a_time_literal_beyond_its_unit(sportlake, tmp_path):
    import datetime
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"ms": pa.array([datetime.time(8, 30)], pa.time32("ms"))}), path)
    for text in ("ms = '08:30:00.0001'", "ms = '25:00'", "ms = 'noon'"):
        proc = run(sportlake, "parquet", "cat", "--where", text, path)
        assert proc.returncode != 0 and "time (HH:MM:SS.fff)" in proc.stderr, proc.stderr


def test_int96_timestamps_are_instants_with_a_zone(sportlake, tmp_path):
    """INT96 (Spark's and Impala's TimestampType) holds UTC instants: printed with `Z`, unlike
    timestamp_ntz."""
    import datetime
    path = tmp_path / "i.parquet"
    pq.write_table(pa.table({"ts": pa.array([datetime.datetime(2026, 1, 1, 12, 0, 0, 5)], pa.timestamp("ns"))}),
                   path, use_deprecated_int96_timestamps=True)
    assert cat(sportlake, path) == [{"ts": "2026-01-01T12:00:00.000005Z"}]
