"""The bus suites' real Kafka broker (KRaft), one per test module."""
import sys
import pathlib

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from kafka_broker import KafkaBroker, broker_jars  # noqa: E402


@pytest.fixture(scope="module")
def kafka():
    broker = KafkaBroker(broker_jars())
    broker.format()
    broker.start()
    yield broker
    broker.close()
