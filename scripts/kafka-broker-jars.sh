#!/usr/bin/env bash
# The jars of a real Apache Kafka broker in KRaft mode for the bus integration tests
# (tests/bus/kafka_broker/pom.xml: kafka_2.13 and its runtime dependencies) in
# .cache/kafka-broker-jars/; prints the folder. Needs a JDK >= 17.
exec "$(dirname "$0")/maven-jars.sh" kafka-broker-jars tests/bus/kafka_broker/pom.xml
