"""`sportlake parquet cat --where`: row groups ruled out by their statistics are skipped, and the
rows printed are exactly those pyarrow's own filter keeps (files written by pyarrow and DuckDB)."""
import datetime
import decimal
import json
import math
import re
import subprocess

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conformance_lib import normalise_typed, timestamps_as_int64

ROWS = 1000
GROUP = 100  # 10 row groups; id, day, ts and amount rise with the row, so groups hold ranges


def table() -> pa.Table:
    ids = list(range(ROWS))
    return pa.table({
        "id": pa.array(ids, pa.int64()),
        "small": pa.array([None if i % 7 == 0 else i % 50 for i in ids], pa.int32()),
        "name": pa.array([None if i % 11 == 0 else f"n{i:04d}" for i in ids], pa.string()),
        "score": pa.array([math.nan if i % 13 == 0 else i / 4 for i in ids], pa.float64()),
        "day": pa.array([datetime.date(2024, 1, 1) + datetime.timedelta(days=i) for i in ids], pa.date32()),
        "ts": pa.array([datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(minutes=i)
                        for i in ids], pa.timestamp("us", tz="UTC")),
        "amount": pa.array([decimal.Decimal(i * 10**20 + 5).scaleb(-2) for i in ids], pa.decimal128(30, 2)),
        "only_null_late": pa.array([i if i < 300 else None for i in ids], pa.int64()),
    })


# (filter text, pyarrow expression, row groups skipped by statistics)
CASES = [
    ("id=250", pc.field("id") == 250, 9),
    ("id != 3", pc.field("id") != 3, 0),
    ("id<150", pc.field("id") < 150, 8),
    ("id<=99", pc.field("id") <= 99, 9),
    ("id > 899", pc.field("id") > 899, 9),
    ("id>=900", pc.field("id") >= 900, 9),
    ("name = 'n0420'", pc.field("name") == "n0420", 9),
    ("name >= n0950", pc.field("name") >= "n0950", 9),
    ("score > 240", pc.field("score") > 240, 9),
    ("day = 2024-03-01", pc.field("day") == datetime.date(2024, 3, 1), 9),
    ("ts >= 2024-01-01 15:00:00", pc.field("ts") >= pa.scalar(datetime.datetime(2024, 1, 1, 15, tzinfo=datetime.timezone.utc), pa.timestamp("us", tz="UTC")), 9),
    ("amount < 100000000000000000000.05", pc.field("amount") < decimal.Decimal("100000000000000000000.05"), 9),
    ("small is null", pc.field("small").is_null(), 0),
    ("only_null_late is null", pc.field("only_null_late").is_null(), 3),
    ("only_null_late is not null", pc.field("only_null_late").is_valid(), 7),
    ("only_null_late > 5", pc.field("only_null_late") > 5, 7),
    ("small = 17", pc.field("small") == 17, 0),
]


@pytest.fixture(scope="module")
def sportlake(build_dir):
    return str(build_dir / "src" / "cli" / "sportlake")


@pytest.fixture(scope="module")
def pyarrow_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("where") / "pyarrow.parquet"
    pq.write_table(table(), path, row_group_size=GROUP)
    return path


def cat(sportlake, path, *args):
    proc = subprocess.run([sportlake, "parquet", "cat", "--json", *args, str(path)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()], proc.stderr


def expected(path, expression, columns=None):
    t = pq.read_table(path).filter(expression)
    if columns:
        t = t.select(columns)
    types = {f.name: f.type for f in t.schema}
    t = t.cast(pa.schema([pa.field(f.name, timestamps_as_int64(f.type), f.nullable) for f in t.schema]))
    return [{k: normalise_typed(v, types[k]) for k, v in row.items()} for row in t.to_pylist()]


def skipped(stderr):
    m = re.search(r"(\d+) of (\d+) row groups skipped by statistics", stderr)
    assert m, stderr
    return int(m.group(1)), int(m.group(2))


@pytest.mark.parametrize("text,expression,skips", CASES, ids=[c[0] for c in CASES])
def test_where_on_a_pyarrow_file(sportlake, pyarrow_file, text, expression, skips):
    rows, stderr = cat(sportlake, pyarrow_file, "--where", text)
    assert rows == expected(pyarrow_file, expression)
    assert skipped(stderr) == (skips, ROWS // GROUP)


def test_where_on_a_column_not_printed_and_several_filters(sportlake, pyarrow_file):
    rows, stderr = cat(sportlake, pyarrow_file, "--columns", "name", "--where", "id>=300", "--where", "id<420",
                       "--where", "name is not null")
    assert rows == expected(pyarrow_file, (pc.field("id") >= 300) & (pc.field("id") < 420) & pc.field("name").is_valid(),
                            ["name"])
    assert skipped(stderr) == (8, 10)


def test_where_on_a_duckdb_file(sportlake, tmp_path):
    path = tmp_path / "duck.parquet"
    duckdb.sql(f"COPY (SELECT i AS id, 'k' || lpad(i::VARCHAR, 5, '0') AS k FROM range(100000) t(i)) "
               f"TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 10000)")
    groups = pq.ParquetFile(path).metadata.num_row_groups
    rows, stderr = cat(sportlake, path, "--where", "k=k04242")
    assert rows == [{"id": 4242, "k": "k04242"}]
    assert skipped(stderr) == (groups - 1, groups)


def test_where_errors_name_the_problem(sportlake, pyarrow_file):
    for args, words in [(["--where", "nope=1"], "no column 'nope'"), (["--where", "id=abc"], "id"),
                        (["--where", "id ~ 3"], "expected COLUMN")]:
        proc = subprocess.run([sportlake, "parquet", "cat", *args, str(pyarrow_file)], capture_output=True, text=True,
                              timeout=60)
        assert proc.returncode == 1 and words in proc.stderr, proc.stderr
