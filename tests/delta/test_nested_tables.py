"""Delta tables with nested columns (lists, maps, structs, nested in each other, nulls at every
level) written by delta-rs: `lake scan --where`, `lake optimize`, `lake checkpoint` and
`lake import --merge-schema` keep every nested value, as delta-rs reads them back. Before the fix,
--where crashed (list, map) or printed a struct as `[]`, and optimize refused such tables."""
import json

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable, write_deltalake

import nested_data


def scan(sportlake, table, *args):
    return sorted((json.loads(l) for l in sportlake("lake", "scan", table, "--json", *args).splitlines()),
                  key=lambda r: r["id"])


def theirs(table, expression=None):
    t = DeltaTable(str(table)).to_pyarrow_table()
    if expression is not None:
        t = t.filter(expression)
    return sorted(nested_data.printed_rows(t), key=lambda r: r["id"])


def delta_rs_table(path, appends=4, rows=15, **kwargs):
    for k in range(appends):
        write_deltalake(str(path), nested_data.table(k * rows, rows), mode="append", **kwargs)
    return path


@pytest.mark.parametrize("text,expression", [
    ("id >= 31", pc.field("id") >= 31),
    ("id != 3", pc.field("id") != 3),
    ("id < 0", pc.field("id") < 0),
])
def test_scan_where_keeps_nested_values(tmp_path, sportlake, text, expression):
    table = delta_rs_table(tmp_path / "t")
    assert scan(sportlake, table, "--where", text) == theirs(table, expression)
    only_nested = scan(sportlake, table, "--columns", "id,deep,props", "--where", text)
    assert only_nested == [{k: r[k] for k in ("id", "deep", "props")} for r in theirs(table, expression)]


def test_scan_where_on_a_partitioned_table(tmp_path, sportlake):
    t = nested_data.table(0, 30).append_column("part", pa.array([i % 3 for i in range(30)], pa.int64()))
    write_deltalake(str(tmp_path / "p"), t, partition_by=["part"])
    assert scan(sportlake, tmp_path / "p", "--where", "part = 1") == theirs(tmp_path / "p", pc.field("part") == 1)


def test_optimize_then_checkpoint_keep_nested_values(tmp_path, sportlake):
    table = delta_rs_table(tmp_path / "t")
    before = theirs(table)
    assert "4 files compacted into 1 (60 rows)" in sportlake("lake", "optimize", table)
    assert len(DeltaTable(str(table)).files()) == 1
    assert theirs(table) == before == scan(sportlake, table)
    sportlake("lake", "checkpoint", table)
    assert (table / "_delta_log" / f"{DeltaTable(str(table)).version():020d}.checkpoint.parquet").exists()
    assert theirs(table) == before == scan(sportlake, table)


def test_optimize_a_partitioned_nested_table(tmp_path, sportlake):
    for k in range(3):
        t = nested_data.table(k * 20, 20)
        t = t.append_column("part", pa.array([i % 2 for i in range(20)], pa.int64()))
        write_deltalake(str(tmp_path / "p"), t, mode="append", partition_by=["part"])
    before = theirs(tmp_path / "p")
    assert "6 files compacted into 2" in sportlake("lake", "optimize", tmp_path / "p")
    assert theirs(tmp_path / "p") == before == scan(sportlake, tmp_path / "p")


def test_merge_schema_adds_a_nested_column_then_optimize(tmp_path, sportlake):
    table = delta_rs_table(tmp_path / "t", appends=2)
    extra = nested_data.table(100, 10)
    extra = extra.append_column("more", pa.array(
        [None if i % 3 == 0 else {"n": [i, None], "m": [("a", i)] if i % 2 else None} for i in range(10)],
        pa.struct([pa.field("n", pa.list_(pa.int64())), pa.field("m", pa.map_(pa.string(), pa.int64()))])))
    pq.write_table(extra, tmp_path / "extra.parquet")
    sportlake("lake", "import", table, tmp_path / "extra.parquet", "--merge-schema")
    before = theirs(table)
    assert [r["more"] for r in before[:30]] == [None] * 30  # older rows: the new column is null
    assert scan(sportlake, table) == before
    assert scan(sportlake, table, "--where", "id >= 105") == theirs(table, pc.field("id") >= 105)
    sportlake("lake", "optimize", table)
    assert len(DeltaTable(str(table)).files()) == 1
    assert theirs(table) == before == scan(sportlake, table)
