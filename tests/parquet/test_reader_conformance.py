"""The Apache parquet-testing corpus read by `sportlake parquet cat`, compared file by file with pyarrow.

Every file of data/ is in exactly one list below: MATCH (values identical to pyarrow's), or an
exception with the reason and the words our clear error must contain. A file that starts
matching must be moved to MATCH (the test fails on unexpected success too), so the lists stay true.
Every file of bad_data/ must fail with a clear error or read exactly as pyarrow does, and never crash.
"""
import os
import pathlib
import subprocess

import pytest

from conformance_lib import ours, same, theirs

SHARED = pathlib.Path(os.environ.get("SL_SHARED_DIR", pathlib.Path(__file__).resolve().parents[2].parent / "shared"))
CORPUS = SHARED / "conformance" / "parquet-testing"

MATCH = """alltypes_dictionary alltypes_plain alltypes_plain.snappy alltypes_tiny_pages alltypes_tiny_pages_plain
binary binary_truncated_min_max byte_array_decimal column_chunk_key_value_metadata concatenated_gzip_members data_index_bloom_encoding_stats
data_index_bloom_encoding_with_length datapage_v1-snappy-compressed-checksum
datapage_v1-uncompressed-checksum dict-page-offset-zero fixed_length_byte_array fixed_length_decimal
fixed_length_decimal_legacy int32_decimal int32_with_null_pages int64_decimal lz4_raw_compressed lz4_raw_compressed_larger nan_in_stats
overflow_i16_page_cnt page_v2_empty_compressed plain-dict-uncompressed-checksum rle-dict-snappy-checksum
rle_boolean_encoding single_nan sort_columns
list_columns map_no_value nested_lists.snappy nested_maps.snappy nested_structs.rust nonnullable.impala null_list
nullable.impala nulls.snappy repeated_no_annotation repeated_primitive_no_list
datapage_v2.snappy delta_binary_packed delta_byte_array delta_encoding_optional_column delta_encoding_required_column delta_length_byte_array
byte_stream_split.zstd byte_stream_split_extended.gzip float16_nonzeros_and_nans float16_zeros_and_nans
floating_orders_nan_count hadoop_lz4_compressed hadoop_lz4_compressed_larger non_hadoop_lz4_compressed""".split()
EXCEPTIONS = {
    # file: (reason, words our error contains)
    # Their page CRCs do not match their pages (pyarrow with page_checksum_verification refuses them too).
    "datapage_v1-corrupt-checksum": ("a data page whose crc does not match", "checksum mismatch"),
    "rle-dict-uncompressed-corrupt-checksum": ("a page whose crc does not match", "checksum mismatch"),
    "datapage_v2_empty_datapage.snappy": ("malformed: empty v2 page, pyarrow fails too", "corrupt"),
    "incorrect_map_schema": ("malformed map with an optional key; pyarrow refuses it too", "map keys must be required"),
    "int96_from_spark": ("values beyond the int64 microsecond range: pyarrow wraps them into wrong dates, we refuse",
                         "out of the representable range"),
    "nation.dict-malformed": ("malformed dictionary page", "corrupt"),
    "old_list_structure": ("2-level list whose repeated group `array` is itself a LIST: we read [[1,2],[3,4]] as "
                           "LogicalTypes.md's `array` rule and old_list_structure.md say; pyarrow reads the inner "
                           "group as a struct [{'array': [1,2]}, ...]", None),
    "unknown-logical-type": ("unknown logical type read as its physical type; pyarrow refuses the file", None),
}

# Read, but too large for the comparison: pyarrow cannot read it whole ("Nested data conversions
# not implemented for chunked array outputs"), and each row prints as a 1 GiB JSON line.
# test_large_string_map_reads checks it against its description instead.
TOO_LARGE = {"large_string_map.brotli": "2 rows, each a map of one key of 2^30 'a' bytes to 1"}

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason=f"conformance corpus absent: {CORPUS}")


def data_files():
    return sorted(p for p in (CORPUS / "data").glob("*.parquet")) if CORPUS.exists() else []


@pytest.fixture(scope="module")
def sportlake(build_dir):
    return str(build_dir / "src" / "cli" / "sportlake")


def test_every_file_is_classified():
    names = {p.name.removesuffix(".parquet") for p in data_files()}
    assert names == set(MATCH) | set(EXCEPTIONS) | set(TOO_LARGE)


@pytest.mark.parametrize("name", MATCH)
def test_matches_pyarrow(sportlake, name):
    path = CORPUS / "data" / f"{name}.parquet"
    rows, error = ours(sportlake, path)
    assert rows is not None, error
    assert same(rows, theirs(path))


@pytest.mark.parametrize("name", sorted(EXCEPTIONS))
def test_known_exception_fails_clearly(sportlake, name):
    path = CORPUS / "data" / f"{name}.parquet"
    reason, words = EXCEPTIONS[name]
    rows, error = ours(sportlake, path)
    if words is None:
        assert rows is not None, f"{reason}: expected a read, got {error}"
        return
    assert rows is None, f"{name} now reads: move it to MATCH if it equals pyarrow"
    assert words in error, error
    assert name in error, "the error names the file"


@pytest.mark.parametrize("path", sorted((CORPUS / "bad_data").glob("*.parquet")) if CORPUS.exists() else [],
                         ids=lambda p: p.name)
def test_bad_data_fails_cleanly(sportlake, path):
    proc = subprocess.run([sportlake, "parquet", "cat", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), f"crashed: {proc.returncode} {proc.stderr[-300:]}"
    if proc.returncode == 1:
        assert path.name in proc.stderr and ("corrupt" in proc.stderr or "unsupported" in proc.stderr)
    else:
        # Read without error: then it must read exactly as pyarrow does.
        rows, _ = ours(sportlake, path)
        assert same(rows, theirs(path))


def test_old_list_structure_reads_as_the_spec_says(sportlake):
    # parquet-testing's old_list_structure.md: the value is [[1, 2], [3, 4]].
    rows, error = ours(sportlake, CORPUS / "data" / "old_list_structure.parquet")
    assert rows == [{"a": [[1, 2], [3, 4]]}], error


def test_encrypted_files_are_refused(sportlake):
    for path in sorted((CORPUS / "data").glob("*.parquet.encrypted")):
        proc = subprocess.run([sportlake, "parquet", "cat", str(path)], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 1
        assert "encrypted" in proc.stderr, proc.stderr


@pytest.mark.slow
def test_large_string_map_reads(sportlake):
    # BROTLI pages inflating to 2 GiB: 2 rows of {"a" * 2^30: 1}, streamed (about 40 s, 8 GB).
    expected = b'{"arr":{"' + b"a" * (1 << 30) + b'":1}}\n'
    proc = subprocess.Popen([sportlake, "parquet", "cat", "--json",
                             str(CORPUS / "data" / "large_string_map.brotli.parquet")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    rows, offset = 0, 0
    while chunk := proc.stdout.read(1 << 24):
        while chunk:
            take = min(len(chunk), len(expected) - offset)
            assert chunk[:take] == expected[offset:offset + take], f"row {rows} differs at byte {offset}"
            chunk, offset = chunk[take:], offset + take
            if offset == len(expected):
                rows, offset = rows + 1, 0
    assert proc.wait(timeout=300) == 0, proc.stderr.read()[-500:]
    assert (rows, offset) == (2, 0)
