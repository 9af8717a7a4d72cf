#!/usr/bin/env bash
# Usage: scripts/debezium-jars.sh [VERSION] — the jars of the real Debezium PostgreSQL connector
# (VERSION, 3.6.1.Final by default; e.g. 2.7.4.Final for the comparison with Debezium 2.x) and of
# Kafka Connect's standalone runtime (tests/cdc/debezium/pom.xml) in .cache/debezium-jars/ (the
# default version) or .cache/debezium-jars-VERSION/; prints the folder. Used by
# tests/debezium_connect.py for the slow comparison tests. Needs mvn and a JDK >= 17.
set -euo pipefail
version=${1:-3.6.1.Final}
pom=tests/cdc/debezium/pom.xml
cd "$(dirname "$0")/.."
# The pom's own version needs no argument (and keeps the cache the pom alone stamps).
[ "$version" = 3.6.1.Final ] && exec scripts/maven-jars.sh debezium-jars "$pom"
exec scripts/maven-jars.sh "debezium-jars-$version" "$pom" -Ddebezium.version="$version"
