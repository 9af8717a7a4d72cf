"""Files written by our Parquet writer, read back by independent readers (pyarrow, DuckDB).

The fixtures tool (src/parquet/tools/write_fixtures.cpp) writes the same 13-column table with
every codec, dictionary on and off, many row groups and pages, and zero rows, and a nested table
(lists, structs, maps, lists of lists, a Delta-like `add` struct, lists of structs, nulls and
empties at every level); the expected values are recomputed here from the same formulas, so a
wrong value, null, type, level or statistic fails.
"""
import datetime
import decimal
import pathlib
import subprocess

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

SPORTS = ["Run", "Hike", "Swim", "Ride", "Tennis", "Équitation"]
EPOCH = datetime.date(1970, 1, 1)
UTC = datetime.timezone.utc


def expected_row(r: int) -> dict:
    null = r % 5 == 4

    def v(x):
        return None if null else x

    return {
        "id": r,
        "i32": v(r * 7 - 1000),
        "f32": v(r * 0.5),
        "f64": v(r / 3.0 - 10.0),
        "flag": v(r % 3 == 0),
        "name": v(f"name-{r}"),
        "sport": v(SPORTS[r % 6]),
        "blob": v(bytes([r % 256]) * (1 + r % 4)),
        "day": v(EPOCH + datetime.timedelta(days=19000 + r % 1000)),
        "ts": v(datetime.datetime(1970, 1, 1, tzinfo=UTC)
                + datetime.timedelta(microseconds=1700000000000000 + r * 1000003)),
        "amount": v(decimal.Decimal(r * 12345 - 50000).scaleb(-2)),
        "small_dec": v(decimal.Decimal(r % 99999).scaleb(-3)),
        "big_dec": v(decimal.Decimal((r - 500) * 10**30 + r).scaleb(-10, decimal.Context(prec=40))),
    }


@pytest.fixture(scope="module")
def fixtures(build_dir, tmp_path_factory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("parquet-fixtures")
    tool = build_dir / "src" / "parquet" / "sl_parquet_write_fixtures"
    subprocess.run([str(tool), str(out)], check=True, capture_output=True)
    return out


CODECS = ["UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "LZ4_RAW"]


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("layout", ["dict", "plain"])
def test_pyarrow_reads_every_value(fixtures, codec, layout):
    path = fixtures / f"all_types_{codec}_{layout}.parquet"
    table = pq.read_table(path)
    assert table.schema.field("id").nullable is False
    assert table.schema.field("ts").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("amount").type == pa.decimal128(12, 2)
    assert table.schema.field("big_dec").type == pa.decimal128(38, 10)
    assert table.schema.field("day").type == pa.date32()
    assert table.to_pylist() == [expected_row(r) for r in range(5000)]
    meta = pq.ParquetFile(path).metadata
    column = meta.row_group(0).column(6)
    assert column.compression == {"LZ4_RAW": "LZ4"}.get(codec, codec)  # pyarrow's name for LZ4_RAW
    assert ("RLE_DICTIONARY" in column.encodings) == (layout == "dict")


@pytest.mark.parametrize("codec", CODECS)
def test_duckdb_reads_every_value(fixtures, codec):
    path = fixtures / f"all_types_{codec}_dict.parquet"
    rows = duckdb.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY id").fetchall()
    assert len(rows) == 5000
    for r, row in enumerate(rows):
        exp = expected_row(r)
        got = dict(zip(["id", "i32", "f32", "f64", "flag", "name", "sport", "blob", "day", "ts", "amount",
                        "small_dec", "big_dec"], row))
        exp["ts"] = exp["ts"] and exp["ts"]  # DuckDB returns aware datetimes for TIMESTAMPTZ
        assert got == exp, f"row {r}"


def test_statistics_read_back(fixtures):
    meta = pq.ParquetFile(fixtures / "all_types_SNAPPY_dict.parquet").metadata
    rg = meta.row_group(0)
    names = [rg.column(i).path_in_schema for i in range(rg.num_columns)]
    stats = {name: rg.column(i).statistics for i, name in enumerate(names)}
    rows = [expected_row(r) for r in range(5000)]
    # (pyarrow 17 cannot extract decimal statistics; DuckDB checks them below.)
    for name in ["id", "i32", "f32", "f64", "flag", "name", "sport", "day", "ts"]:
        values = [row[name] for row in rows if row[name] is not None]
        s = stats[name]
        assert s.has_min_max, name
        assert s.null_count == sum(row[name] is None for row in rows), name
        if name in ("name", "sport"):
            # Unsigned byte order.
            assert s.min == min(values, key=lambda v: v.encode()), name
            assert s.max == max(values, key=lambda v: v.encode()), name
        else:
            assert s.min == min(values), name
            assert s.max == max(values), name


def test_decimal_statistics_prune_in_duckdb(fixtures):
    # DuckDB uses the min/max of each row group to skip it; wrong bounds would lose rows.
    path = fixtures / "many_groups_and_pages.parquet"
    got = duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}') WHERE amount > 300000").fetchone()[0]
    want = sum(1 for r in range(30000)
               if r % 5 != 4 and decimal.Decimal(r * 12345 - 50000).scaleb(-2) > 300000)
    assert got == want
    # 38-digit decimals (16-byte FIXED_LEN_BYTE_ARRAY, signed big-endian bounds), negatives included
    got = duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}') WHERE big_dec < -1e32").fetchone()[0]
    assert got == sum(1 for r in range(30000) if r % 5 != 4 and (r - 500) * 10**30 + r < -10**42)


