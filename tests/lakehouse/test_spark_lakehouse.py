"""Spark + delta-spark read the lakehouse sportlake writes (slow: `make test-slow`): the Bronze
change log (also as a stream, every change once), Silver, and Gold partitioned by year, with the
same figures as the JSON summary of `sportlake refresh`."""
import decimal

import pytest

pytestmark = pytest.mark.slow

pyspark = pytest.importorskip("pyspark", reason="pip install -r requirements-spark.txt (make test-slow)")

from spark_session import delta_session, delta_session_builder  # noqa: E402 (after the skip)

YEAR = 2025


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    session = delta_session(delta_session_builder("sportlake-lakehouse", tmp_path_factory.mktemp("warehouse")))
    yield session
    session.stop()


def test_spark_reads_bronze_silver_and_gold(spark, refreshed_lake):
    root, summary, activities = refreshed_lake.root, refreshed_lake.summary, refreshed_lake.activities
    bronze = spark.read.format("delta").load(str(root / "bronze" / "strava_activities"))
    assert bronze.count() == activities
    assert bronze.select("activity_id").distinct().count() == activities
    # Simulated before the first ingest: they came with the initial snapshot.
    assert {r["_op"] for r in bronze.select("_op").distinct().collect()} == {"r"}
    employees = spark.read.format("delta").load(str(root / "silver" / "employees"))
    assert employees.count() == 161
    prime = spark.read.format("delta").load(str(root / "gold" / "prime_sportive")).where(f"year = {YEAR}")
    total = prime.agg({"prime_eur": "sum"}).collect()[0][0]
    assert total == summary["total_bonus_eur"] == decimal.Decimal("172482.50")
    assert prime.where("eligible").count() == summary["eligible_bonus"] == 68
    wellbeing = spark.read.format("delta").load(str(root / "gold" / "wellbeing")).where(f"year = {YEAR}")
    assert wellbeing.where("eligible").count() == summary["wellbeing_eligible"]
    # Gold's parts per Silver activities partition (src/lakehouse/gold_parts.hpp) add up to Gold.
    monthly = spark.read.format("delta").load(str(root / "gold" / "activity_monthly")).where(f"year = {YEAR}")
    parts = spark.read.format("delta").load(str(root / "silver" / "gold_monthly_parts")).where(f"start_year = {YEAR}")
    assert parts.agg({"activities": "sum"}).collect()[0][0] == monthly.agg({"activities": "sum"}).collect()[0][0] > 0
    tallies = spark.read.format("delta").load(str(root / "silver" / "gold_wellbeing_parts")).where(f"start_year = {YEAR}")
    counted = {r["employee_id"]: r["n"] for r in tallies.groupBy("employee_id").sum("activities")
               .withColumnRenamed("sum(activities)", "n").collect()}
    assert all(r["activities"] == counted.get(r["employee_id"], 0) for r in wellbeing.collect())


def test_spark_streams_the_append_only_bronze_log(spark, refreshed_lake, tmp_path):
    root, activities = refreshed_lake.root, refreshed_lake.activities
    stream = (spark.readStream.format("delta").load(str(root / "bronze" / "strava_activities"))
              .writeStream.format("memory").queryName("bronze_stream")
              .option("checkpointLocation", str(tmp_path / "checkpoint")).trigger(availableNow=True).start())
    stream.awaitTermination(300)
    seen = spark.sql("SELECT count(*), count(DISTINCT activity_id) FROM bronze_stream").collect()[0]
    assert tuple(seen) == (activities, activities)
