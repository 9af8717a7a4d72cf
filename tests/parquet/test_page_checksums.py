"""Page checksums (PageHeader.crc, a CRC-32 of each page's stored bytes) checked by an independent
implementation both ways:
- every file our writer produces (sl_parquet_write_fixtures: every codec, dictionary on/off, many
  pages and row groups, nested) is read by pyarrow with page_checksum_verification=True, and a
  byte flipped in a data page of ours makes pyarrow refuse it (so the CRCs are really there);
- pyarrow's files written with write_page_checksum=True (v1 and v2 pages, dictionary on/off,
  codecs) are read by `sportlake parquet cat` exactly as pyarrow reads them, and a byte flipped in
  one of their pages makes us fail naming the file, column and page instead of printing a wrong
  value.
"""
import pathlib
import subprocess

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conformance_lib import ours, same, theirs


@pytest.fixture(scope="module")
def sportlake(build_dir):
    return str(build_dir / "src" / "cli" / "sportlake")


@pytest.fixture(scope="module")
def fixtures(build_dir, tmp_path_factory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("crc-fixtures")
    tool = build_dir / "src" / "parquet" / "sl_parquet_write_fixtures"
    subprocess.run([str(tool), str(out)], check=True, capture_output=True)
    return out


def flip_in_last_page(path: pathlib.Path, column: int, row_group: int = 0, back: int = 3) -> None:
    """Flips one byte `back` bytes before the end of a column chunk: inside its last page's body."""
    md = pq.ParquetFile(path).metadata.row_group(row_group).column(column)
    start = md.dictionary_page_offset if md.has_dictionary_page else md.data_page_offset
    end = start + md.total_compressed_size
    data = bytearray(path.read_bytes())
    data[end - back] ^= 0x10
    path.write_bytes(bytes(data))


def test_pyarrow_verifies_the_checksums_of_every_file_we_write(fixtures):
    files = sorted(fixtures.glob("*.parquet"))
    assert len(files) > 10
    for path in files:
        verified = pq.ParquetFile(path, page_checksum_verification=True).read()
        assert verified.equals(pq.read_table(path)), path.name


@pytest.mark.parametrize("name", ["all_types_UNCOMPRESSED_plain.parquet", "all_types_SNAPPY_dict.parquet",
                                  "nested_plain.parquet"])
def test_pyarrow_refuses_a_flipped_byte_in_our_page(fixtures, tmp_path, name):
    path = tmp_path / name
    path.write_bytes((fixtures / name).read_bytes())
    flip_in_last_page(path, column=1)
    with pytest.raises(OSError, match="CRC checksum verification failed"):
        pq.ParquetFile(path, page_checksum_verification=True).read()


def table(rows: int = 4000) -> pa.Table:
    return pa.table({
        "activity_id": pa.array(range(rows), pa.int64()),
        "elapsed_time_s": pa.array([None if i % 7 == 0 else 16692 + i for i in range(rows)], pa.int32()),
        "sport_type": pa.array(["Run" if i % 3 else "Ride" for i in range(rows)], pa.string()),
        "tags": pa.array([[f"t{i % 5}"] * (i % 3) for i in range(rows)], pa.list_(pa.string())),
    })


@pytest.mark.parametrize("version", ["1.0", "2.0"])
@pytest.mark.parametrize("dictionary", [True, False])
@pytest.mark.parametrize("codec", ["none", "snappy", "zstd"])
def test_we_verify_pyarrows_checksums(sportlake, tmp_path, version, dictionary, codec):
    path = tmp_path / "theirs.parquet"
    pq.write_table(table(), path, write_page_checksum=True, data_page_version=version, use_dictionary=dictionary,
                   compression=codec, data_page_size=2048)
    rows, error = ours(sportlake, path)
    assert rows is not None, error
    assert same(rows, theirs(path))

    flip_in_last_page(path, column=1)
    with pytest.raises(OSError, match="CRC"):
        pq.ParquetFile(path, page_checksum_verification=True).read()
    rows, error = ours(sportlake, path)
    assert rows is None, "a damaged page was read as values"
    assert "theirs.parquet" in error and "row group 0 column 'elapsed_time_s'" in error, error
    assert "page " in error and "checksum mismatch" in error, error


def test_without_checksums_other_writers_files_still_read(sportlake, tmp_path):
    path = tmp_path / "nocrc.parquet"
    pq.write_table(table(500), path, write_page_checksum=False)
    rows, error = ours(sportlake, path)
    assert rows is not None, error
    assert same(rows, theirs(path))
