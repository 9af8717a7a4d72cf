"""Writes the checked-in seeds of fuzz/seeds/ (small files, a few KB, checked in so the corpus
does not depend on pyarrow's or delta-rs's version):

fuzz_parquet_reader/nested-*.parquet: the shapes of tests/nested_data.py
(lists, maps, structs nested in each other, nulls at every level) written by pyarrow in the
layouts a reader meets: data pages v1 and v2, dictionary or plain, snappy/zstd/none, tiny pages
and row groups (values split across pages), legacy (non-compliant) list naming.

fuzz_delta_checkpoint/stats-parsed-only.checkpoint.parquet: a delta-rs checkpoint (nested and
typed columns) rewritten without `add.stats`, as Spark writes with writeStatsAsJson=false: the
reader then decodes `add.stats_parsed`.

    .venv/bin/python fuzz/seeds/make_seeds.py
"""
import pathlib
import sys
import tempfile

import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import DeltaTable, write_deltalake

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
import nested_data  # noqa: E402

SEEDS = pathlib.Path(__file__).resolve().parent
OUT = SEEDS / "fuzz_parquet_reader"

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

    checkpoint_seed(SEEDS / "fuzz_delta_checkpoint")


def checkpoint_seed(out):
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        table = pathlib.Path(tmp) / "t"
        extra = pa.table({"day": pa.array([19000 + i for i in range(10)], pa.date32()),
                          "amount": pa.array([i * 7 for i in range(10)], pa.decimal128(10, 2))})
        for k in range(2):
            t = nested_data.table(10 * k, 10)
            for name in extra.column_names:
                t = t.append_column(name, extra.column(name))
            write_deltalake(str(table), t, mode="append")
        DeltaTable(str(table)).create_checkpoint()
        (checkpoint,) = (table / "_delta_log").glob("*.checkpoint.parquet")
        t = pq.read_table(checkpoint)
        add = t.column("add").combine_chunks()
        keep = [f for f in add.type if f.name != "stats"]
        stripped = pa.StructArray.from_arrays([add.field(f.name) for f in keep], fields=keep,
                                              mask=add.is_null())
        t = t.set_column(t.schema.get_field_index("add"), "add", stripped)
        pq.write_table(t, out / "stats-parsed-only.checkpoint.parquet")


if __name__ == "__main__":
    main()
