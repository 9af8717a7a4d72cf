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
