#!/usr/bin/env bash
# Benchmark (issue 2): `sportlake db start` of an existing, stopped cluster (goal < 2 s), beside
# the peer `pg_ctl start -w` of the same cluster, order alternating, every round printed, median of
# RUNS each.
set -euo pipefail
cd "$(dirname "$0")/.."
SPORTLAKE=${SPORTLAKE:-$(pwd)/build/release/src/cli/sportlake}
RUNS=${RUNS:-7}
work=$(mktemp -d /tmp/sl-bench-start.XXXXXX)
chmod 755 "$work"
export SPORTLAKE_HOME=$work/home
trap '"$SPORTLAKE" db stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$SPORTLAKE" db start >/dev/null && "$SPORTLAKE" db stop >/dev/null
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
data=$SPORTLAKE_HOME/postgres/data
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ours=() peer=()
start_ours() {
  local t0 t1; t0=$(date +%s.%N); "$SPORTLAKE" db start >/dev/null; t1=$(date +%s.%N)
  ours+=("$(echo "$t1 - $t0" | bc -l)")
  "$SPORTLAKE" db stop >/dev/null
  printf 'round %d sportlake db start %.3f s\n' "$run" "${ours[-1]}"
}
start_peer() {
  local t0 t1; t0=$(date +%s.%N); as_pg "$bindir/pg_ctl" start -w -s -D "$data" -l "$SPORTLAKE_HOME/postgres/server.log" -o "-p $(cat "$SPORTLAKE_HOME/postgres/port")" >/dev/null; t1=$(date +%s.%N)
  peer+=("$(echo "$t1 - $t0" | bc -l)")
  as_pg "$bindir/pg_ctl" stop -w -s -m fast -D "$data" >/dev/null
  printf 'round %d pg_ctl start -w  %.3f s\n' "$run" "${peer[-1]}"
}
for run in $(seq "$RUNS"); do
  # The order alternates: the one that runs second finds the page cache warmer.
  if (( run % 2 )); then start_ours; start_peer; else start_peer; start_ours; fi
done
ours_s=$(printf '%s\n' "${ours[@]}" | median)
peer_s=$(printf '%s\n' "${peer[@]}" | median)
printf 'db start of an existing cluster (median of %d): sportlake %.3f s | pg_ctl start -w %.3f s | ratio %.2f (goal < 2 s)\n' \
  "$RUNS" "$ours_s" "$peer_s" "$(echo "$peer_s / $ours_s" | bc -l)"
