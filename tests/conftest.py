"""Shared pytest fixtures: where the built binaries are."""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def build_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get("SL_BUILD_DIR", ROOT / "build" / "release"))


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: long suites (Spark...), run by `make test-slow`")


@pytest.fixture(scope="module")
def sportlake(build_dir):
    """run(*args) → stdout of the built `sportlake`, asserting it exits 0 (modules may override)."""
    import subprocess
    binary = build_dir / "src" / "cli" / "sportlake"

    def run(*args):
        proc = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, (args, proc.returncode, proc.stderr)
        return proc.stdout

    return run