def test_many_row_groups_and_pages(fixtures):
    path = fixtures / "many_groups_and_pages.parquet"
    pf = pq.ParquetFile(path)
    assert pf.metadata.num_row_groups == 5
    assert [pf.metadata.row_group(i).num_rows for i in range(5)] == [7000, 7000, 7000, 7000, 2000]
    assert pf.read().to_pylist() == [expected_row(r) for r in range(30000)]
    # Row group offsets and sizes are exact: a reader that seeks by them gets each group alone.
    assert pf.read_row_group(3).column("id").to_pylist() == list(range(21000, 28000))
    count = duckdb.sql(f"SELECT count(*), sum(id) FROM read_parquet('{path}')").fetchone()
    assert count == (30000, sum(range(30000)))


def test_zero_rows(fixtures):
    table = pq.read_table(fixtures / "zero_rows.parquet")
    assert table.num_rows == 0
    assert len(table.schema) == 13
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{fixtures / 'zero_rows.parquet'}')").fetchone() == (0,)


# ---------------------------------------------------------------------------------------------
# Nested columns (struct, list, map): the formulas of `nested()` in write_fixtures.cpp.

KINDS = ["Run", "Hike", "Swim", "Ride", "Tennis", "Équitation"]


def expected_nested(r: int) -> dict:
    def tags():
        if r % 7 == 0:
            return None
        if r % 7 == 1:
            return []
        return [None if (r + k) % 5 == 0 else f"t{r}_{k}" for k in range(r % 4 + 1)]

    def point():
        if r % 6 == 0:
            return None
        return {"x": r * 0.5, "y": None if r % 4 == 0 else -float(r), "label": None if r % 5 == 0 else f"p{r % 3}"}

    def props():
        if r % 8 == 0:
            return None
        if r % 8 == 1:
            return []
        return [(f"k{k}", None if (r + k) % 4 == 0 else r * 10 + k) for k in range(r % 3 + 1)]

    def matrix():
        if r % 9 == 0:
            return None
        rows = []
        for k in range(r % 3 + 1):
            if k == 1 and r % 2 == 0:
                rows.append(None)
            elif k == 2:
                rows.append([])
            else:
                rows.append([None if (r + j) % 11 == 0 else r + k + j for j in range(k + 1)])
        return rows

    def add():
        if r % 3 == 0:
            return None
        return {
            "path": f"part-{r}.parquet",
            "size": r * 100,
            "partitionValues": [("date", f"2024-01-{r % 28 + 1:02d}"), ("region", None if r % 2 else "eu")],
            "tags": None if r % 2 else [],
            "stats": None if r % 5 == 0 else f'{{"numRecords":{r}}}',
        }

    def events():
        if r % 10 == 0:
            return None
        out = []
        for k in range(r % 3):
            if k == 1 and r % 4 == 0:
                out.append(None)
                continue
            out.append({
                "kind": KINDS[(r + k) % 6],
                "at": datetime.datetime(1970, 1, 1, tzinfo=UTC)
                + datetime.timedelta(microseconds=1700000000000000 + r * 1000003 + k),
                "amount": decimal.Decimal(r * 101 - 5000 + k).scaleb(-2),
            })
        return out

    return {"id": r, "tags": tags(), "point": point(), "props": props(), "matrix": matrix(), "add": add(),
            "events": events(), "ints": [r * k for k in range(r % 5)]}


