"""Nullable columns of every primitive type, nulls at random positions, written by pyarrow and read
by `sportlake parquet cat` exactly as pyarrow reads them: the reader spreads each leaf's present
values over its slots (record_assembler), so each type's spreading is checked, with a column of
nulls only, leading and trailing nulls, and layouts that cut pages and row groups between them.
"""
import datetime
import decimal

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conformance_lib import ours, same, theirs

ROWS = 5000


def table() -> pa.Table:
    rng = np.random.default_rng(11)
    nulls = rng.random(ROWS) < 0.1

    def column(values, typ, mask=nulls):
        return pa.array([None if m else v for v, m in zip(values, mask)], typ)

    ints = rng.integers(-2**31, 2**31, ROWS)
    edges = np.zeros(ROWS, dtype=bool)
    edges[:7] = edges[-5:] = True  # nulls at both ends only
    return pa.table({
        "flag": column([bool(v & 1) for v in ints], pa.bool_()),
        "small": column([int(v % 100) for v in ints], pa.int8()),
        "i32": column([int(v) for v in ints], pa.int32()),
        "i64": column([int(v) * 4_000_000_001 for v in ints], pa.int64()),
        "f32": column([float(v) / 7 for v in ints], pa.float32()),
        "f64": column([float(v) / 3 for v in ints], pa.float64()),
        "day": column([datetime.date(2024, 1, 1) + datetime.timedelta(days=int(v % 900)) for v in ints], pa.date32()),
        "at": column([int(v) * 1_000_003 for v in ints], pa.timestamp("us", tz="UTC")),
        "amount": column([decimal.Decimal(int(v)).scaleb(-2) for v in ints], pa.decimal128(12, 2)),
        "wide": column([decimal.Decimal(int(v) * 10**15 + 7).scaleb(-5) for v in ints], pa.decimal128(30, 5)),
        "sport": column([["Run", "Ride", "Walk", "Swim"][v % 4] for v in ints], pa.string()),
        "name": column([f"Activité {v}" for v in ints], pa.string()),
        "blob": column([int(v).to_bytes(8, "little", signed=True)[: 1 + v % 8] for v in ints], pa.binary()),
        "edges": column([f"e{i}" for i in range(ROWS)], pa.string(), edges),
        "nothing": pa.array([None] * ROWS, pa.int64()),
    })


LAYOUTS = {
    "dictionary": dict(use_dictionary=True),
    "plain": dict(use_dictionary=False),
    "small_pages_v2": dict(use_dictionary=True, data_page_size=512, data_page_version="2.0"),
    "row_groups": dict(use_dictionary=False, row_group_size=777, data_page_size=1024),
}


@pytest.fixture(scope="module")
def sportlake(build_dir):
    return str(build_dir / "src" / "cli" / "sportlake")


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_nullable_columns_read_as_pyarrow_reads_them(sportlake, tmp_path, layout):
    path = tmp_path / f"{layout}.parquet"
    data = table()
    pq.write_table(data, path, compression="snappy", **LAYOUTS[layout])
    rows, error = ours(sportlake, path)
    assert rows is not None, error
    expected = theirs(path)
    assert same(rows, expected)
    # The comparison must see nulls where pyarrow has them (not only equal values elsewhere).
    for name in ("flag", "wide", "name", "edges", "nothing"):
        assert [r[name] is None for r in rows] == data.column(name).is_null().to_pylist(), name
