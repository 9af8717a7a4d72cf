"""Flat files written by pyarrow with every value encoding and codec a reader must know, read by
`sportlake parquet cat` exactly as pyarrow reads them: BYTE_STREAM_SPLIT (float, double, int32,
int64, FIXED_LEN_BYTE_ARRAY, FLOAT16, decimal), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
DELTA_BYTE_ARRAY, FLOAT16 (plain and dictionary), BROTLI and the other codecs, v1 and v2 pages,
pages of a few values (many pages per chunk), nulls.
"""
import decimal
import math
import subprocess

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conformance_lib import ours, same, theirs

ROWS = 3000


def table() -> pa.Table:
    rng = np.random.default_rng(7)

    def with_nulls(values, every):
        return [None if i % every == 0 else v for i, v in enumerate(values)]

    halves = rng.standard_normal(ROWS).astype(np.float16)
    # Every kind of half: subnormals, ±0, ±inf, NaN, the largest finite.
    halves[:8] = np.array([6e-8, -6e-8, 0.0, -0.0, np.inf, -np.inf, np.nan, 65504.0], dtype=np.float16)
    doubles = rng.standard_normal(ROWS) * 1e6
    doubles[:3] = [math.nan, math.inf, -0.0]
    ints = rng.integers(-2**31, 2**31, ROWS)
    longs = np.cumsum(rng.integers(-1000, 100000, ROWS))  # deltas of mixed widths
    longs[5] = -2**63
    longs[6] = 2**63 - 1
    names = [f"activity-{i // 3:06d}-{'x' * (i % 17)}" for i in range(ROWS)]  # shared prefixes
    data = {
        "f16": pa.array(halves, mask=np.arange(ROWS) % 11 == 0),
        "f32": pa.array(with_nulls(list(doubles.astype(np.float32)), 13), pa.float32()),
        "f64": pa.array(with_nulls(list(doubles), 17), pa.float64()),
        "i32": pa.array(with_nulls([int(v) for v in ints], 19), pa.int32()),
        "i64": pa.array(with_nulls([int(v) for v in longs], 23), pa.int64()),
        "flba": pa.array(with_nulls([int(v).to_bytes(8, "little", signed=True)[:5] for v in longs], 29),
                         pa.binary(5)),
        "dec": pa.array(with_nulls([decimal.Decimal(int(v)).scaleb(-3) for v in ints], 31), pa.decimal128(12, 3)),
        "name": pa.array(with_nulls(names, 37), pa.string()),
    }
    return pa.table(data)


SPLIT = ["f16", "f32", "f64", "i32", "i64", "flba", "dec"]
LAYOUTS = {
    "byte_stream_split": dict(column_encoding={c: "BYTE_STREAM_SPLIT" for c in SPLIT}
                              | {"name": "DELTA_BYTE_ARRAY"}),
    "delta": dict(column_encoding={"i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED",
                                   "name": "DELTA_LENGTH_BYTE_ARRAY", "flba": "DELTA_BYTE_ARRAY",
                                   "f16": "PLAIN", "f32": "BYTE_STREAM_SPLIT", "f64": "PLAIN", "dec": "PLAIN"}),
    "dictionary": dict(use_dictionary=True),
}
CODECS = ["none", "snappy", "brotli", "zstd", "gzip", "lz4"]


@pytest.fixture(scope="module")
def sportlake(build_dir):
    return str(build_dir / "src" / "cli" / "sportlake")


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("page_version", ["1.0", "2.0"])
def test_pyarrow_encodings_read_identically(sportlake, tmp_path, layout, codec, page_version):
    path = tmp_path / f"{layout}.{codec}.parquet"
    options = dict(LAYOUTS[layout])
    if "column_encoding" in options:
        options["use_dictionary"] = False
    pq.write_table(table(), path, compression=codec, data_page_version=page_version, data_page_size=2000,
                   row_group_size=1100, **options)
    written = {enc for rg in range(pq.ParquetFile(path).metadata.num_row_groups)
               for c in range(8) for enc in pq.ParquetFile(path).metadata.row_group(rg).column(c).encodings}
    if layout == "byte_stream_split":
        assert "BYTE_STREAM_SPLIT" in written
    rows, error = ours(sportlake, path)
    assert rows is not None, error
    assert same(rows, theirs(path))


def test_float16_values_are_exact(sportlake, tmp_path):
    # Each half widens exactly to a float32: compare the exact values, not within a tolerance.
    halves = [0.0, -0.0, 1.0, -2.5, 65504.0, 6.103515625e-05, 5.960464477539063e-08, 0.0999755859375]
    path = tmp_path / "f16.parquet"
    pq.write_table(pa.table({"x": pa.array(np.array(halves, dtype=np.float16))}), path)
    rows, error = ours(sportlake, path)
    assert rows is not None, error
    assert [r["x"] for r in rows] == halves
    assert [math.copysign(1, r["x"]) for r in rows][:2] == [1, -1]


def test_truncated_byte_stream_split_page_names_the_place(sportlake, tmp_path):
    # A BYTE_STREAM_SPLIT page whose values section lost a byte (its header declares one byte less):
    # a clear error naming the file, the column and the page, never a crash or made-up values.
    path = tmp_path / "bss.parquet"
    pq.write_table(pa.table({"x": pa.array([1.5, 2.5, 3.5], pa.float64())}), path, use_dictionary=False,
                   compression="none", column_encoding={"x": "BYTE_STREAM_SPLIT"}, data_page_version="2.0")
    meta = pq.ParquetFile(path).metadata.row_group(0).column(0)
    data = bytearray(path.read_bytes())
    start, size = meta.data_page_offset, meta.total_compressed_size
    # PageHeader in the compact protocol: 0x15 type, 0x15 uncompressed size, 0x15 compressed size
    # (zigzag varints; one byte each for a page this small).
    sizes = [p for p in range(24, 60) if data[start + 2:start + 6] == bytes([0x15, 2 * p, 0x15, 2 * p])]
    assert len(sizes) == 1, "page header layout changed"
    data[start + 3] = data[start + 5] = 2 * (sizes[0] - 1)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(bytes(data))
    proc = subprocess.run([sportlake, "parquet", "cat", str(broken)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stdout
    assert "broken.parquet" in proc.stderr and "'x'" in proc.stderr and "page 0" in proc.stderr, proc.stderr
    assert "BYTE_STREAM_SPLIT" in proc.stderr, proc.stderr
