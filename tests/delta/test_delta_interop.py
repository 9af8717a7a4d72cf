"""Delta interop both ways with delta-rs (the `deltalake` package), and concurrent writers.

Tables written by `sportlake lake import` are read by delta-rs with the same rows, versions and
history; tables written by delta-rs are read by `sportlake lake scan` with the same rows.
"""
import concurrent.futures
import decimal
import json
import subprocess

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable, write_deltalake


@pytest.fixture(scope="module")
def sportlake(build_dir):
    binary = build_dir / "src" / "cli" / "sportlake"
    if not binary.exists():
        pytest.skip("sportlake binary not built")

    def run(*args, check=True):
        proc = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True, timeout=120)
        if check and proc.returncode != 0:
            raise AssertionError(f"sportlake {' '.join(map(str, args))} failed: {proc.stderr}")
        return proc

    return run


def write_csv(path, first_id, n, extra=False):
    lines = ["id,name,day,amount" + (",note" if extra else "")]
    for i in range(first_id, first_id + n):
        name = "" if i % 7 == 0 else f"nom-{i}-é"
        day = f"2025-01-0{1 + i % 3}"
        amount = f"{i * 1.25}" if i % 5 else ""
        lines.append(f"{i},{name},{day},{amount}" + (f",note{i}" if extra else ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def scan_rows(sportlake, table, *args):
    out = sportlake("lake", "scan", table, "--json", *args).stdout
    return [json.loads(line) for line in out.splitlines()]


def normalise(rows, keys):
    return sorted((tuple(r.get(k) for k in keys) for r in rows), key=lambda t: t[0])


def arrow_rows(table: pa.Table):
    rows = table.to_pylist()
    for r in rows:
        for k, v in list(r.items()):
            if hasattr(v, "isoformat"):
                r[k] = v.isoformat()
    return rows


def test_delta_rs_reads_every_version_we_write(tmp_path, sportlake):
    table = tmp_path / "events"
    expected_ids = []
    for v in range(26):
        csv = write_csv(tmp_path / f"in{v}.csv", v * 10, 10, extra=(v >= 20))
        args = ["lake", "import", table, csv]
        if v == 0:
            args += ["--partition-by", "day"]
        if v >= 20:
            args += ["--merge-schema"]
        if v == 12:
            args += ["--mode", "overwrite"]
            expected_ids = []
        if v == 15:  # before the checkpoint at 20: delta-rs finds the txn in our checkpoint
            args += ["--app-id", "bronze-ingest", "--app-version", "7"]
        sportlake(*args)
        expected_ids += list(range(v * 10, v * 10 + 10))

    dt = DeltaTable(str(table))
    assert dt.version() == 25
    assert dt.protocol().min_reader_version == 1 and dt.protocol().min_writer_version == 2
    theirs = arrow_rows(dt.to_pyarrow_table())
    ours = scan_rows(sportlake, table)
    assert sorted(r["id"] for r in theirs) == sorted(expected_ids)
    keys = ["id", "name", "day", "amount", "note"]
    assert normalise(theirs, keys) == normalise(ours, keys)
    # nulls and the schema change survive: the note column is null before version 20
    assert all(r["note"] is None for r in theirs if r["id"] < 200)
    assert all(r["amount"] is None for r in theirs if r["id"] % 5 == 0)

    # time travel: same rows at an old version
    old = arrow_rows(DeltaTable(str(table), version=5).to_pyarrow_table())
    assert normalise(old, ["id", "name"]) == normalise(scan_rows(sportlake, table, "--version", "5"), ["id", "name"])

    # history: same versions and operations
    history = dt.history()
    assert [h["version"] for h in history] == list(range(25, -1, -1))
    ops = {h["version"]: h["operationParameters"]["mode"] for h in history}
    assert ops[12] == "Overwrite" and ops[11] == "Append" and ops[0] == "ErrorIfExists"
    ours_history = [json.loads(l) for l in sportlake("lake", "history", table, "--json").stdout.splitlines()]
    assert [h["version"] for h in ours_history] == list(range(25, -1, -1))

    # checkpoints every 10 versions, the hint names the newest; time travel across a checkpoint
    log_dir = table / "_delta_log"
    assert sorted(p.name for p in log_dir.glob("*.checkpoint.parquet")) == [
        f"{v:020d}.checkpoint.parquet" for v in (10, 20)]
    hint = json.loads((log_dir / "_last_checkpoint").read_text())
    assert hint["version"] == 20 and hint["numOfAddFiles"] == len(DeltaTable(str(table), version=20).files())
    at15 = arrow_rows(DeltaTable(str(table), version=15).to_pyarrow_table())
    assert normalise(at15, ["id", "name"]) == normalise(scan_rows(sportlake, table, "--version", "15"), ["id", "name"])
    # a reader that only has the checkpoint (older commits gone) still gets every row
    for v in range(10):
        (log_dir / f"{v:020d}.json").unlink()
    assert normalise(arrow_rows(DeltaTable(str(table)).to_pyarrow_table()), keys) == normalise(
        scan_rows(sportlake, table), keys)

    # stats parse for delta-rs (it uses them for file skipping)
    files = dt.get_add_actions(flatten=True).to_pylist()
    assert all(f["num_records"] > 0 for f in files)
    pruned = dt.to_pyarrow_table(filters=[("id", ">=", 245)])
    assert sorted(pruned.column("id").to_pylist()) == list(range(245, 260))

    # the txn survives our checkpoint; optimize and vacuum are read as delta-rs expects
    assert DeltaTable(str(table)).transaction_versions()["bronze-ingest"].version == 7
    files_before = len(DeltaTable(str(table)).files())
    sportlake("lake", "optimize", table)
    sportlake("lake", "vacuum", table, "--retention-hours", "0", "--force")
    dt = DeltaTable(str(table))
    assert dt.version() == 26 and len(dt.files()) == 3 < files_before  # one file per day partition
    assert dt.history(1)[0]["operation"] == "OPTIMIZE"
    assert normalise(arrow_rows(dt.to_pyarrow_table()), keys) == normalise(scan_rows(sportlake, table), keys)
    on_disk = {p.relative_to(table).as_posix() for p in table.rglob("*.parquet") if "_delta_log" not in p.parts}
    assert on_disk == set(dt.files())  # vacuum left exactly the live files


def test_we_read_what_delta_rs_writes(tmp_path, sportlake):
    table = tmp_path / "theirs"
    first = pa.table({
        "id": pa.array([1, 2, 3], pa.int64()),
        "label": pa.array(["un", None, "trois"]),
        "ts": pa.array([0, 1_700_000_000_000_000, None], pa.timestamp("us", tz="UTC")),
        "part": pa.array(["a", "b", "a"]),
        "flag": pa.array([True, False, None]),
    })
    write_deltalake(str(table), first, partition_by=["part"])
    second = first.set_column(0, "id", pa.array([4, 5, 6], pa.int64()))
    write_deltalake(str(table), second, mode="append")
    ours = scan_rows(sportlake, table)
    theirs = arrow_rows(DeltaTable(str(table)).to_pyarrow_table())
    assert len(ours) == 6
    assert normalise(ours, ["id", "label", "part", "flag"]) == normalise(theirs, ["id", "label", "part", "flag"])
    by_id = {r["id"]: r for r in ours}
    assert by_id[2]["ts"] == "2023-11-14T22:13:20.000000Z"
    assert by_id[3]["ts"] is None

    # their checkpoint (with stats_parsed and partitionValues_parsed), then one more commit
    DeltaTable(str(table)).create_checkpoint()
    assert list((table / "_delta_log").glob("*.checkpoint.parquet"))
    third = first.set_column(0, "id", pa.array([7, 8, 9], pa.int64()))
    write_deltalake(str(table), third, mode="append")
    assert sorted(r["id"] for r in scan_rows(sportlake, table)) == list(range(1, 10))
    for v in range(2):
        (table / "_delta_log" / f"{v:020d}.json").unlink()
    assert sorted(r["id"] for r in scan_rows(sportlake, table)) == list(range(1, 10))

    write_deltalake(str(table), first.slice(0, 1), mode="overwrite")
    assert [r["id"] for r in scan_rows(sportlake, table)] == [1]
    assert len(scan_rows(sportlake, table, "--version", "2")) == 9
    history = sportlake("lake", "history", table).stdout.splitlines()
    assert len(history) == 2  # versions 2 and 3: 0 and 1 were removed above


def test_two_processes_appending_200_times_each(tmp_path, sportlake):
    table = tmp_path / "contended"
    sportlake("lake", "import", table, write_csv(tmp_path / "seed.csv", 0, 1))
    csvs = [write_csv(tmp_path / f"w{w}.csv", 1000 * (w + 1), 1) for w in range(2)]

    def writer(w):
        attempts = 0
        for _ in range(200):
            out = sportlake("lake", "import", table, csvs[w]).stdout
            if "attempts" in out:
                attempts += 1
        return attempts

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        retried = sum(pool.map(writer, range(2)))
    dt = DeltaTable(str(table))
    assert dt.version() == 400  # every commit landed once, versions contiguous
    assert dt.to_pyarrow_table().num_rows == 401
    log = sorted(p.name for p in (table / "_delta_log").iterdir() if p.suffix == ".json")
    assert log == [f"{v:020d}.json" for v in range(401)]
    print(f"commits retried after a conflict: {retried}")


def test_decimals_of_38_digits_round_trip(tmp_path, sportlake):
    """A decimal(38,10) column (16-byte FIXED_LEN_BYTE_ARRAY) imported into a table: delta-rs reads
    the values we wrote, and our stats are exact (delta-rs prunes on them)."""
    ctx = decimal.Context(prec=40)
    values = [decimal.Decimal((r - 500) * 10**30 + r).scaleb(-10, ctx) if r % 7 else None for r in range(1000)]
    source = tmp_path / "big.parquet"
    pq.write_table(pa.table({"id": pa.array(range(1000), pa.int64()),
                             "big_dec": pa.array(values, pa.decimal128(38, 10))}), source)
    table = tmp_path / "decimals"
    sportlake("lake", "import", table, source)
    dt = DeltaTable(str(table))
    assert dt.to_pyarrow_table().sort_by("id").column("big_dec").to_pylist() == values
    log = (table / "_delta_log" / f"{0:020d}.json").read_text().splitlines()
    add = next(json.loads(line)["add"] for line in log if line.startswith('{"add"'))
    stats = json.loads(add["stats"], parse_float=decimal.Decimal)
    present = [v for v in values if v is not None]
    assert decimal.Decimal(str(stats["minValues"]["big_dec"])) == min(present)
    assert decimal.Decimal(str(stats["maxValues"]["big_dec"])) == max(present)
    ours = scan_rows(sportlake, table, "--where", "id=8")
    assert ours == [{"id": 8, "big_dec": str(values[8])}]
