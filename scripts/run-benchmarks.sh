#!/usr/bin/env bash
# Runs every benchmark script in bench/ (each prints its figures and the ratio to its peer).
set -euo pipefail
cd "$(dirname "$0")/.."
export SL_BUILD_DIR=${1:-build/release}
export SPORTLAKE="$(pwd)/$SL_BUILD_DIR/src/cli/sportlake"
for script in bench/*.sh bench/*.py; do
  [ -e "$script" ] || continue
  # A .py beside a .sh of the same name is that script's helper (the .sh runs it).
  [[ "$script" == *.py && -e "${script%.py}.sh" ]] && continue
  echo "== $script"
  case "$script" in
    *.py) .venv/bin/python "$script" ;;
    *) bash "$script" ;;
  esac
done
