"""The Spark Thrift Server of scripts/spark-thrift.sh (run it through that script): a local Spark
session with Delta Lake, database `gold` with the views `v_prime_sportive` and `v_wellbeing` over
the lake's Gold Delta tables, served over HiveServer2 (binary Thrift) until SIGTERM or SIGINT.

The Hive metastore is an in-memory Derby database: nothing persists between starts, the views are
defined again at every start (so two servers never fight over a metastore lock), and they read
the tables' latest Delta version at each query (a refresh is seen without restarting)."""
import argparse
import os
import signal
import sys
import threading

# The seed's views with the columns of PostgreSQL's `gold.v_prime_sportive` / `gold.v_wellbeing`
# (src/lakehouse/lake_tables.cpp: the columns marked .in_view(), in their order, under their view
# name): (Delta column, view column). tests/lakehouse/test_spark_thrift.py compares them with
# PostgreSQL's views.
VIEWS = {
    "v_prime_sportive": ("prime_sportive", [
        ("year", "annee"), ("employee_id", "id_salarie"), ("nom", "nom"), ("prenom", "prenom"),
        ("business_unit", "bu"), ("salaire_brut", "salaire_brut"),
        ("moyen_deplacement", "moyen_deplacement"), ("distance_km", "distance_km"),
        ("distance_source", "source_distance"), ("threshold_km", "seuil_km"),
        ("eligible", "eligible"), ("reason_text", "motif"), ("prime_eur", "prime_eur")]),
    "v_wellbeing": ("wellbeing", [
        ("year", "annee"), ("employee_id", "id_salarie"), ("nom", "nom"), ("prenom", "prenom"),
        ("business_unit", "bu"), ("activities", "nb_activites"),
        ("first_activity", "premiere_activite"), ("last_activity", "derniere_activite"),
        ("eligible", "eligible"), ("days", "jours_bien_etre")]),
}


def view_sql(lake, view, table, columns):
    select = ", ".join(f"`{src}` AS `{name}`" for src, name in columns)
    path = f"{lake.rstrip('/')}/gold/{table}".replace("`", "``")
    return f"CREATE OR REPLACE VIEW gold.{view} AS SELECT {select} FROM delta.`{path}`"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lake", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--bind", required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--jars", required=True)
    p.add_argument("--hiveconf", action="append", default=[])
    a = p.parse_args()

    # HiveServer2's settings: Spark hands every `spark.hadoop.*` setting to the HiveConf the
    # server starts with (Java system properties would be overridden by it).
    settings = {"hive.server2.thrift.port": str(a.port), "hive.server2.thrift.bind.host": a.bind,
                "hive.server2.transport.mode": "binary"}
    for kv in a.hiveconf:
        key, sep, value = kv.partition("=")
        if not sep or not key.startswith("hive."):
            sys.exit(f"spark-thrift: --hiveconf {kv}: expected hive.KEY=VALUE")
        settings[key] = value

    from pyspark.sql import SparkSession

    os.makedirs(a.state, mode=0o700, exist_ok=True)
    os.chdir(a.state)  # derby.log and Spark's scratch files land here
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    spark = (SparkSession.builder.master(os.environ.get("SL_SPARK_MASTER", "local[2]"))
             .appName("sportlake-thrift")
             # On the JVM's class path, not `spark.jars`: the server's session threads do not
             # see classes `spark.jars` adds later (Delta's then fail with NoClassDefFoundError).
             .config("spark.driver.extraClassPath", a.jars.replace(",", os.pathsep))
             .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
             .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
             .config("spark.ui.enabled", "false")
             .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
             .config("spark.sql.warehouse.dir", os.path.join(a.state, "warehouse"))
             .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                     "jdbc:derby:memory:sportlake_metastore;create=true")
             .config("spark.sql.session.timeZone", "UTC")  # Gold's timestamps are UTC, as in PostgreSQL
             .config("spark.sql.shuffle.partitions", "4")
             .config("spark.databricks.delta.snapshotPartitions", "2")  # small Gold logs
             .config("spark.ui.showConsoleProgress", "false")
             .config(map={f"spark.hadoop.{k}": v for k, v in settings.items()})
             .enableHiveSupport().getOrCreate())
    spark.sparkContext.setLogLevel(os.environ.get("SL_SPARK_LOG_LEVEL", "WARN"))

    spark.sql("CREATE DATABASE IF NOT EXISTS gold COMMENT 'sportlake Gold: the seed Power BI views'")
    for view, (table, columns) in VIEWS.items():
        spark.sql(view_sql(a.lake, view, table, columns))

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    jvm = spark.sparkContext._jvm
    jvm.org.apache.spark.sql.hive.thriftserver.HiveThriftServer2.startWithContext(
        spark._jsparkSession.sqlContext())
    print(f"spark-thrift: serving gold.v_prime_sportive, gold.v_wellbeing over {a.lake} "
          f"on {a.bind}:{a.port} (pid {os.getpid()})", flush=True)
    while not stop.wait(1):
        pass
    print("spark-thrift: stopping", flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
