"""`sportlake parquet cat --where` on files with nested columns (written by pyarrow and DuckDB): the
rows kept carry their lists, maps and structs whole, as pyarrow's own filter gives them. Before the
fix a list or map column crashed the process (SIGSEGV) and a struct printed as `[]`."""
import json
import subprocess

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import nested_data


@pytest.fixture(scope="module")
def sportlake(build_dir):
    return str(build_dir / "src" / "cli" / "sportlake")


def cat(sportlake, path, *args):
    proc = subprocess.run([sportlake, "parquet", "cat", "--json", *args, str(path)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, (proc.returncode, proc.stderr)
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.mark.parametrize("text,expression", [
    ("id >= 13", pc.field("id") >= 13),
    ("id != 7", pc.field("id") != 7),
    ("id = 4", pc.field("id") == 4),
    ("id > 1000", pc.field("id") > 1000),
])
def test_where_keeps_nested_values_of_a_pyarrow_file(sportlake, tmp_path, text, expression):
    path = tmp_path / "nested.parquet"
    pq.write_table(nested_data.table(0, 40), path, row_group_size=16)
    expected = nested_data.printed_rows(pq.read_table(path).filter(expression))
    assert cat(sportlake, path, "--where", text) == expected
    # a projection of nested columns only, the filter column read then dropped
    assert cat(sportlake, path, "--columns", "point,deep", "--where", text) == [
        {"point": r["point"], "deep": r["deep"]} for r in expected]


def test_where_keeps_nested_values_of_a_duckdb_file(sportlake, tmp_path):
    path = tmp_path / "duck.parquet"
    duckdb.sql(f"""COPY (SELECT i AS id,
                   CASE WHEN i % 3 = 0 THEN NULL ELSE [i, NULL, i + 1] END AS l,
                   CASE WHEN i % 4 = 0 THEN NULL ELSE {{'a': i, 'b': CASE WHEN i % 2 = 0 THEN NULL ELSE 'x' END}} END AS s,
                   CASE WHEN i % 5 = 0 THEN NULL ELSE MAP {{'k': [i]}} END AS m
                   FROM range(100) t(i)) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 10)""")
    expected = nested_data.printed_rows(pq.read_table(path).filter(pc.field("id").isin(list(range(0, 100, 7)))))
    got = []
    for i in range(0, 100, 7):
        got += cat(sportlake, path, "--where", f"id = {i}")
    assert got == expected
