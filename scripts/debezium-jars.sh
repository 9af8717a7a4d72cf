#!/usr/bin/env bash
# The jars of the real Debezium PostgreSQL connector (3.6.1.Final) and of Kafka Connect's
# standalone runtime (tests/cdc/debezium/pom.xml) in .cache/debezium-jars/; prints the folder.
# Used by tests/debezium_connect.py for the slow comparison test. Needs mvn and a JDK >= 17.
exec "$(dirname "$0")/maven-jars.sh" debezium-jars tests/cdc/debezium/pom.xml
