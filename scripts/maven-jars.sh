#!/usr/bin/env bash
# Usage: scripts/maven-jars.sh NAME POM [MVN-ARG...] — the runtime dependencies that POM declares
# (with the properties the extra Maven arguments set, e.g. -Ddebezium.version=2.7.4.Final), fetched
# from Maven Central into .cache/NAME/ once and again only when the pom or those arguments change
# (a stamp holds their sha256). Prints the folder. Needs mvn and a JDK (Debian: maven, default-jdk-headless).
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1
pom=$2
shift 2
dir=.cache/$name
stamp=$dir/.pom.sha256
want=$({ cat "$pom"; [ $# -eq 0 ] || echo "$@"; } | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  command -v mvn >/dev/null || { echo "$name: mvn is missing (apt-get install maven)" >&2; exit 1; }
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "$name: fetching the jars of $pom into $dir" >&2
  mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$PWD/$dir" \
    -DincludeScope=runtime "$@" >&2
  echo "$want" > "$stamp"
fi
echo "$PWD/$dir"
