#!/usr/bin/env bash
# The jars of a real Apache Kafka broker in KRaft mode for the bus integration tests
# (tests/bus/kafka_broker/pom.xml: kafka_2.13 and its runtime dependencies from Maven Central)
# in .cache/kafka-broker-jars/, fetched with Maven once and again only when the pom changes.
# Prints the folder. Needs mvn and a JDK >= 17 (Debian: maven, default-jdk-headless).
set -euo pipefail
cd "$(dirname "$0")/.."
pom=tests/bus/kafka_broker/pom.xml
dir=.cache/kafka-broker-jars
stamp=$dir/.pom.sha256
want=$(sha256sum "$pom" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  command -v mvn >/dev/null || { echo "kafka-broker-jars: mvn is missing (apt-get install maven)" >&2; exit 1; }
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "kafka-broker-jars: fetching the Kafka broker jars into $dir" >&2
  mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$PWD/$dir" \
    -DincludeScope=runtime >&2
  echo "$want" > "$stamp"
fi
echo "$PWD/$dir"
