"""The scale-out roles keep their memory budgets on a big transaction (budget tests, not timed ones):
`cdc --sink kafka` publishing one source transaction of 1,000,000 activities to a real broker, then
`ingest --source kafka` landing them in Bronze — each process's peak resident size (ru_maxrss,
through GNU time) under its budget, every activity in Bronze once. The publisher must not hold the
transaction (librdkafka's queue is capped, the slot acknowledged once the broker has it); the
consumer spills its pending rows like the slot ingest (`--spill-mb`)."""
import pytest
from deltalake import DeltaTable

from bus_helpers import psql, run
from big_transaction import FIRST_ID, insert_activities_sql
from peak_rss import run_measured
from test_ingest_kafka import kafka_lake

ROWS = 1_000_000
PUBLISHER_BUDGET_MB = 120
# The slot ingest's 150 MB (tests/lakehouse/test_ingest_memory.py: 88 MB measured) plus librdkafka's
# prefetch, which a backlog fills: its local queue (queued.max.messages.kbytes, 64 MiB) and a fetch
# in flight (fetch.max.bytes, 50 MiB). Measured 226 MB. A smaller queue bounds it (8 MiB: 140 MB)
# but halves the consumer's throughput with Debian's librdkafka 2.0.2, which waits a fixed second
# before fetching again for a partition whose queue was full (`fetch.queue.backoff.ms` came in
# 2.3): kept at librdkafka's defaults, overridable through `kafka.*` (src/bus/README.md).
CONSUMER_BUDGET_MB = 256


@pytest.mark.slow
def test_a_big_transaction_through_kafka_stays_within_each_roles_budget(env):
    sportlake, e, prefix = env
    ke, kroot = kafka_lake(e)
    run(sportlake, e, "cdc", "--sink", "kafka", "--schemas", "--idle-exit", "1")  # slot + snapshot
    psql(sportlake, e, insert_activities_sql(ROWS))

    status, publisher_mb, err = run_measured(
        [sportlake, "cdc", "--sink", "kafka", "--schemas", "--idle-exit", "3"], e, timeout=900)
    assert status == 0, err
    status, consumer_mb, err = run_measured(
        [sportlake, "ingest", "--source", "kafka", "--idle-exit", "5"], ke, timeout=900)
    assert status == 0, err
    print(f"{ROWS:,} activities in one transaction: publisher {publisher_mb:.0f} MB, "
          f"consumer {consumer_mb:.0f} MB")

    ids = DeltaTable(str(kroot / "strava_activities")).to_pyarrow_table(
        columns=["activity_id"]).column("activity_id").to_pylist()
    big = sorted(i for i in ids if i > FIRST_ID)
    assert big == [FIRST_ID + g for g in range(1, ROWS + 1)], "every activity once"
    assert publisher_mb <= PUBLISHER_BUDGET_MB, \
        f"cdc --sink kafka peaked at {publisher_mb:.0f} MB (budget {PUBLISHER_BUDGET_MB} MB)"
    assert consumer_mb <= CONSUMER_BUDGET_MB, \
        f"ingest --source kafka peaked at {consumer_mb:.0f} MB (budget {CONSUMER_BUDGET_MB} MB)"
