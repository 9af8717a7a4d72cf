"""`sportlake parquet convert IN.csv OUT.parquet`: read back by pyarrow and DuckDB, inferred and
declared types, row groups, codecs, and bad input that fails naming file:line and leaves no file."""
import datetime
import decimal
import subprocess

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROWS = 2500


@pytest.fixture(scope="module")
def sportlake(build_dir):
    return str(build_dir / "src" / "cli" / "sportlake")


def csv_text():
    lines = ["id,name,km,day,at,commute,amount,note"]
    for i in range(ROWS):
        name = f'"Dupont, {i}"' if i % 10 == 0 else ("" if i % 13 == 0 else f"Employé {i}")
        km = "" if i % 7 == 0 else f"{i / 8}"
        day = (datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 366)).isoformat()
        at = f"2024-03-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:00"
        lines.append(f"{i},{name},{km},{day},{at},{'true' if i % 3 == 0 else 'false'},{i * 10**18 + i}.{i % 100:02d},")
    return "\n".join(lines) + "\n"


def run(sportlake, *args):
    return subprocess.run([sportlake, "parquet", "convert", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("codec", ["snappy", "zstd", "none"])
def test_convert_reads_back_in_pyarrow_and_duckdb(sportlake, tmp_path, codec):
    src = tmp_path / "in.csv"
    src.write_text(csv_text(), encoding="utf-8")
    out = tmp_path / "out.parquet"
    proc = run(sportlake, str(src), str(out), "--schema", "amount:decimal(38,2), note:string", "--codec", codec,
               "--row-group-rows", "1000")
    assert proc.returncode == 0, proc.stderr
    assert f"{ROWS} rows" in proc.stdout
    f = pq.ParquetFile(out)
    assert f.metadata.num_row_groups == 3
    assert f.schema_arrow == pa.schema([("id", pa.int64()), ("name", pa.string()), ("km", pa.float64()),
                                        ("day", pa.date32()), ("at", pa.timestamp("us", tz="UTC")),
                                        ("commute", pa.bool_()), ("amount", pa.decimal128(38, 2)),
                                        ("note", pa.string())])
    rows = f.read().to_pylist()
    for i in (0, 7, 10, 13, 1999, ROWS - 1):
        r = rows[i]
        assert r["id"] == i
        assert r["name"] == (f"Dupont, {i}" if i % 10 == 0 else ("" if i % 13 == 0 else f"Employé {i}"))
        assert r["km"] == (None if i % 7 == 0 else i / 8)
        assert r["day"] == datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 366)
        assert r["at"] == datetime.datetime(2024, 3, 1 + i % 28, i % 24, i % 60, tzinfo=datetime.timezone.utc)
        assert r["commute"] == (i % 3 == 0)
        assert r["amount"] == decimal.Decimal(f"{i * 10**18 + i}.{i % 100:02d}")
        assert r["note"] == ""
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*), sum(id), count(km) FROM '{out}'").fetchone() == (
        ROWS, ROWS * (ROWS - 1) // 2, ROWS - len(range(0, ROWS, 7)))


def test_bad_cell_names_the_line_and_leaves_no_file(sportlake, tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text("id,x\n1,2\n2,zz\n", encoding="utf-8")
    out = tmp_path / "bad.parquet"
    proc = run(sportlake, str(src), str(out), "--schema", "x:int")
    assert proc.returncode == 1
    assert "bad.csv:3" in proc.stderr and "'zz'" in proc.stderr, proc.stderr
    assert not out.exists()


@pytest.mark.parametrize("args,words", [
    (["--schema", "nope:long"], "no column 'nope'"),
    (["--schema", "x:decimal(40,2)"], "unknown type"),
    (["--codec", "lzo"], "codec 'lzo'"),
])
def test_bad_options_are_refused(sportlake, tmp_path, args, words):
    src = tmp_path / "in.csv"
    src.write_text("id,x\n1,2\n", encoding="utf-8")
    proc = run(sportlake, str(src), str(tmp_path / "o.parquet"), *args)
    assert proc.returncode == 1 and words in proc.stderr, proc.stderr
    assert not (tmp_path / "o.parquet").exists()


def test_ragged_row_and_existing_output(sportlake, tmp_path):
    src = tmp_path / "ragged.csv"
    src.write_text("a,b\n1,2\n3\n", encoding="utf-8")
    proc = run(sportlake, str(src), str(tmp_path / "r.parquet"))
    assert proc.returncode == 1 and "ragged.csv:3: 1 fields, the header has 2" in proc.stderr, proc.stderr
    src.write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "exists.parquet").write_bytes(b"keep me")
    proc = run(sportlake, str(src), str(tmp_path / "exists.parquet"))
    assert proc.returncode == 1 and "exists" in proc.stderr
    assert (tmp_path / "exists.parquet").read_bytes() == b"keep me"


