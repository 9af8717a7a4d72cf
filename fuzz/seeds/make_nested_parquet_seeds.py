"""Writes fuzz/seeds/fuzz_parquet_reader/nested-*.parquet: the shapes of tests/nested_data.py
(lists, maps, structs nested in each other, nulls at every level) written by pyarrow in the
layouts a reader meets: data pages v1 and v2, dictionary or plain, snappy/zstd/none, tiny pages
and row groups (values split across pages), legacy (non-compliant) list naming. Small files
(a few KB), checked in so the corpus does not depend on pyarrow's version.

    .venv/bin/python fuzz/seeds/make_nested_parquet_seeds.py
"""
import pathlib
import sys

import pyarrow.parquet as pq

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
import nested_data  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent / "fuzz_parquet_reader"

VARIANTS = {
    "v1-plain": dict(data_page_version="1.0", use_dictionary=False, compression="none"),
    "v2-dict-snappy": dict(data_page_version="2.0", use_dictionary=True, compression="snappy"),
    "v1-dict-zstd-small-pages": dict(data_page_version="1.0", use_dictionary=True, compression="zstd",
                                     data_page_size=64, write_batch_size=3, row_group_size=7),
    "v2-plain-small-groups": dict(data_page_version="2.0", use_dictionary=False, compression="none",
                                  row_group_size=4),
    "legacy-lists": dict(use_compliant_nested_type=False, compression="none", row_group_size=10),
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    table = nested_data.table(0, 20)
    for name, options in VARIANTS.items():
        pq.write_table(table, OUT / f"nested-{name}.parquet", **options)
    # Nulls only, and one row: the edges of every level.
    pq.write_table(nested_data.table(0, 1), OUT / "nested-one-row.parquet", compression="none")
    empty = table.slice(0, 0)
    pq.write_table(empty, OUT / "nested-no-rows.parquet", compression="none")


if __name__ == "__main__":
    main()
