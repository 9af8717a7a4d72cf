"""The module-graph check: passes on the tree, fails on an include that crosses an undeclared edge."""
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check-module-graph.py"


def run(root):
    return subprocess.run([sys.executable, str(SCRIPT), "--root", str(root)],
                          capture_output=True, text=True)


def test_the_tree_respects_its_declared_graph():
    result = run(ROOT)
    assert result.returncode == 0, result.stderr


def copy_src(tmp_path):
    shutil.copytree(ROOT / "src", tmp_path / "src",
                    ignore=shutil.ignore_patterns("*.parquet", "*.json", "fixtures"))
    return tmp_path


def test_a_planted_include_of_an_undeclared_module_fails(tmp_path):
    root = copy_src(tmp_path)
    victim = root / "src" / "rewards" / "wellbeing.cpp"
    victim.write_text('#include "delta/snapshot.hpp"\n' + victim.read_text())
    result = run(root)
    assert result.returncode == 1
    assert "src/rewards/wellbeing.cpp:1: rewards includes delta/" in result.stderr
    assert "does not declare sl::delta" in result.stderr


def test_a_transitive_dependency_is_not_enough(tmp_path):
    # rewards' tests link source, which links pg: reaching pg still needs declaring it.
    root = copy_src(tmp_path)
    (root / "src" / "rewards" / "tests" / "extra_test.cpp").write_text('#include "pg/lsn.hpp"\n')
    result = run(root)
    assert result.returncode == 1
    assert "rewards includes pg/" in result.stderr


def test_test_only_dependencies_are_allowed_in_tests_only(tmp_path):
    root = copy_src(tmp_path)
    # rewards' tests may use source (TEST_DEPS), rewards itself may not.
    (root / "src" / "rewards" / "tests" / "extra_test.cpp").write_text('#include "source/hr_files.hpp"\n')
    assert run(root).returncode == 0
    (root / "src" / "rewards" / "extra.cpp").write_text('#include "source/hr_files.hpp"\n')
    result = run(root)
    assert result.returncode == 1
    assert "src/rewards/extra.cpp:1: rewards includes source/" in result.stderr
