"""One bad row never costs the others (issue 12 §2): hostile rows that PostgreSQL accepts are
written straight into the source tables (`load` refuses them), then the jobs run on the real
embedded PostgreSQL. The row is skipped, named (employee / activity id) in the job's output and
exit code (4), in `job_failures` (hence `sportlake status`) and in Silver's dq_issues; everyone
else is served: the sample's bonuses stay 172,482.50 €."""
import collections
import decimal
import json
import os
import pathlib
import random
import shutil
import subprocess
import tempfile

import pytest
from deltalake import DeltaTable

from test_notify import Slack, notify_until, create_slot, simulate, outbox

YEAR = 2025
LONG_ADDRESS_ID = 990001
LONG_BU_ID = 990002


def noise(n, seed):
    """`n` characters PostgreSQL cannot compress (an index keeps long values only compressed)."""
    rng = random.Random(seed)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789 ") for _ in range(n))


@pytest.fixture()
def env(build_dir):
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-badrows-"))
    os.chmod(base, 0o755)
    e = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="warn")
    e.pop("API_KEY_MAPS", None)
    e.pop("SLACK_WEBHOOK_URL", None)
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    subprocess.run([sportlake, "db", "start"], env=e, check=True, capture_output=True)
    subprocess.run([sportlake, "load"], env=e, check=True, capture_output=True)
    yield sportlake, e, base / "home" / "delta"
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def run(sportlake, e, *args):
    return subprocess.run([sportlake, *args], env=e, capture_output=True, text=True, timeout=300)


def psql(sportlake, e, query):
    done = run(sportlake, e, "db", "psql", "--", "-XAtc", query)
    assert done.returncode == 0, done.stderr
    return done.stdout.split("\n")[:-1]


def test_a_hostile_employee_costs_nobody_else_their_bonus(env):
    sportlake, e, root = env
    # A walker whose 3,000-character address no index can hold, and a driver whose 3,000-character
    # business unit cannot be a key of gold.kpi_by_bu.
    address = "1 Rue " + noise(2980, 1) + ", 34970 Lattes"
    psql(sportlake, e, f"""INSERT INTO rh_employees (id, nom, prenom, date_naissance, date_embauche,
        business_unit, salaire_brut, contrat, nb_conges_payes, adresse_complete, moyen_deplacement)
        VALUES ({LONG_ADDRESS_ID}, 'Long', 'Adresse', '1990-01-01', '2020-01-01', 'R&D', 40000, 'CDI', 25,
                '{address}', 'Marche/running'),
               ({LONG_BU_ID}, 'Long', 'Service', '1990-01-01', '2020-01-01', '{noise(3000, 2)}', 40000,
                'CDI', 25, '2 Rue du Port, 34970 Lattes', 'véhicule thermique/électrique')""")

    done = run(sportlake, e, "distances", "--json")
    assert done.returncode == 4, done.stderr
    figures = json.loads(done.stdout)
    assert figures["failed"] == 1 and figures["failed_employees"] == [LONG_ADDRESS_ID]
    assert figures["ok"] == 68, "every other sporty commuter got a distance"
    assert str(LONG_ADDRESS_ID) in done.stderr
    assert psql(sportlake, e, "SELECT count(*) FROM distance_cache WHERE status = 'ok'") == ["68"]
    failures = psql(sportlake, e, "SELECT job, item, employee_id, failures FROM job_failures")
    assert failures == [f"distances|employee {LONG_ADDRESS_ID}|{LONG_ADDRESS_ID}|1"]

    status = run(sportlake, e, "status")
    assert status.returncode == 0, status.stderr
    assert "distances  1 failing" in status.stdout and f"employee {LONG_ADDRESS_ID}" in status.stdout

    assert run(sportlake, e, "ingest", "--idle-exit", "1").returncode == 0
    done = run(sportlake, e, "refresh", "--year", str(YEAR), "--json")
    assert done.returncode == 4, done.stderr  # the long business unit's KPI row is not published
    k = json.loads(done.stdout, parse_float=decimal.Decimal)
    assert k["total_bonus_eur"] == decimal.Decimal("172482.50"), "everyone else keeps their bonus"
    assert k["eligible_bonus"] == 68 and k["sporty_commuters"] == 69 and k["unknown_distances"] == 1
    assert k["published"] is True and k["publish_rejected"] == 1
    assert "kpi_by_bu" in done.stderr
    assert psql(sportlake, e, f"SELECT count(*), sum(prime_eur) FROM gold.v_prime_sportive WHERE annee = {YEAR}") \
        == ["163|172482.50"]
    assert psql(sportlake, e, f"SELECT prime_eur FROM gold.v_prime_sportive WHERE id_salarie = {LONG_ADDRESS_ID}") \
        == ["0.00"]
    assert psql(sportlake, e, f"SELECT count(*) FROM gold.kpi_by_bu WHERE year = {YEAR}") == \
        [str(len(set(psql(sportlake, e, "SELECT business_unit FROM rh_employees"))) - 1)]
    assert psql(sportlake, e, "SELECT job, count(*) FROM job_failures GROUP BY 1 ORDER BY 1") == \
        ["distances|1", "publish|1"]

    # The next refresh reads job_failures from Bronze: both are data-quality findings.
    assert run(sportlake, e, "ingest", "--idle-exit", "1").returncode == 0
    assert run(sportlake, e, "refresh", "--year", str(YEAR)).returncode == 4
    issues = DeltaTable(str(root / "silver" / "dq_issues")).to_pyarrow_table().to_pylist()
    failed = [i for i in issues if i["rule"] == "distances_failed"]
    assert [i["row_key"] for i in failed] == [str(LONG_ADDRESS_ID)]
    assert "address of " in failed[0]["reason"] and "3000 characters" in failed[0]["reason"]
    assert [i["table_name"] for i in issues if i["rule"] == "publish_failed"] == ["gold"]
    assert all(len(i["reason"]) < 1000 for i in issues), "reasons quote values cut short"
    rules = collections.Counter(i["rule"] for i in issues)
    assert rules["distance_known"] == 1

    # §6: the sporty commuters living in Lattes, the workplace's commune, are not 0 km away.
    lattes = psql(sportlake, e, """SELECT min(d.distance_m), max(d.distance_m), count(*) FROM distance_cache d
        JOIN rh_employees r ON r.adresse_complete = d.origin WHERE r.adresse_complete LIKE '%34970 Lattes'
        AND r.moyen_deplacement IN ('Marche/running', 'Vélo/Trottinette/Autres') AND r.id < 990000""")[0]
    low, high, n = (float(x) for x in lattes.split("|"))
    assert n > 0 and 1500 < low == high < 5000, lattes
    within = [i for i in issues if i["rule"] == "distance_within_commune"]
    assert len(within) == n and all("disque de la taille de la commune" in i["reason"] for i in within)

    # Repaired at the source: the next pass computes it, and the failure is gone.
    psql(sportlake, e, f"UPDATE rh_employees SET adresse_complete = '3 Rue du Port, 34970 Lattes' "
                       f"WHERE id = {LONG_ADDRESS_ID}")
    done = run(sportlake, e, "distances", "--json")
    assert done.returncode == 0, done.stderr
    assert psql(sportlake, e, "SELECT job FROM job_failures ORDER BY 1") == ["publish"]


