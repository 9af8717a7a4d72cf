"""Nested files written by pyarrow and DuckDB (and by our writer) read by `sportlake parquet cat`,
compared value by value with pyarrow's reading of the same file.

pyarrow writes every layout option we must read: v1 and v2 data pages, dictionary on and off,
several codecs, tiny pages and row groups (rows split across many pages), nulls and empty lists
at every level. DuckDB writes its own nested layout. Our own nested fixtures close the loop.
"""
import json
import datetime
import decimal
import subprocess

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conformance_lib import ours, same, theirs

UTC = datetime.timezone.utc


def nested_table(rows: int) -> pa.Table:
    def maybe(r, k, value):
        return None if (r + k) % 7 == 0 else value

    data = {
        "id": list(range(rows)),
        "tags": [None if r % 5 == 0 else [maybe(r, k, f"t{r}.{k}") for k in range(r % 4)] for r in range(rows)],
        "point": [None if r % 6 == 0 else {"x": r / 2, "y": maybe(r, 1, -r), "label": maybe(r, 2, f"p{r % 3}")}
                  for r in range(rows)],
        "props": [None if r % 8 == 0 else [(f"k{k}", maybe(r, k, r * 10 + k)) for k in range(r % 3)]
                  for r in range(rows)],
        "matrix": [None if r % 9 == 0 else [None if k == 1 and r % 2 == 0 else [maybe(r, j, r + j) for j in range(k)]
                                            for k in range(r % 4)] for r in range(rows)],
        "events": [None if r % 10 == 0 else
                   [None if k == 1 and r % 4 == 0 else
                    {"kind": maybe(r, k, "Run"),
                     "at": datetime.datetime(2024, 1, 1, tzinfo=UTC) + datetime.timedelta(seconds=r * 61 + k),
                     "amount": decimal.Decimal(r * 101 - 5000 + k).scaleb(-2)} for k in range(r % 3)]
                   for r in range(rows)],
        "by_int": [[(k, maybe(r, k, datetime.date(2020, 1, 1) + datetime.timedelta(days=r + k))) for k in range(r % 3)]
                   for r in range(rows)],
    }
    schema = pa.schema([
        pa.field("id", pa.int64(), nullable=False),
        pa.field("tags", pa.list_(pa.string())),
        pa.field("point", pa.struct([pa.field("x", pa.float64(), nullable=False), ("y", pa.int32()),
                                     ("label", pa.string())])),
        pa.field("props", pa.map_(pa.string(), pa.int64())),
        pa.field("matrix", pa.list_(pa.list_(pa.int16()))),
        pa.field("events", pa.list_(pa.struct([("kind", pa.string()), ("at", pa.timestamp("ms", tz="UTC")),
                                               ("amount", pa.decimal128(9, 2))]))),
        pa.field("by_int", pa.map_(pa.int32(), pa.date32()), nullable=False),
    ])
    return pa.table(data, schema=schema)


@pytest.fixture(scope="module")
def sportlake(build_dir):
    return str(build_dir / "src" / "cli" / "sportlake")


PYARROW_LAYOUTS = {
    "v1-dict-snappy": dict(data_page_version="1.0", use_dictionary=True, compression="snappy"),
    "v1-plain-zstd": dict(data_page_version="1.0", use_dictionary=False, compression="zstd"),
    "v2-dict-gzip": dict(data_page_version="2.0", use_dictionary=True, compression="gzip"),
    "v2-plain-none": dict(data_page_version="2.0", use_dictionary=False, compression="none"),
    "tiny-pages-and-groups": dict(data_page_size=64, write_batch_size=7, row_group_size=333,
                                  compression="lz4"),
}


@pytest.mark.parametrize("layout", sorted(PYARROW_LAYOUTS))
def test_pyarrow_nested_files_read_identically(sportlake, tmp_path, layout):
    path = tmp_path / f"{layout}.parquet"
    pq.write_table(nested_table(2000), path, **PYARROW_LAYOUTS[layout])
    rows, error = ours(sportlake, path)
    assert rows is not None, error
    assert same(rows, theirs(path))


def test_duckdb_nested_file_reads_identically(sportlake, tmp_path):
    path = tmp_path / "duck.parquet"
    duckdb.sql(f"""COPY (SELECT i AS id,
                   CASE WHEN i % 5 = 0 THEN NULL ELSE [i, NULL, i + 1][1:i % 4] END AS ints,
                   CASE WHEN i % 3 = 0 THEN NULL ELSE {{'a': i, 'b': [CAST(i AS VARCHAR)], 'c': NULL::INT}} END AS s,
                   CASE WHEN i % 4 = 0 THEN NULL ELSE MAP {{'x': i, 'y': NULL}} END AS m,
                   [[i], [], NULL] AS ll
                   FROM range(3000) t(i)) TO '{path}' (FORMAT PARQUET, ROW_GROUP_SIZE 1000)""")
    rows, error = ours(sportlake, path)
    assert rows is not None, error
    assert same(rows, theirs(path))


def test_our_nested_fixtures_read_identically(sportlake, build_dir, tmp_path):
    subprocess.run([str(build_dir / "src" / "parquet" / "sl_parquet_write_fixtures"), str(tmp_path)],
                   check=True, capture_output=True)
    for name in ["nested_dict", "nested_plain", "nested_many_groups_and_pages", "nested_zero_rows"]:
        rows, error = ours(sportlake, tmp_path / f"{name}.parquet")
        assert rows is not None, error
        assert same(rows, theirs(tmp_path / f"{name}.parquet")), name


def test_projection_by_top_level_name(sportlake, tmp_path):
    path = tmp_path / "p.parquet"
    pq.write_table(nested_table(50), path)
    proc = subprocess.run([sportlake, "parquet", "cat", "--columns", "props,id", str(path)],
                          capture_output=True, text=True, check=True)
    first = proc.stdout.splitlines()[1]
    assert first == '{"props":{"k0":10},"id":1}'
    # a field of a struct: the other fields are not read
    proc = subprocess.run([sportlake, "parquet", "cat", "--columns", "point.x", str(path)],
                          capture_output=True, text=True, check=True)
    expected = pq.read_table(path).column("point").to_pylist()
    got = [json.loads(line)["point"] for line in proc.stdout.splitlines()]
    assert got == [None if p is None else {"x": p["x"]} for p in expected]
    proc = subprocess.run([sportlake, "parquet", "cat", "--columns", "point.nope", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "no column 'point.nope'" in proc.stderr
