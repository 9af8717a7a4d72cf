#!/usr/bin/env bash
# Benchmark (issue 2): loading 1M generated employees with `sportlake load --rh` (parse, validate,
# COPY, upsert) vs the peer `psql \copy` of the same file into an equivalent empty table, in the
# same run, on the same embedded cluster, order alternating. Prints every round, rows/s of each
# (median of RUNS) and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
SPORTLAKE=${SPORTLAKE:-$(pwd)/build/release/src/cli/sportlake}
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
work=$(mktemp -d /tmp/sl-bench-load.XXXXXX)
chmod 755 "$work"
export SPORTLAKE_HOME=$work/home
trap '"$SPORTLAKE" db stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

python3 - "$work/employees.csv" "$ROWS" <<'PY'
import random, sys
path, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
modes = ["Transports en commun", "véhicule thermique/électrique", "Marche/running", "Vélo/Trottinette/Autres"]
bus = ["Finance", "Support", "Ventes", "R&D", "Marketing"]
with open(path, "w", encoding="utf-8") as f:
    f.write("ID salarié,Nom,Prénom,Date de naissance,BU,Date d'embauche,Salaire brut,Type de contrat,"
            "Nombre de jours de CP,Adresse du domicile,Moyen de déplacement\n")
    for i in range(1, n + 1):
        f.write(f"{i},Nom{i},Prénom{i % 977},{rng.randint(1,28)}/{rng.randint(1,12)}/{rng.randint(1960,2000)},"
                f"{rng.choice(bus)},{rng.randint(1,28)}/{rng.randint(1,12)}/{rng.randint(2015,2024)},"
                f"{rng.randint(25000,75000)},CDI,{rng.randint(25,30)},\"{rng.randint(1,300)} Rue du Port, 34970 Lattes\","
                f"{rng.choice(modes)}\n")
PY
"$SPORTLAKE" db start >/dev/null
conninfo=$("$SPORTLAKE" db url --admin)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

ours=() peer=()
load_ours() {
  local t0 t1
  psql "$conninfo" -qX -c "TRUNCATE rh_employees" 2>/dev/null || true
  t0=$(now); "$SPORTLAKE" load --rh "$work/employees.csv" >/dev/null; t1=$(now)
  ours+=("$(echo "$t1 - $t0" | bc -l)")
  printf 'round %d sportlake load %.2f s\n' "$run" "${ours[-1]}"
}
load_peer() {
  local t0 t1
  psql "$conninfo" -qX -c "DROP TABLE IF EXISTS rh_copy; CREATE TABLE rh_copy (LIKE rh_employees INCLUDING ALL)"
  t0=$(now)
  PGOPTIONS="-c DateStyle=ISO,DMY" psql "$conninfo" -qX -c "\\copy rh_copy (id, nom, prenom, date_naissance, business_unit, date_embauche, salaire_brut, contrat, nb_conges_payes, adresse_complete, moyen_deplacement) FROM '$work/employees.csv' WITH (FORMAT csv, HEADER true)"
  t1=$(now)
  peer+=("$(echo "$t1 - $t0" | bc -l)")
  printf 'round %d psql \\copy     %.2f s\n' "$run" "${peer[-1]}"
}
for run in $(seq "$RUNS"); do
  # The order alternates: the second finds the server's caches and the file warmer.
  if (( run % 2 )); then load_ours; load_peer; else load_peer; load_ours; fi
done
ours_s=$(printf '%s\n' "${ours[@]}" | median)
peer_s=$(printf '%s\n' "${peer[@]}" | median)
printf 'load %d employees (median of %d): sportlake load %.2f s = %.0f rows/s | psql \\copy %.2f s = %.0f rows/s | ratio %.2f (goal >= 0.8)\n' \
  "$ROWS" "$RUNS" "$ours_s" "$(echo "$ROWS / $ours_s" | bc -l)" "$peer_s" "$(echo "$ROWS / $peer_s" | bc -l)" \
  "$(echo "$peer_s / $ours_s" | bc -l)"
