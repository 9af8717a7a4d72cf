"""Delta interop with Apache Spark on object storage (slow: `make test-slow`).

Against the moto S3 server of test_s3_lake.py (the `s3` fixture, on loopback):
- Spark 3.5 + delta-spark reads, through Hadoop's s3a filesystem, the tables we write to
  `s3://bucket/...` (partitions, appends, a checkpoint) with the same rows, versions and time
  travel;
- Spark writes a table to the same bucket (create, append, UPDATE, DELETE) and `sportlake lake
  scan` / `lake ls` read the same rows.

s3a comes from Maven Central: hadoop-aws at pyspark's Hadoop version (3.3.4) and its
aws-java-sdk-bundle, fetched by scripts/spark-s3a-jars.sh into .cache/spark-s3a-jars/ and put on
the driver's class path with `spark.jars` when the JVM starts. Spark commits through delta's
S3SingleDriverLogStore (the default for s3a://): safe for one Spark writer at a time, as here;
it does not coordinate with other writers (ours use conditional PUTs, Spark does not).
"""
import json
import pathlib
import subprocess

import boto3
import pytest

from test_s3_lake import BUCKET, s3  # noqa: F401 (the moto server fixture, shared)

pytestmark = pytest.mark.slow

pyspark = pytest.importorskip("pyspark", reason="pip install -r requirements-spark.txt (make test-slow)")

from spark_session import delta_session_builder  # noqa: E402 (after the skip)
from test_spark_interop import our_rows, same, spark_rows, write_csv  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
KEY_ID, SECRET = "testing", "testing-secret"  # the keys of the `s3` fixture's environment


def s3a_jars():
    out = subprocess.run([str(ROOT / "scripts" / "spark-s3a-jars.sh")], check=True,
                         capture_output=True, text=True, timeout=1800).stdout.strip()
    return sorted(str(p) for p in pathlib.Path(out).glob("*.jar"))


@pytest.fixture(scope="module")
def spark(tmp_path_factory, s3):  # noqa: F811
    from delta import configure_spark_with_delta_pip
    from pyspark import SparkContext

    if SparkContext._gateway is not None:
        # spark.jars reach the driver's class path only when the JVM starts.
        pytest.fail("a Spark JVM is already running in this process without the s3a jars; "
                    "run this module first or alone")
    endpoint, _ = s3
    builder = (delta_session_builder("sportlake-s3a", tmp_path_factory.mktemp("warehouse"))
               .config("spark.jars", ",".join(s3a_jars()))
               # The s3a client: a path-style endpoint over plain HTTP with static keys.
               .config("spark.hadoop.fs.s3a.endpoint", endpoint)
               .config("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
               .config("spark.hadoop.fs.s3a.path.style.access", "true")
               .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
               .config("spark.hadoop.fs.s3a.aws.credentials.provider",
                       "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
               .config("spark.hadoop.fs.s3a.access.key", KEY_ID)
               .config("spark.hadoop.fs.s3a.secret.key", SECRET)
               # One Spark writer: delta's single-driver log store (already s3a's default).
               .config("spark.delta.logStore.s3a.impl", "io.delta.storage.S3SingleDriverLogStore"))
    session = configure_spark_with_delta_pip(builder).getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def sportlake(build_dir, s3, tmp_path_factory):  # noqa: F811
    binary = build_dir / "src" / "cli" / "sportlake"
    if not binary.exists():
        pytest.skip("sportlake binary not built")
    _, env = s3
    env = dict(env, SPORTLAKE_HOME=str(tmp_path_factory.mktemp("home")), SPORTLAKE_LOG_LEVEL="warn")

    def run(*args):
        proc = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True,
                              timeout=300, env=env)
        assert proc.returncode == 0, f"sportlake {' '.join(map(str, args))}: {proc.stderr}"
        return proc.stdout

    return run


def test_spark_reads_our_table_in_the_bucket(sportlake, spark, s3, tmp_path):  # noqa: F811
    ours = f"s3://{BUCKET}/spark-reads/events"
    theirs = f"s3a://{BUCKET}/spark-reads/events"
    sportlake("lake", "import", ours, write_csv(tmp_path / "0.csv", 0, 40), "--partition-by", "day")
    for v in range(1, 11):  # versions 1..10: our checkpoint at 10 is in the bucket too
        sportlake("lake", "import", ours, write_csv(tmp_path / f"{v}.csv", v * 40, 5))
    endpoint, _ = s3
    log = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=KEY_ID,
                       aws_secret_access_key=SECRET).list_objects_v2(
        Bucket=BUCKET, Prefix="spark-reads/events/_delta_log/")
    assert "spark-reads/events/_delta_log/00000000000000000010.checkpoint.parquet" in \
        {o["Key"] for o in log["Contents"]}  # Spark starts from our checkpoint
    keys = ["id", "name", "day", "amount"]
    expected = our_rows(sportlake, ours)
    assert len(expected) == 90

    latest = spark.read.format("delta").load(theirs)
    assert same(spark_rows(latest), expected, keys)
    assert all(f.startswith(f"s3a://{BUCKET}/spark-reads/events/day=") for f in latest.inputFiles())
    history = spark.sql(f"DESCRIBE HISTORY delta.`{theirs}`").select("version").collect()
    assert [h.version for h in history] == list(range(10, -1, -1))
    old = spark.read.format("delta").option("versionAsOf", 3).load(theirs)
    assert same(spark_rows(old), our_rows(sportlake, ours, "--version", "3"), keys)
    # Spark's aggregate agrees with our rows, partition pruning through s3a included.
    day2 = spark.sql(f"SELECT count(*) AS n FROM delta.`{theirs}` WHERE day = '2025-01-02'").collect()[0].n
    assert day2 == sum(1 for r in expected if r["day"] == "2025-01-02")


