#!/usr/bin/env bash
# The jars of Kafka Connect's JsonConverter (tests/cdc/jsonconverter/pom.xml: connect-json,
# connect-api and their dependencies from Maven Central) in .cache/kafka-connect-jars/, fetched
# with Maven once and again only when the pom changes. Prints the folder. Needs mvn and a JDK
# (Debian: maven, default-jdk-headless).
set -euo pipefail
cd "$(dirname "$0")/.."
pom=tests/cdc/jsonconverter/pom.xml
dir=.cache/kafka-connect-jars
stamp=$dir/.pom.sha256
want=$(sha256sum "$pom" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  command -v mvn >/dev/null || { echo "kafka-connect-jars: mvn is missing (apt-get install maven)" >&2; exit 1; }
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "kafka-connect-jars: fetching the JsonConverter jars into $dir" >&2
  mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$PWD/$dir" \
    -DincludeScope=runtime >&2
  echo "$want" > "$stamp"
fi
echo "$PWD/$dir"
