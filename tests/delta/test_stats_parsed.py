"""A checkpoint that keeps the files' stats only as structs (`add.stats_parsed`, no JSON
`add.stats`), as Spark writes with delta.checkpoint.writeStatsAsJson=false and
writeStatsAsStruct=true: `lake ls` counts the rows from the structs, and `lake scan --where`
skips files by them. delta-rs writes the table; its checkpoint is rewritten by pyarrow without
the `stats` field, or with it null in every row. Before the fix `lake ls` printed `?` rows and no
file was skipped."""
import datetime
import decimal
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable, write_deltalake


def batch(first, n):
    ids = list(range(first, first + n))
    return pa.table({
        "id": pa.array(ids, pa.int64()),
        "name": pa.array([None if i % 3 == 0 else f"n{i:04d}" for i in ids], pa.string()),
        "day": pa.array([datetime.date(2025, 1, 1) + datetime.timedelta(days=i) for i in ids], pa.date32()),
        "at": pa.array([datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
                        + datetime.timedelta(minutes=i) for i in ids], pa.timestamp("us", "UTC")),
        "amount": pa.array([decimal.Decimal(i) / 100 for i in ids], pa.decimal128(10, 2)),
        "point": pa.array([{"x": float(i), "y": -i} for i in ids],
                          pa.struct([("x", pa.float64()), ("y", pa.int32())])),
    })


def without_json_stats(checkpoint, how="dropped"):
    """Rewrites `checkpoint` with add.stats dropped (stats_parsed kept), as Spark writes it, or
    (how="null") kept but null in every row."""
    t = pq.read_table(checkpoint)
    add = t.column("add").combine_chunks()
    assert "stats_parsed" in [f.name for f in add.type]
    if how == "null":
        arrays = [pa.nulls(len(add), pa.string()) if f.name == "stats" else add.field(f.name)
                  for f in add.type]
        nulled = pa.StructArray.from_arrays(arrays, fields=list(add.type), mask=add.is_null())
        pq.write_table(t.set_column(t.schema.get_field_index("add"), "add", nulled), checkpoint)
        return
    keep = [f for f in add.type if f.name != "stats"]
    arrays = [add.field(f.name) for f in keep]
    stripped = pa.StructArray.from_arrays(arrays, fields=keep, mask=add.is_null())
    t = t.set_column(t.schema.get_field_index("add"), "add", stripped)
    assert "stats" not in [f.name for f in t.schema.field("add").type]
    pq.write_table(t, checkpoint)


@pytest.fixture(scope="module", params=["dropped", "null"])
def table(tmp_path_factory, request):
    """The JSON stats dropped from the checkpoint, or kept as a column null in every row (before,
    such a column hid stats_parsed: `?` rows, nothing skipped)."""
    path = tmp_path_factory.mktemp("stats_parsed") / "t"
    for k in range(3):  # three files: ids 0-9, 10-19, 20-29
        write_deltalake(str(path), batch(10 * k, 10), mode="append")
    DeltaTable(str(path)).create_checkpoint()
    (checkpoint,) = (path / "_delta_log").glob("*.checkpoint.parquet")
    without_json_stats(checkpoint, request.param)
    for commit in (path / "_delta_log").glob("*.json"):
        commit.unlink()  # only the checkpoint describes the files
    return path


def test_ls_counts_rows_from_stats_parsed(sportlake, table):
    line = sportlake("lake", "ls", table).splitlines()[1].split()
    assert line[1:4] == ["2", "3", "30"], line


def rows_read(sportlake, table, where):
    out = sportlake("lake", "scan", table, "--where", where, "--columns", "id", "--csv")
    return sorted(int(v) for v in out.splitlines()[1:])


@pytest.mark.parametrize("where,expected", [
    ("id>=25", list(range(25, 30))),
    ("day<2025-01-03", [0, 1]),
    ("at>=2025-01-01T00:28:00Z", [28, 29]),
    ("amount<=0.01", [0, 1]),
    ("name=n0011", [11]),
])
def test_scan_skips_files_by_stats_parsed(sportlake, table, tmp_path, where, expected):
    """The files the stats exclude are deleted: a scan that still opened them would fail."""
    copy = tmp_path / "t"
    shutil.copytree(table, copy)
    keep = {r // 10 for r in expected}
    files = sorted(DeltaTable(str(table)).files(), key=lambda f: min_id(table / f))
    for k, name in enumerate(files):
        if k not in keep:
            (copy / name).unlink()
    assert rows_read(sportlake, copy, where) == expected


def min_id(parquet_file):
    return pq.read_table(parquet_file, columns=["id"]).column("id").to_pylist()[0]
