"""`sportlake lake maintain`: compaction beside concurrent appends, and kill -9 in the middle of a
compaction or a vacuum. Checked by delta-rs as the independent reader: every row exactly once, every
version readable, the table intact after each crash."""
import json
import subprocess
import threading
import time

from deltalake import DeltaTable

import fault_points


def sportlake(build_dir):
    binary = build_dir / "src" / "cli" / "sportlake"

    def run(*args, check=True):
        proc = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True, timeout=120)
        assert not check or proc.returncode == 0, (args, proc.stdout, proc.stderr)
        return proc
    return binary, run


def append(run, table, first, n, tmp_path):
    csv = tmp_path / f"rows-{first}.csv"
    csv.write_text("id,label\n" + "".join(f"{i},l{i}\n" for i in range(first, first + n)))
    run("lake", "import", table, csv)


def set_properties(table, **properties):
    """Table properties written into the first commit's metaData (our `lake import` sets none)."""
    first = table / "_delta_log" / f"{0:020d}.json"
    lines = [json.loads(line) for line in first.read_text().splitlines()]
    for action in lines:
        if "metaData" in action:
            action["metaData"]["configuration"].update(properties)
    first.write_text("".join(json.dumps(a) + "\n" for a in lines))


def ids_at(table, version=None):
    dt = DeltaTable(str(table), version=version) if version is not None else DeltaTable(str(table))
    return dt.to_pyarrow_table(columns=["id"]).column("id").to_pylist()


def data_files(table):
    return {p.name for p in table.rglob("*.parquet") if "_delta_log" not in p.parts}


def test_compaction_beside_concurrent_appends_keeps_every_row_once(build_dir, tmp_path):
    binary, run = sportlake(build_dir)
    table = tmp_path / "t"
    append(run, table, 0, 3, tmp_path)
    set_properties(table, **{"delta.appendOnly": "true"})
    writers_done = threading.Event()
    failures = []

    def writer(w):
        try:
            for k in range(60):
                append(run, table, 100_000 * (w + 1) + 10 * k, 10, tmp_path)
        except AssertionError as e:  # reported by the main thread
            failures.append(e)

    def reader():
        while not writers_done.is_set():
            try:
                rows = ids_at(table)
                assert len(rows) == len(set(rows)), "a row twice in the latest version"
            except Exception as e:  # noqa: BLE001 - any failure of the reader is the finding
                failures.append(e)
            time.sleep(0.05)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(2)]
    threads.append(threading.Thread(target=reader))
    for t in threads:
        t.start()
    passes = []
    while any(t.is_alive() for t in threads[:2]):
        passes.append(run("lake", "maintain", table, "--fan-in", "4").stdout)
    writers_done.set()
    for t in threads:
        t.join()
    passes.append(run("lake", "maintain", table, "--fan-in", "4").stdout)
    assert not failures, failures

    expected = sorted([0, 1, 2] + [100_000 * (w + 1) + i for w in range(2) for i in range(600)])
    assert sorted(ids_at(table)) == expected
    history = DeltaTable(str(table)).history()
    optimizes = [h for h in history if h["operation"] == "OPTIMIZE"]
    assert optimizes, passes
    # Every version reads, each row at most once, and the rows only grow: an OPTIMIZE changes none.
    previous = set()
    latest = DeltaTable(str(table)).version()
    for version in range(latest + 1):
        rows = ids_at(table, version)
        assert len(rows) == len(set(rows)), version
        assert previous <= set(rows), version
        previous = set(rows)
    assert len(DeltaTable(str(table)).files()) <= 3 * 4 + 1  # tiers × (fan-in − 1), + 1 target-sized


def test_kill_during_compaction_leaves_the_table_intact(build_dir, tmp_path):
    binary, run = sportlake(build_dir)
    table = tmp_path / "t"
    for k in range(12):
        append(run, table, 10 * k, 10, tmp_path)
    files_before = set(DeltaTable(str(table)).files())

    # The compacted file is written, its commit not yet made.
    fault_points.kill_at("delta.optimize.before_commit", [binary, "lake", "maintain", table])

    dt = DeltaTable(str(table))
    assert dt.version() == 11 and set(dt.files()) == files_before
    assert sorted(ids_at(table)) == list(range(120))
    assert len(data_files(table)) == len(files_before) + 1  # the orphan, not in the table
    assert run("lake", "check", table).returncode == 0
    out = run("lake", "maintain", table).stdout
    assert "1 compaction (12 files → 1" in out, out
    assert sorted(ids_at(table)) == list(range(120)) and len(DeltaTable(str(table)).files()) == 1
    assert sorted(ids_at(table, 11)) == list(range(120))  # the old version still reads


def test_kill_during_vacuum_leaves_the_table_intact(build_dir, tmp_path):
    binary, run = sportlake(build_dir)
    table = tmp_path / "t"
    append(run, table, 0, 10, tmp_path)
    set_properties(table, **{"delta.deletedFileRetentionDuration": "interval 1 second"})
    for k in range(1, 12):
        append(run, table, 10 * k, 10, tmp_path)
    run("lake", "maintain", table, "--no-cleanup")  # 12 files compacted into one
    assert len(DeltaTable(str(table)).files()) == 1 and len(data_files(table)) == 13
    time.sleep(2.5)  # past the retention: the 12 compacted-away files may go

    # Killed in the middle: the sixth of the twelve deletions (vacuum goes in path order).
    doomed = sorted(p.relative_to(table).as_posix() for p in table.rglob("*.parquet")
                    if "_delta_log" not in p.parts and p.name not in
                    {f.rsplit("/", 1)[-1] for f in DeltaTable(str(table)).files()})
    assert len(doomed) == 12
    fault_points.kill_at(f"delta.vacuum.delete:{doomed[5]}", [binary, "lake", "maintain", table])

    assert len(data_files(table)) == 13 - 5
    dt = DeltaTable(str(table))
    assert sorted(dt.to_pyarrow_table(columns=["id"]).column("id").to_pylist()) == list(range(120))
    assert run("lake", "check", table).returncode == 0
    out = run("lake", "maintain", table).stdout
    assert "files vacuumed" in out, out
    assert len(data_files(table)) == 1
    assert sorted(ids_at(table)) == list(range(120))
