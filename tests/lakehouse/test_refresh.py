"""`sportlake refresh` end to end on the sample data: PostgreSQL → Bronze (ingest) → Silver → Gold,
published to PostgreSQL's gold schema. Checked against DESIGN §1's expected figures, against
figures computed independently in SQL from the source tables, and by delta-rs and DuckDB reading
the Silver and Gold tables. Rules change and past years are recomputed without touching others."""
import collections
import decimal
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

import duckdb
import pytest
from deltalake import DeltaTable

YEAR = 2025


@pytest.fixture(scope="module")
def lake(build_dir):
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-refresh-"))
    os.chmod(base, 0o755)
    e = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="warn")
    e.pop("API_KEY_MAPS", None)
    sportlake = str(build_dir / "src" / "cli" / "sportlake")

    def run(*args, env=None):
        done = subprocess.run([sportlake, *args], env=env or e, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{args}: {done.stderr}"
        return done.stdout

    run("db", "start")
    run("load")
    run("simulate", "--backfill-months", "12", "--as-of", f"{YEAR}-12-31", "--seed", "11")
    run("distances")
    run("ingest", "--idle-exit", "1")
    yield run, e, base / "home" / "delta"
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def psql(run, query):
    return run("db", "psql", "--", "-XAtc", query).split("\n")[:-1]


def test_sample_figures_and_publication(lake):
    run, e, root = lake
    k = json.loads(run("refresh", "--year", str(YEAR), "--json"), parse_float=decimal.Decimal)
    # DESIGN §1: 161 employees, 68 sporty commuters, 172,482.50 € at most; the sample has no
    # declaration anomaly (reference §7.4), so all 68 are eligible.
    assert k["employees"] == 161 and k["sporty_commuters"] == 68
    assert k["max_bonus_eur"] == k["total_bonus_eur"] == decimal.Decimal("172482.50")
    assert k["eligible_bonus"] == 68 and k["declaration_anomalies"] == 0 and k["unknown_distances"] == 0
    assert k["published"] is True

    # Well-being, computed independently from the source tables.
    expected = psql(run, f"""SELECT count(*) FROM (SELECT employee_id FROM strava_activities
        WHERE extract(year FROM start_date_local) = {YEAR} AND NOT commute
        GROUP BY employee_id HAVING count(*) >= 15) x""")[0]
    assert k["wellbeing_eligible"] == int(expected) > 0
    assert k["wellbeing_days"] == 5 * int(expected)

    # The data-quality findings DESIGN §1 lists for the sample.
    issues = DeltaTable(str(root / "silver" / "dq_issues")).to_pyarrow_table().to_pylist()
    rules = collections.Counter(i["rule"] for i in issues)
    assert rules["sport_label_normalised"] == 18  # "Runing"
    assert rules["postcode_matches_city"] == 3
    assert rules["address_well_formed"] == 2
    assert all(i["reason"] for i in issues)

    # PostgreSQL gold schema, as Power BI reads it.
    assert psql(run, f"SELECT count(*), sum(prime_eur) FROM gold.v_prime_sportive WHERE annee = {YEAR}") == \
        ["161|172482.50"]
    assert psql(run, f"SELECT count(*), sum(jours_bien_etre) FROM gold.v_wellbeing WHERE annee = {YEAR}") == \
        [f"161|{5 * int(expected)}"]

    # delta-rs and DuckDB read the lake.
    prime = DeltaTable(str(root / "gold" / "prime_sportive"))
    assert prime.metadata().partition_columns == ["year"]
    rows = prime.to_pyarrow_table().to_pylist()
    assert len(rows) == 161 and sum(r["eligible"] for r in rows) == 68
    files = DeltaTable(str(root / "silver" / "employees")).file_uris()
    assert duckdb.sql(f"SELECT count(*), count(DISTINCT id) FROM read_parquet({files!r})").fetchone() == (161, 161)
    walkers = [r for r in rows if r["moyen_deplacement"] == "Marche/running"]
    assert len(walkers) == 14 and all(r["threshold_km"] == 15 and r["distance_estimate"] for r in walkers)


def test_rules_change_and_past_years_are_recomputed(lake):
    run, e, root = lake
    run("refresh", "--year", str(YEAR))
    stricter = dict(e, SPORTLAKE_BIKE_MAX_KM="10")
    k = json.loads(run("refresh", "--year", str(YEAR - 1), "--json", env=stricter), parse_float=decimal.Decimal)
    # Independently: among the sporty commuters already hired that year, the cyclists whose cached
    # distance is over 10 km are anomalies, the others eligible.
    hired = f"e.date_embauche < '{YEAR}-01-01'"
    over = int(psql(run, f"""SELECT count(*) FROM rh_employees e JOIN distance_cache d
        ON d.origin = e.adresse_complete AND d.mode = 'bicycling'
        WHERE e.moyen_deplacement = 'Vélo/Trottinette/Autres' AND d.distance_m > 10000 AND {hired}""")[0])
    sporty = int(psql(run, f"""SELECT count(*) FROM rh_employees e WHERE {hired} AND
        e.moyen_deplacement IN ('Marche/running', 'Vélo/Trottinette/Autres')""")[0])
    assert over > 0
    assert k["sporty_commuters"] == sporty
    assert k["declaration_anomalies"] == over and k["eligible_bonus"] == sporty - over
    # The other year is untouched, in PostgreSQL and in the lake.
    assert psql(run, f"SELECT sum(prime_eur) FROM gold.v_prime_sportive WHERE annee = {YEAR}") == ["172482.50"]
    years = collections.Counter(r["year"] for r in
                                DeltaTable(str(root / "gold" / "prime_sportive")).to_pyarrow_table().to_pylist())
    hired_then = int(psql(run, f"SELECT count(*) FROM rh_employees WHERE date_embauche < '{YEAR}-01-01'")[0])
    assert years == {YEAR: 161, YEAR - 1: hired_then}


def test_anomalies_and_unknown_distances_are_reported(lake):
    run, e, root = lake
    # A walker declared in Nîmes (~57 km: likely error) and a cyclist nobody can locate.
    walker = psql(run, "SELECT min(id) FROM rh_employees WHERE moyen_deplacement = 'Marche/running'")[0]
    cyclist = psql(run, "SELECT min(id) FROM rh_employees WHERE moyen_deplacement = 'Vélo/Trottinette/Autres'")[0]
    psql(run, f"UPDATE rh_employees SET adresse_complete = '3 Rue de la Madeleine, 30000 Nîmes' WHERE id = {walker}")
    psql(run, f"UPDATE rh_employees SET adresse_complete = 'Lieu-dit inconnu' WHERE id = {cyclist}")
    run("distances")
    run("ingest", "--idle-exit", "1")
    k = json.loads(run("refresh", "--year", str(YEAR), "--json"), parse_float=decimal.Decimal)
    assert k["declaration_anomalies"] == 1 and k["unknown_distances"] == 1 and k["eligible_bonus"] == 66
    reasons = dict(r.split("|") for r in psql(run, f"""SELECT id_salarie, motif FROM gold.v_prime_sportive
        WHERE annee = {YEAR} AND id_salarie IN ({walker}, {cyclist})"""))
    assert "erreur de déclaration probable" in reasons[walker]
    assert "distance domicile-travail inconnue" in reasons[cyclist]
    issues = DeltaTable(str(root / "silver" / "dq_issues")).to_pyarrow_table().to_pylist()
    assert any(i["rule"] == "within_threshold" and i["row_key"] == walker for i in issues)
    assert any(i["rule"] == "distance_known" and i["row_key"] == cyclist for i in issues)