def test_we_read_the_table_spark_wrote_to_the_bucket(sportlake, spark):
    from pyspark.sql import functions as F

    theirs = f"s3a://{BUCKET}/spark-writes/orders"
    ours = f"s3://{BUCKET}/spark-writes/orders"
    first = (spark.range(0, 60).withColumn("label", F.concat(F.lit("o-"), F.col("id").cast("string")))
             .withColumn("amount", (F.col("id") * F.lit(2.5)).cast("double"))
             .withColumn("region", F.when(F.col("id") % 2 == 0, "north").otherwise("south")))
    first.write.format("delta").partitionBy("region").save(theirs)
    spark.range(60, 80).withColumn("label", F.lit("late")).withColumn("amount", F.lit(None).cast("double")) \
        .withColumn("region", F.lit("east")).write.format("delta").mode("append").save(theirs)
    spark.sql(f"UPDATE delta.`{theirs}` SET amount = -1.0, label = 'fixed' WHERE id % 10 = 3")
    spark.sql(f"DELETE FROM delta.`{theirs}` WHERE id >= 75 OR id = 4")

    keys = ["id", "label", "amount", "region"]
    spark_view = spark_rows(spark.read.format("delta").load(theirs))
    assert len(spark_view) == 74  # 80 - (75..79) - 4
    rows = our_rows(sportlake, ours)
    assert same(rows, spark_view, keys)
    assert {r["label"] for r in rows if r["id"] % 10 == 3} == {"fixed"}
    history = [json.loads(h)["version"] for h in sportlake("lake", "history", ours, "--json").splitlines()]
    assert history == [3, 2, 1, 0]
    # Time travel to Spark's append, before its UPDATE and DELETE.
    assert len(our_rows(sportlake, ours, "--version", "1")) == 80
    listed = sportlake("lake", "ls", f"s3://{BUCKET}/spark-writes")
    assert "orders" in listed and " 74 " in listed, listed
