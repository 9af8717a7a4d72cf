#!/usr/bin/env bash
# Usage: scripts/spark-thrift.sh [--lake ROOT] [--port N] [--bind ADDR] [--state DIR]
#                                [--hiveconf KEY=VALUE]... [--allow-unauthenticated]
# A Spark Thrift Server (HiveServer2, binary Thrift) over the lake, in the foreground until SIGTERM
# or Ctrl-C: database `gold` with the views `v_prime_sportive` and `v_wellbeing` (the columns of
# PostgreSQL's gold views) over the Gold Delta tables, for the seed's Power BI Spark connector and
# any JDBC/ODBC/PyHive client (jdbc:hive2://127.0.0.1:10000/gold).
#   --lake ROOT    lake root (default: `sportlake config`'s lake.root, else <home>/delta)
#   --port N       default 10000
#   --bind ADDR    default 127.0.0.1; another address needs an authentication other than NONE
#                  (--hiveconf hive.server2.authentication=LDAP ...) or --allow-unauthenticated
#   --state DIR    Spark's scratch folder and logs (default <home>/spark-thrift, 0700)
#   --hiveconf K=V a HiveServer2 setting (authentication, SSL, ...; see README "BI tools")
# Needs: pyspark + delta-spark in the venv (SL_WITH_SPARK=1 scripts/install-deps.sh; SL_PYTHON
# names another interpreter), a JDK (Debian default-jdk-headless), Maven for the first fetch of the
# Delta jars (.cache/spark-thrift-jars). `sportlake` is $SPORTLAKE, else on PATH, else
# build/release/src/cli/sportlake.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

lake="" port=10000 bind=127.0.0.1 state="" allow_open=0 hiveconf=()
while [ $# -gt 0 ]; do
  case $1 in
    --lake) lake=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --bind) bind=$2; shift 2 ;;
    --state) state=$2; shift 2 ;;
    --hiveconf) hiveconf+=(--hiveconf "$2"); shift 2 ;;
    --allow-unauthenticated) allow_open=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "spark-thrift: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
case $port in ''|*[!0-9]*) echo "spark-thrift: --port $port: not a port number" >&2; exit 2 ;; esac

# The authentication asked for: NONE (HiveServer2's default: any user name, no password check)
# is accepted on loopback only unless --allow-unauthenticated says otherwise.
auth=NONE
for kv in "${hiveconf[@]}"; do
  case $kv in hive.server2.authentication=*) auth=${kv#*=} ;; esac
done
case $bind in
  127.*|::1|localhost) ;;
  *)
    case ${auth^^} in
      NONE|NOSASL)
        if [ "$allow_open" != 1 ]; then
          echo "spark-thrift: refusing to listen on $bind without authentication (Gold holds salaries):" \
               "use an SSH tunnel to 127.0.0.1, or --hiveconf hive.server2.authentication=LDAP ...," \
               "or --allow-unauthenticated" >&2
          exit 2
        fi
        echo "spark-thrift: WARNING: $bind without authentication: anyone who reaches it reads Gold" >&2 ;;
    esac ;;
esac

if [ -z "$lake" ] || [ -z "$state" ]; then
  sl=${SPORTLAKE:-$(command -v sportlake || echo "$root/build/release/src/cli/sportlake")}
  config=$("$sl" config) || { echo "spark-thrift: '$sl config' failed; give --lake and --state" >&2; exit 1; }
  home=$(awk '$1 == "home" { print $2 }' <<<"$config")
  home=$(realpath -m -- "$home")
  [ -n "$lake" ] || lake=$(awk '$1 == "lake.root" && NF >= 3 && $2 != "default" { print $2 }' <<<"$config")
  [ -n "$lake" ] || lake=$home/delta
  [ -n "$state" ] || state=$home/spark-thrift
fi
case $lake in
  s3://*|s3a://*) echo "spark-thrift: $lake: a lake on S3 is not supported by this script yet (local folders only)" >&2; exit 2 ;;
esac
lake=$(realpath -m -- "$lake")
for t in prime_sportive wellbeing; do
  [ -d "$lake/gold/$t/_delta_log" ] || { echo "spark-thrift: $lake/gold/$t is not a Delta table: run 'sportlake refresh' first" >&2; exit 1; }
done
state=$(realpath -m -- "$state")
umask 077

python=${SL_PYTHON:-$root/.venv/bin/python}
"$python" -c 'import pyspark' 2>/dev/null || {
  echo "spark-thrift: no pyspark for $python (SL_WITH_SPARK=1 scripts/install-deps.sh, or SL_PYTHON=...)" >&2; exit 1; }
command -v java >/dev/null || { echo "spark-thrift: java is missing (apt-get install default-jdk-headless)" >&2; exit 1; }
pyspark_jars=$("$python" -c 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))')
ls "$pyspark_jars"/spark-hive-thriftserver_2.12-*.jar >/dev/null 2>&1 || {
  echo "spark-thrift: $pyspark_jars has no spark-hive-thriftserver jar (a pyspark built without -Phive-thriftserver)" >&2; exit 1; }
jars_dir=$("$root/scripts/maven-jars.sh" spark-thrift-jars scripts/spark-thrift/pom.xml)
jars=$(ls "$jars_dir"/*.jar | paste -sd, -)

exec "$python" "$here/spark-thrift/server.py" --lake "$lake" --port "$port" --bind "$bind" \
  --state "$state" --jars "$jars" "${hiveconf[@]}"
