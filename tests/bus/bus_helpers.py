"""Helpers of the bus suites: run sportlake, query the source database, read the topics
(`read_topics` lives with the broker fixture, shared with the Debezium comparison)."""
import subprocess

from kafka_broker import read_topics  # noqa: F401 - re-exported for the bus suites


def run(sportlake, e, *args, timeout=120):
    done = subprocess.run([sportlake, *args], env=e, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done


def psql(sportlake, e, query):
    return run(sportlake, e, "db", "psql", "--", "-XAtc", query).stdout.split()
