#!/usr/bin/env bash
# The jars of Kafka Connect's JsonConverter (tests/cdc/jsonconverter/pom.xml: connect-json,
# connect-api and their dependencies) in .cache/kafka-connect-jars/; prints the folder.
exec "$(dirname "$0")/maven-jars.sh" kafka-connect-jars tests/cdc/jsonconverter/pom.xml