def test_convert_and_lake_import_infer_the_same_schema(sportlake, tmp_path):
    """One importer (delta/csv_import): the same CSV gets the same column types and values as a
    Parquet file and as a Delta table; numbers are strict (blanks, '+', hexadecimal stay text)."""
    from deltalake import DeltaTable

    src = tmp_path / "mixed.csv"
    src.write_text("id,km,flag,day,at,padded,plus,hex,upper,blank\n"
                   "1,1e3,true,2024-01-31,2024-01-31 08:30:00,\" 12\",+5,0x1A,TRUE,\n"
                   "2,,false,,2024-02-01T09:00:00Z,13,6,0x1B,FALSE,\n"
                   "-3,2.5,,2024-02-29,,14,7,0x1C,,\n", encoding="utf-8")
    out = tmp_path / "mixed.parquet"
    proc = run(sportlake, str(src), str(out))
    assert proc.returncode == 0, proc.stderr
    table = tmp_path / "mixed_table"
    proc = subprocess.run([sportlake, "lake", "import", str(table), str(src)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr

    expected = pa.schema([("id", pa.int64()), ("km", pa.float64()), ("flag", pa.bool_()),
                          ("day", pa.date32()), ("at", pa.timestamp("us", tz="UTC")),
                          ("padded", pa.string()), ("plus", pa.string()), ("hex", pa.string()),
                          ("upper", pa.string()), ("blank", pa.string())])
    from_parquet = pq.read_table(out)
    assert from_parquet.schema.remove_metadata() == expected
    from_delta = DeltaTable(str(table)).to_pyarrow_table()
    from_delta = from_delta.cast(pa.schema([(f.name, pa.string() if pa.types.is_large_string(f.type) else f.type)
                                            for f in from_delta.schema]))
    assert from_delta.schema.remove_metadata() == expected
    assert from_delta.sort_by("id").to_pylist() == from_parquet.sort_by("id").to_pylist()


def test_a_declared_boolean_takes_any_case_and_errors_name_the_column(sportlake, tmp_path):
    src = tmp_path / "b.csv"
    src.write_text("id,flag\n1,TRUE\n2,False\n3,true\n4,\n", encoding="utf-8")
    out = tmp_path / "b.parquet"
    proc = run(sportlake, str(src), str(out), "--schema", "flag:boolean")
    assert proc.returncode == 0, proc.stderr
    assert pq.read_table(out).column("flag").to_pylist() == [True, False, True, None]
    # inferred, the same cells stay text: only Delta's own "true"/"false" make a boolean column
    proc = run(sportlake, str(src), str(tmp_path / "s.parquet"))
    assert proc.returncode == 0 and pa.types.is_string(pq.read_table(tmp_path / "s.parquet").schema.field("flag").type)
    # --where takes a boolean literal in any case; a bad literal is blamed on the column, not on a partition column
    cat = subprocess.run([sportlake, "parquet", "cat", "--where", "flag = TRUE", str(out)], capture_output=True,
                         text=True, timeout=60)
    assert [l for l in cat.stdout.splitlines()] == ['{"id":1,"flag":true}', '{"id":3,"flag":true}']
    bad = subprocess.run([sportlake, "parquet", "cat", "--where", "id = abc", str(out)], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 1 and "column 'id'" in bad.stderr and "partition" not in bad.stderr
    src.write_text("id,flag\n1,yes\n", encoding="utf-8")
    proc = run(sportlake, str(src), str(tmp_path / "c.parquet"), "--schema", "flag:boolean")
    assert proc.returncode == 1 and "column 'flag'" in proc.stderr and "partition" not in proc.stderr
