"""Delta interop with Apache Spark + delta-spark (slow: `make test-slow`).

- Spark reads the tables we write (appends, overwrite, schema change, txn, checkpoints, optimize,
  vacuum) with the same rows, versions, history and time travel;
- `spark.readStream` over our append-only table sees every row exactly once across our commits
  and checkpoints;
- we read tables Spark writes (partitions, appends, overwrite, Spark checkpoints with
  stats_parsed) identically, at the latest version and by time travel;
- Spark appends to one of our tables and we read its commit.
"""
import json
import subprocess

import pytest

pytestmark = pytest.mark.slow

pyspark = pytest.importorskip("pyspark", reason="pip install -r requirements-spark.txt (make test-slow)")

from spark_session import delta_session, delta_session_builder  # noqa: E402 (after the skip)


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    builder = (delta_session_builder("sportlake-interop", tmp_path_factory.mktemp("warehouse"))
               .config("spark.databricks.delta.retentionDurationCheck.enabled", "false"))
    session = delta_session(builder)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def sportlake(build_dir):
    binary = build_dir / "src" / "cli" / "sportlake"

    def run(*args):
        proc = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"sportlake {' '.join(map(str, args))}: {proc.stderr}"
        return proc.stdout

    return run


def write_csv(path, first, n, extra=False):
    lines = ["id,name,day,amount" + (",note" if extra else "")]
    for i in range(first, first + n):
        name = "" if i % 7 == 0 else f"nom-{i}-é"
        amount = f"{i * 1.25}" if i % 5 else ""
        lines.append(f"{i},{name},2025-01-0{1 + i % 3},{amount}" + (f",note{i}" if extra else ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def our_rows(sportlake, table, *args):
    return [json.loads(line) for line in sportlake("lake", "scan", table, "--json", *args).splitlines()]


def spark_rows(df):
    out = []
    for row in df.collect():
        r = row.asDict()
        for k, v in r.items():
            if hasattr(v, "isoformat"):
                r[k] = v.isoformat()
        out.append(r)
    return out


def same(a, b, keys):
    norm = lambda rows: sorted(tuple(r.get(k) for k in keys) for r in rows)  # noqa: E731
    return norm(a) == norm(b)


def test_spark_reads_every_version_we_write(tmp_path, sportlake, spark):
    table = tmp_path / "events"
    for v in range(26):
        args = ["lake", "import", table, write_csv(tmp_path / f"{v}.csv", v * 10, 10, extra=v >= 20)]
        if v == 0:
            args += ["--partition-by", "day"]
        if v == 12:
            args += ["--mode", "overwrite"]
        if v >= 20:
            args += ["--merge-schema"]
        if v == 22:
            args += ["--app-id", "bronze-ingest", "--app-version", "7"]
        sportlake(*args)
    assert "skipped" in sportlake("lake", "import", table, write_csv(tmp_path / "dup.csv", 999, 1),
                                  "--app-id", "bronze-ingest", "--app-version", "7")
    keys = ["id", "name", "day", "amount", "note"]
    path = str(table)

    latest = spark.read.format("delta").load(path)
    assert same(spark_rows(latest), our_rows(sportlake, table), keys)
    assert latest.count() == 140  # versions 12..25 after the overwrite
    for version in (5, 10, 15, 21):
        theirs = spark.read.format("delta").option("versionAsOf", version).load(path)
        assert same(spark_rows(theirs), our_rows(sportlake, table, "--version", version), ["id", "name", "day"])
    history = spark.sql(f"DESCRIBE HISTORY delta.`{path}`").select("version", "operation").collect()
    assert [h.version for h in history] == list(range(25, -1, -1))
    assert {h.operation for h in history} == {"WRITE"}
    details = spark.sql(f"DESCRIBE DETAIL delta.`{path}`").collect()[0]
    assert details.partitionColumns == ["day"] and details.minReaderVersion == 1

    sportlake("lake", "optimize", table)
    sportlake("lake", "vacuum", table, "--retention-hours", "0", "--force")
    after = spark.read.format("delta").load(path)
    assert same(spark_rows(after), our_rows(sportlake, table), keys)
    assert len(after.inputFiles()) == 3  # one file per day partition
    operations = [h.operation for h in spark.sql(f"DESCRIBE HISTORY delta.`{path}`").collect()]
    assert operations[0] == "OPTIMIZE"


def test_spark_stream_reads_our_appends_exactly_once(tmp_path, sportlake, spark):
    table = tmp_path / "stream_source"
    out, checkpoint = tmp_path / "stream_out", tmp_path / "stream_checkpoint"

    def drain():
        query = (spark.readStream.format("delta").load(str(table)).writeStream.format("parquet")
                 .option("checkpointLocation", str(checkpoint)).trigger(availableNow=True).start(str(out)))
        query.awaitTermination(300)
        assert query.exception() is None
        return sorted(r.id for r in spark.read.parquet(str(out)).select("id").collect())

    for v in range(4):
        sportlake("lake", "import", table, write_csv(tmp_path / f"s{v}.csv", v * 10, 10))
    assert drain() == list(range(40))
    for v in range(4, 14):  # crosses our checkpoint at version 10
        sportlake("lake", "import", table, write_csv(tmp_path / f"s{v}.csv", v * 10, 10))
    assert (table / "_delta_log" / f"{10:020d}.checkpoint.parquet").exists()
    assert drain() == list(range(140))


def test_we_read_what_spark_writes(tmp_path, sportlake, spark):
    from pyspark.sql import functions as F

    path = str(tmp_path / "spark_table")
    base = spark.range(0, 30).select(
        F.col("id"), F.concat(F.lit("nom-"), F.col("id").cast("string")).alias("name"),
        (F.col("id") * 1.5).alias("amount"), (F.col("id") % 3).cast("int").alias("team"),
        F.to_date(F.lit("2025-03-01")).alias("day"),
        F.to_timestamp(F.lit("2025-03-01 10:00:00")).alias("ts"))
    (base.write.format("delta").partitionBy("team").option("delta.checkpointInterval", "3").save(path))
    spark.sql(f"ALTER TABLE delta.`{path}` SET TBLPROPERTIES ('delta.checkpointInterval' = '3')")
    for i in range(1, 8):
        base.where(F.col("id") < 10).withColumn("id", F.col("id") + 100 * i).write.format("delta").mode(
            "append").save(path)
    spark.sql(f"DELETE FROM delta.`{path}` WHERE id = 5")
    log = tmp_path / "spark_table" / "_delta_log"
    assert list(log.glob("*.checkpoint.parquet")), "Spark wrote no checkpoint"

    keys = ["id", "name", "amount", "team", "day", "ts"]
    theirs = spark_rows(spark.read.format("delta").load(path))
    ours = our_rows(sportlake, path)
    for r in ours:
        r["ts"] = r["ts"].replace("Z", "").replace(".000000", "") if r["ts"] else None
    for r in theirs:
        r["ts"] = r["ts"].replace("+00:00", "")
    assert same(ours, theirs, keys) and len(ours) == 99
    old = spark_rows(spark.read.format("delta").option("versionAsOf", 2).load(path))
    assert same(our_rows(sportlake, path, "--version", 2), old, ["id", "name", "team"])

    base.where(F.col("id") < 4).write.format("delta").mode("overwrite").save(path)
    assert sorted(r["id"] for r in our_rows(sportlake, path)) == [0, 1, 2, 3]


def test_spark_appends_to_our_table(tmp_path, sportlake, spark):
    table = tmp_path / "ours"
    sportlake("lake", "import", table, write_csv(tmp_path / "a.csv", 0, 10))
    spark.read.format("delta").load(str(table)).where("id < 3").withColumn(
        "name", pyspark.sql.functions.lit("from spark")).write.format("delta").mode("append").save(str(table))
    rows = our_rows(sportlake, table)
    assert len(rows) == 13 and sum(r["name"] == "from spark" for r in rows) == 3
    history = [json.loads(line) for line in sportlake("lake", "history", table, "--json").splitlines()]
    assert [h["version"] for h in history] == [1, 0]
    assert "Apache-Spark" in json.dumps(history[0])