def test_a_refusal_slack_cannot_spell_does_not_stop_the_notifier(env):
    sportlake, e, _ = env
    create_slot(sportlake, e)
    simulate(sportlake, e, 3, 5)
    # The first answer is cut mid-character at 200 bytes by the webhook client, the second one
    # has bytes that are no UTF-8 at all: PostgreSQL refuses both as text.
    slack = Slack({0: (400, {}, "x" * 199 + "é", 0), 1: (400, {}, b"invalid_\xff\xfepayload", 0)})
    try:
        notify_until(sportlake, e, slack, lambda: len(slack.requests) == 3, "--min-interval", "0.1")
    finally:
        slack.close()
    assert sorted(s for s, _ in outbox(sportlake, e).values()) == ["failed", "failed", "sent"]
    errors = psql(sportlake, e, "SELECT last_error FROM notification_outbox WHERE status = 'failed' "
                                "ORDER BY activity_id")
    assert errors[0].startswith("x" * 199) and errors[1].startswith("invalid_")


def test_an_activity_the_outbox_refuses_is_skipped_and_reported(env):
    sportlake, e, root = env
    create_slot(sportlake, e)
    # Any row-level refusal (here a CHECK a DBA added) stands for what a hostile row can cause.
    victim = int(psql(sportlake, e, "SELECT coalesce(max(activity_id) + 2, 10000000001) FROM strava_activities")[0])
    psql(sportlake, e, f"ALTER TABLE notification_outbox ADD CONSTRAINT no_victim CHECK (activity_id <> {victim})")
    simulate(sportlake, e, 3, 6)
    ids = [int(x) for x in psql(sportlake, e, "SELECT activity_id FROM strava_activities ORDER BY 1 DESC LIMIT 3")]
    assert victim in ids
    employee = psql(sportlake, e, f"SELECT employee_id FROM strava_activities WHERE activity_id = {victim}")[0]
    done = run(sportlake, e, "notify", "--idle-exit", "1", "--json")
    assert done.returncode == 4, done.stderr
    assert json.loads(done.stdout)["not_queued"] == 1
    assert f"activity {victim} of employee {employee}" in done.stderr
    assert sorted(outbox(sportlake, e)) == sorted(i for i in ids if i != victim)
    assert psql(sportlake, e, "SELECT job, item, employee_id FROM job_failures") == \
        [f"notify|activity {victim}|{employee}"]
    # The slot moved on: a second run has nothing left to queue.
    done = run(sportlake, e, "notify", "--idle-exit", "1", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["queued"] == 0
