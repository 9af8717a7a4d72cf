"""The local Spark + delta-spark session of the slow Spark suites (tests/delta, tests/lakehouse):
local[2] on loopback, delta-spark's catalog, UTC, no UI. pyspark is imported only when a session
is built (the suites skip first when it is not installed)."""
import os


def delta_session_builder(app_name, warehouse):
    """The builder; each suite adds its own settings before `configure_spark_with_delta_pip`."""
    from pyspark.sql import SparkSession

    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    return (SparkSession.builder.master("local[2]").appName(app_name)
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.warehouse.dir", str(warehouse))
            .config("spark.sql.session.timeZone", "UTC"))


def delta_session(builder):
    """The session of `builder` with the delta-spark jars (fetched by Spark into ~/.ivy2 once)."""
    from delta import configure_spark_with_delta_pip

    session = configure_spark_with_delta_pip(builder).getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
