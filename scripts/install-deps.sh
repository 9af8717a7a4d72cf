#!/usr/bin/env bash
# Installs what sportlake needs to build, test and run, idempotently: Debian packages (only the
# missing ones, apt non-interactive, sudo only when not root) and a project Python venv (.venv)
# for the test and interop tools. Safe to run on every `make`.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libpq-dev postgresql-15 postgresql-client-15
  libfmt-dev libspdlog-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libsimdjson-dev
  libsnappy-dev libzstd-dev zlib1g-dev liblz4-dev libbrotli-dev libisal-dev
  libcurl4-openssl-dev libcpp-httplib-dev librdkafka-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev clang-format-14
  python3 python3-venv bc zstd
  default-jdk-headless maven
  chromium chromium-driver
)
# (chromium + chromium-driver: the dashboard's browser tests drive Debian's headless Chromium
# through Selenium; npm (Debian's, unless one is on PATH) installs axe-core, which they inject
# into the pages.)
# (Java and Maven: the cdc test that reads our records with Kafka Connect's own JsonConverter,
# the bus tests' real Kafka broker; the slow Spark interop suite runs on the same JDK.)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
# npm only when no npm is on PATH: a nodejs from NodeSource bundles its own, and Debian's npm
# package would fight it.
if ! command -v npm >/dev/null; then
  missing+=(npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Project venv for test tools; reinstalled only when requirements change.
if [ "${SL_SKIP_VENV:-0}" != "1" ]; then
  PY=python3
  if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
  fi
  stamp=.venv/.requirements.sha256
  want=$(sha256sum requirements-test.txt | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "install-deps: installing Python test tools into .venv"
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -r requirements-test.txt
    echo "$want" > "$stamp"
  fi
fi

# axe-core for the browser tests (tests/web: injected into the dashboard's pages, never served),
# installed again only when tests/web/package-lock.json changes.
if [ "${SL_SKIP_NPM:-0}" != "1" ]; then
  npm_stamp=tests/web/node_modules/.package-lock.sha256
  npm_want=$(sha256sum tests/web/package-lock.json | cut -d' ' -f1)
  if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$npm_want" ]; then
    echo "install-deps: installing axe-core into tests/web"
    (cd tests/web && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$npm_want" > "$npm_stamp"
  fi
fi

# Spark + delta-spark for the slow interop suite (`make test-slow` sets SL_WITH_SPARK=1); the
# Delta jars are fetched from Maven Central by Spark itself
# on first use (cached in ~/.ivy2).
if [ "${SL_WITH_SPARK:-0}" = "1" ]; then
  spark_stamp=.venv/.requirements-spark.sha256
  spark_want=$(sha256sum requirements-spark.txt | cut -d' ' -f1)
  if [ ! -f "$spark_stamp" ] || [ "$(cat "$spark_stamp")" != "$spark_want" ]; then
    echo "install-deps: installing pyspark + delta-spark into .venv"
    .venv/bin/pip install -q -r requirements-spark.txt
    echo "$spark_want" > "$spark_stamp"
  fi
fi

# Kafka Connect's JsonConverter jars for tests/cdc and a real Apache Kafka broker's jars (KRaft)
# for tests/bus (cached in .cache/, fetched again only when tests/cdc/jsonconverter/pom.xml or
# tests/bus/kafka_broker/pom.xml changes).
if [ "${SL_SKIP_JARS:-0}" != "1" ]; then
  scripts/kafka-connect-jars.sh >/dev/null
  scripts/kafka-broker-jars.sh >/dev/null
  # The slow suites' (SL_WITH_SPARK=1, `make test-slow`): the real Debezium PostgreSQL connector
  # and Kafka Connect's standalone runtime for tests/cdc/test_vs_debezium.py; Hadoop's s3a
  # filesystem for Spark (hadoop-aws + aws-java-sdk-bundle, ~280 MB) for tests/delta/test_s3_spark.py.
  if [ "${SL_WITH_SPARK:-0}" = "1" ]; then
    scripts/debezium-jars.sh >/dev/null
    scripts/spark-s3a-jars.sh >/dev/null
  fi
fi
