"""kill -9 at the worst moments of a write: the table stays readable, without the partial commit.

The writer is frozen at a named fault point (SPORTLAKE_FAULT_POINT, see common/fault_point.hpp)
and killed with SIGKILL there:
1. after its data files are durable and before its commit: no new version, same rows (for us
   and for delta-rs), the orphan file is not part of the table, the next write lands normally;
2. in the middle of a checkpoint (its temporary file written, not yet renamed): the commit that
   triggered it has landed, no checkpoint is visible, `_last_checkpoint` still names the old one,
   and a later checkpoint succeeds.
"""
import json
import subprocess

from deltalake import DeltaTable

import fault_points


def run(binary, *args, env=None):
    return subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True, timeout=120,
                          env=env, check=True)


def kill_at(binary, point, *args):
    """Starts `sportlake ARGS` frozen at `point`, kills it with SIGKILL there."""
    fault_points.kill_at(point, [binary, *args])


def write_csv(path, first, n):
    path.write_text("id,label\n" + "".join(f"{i},l{i}\n" for i in range(first, first + n)))
    return path


def ids(binary, table):
    out = run(binary, "lake", "scan", table, "--json").stdout
    return sorted(json.loads(line)["id"] for line in out.splitlines())


def data_files(table):
    return {p.name for p in table.rglob("*.parquet") if "_delta_log" not in p.parts}


def test_kill_between_data_files_and_commit(tmp_path, build_dir):
    binary = build_dir / "src" / "cli" / "sportlake"
    table = tmp_path / "t"
    run(binary, "lake", "import", table, write_csv(tmp_path / "a.csv", 0, 5))
    files_before = data_files(table)

    kill_at(binary, "delta.write.before_commit", "lake", "import", table, write_csv(tmp_path / "b.csv", 100, 5))

    assert len(data_files(table)) == len(files_before) + 1  # the orphan is on disk...
    assert ids(binary, table) == list(range(5))              # ...but not in the table
    dt = DeltaTable(str(table))
    assert dt.version() == 0 and sorted(dt.to_pyarrow_table().column("id").to_pylist()) == list(range(5))
    assert set(dt.files()) == files_before
    run(binary, "lake", "import", table, write_csv(tmp_path / "c.csv", 200, 5))
    assert ids(binary, table) == list(range(5)) + list(range(200, 205))
    assert DeltaTable(str(table)).version() == 1


def test_kill_during_checkpoint(tmp_path, build_dir):
    binary = build_dir / "src" / "cli" / "sportlake"
    table = tmp_path / "t"
    log = table / "_delta_log"
    for v in range(10):
        run(binary, "lake", "import", table, write_csv(tmp_path / f"{v}.csv", v * 10, 10))
    run(binary, "lake", "checkpoint", table)  # a first checkpoint, at version 9
    assert json.loads((log / "_last_checkpoint").read_text())["version"] == 9

    # version 10 commits, then its checkpoint is written: killed before the file is published
    kill_at(binary, "storage.put.before_rename:checkpoint.parquet", "lake", "import", table,
            write_csv(tmp_path / "10.csv", 100, 10))

    assert (log / f"{10:020d}.json").exists()
    assert not (log / f"{10:020d}.checkpoint.parquet").exists()
    assert any(p.name.startswith(".") for p in log.iterdir())  # the temporary, hidden from readers
    assert json.loads((log / "_last_checkpoint").read_text())["version"] == 9
    assert ids(binary, table) == list(range(110))
    dt = DeltaTable(str(table))
    assert dt.version() == 10 and dt.to_pyarrow_table().num_rows == 110

    out = run(binary, "lake", "checkpoint", table).stdout
    assert "version 10" in out
    assert json.loads((log / "_last_checkpoint").read_text())["version"] == 10
    assert ids(binary, table) == list(range(110))
    assert DeltaTable(str(table)).to_pyarrow_table().num_rows == 110
