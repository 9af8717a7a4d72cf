#!/usr/bin/env bash
# The jars of Hadoop's s3a filesystem for Spark (hadoop-aws 3.3.4, pyspark 3.5's Hadoop, and its
# aws-java-sdk-bundle; tests/delta/spark_s3a/pom.xml) in .cache/spark-s3a-jars/; prints the
# folder. Used by the slow test tests/delta/test_s3_spark.py (Spark reading and writing our
# tables in an S3 bucket). Needs mvn and a JDK.
exec "$(dirname "$0")/maven-jars.sh" spark-s3a-jars tests/delta/spark_s3a/pom.xml