def as_duckdb(row: dict) -> dict:
    """DuckDB returns maps as dicts."""
    out = dict(row)
    out["props"] = None if row["props"] is None else dict(row["props"])
    if row["add"] is not None:
        add = dict(row["add"])
        add["partitionValues"] = dict(add["partitionValues"])
        add["tags"] = None if add["tags"] is None else dict(add["tags"])
        out["add"] = add
    return out


@pytest.mark.parametrize("layout", ["dict", "plain"])
def test_pyarrow_reads_nested_values(fixtures, layout):
    path = fixtures / f"nested_{layout}.parquet"
    table = pq.read_table(path)
    schema = table.schema
    assert schema.field("tags").type == pa.list_(pa.field("element", pa.string()))
    assert schema.field("props").type == pa.map_(pa.string(), pa.int64())
    assert schema.field("ints").nullable is False
    assert schema.field("ints").type == pa.list_(pa.field("element", pa.int32(), nullable=False))
    add = schema.field("add").type
    assert add.field("size").nullable is False
    assert add.field("partitionValues").type == pa.map_(pa.string(), pa.string())
    assert table.to_pylist() == [expected_nested(r) for r in range(3000)]
    meta = pq.ParquetFile(path).metadata
    paths = [meta.row_group(0).column(i).path_in_schema for i in range(meta.num_columns)]
    assert "add.partitionValues.key_value.key" in paths
    assert "matrix.list.element.list.element" in paths


def test_duckdb_reads_nested_values(fixtures):
    path = fixtures / "nested_many_groups_and_pages.parquet"
    rows = duckdb.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY id").fetchall()
    names = ["id", "tags", "point", "props", "matrix", "add", "events", "ints"]
    assert len(rows) == 20000
    for r, row in enumerate(rows):
        assert dict(zip(names, row)) == as_duckdb(expected_nested(r)), f"row {r}"
    # Queries into the nested values use the leaves' levels and statistics.
    got = duckdb.sql(f"SELECT count(*), sum(add.size), sum(len(tags)) FROM read_parquet('{path}') "
                     "WHERE list_contains(map_extract(add.partitionValues, 'date'), '2024-01-05')").fetchone()
    want = [expected_nested(r) for r in range(20000)]
    want = [w for w in want if w["add"] is not None and w["add"]["partitionValues"][0][1] == "2024-01-05"]
    assert got == (len(want), sum(w["add"]["size"] for w in want),
                   sum(len(w["tags"]) for w in want if w["tags"] is not None))


def test_nested_row_groups_pages_and_levels(fixtures):
    path = fixtures / "nested_many_groups_and_pages.parquet"
    pf = pq.ParquetFile(path)
    assert [pf.metadata.row_group(i).num_rows for i in range(pf.metadata.num_row_groups)] == [7000, 7000, 6000]
    assert pf.read_row_group(1).to_pylist() == [expected_nested(r) for r in range(7000, 14000)]
    column = pf.metadata.row_group(0).column(1)  # tags.list.element
    assert column.path_in_schema == "tags.list.element"
    rows = [expected_nested(r)["tags"] for r in range(7000)]
    assert column.num_values == sum(max(1, len(t or [])) for t in rows)  # one level entry per element
    present = [v for t in rows if t for v in t if v is not None]
    assert column.statistics.min == min(present) and column.statistics.max == max(present)


def test_nested_zero_rows(fixtures):
    table = pq.read_table(fixtures / "nested_zero_rows.parquet")
    assert table.num_rows == 0
    assert table.schema.names == ["id", "tags", "point", "props", "matrix", "add", "events", "ints"]
