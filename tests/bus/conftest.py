"""The bus suites' real Kafka broker (KRaft), one per test module, and a home per test."""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import uuid

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from kafka_broker import kafka  # noqa: E402,F401 - the fixture


@pytest.fixture()
def env(build_dir, kafka):
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-bus-"))
    os.chmod(base, 0o755)  # the server may run as `postgres`
    home = base / "home"
    prefix = "t" + uuid.uuid4().hex[:8]  # topics of this test only (the broker is shared)
    e = dict(os.environ, SPORTLAKE_HOME=str(home), SPORTLAKE_LOG_LEVEL="warn",
             KAFKA_BOOTSTRAP_SERVERS=kafka.bootstrap, SPORTLAKE_TOPIC_PREFIX=prefix,
             SPORTLAKE_KAFKA_PARTITIONS="3")
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    subprocess.run([sportlake, "db", "start"], env=e, check=True, capture_output=True)
    subprocess.run([sportlake, "load"], env=e, check=True, capture_output=True)
    yield sportlake, e, prefix
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)
