"""The incremental refresh (issue 16): Silver maintained from the Bronze versions committed since
its watermarks equals Silver rebuilt in full, on random change histories — inserts, updates,
deletes, key changes, late transactions (a lower commit LSN landing in a later version), a schema
change (ADD COLUMN, which falls back to full), refreshes interleaved with ingests — and Gold
follows. The incremental lake and a lake rebuilt with `--full` share the same Bronze (a symlink);
delta-rs reads both Silvers and Golds, sorted, and they must be equal. Plus: a refresh killed -9
between its Silver and Gold commits converges on the next run; and end to end on the real
PostgreSQL + `sportlake ingest` of the sample."""
import datetime
import decimal
import json
import math
import os
import pathlib
import random
import shutil
import subprocess
import tempfile

import pyarrow as pa
import pytest
from deltalake import DeltaTable, write_deltalake

import fault_points

YEAR = 2025
UTC = datetime.timezone.utc
META = [("_op", pa.string()), ("_lsn", pa.int64()), ("_commit_lsn", pa.int64()), ("_tx_id", pa.int64()),
        ("_commit_ts", pa.timestamp("us", tz="UTC")), ("_ingest_ts", pa.timestamp("us", tz="UTC")),
        ("_unconverted", pa.string())]
SCHEMAS = {
    "rh_employees": [("id", pa.int64()), ("nom", pa.string()), ("prenom", pa.string()),
                     ("date_naissance", pa.date32()), ("date_embauche", pa.date32()),
                     ("business_unit", pa.string()), ("salaire_brut", pa.decimal128(12, 2)),
                     ("contrat", pa.string()), ("nb_conges_payes", pa.int32()),
                     ("adresse_complete", pa.string()), ("moyen_deplacement", pa.string())],
    "sport_activities": [("id", pa.int64()), ("pratique_sport", pa.string())],
    "strava_activities": [("activity_id", pa.int64()), ("employee_id", pa.int64()), ("name", pa.string()),
                          ("sport_type", pa.string()), ("type", pa.string()), ("distance_m", pa.float64()),
                          ("moving_time_s", pa.int32()), ("elapsed_time_s", pa.int32()),
                          ("start_date_utc", pa.timestamp("us", tz="UTC")),
                          ("start_date_local", pa.timestamp("us", tz="UTC")), ("commute", pa.bool_()),
                          ("calories", pa.float64())],
    "distance_cache": [("origin", pa.string()), ("destination", pa.string()), ("mode", pa.string()),
                       ("provider", pa.string()), ("status", pa.string()), ("distance_m", pa.float64()),
                       ("computed_at", pa.timestamp("us", tz="UTC"))],
    "job_failures": [("job", pa.string()), ("item", pa.string()), ("employee_id", pa.int64()),
                     ("error", pa.string()), ("failures", pa.int32())],
}
KEYS = {"rh_employees": ("id",), "sport_activities": ("id",), "strava_activities": ("activity_id",),
        "distance_cache": ("origin", "destination", "mode", "provider"), "job_failures": ("job", "item")}
MODES = ["Marche/running", "Vélo/Trottinette/Autres", "véhicule thermique/électrique", "Transports en commun",
         "Trottinette"]  # the last one is unknown: the employee is rejected
ADDRESSES = ["1 Rue du Port, 34000 Montpellier", "8 Avenue de la Gare, 34970 Lattes", "Lieu-dit inconnu",
             "12 Rue Basse, 34110 Frontignan"]
SPORTS = ["Run", "Ride", "Walk", "Swim", "Hike", "Yoga"]


class History:
    """A random source: rows per key, and Bronze change batches (one Delta version each)."""

    def __init__(self, seed, destination):
        self.rng = random.Random(seed)
        self.destination = destination
        self.lsn = 1000
        self.rows = {t: {} for t in SCHEMAS}
        self.next_activity = 1
        self.extra_column = False

    def employee(self, i):
        r = self.rng
        return {"id": i, "nom": r.choice(["Martin", "Bernard", "RenÃ©e", "Dubois"]), "prenom": "P" + str(i),
                "date_naissance": datetime.date(1980 + i % 20, 1 + i % 12, 1),
                "date_embauche": datetime.date(r.choice([2019, 2023, 2025, 2026]), 3, 1),
                "business_unit": r.choice(["R&D", "Ventes", "Support"]),
                "salaire_brut": decimal.Decimal(r.choice([0, 32000, 41000, 55000])) + decimal.Decimal("0.50"),
                "contrat": "CDI", "nb_conges_payes": 25, "adresse_complete": r.choice(ADDRESSES),
                "moyen_deplacement": r.choice(MODES)}

    def activity(self, key):
        r = self.rng
        start = datetime.datetime(r.choice([YEAR - 1, YEAR, YEAR]), r.randint(1, 12), r.randint(1, 28),
                                  r.randint(0, 23), tzinfo=UTC)
        moving = r.randint(600, 7200)
        return {"activity_id": key, "employee_id": r.randint(1, 30), "name": "Sortie " + str(key),
                "sport_type": r.choice(SPORTS), "type": None,
                "distance_m": r.choice([r.uniform(0, 40000), -5.0, 120000.0]),
                "moving_time_s": moving, "elapsed_time_s": r.choice([moving + 60, moving - 60, 0]),
                "start_date_utc": start, "start_date_local": start + datetime.timedelta(hours=1),
                "commute": r.random() < 0.2, "calories": r.uniform(100, 900)}

    def change(self, table, op, row, commit_lsn):
        self.lsn += 1
        out = dict(row, _op=op, _lsn=self.lsn, _commit_lsn=commit_lsn, _tx_id=commit_lsn,
                   _commit_ts=datetime.datetime(2026, 1, 1, tzinfo=UTC),
                   _ingest_ts=datetime.datetime(2026, 1, 1, tzinfo=UTC), _unconverted=None)
        if table == "strava_activities" and self.extra_column:
            out["niveau"] = self.rng.choice([None, 1.5])
        return out

    def transaction(self, n, commit_lsn=None):
        """n random changes in one source transaction → {table: [change rows]}."""
        self.lsn += 10
        commit = commit_lsn if commit_lsn is not None else self.lsn + 5 * n + 10
        out = {t: [] for t in SCHEMAS}
        r = self.rng
        for _ in range(n):
            table = r.choices(list(SCHEMAS), weights=[2, 1, 12, 1, 1])[0]
            rows = self.rows[table]
            kind = r.choices(["insert", "update", "delete", "key"], weights=[5, 4, 1, 1])[0]
            if not rows:
                kind = "insert"
            if table == "rh_employees":
                key = r.randint(1, 32) if kind == "insert" else r.choice(list(rows))
                row = self.employee(key)
            elif table == "sport_activities":
                key = r.randint(1, 32) if kind == "insert" else r.choice(list(rows))
                row = {"id": key, "pratique_sport": r.choice(["Runing", "Tennis", "Course à pied", ""])}
            elif table == "strava_activities":
                if kind == "insert":
                    key, self.next_activity = self.next_activity, self.next_activity + 1
                else:
                    key = r.choice(list(rows))
                row = self.activity(key)
            elif table == "distance_cache":
                origin = r.choice(ADDRESSES)
                mode = r.choice(["walking", "bicycling"])
                key = (origin, self.destination, mode, r.choice(["offline", "google_distance_matrix"]))
                row = {"origin": key[0], "destination": key[1], "mode": key[2], "provider": key[3],
                       "status": r.choice(["ok", "ok", "not_found"]), "distance_m": r.uniform(500, 40000),
                       "computed_at": datetime.datetime(2026, 1, r.randint(1, 28), tzinfo=UTC)}
                kind = "insert" if kind == "key" else kind
                if kind != "insert":
                    key = r.choice(list(rows))
                    row = dict(rows[key], distance_m=r.uniform(500, 40000))
            else:
                job = r.choice(["notify", "distances", "publish"])
                item = (f"activity {r.randint(1, max(1, self.next_activity))}" if job == "notify"
                        else f"employee {r.randint(1, 32)}")
                key = (job, item)
                row = {"job": job, "item": item, "employee_id": r.randint(1, 32), "error": "boom",
                       "failures": r.randint(1, 4)}
                if kind != "insert":
                    key = r.choice(list(rows))
                    row = dict(rows[key], failures=rows[key]["failures"] + 1)
            if kind == "delete":
                out[table].append(self.change(table, "d", rows.pop(key), commit))
            elif kind == "key" and table in ("rh_employees", "strava_activities"):
                # A primary key change: the old key deleted, the new one inserted.
                old = rows.pop(key)
                out[table].append(self.change(table, "d", old, commit))
                if table == "strava_activities":
                    new_key, self.next_activity = self.next_activity, self.next_activity + 1
                    new = dict(old, activity_id=new_key)
                else:
                    new_key = 100 + r.randint(1, 50)
                    new = dict(old, id=new_key)
                rows[new_key] = new
                out[table].append(self.change(table, "u", new, commit))
            else:
                rows[key] = row
                out[table].append(self.change(table, "c" if kind == "insert" else "u", row, commit))
        return out

    def late(self, n):
        """A transaction that committed before the last one (lower commit LSN) but lands after it:
        changes of keys the newer transactions also changed must lose to them."""
        return self.transaction(n, commit_lsn=self.lsn - 30)


def schema(table, extra=False):
    fields = SCHEMAS[table] + META
    if extra and table == "strava_activities":
        fields = fields + [("niveau", pa.float64())]
    return pa.schema(fields)


def append(bronze, table, rows, extra=False):
    if not rows:
        return
    s = schema(table, extra)
    data = pa.Table.from_pylist([{f.name: r.get(f.name) for f in s} for r in rows], schema=s)
    if extra:  # a column the source added: delta-rs merges it into the schema (a metaData action)
        write_deltalake(str(bronze / table), data, mode="append", schema_mode="merge", engine="rust")
    else:
        write_deltalake(str(bronze / table), data, mode="append")


def ingest(bronze, tx, extra=False):
    for table, rows in tx.items():
        append(bronze, table, rows, extra)


def read(path):
    """A Delta table's rows as sorted tuples (floats rounded: sums may add in another order)."""
    def norm(v):
        return round(v, 6) if isinstance(v, float) else v
    rows = DeltaTable(str(path)).to_pyarrow_table().to_pylist()
    return sorted((tuple(sorted((k, norm(v)) for k, v in r.items())) for r in rows), key=repr)


@pytest.fixture()
def lakes(build_dir):
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-incr-"))
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    homes = {}
    for name in ("incremental", "full"):
        e = dict(os.environ, SPORTLAKE_HOME=str(base / name), SPORTLAKE_LOG_LEVEL="info")
        e.pop("API_KEY_MAPS", None)
        e.pop("SPORTLAKE_LAKE_ROOT", None)
        homes[name] = e
    (base / "incremental" / "delta" / "bronze").mkdir(parents=True)
    (base / "full" / "delta").mkdir(parents=True)
    os.symlink(base / "incremental" / "delta" / "bronze", base / "full" / "delta" / "bronze")

    def refresh(name, *args):
        done = subprocess.run([sportlake, "refresh", "--year", str(YEAR), "--no-publish", "--json", *args],
                              env=homes[name], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout), done.stderr

    destination = "1362 Av. des Platanes, 34970 Lattes"  # maps.destination's default
    yield sportlake, homes, base, refresh, destination
    shutil.rmtree(base, ignore_errors=True)


def assert_same_lakes(base):
    for layer, tables in (("silver", ["employees", "activities", "commutes", "dq_issues"]),
                          ("gold", ["prime_sportive", "wellbeing", "kpi_summary", "kpi_by_bu", "activity_monthly",
                                    "distance_bins", "wellbeing_shortfall"])):
        for table in tables:
            incremental = read(base / "incremental" / "delta" / layer / table)
            full = read(base / "full" / "delta" / layer / table)
            assert incremental == full, f"{layer}.{table}: {len(incremental)} rows incremental, {len(full)} full"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_equals_full_on_random_histories(lakes, seed):
    sportlake, homes, base, refresh, destination = lakes
    bronze = base / "incremental" / "delta" / "bronze"
    h = History(seed, destination)
    ingest(bronze, h.transaction(120))
    k, err = refresh("incremental")
    assert not k["incremental"] and "first refresh" in err
    incremental_runs = 0
    for step in range(8):
        for _ in range(h.rng.randint(1, 3)):
            ingest(bronze, h.transaction(h.rng.randint(1, 25)))
        if step % 3 == 1:
            ingest(bronze, h.late(6))
        k, err = refresh("incremental")
        incremental_runs += k["incremental"]
        refresh("full", "--full")
        assert_same_lakes(base)
    assert incremental_runs == 8
    # A column added by the source (ADD COLUMN): the history Silver consumed changed shape.
    h.extra_column = True
    ingest(bronze, h.transaction(15), extra=True)
    k, err = refresh("incremental")
    assert not k["incremental"] and "schema change" in err
    ingest(bronze, h.transaction(15), extra=True)
    k, err = refresh("incremental")
    assert k["incremental"]
    refresh("full", "--full")
    assert_same_lakes(base)


def llround(x):
    """C's llround: half away from zero (how Gold's parts turn metres into millimetres)."""
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


def gold_parts_from_silver(activities):
    """Gold's parts of YEAR recomputed from Silver's activities rows, independently of sportlake:
    {(month, sport): (activities, mm, s)} and {(month, employee): (counted, first, last)}."""
    monthly, wellbeing = {}, {}
    for a in activities:
        local = a["start_date_local"]
        if a["start_year"] != YEAR or local is None or local.year != YEAR:
            continue
        seconds = a["moving_time_s"] if a["moving_time_s"] is not None else (a["elapsed_time_s"] or 0)
        n, mm, s = monthly.get((local.month, a["sport_type"]), (0, 0, 0))
        monthly[(local.month, a["sport_type"])] = (n + 1, mm + llround((a["distance_m"] or 0) * 1000), s + seconds)
        if not a["commute"]:
            key = (local.month, a["employee_id"])
            n, first, last = wellbeing.get(key, (0, local, local))
            wellbeing[key] = (n + 1, min(first, local), max(last, local))
    return monthly, wellbeing


def test_an_increment_in_one_month_reads_back_that_month_only(lakes):
    """Gold's parts (src/lakehouse/gold_parts.hpp): after a history over every month of the year,
    changes of activities of June only make the incremental refresh read back June's Silver
    activities and take the other months' parts; Gold equals the full rebuild's to the last bit
    (no rounding); the parts, read by delta-rs, equal an aggregate of Silver's activities computed
    here; a parts table lost is rebuilt whole by the next refresh."""
    sportlake, homes, base, refresh, destination = lakes
    bronze = base / "incremental" / "delta" / "bronze"
    h = History(11, destination)
    ingest(bronze, h.transaction(600))
    refresh("incremental")  # the first refresh: full, parts written for all months
    june = [a for a in h.rows["strava_activities"].values()
            if a["start_date_local"].year == YEAR and a["start_date_local"].month == 6]
    assert len(june) >= 4
    h.lsn += 10
    commit = h.lsn + 100
    changes = [h.change("strava_activities", "u", dict(june[0], distance_m=1234.5678, sport_type="Swim"), commit),
               h.change("strava_activities", "u", dict(june[1], commute=not june[1]["commute"]), commit),
               h.change("strava_activities", "d", june[2], commit)]
    for day in (3, 14, 29):
        row = dict(h.activity(h.next_activity), start_date_local=datetime.datetime(YEAR, 6, day, 9, tzinfo=UTC),
                   start_date_utc=datetime.datetime(YEAR, 6, day, 8, tzinfo=UTC), employee_id=june[3]["employee_id"])
        h.next_activity += 1
        changes.append(h.change("strava_activities", "c", row, commit))
    append(bronze, "strava_activities", changes)
    k, _ = refresh("incremental")
    assert k["incremental"] and k["gold_rebuilt"] and k["gold_months_recomputed"] == [6]
    refresh("full", "--full")
    assert_same_lakes(base)
    for table in ("prime_sportive", "wellbeing", "kpi_summary", "kpi_by_bu", "activity_monthly",
                  "distance_bins", "wellbeing_shortfall"):
        rows = {name: sorted(DeltaTable(str(base / name / "delta" / "gold" / table)).to_pyarrow_table().to_pylist(),
                             key=repr) for name in ("incremental", "full")}
        assert rows["incremental"] == rows["full"], table  # exact: floats included

    silver = DeltaTable(str(base / "incremental" / "delta" / "silver" / "activities")).to_pyarrow_table().to_pylist()
    monthly, wellbeing = gold_parts_from_silver(silver)
    assert {m for m, _ in monthly} >= {1, 6, 12}
    for name in ("incremental", "full"):
        silver_dir = base / name / "delta" / "silver"
        parts = DeltaTable(str(silver_dir / "gold_monthly_parts")).to_pyarrow_table().to_pylist()
        assert {(p["start_month"], p["sport_type"]): (p["activities"], p["distance_mm"], p["moving_s"])
                for p in parts if p["start_year"] == YEAR} == monthly, name
        parts = DeltaTable(str(silver_dir / "gold_wellbeing_parts")).to_pyarrow_table().to_pylist()
        assert {(p["start_month"], p["employee_id"]): (p["activities"], p["first_activity"], p["last_activity"])
                for p in parts if p["start_year"] == YEAR} == wellbeing, name

    # A parts table lost (or out of step): every month is read back, Gold is unchanged.
    shutil.rmtree(base / "incremental" / "delta" / "silver" / "gold_monthly_parts")
    ingest(bronze, h.transaction(5))
    k, _ = refresh("incremental")
    silver = DeltaTable(str(base / "incremental" / "delta" / "silver" / "activities")).to_pyarrow_table().to_pylist()
    assert k["incremental"] and k["gold_months_recomputed"] == sorted({m for m, _ in gold_parts_from_silver(silver)[0]})
    refresh("full", "--full")
    assert_same_lakes(base)
    k, _ = refresh("incremental")  # nothing changed since
    assert not k["gold_rebuilt"]


def test_gold_from_silver_activities_written_before_their_layout(lakes):
    """Silver's activities written unpartitioned (a lake older than the layout, rewritten by the
    next commit of activities): an incremental refresh that does not touch them reads the year
    whole for Gold (no month, no parts) and equals the full rebuild."""
    sportlake, homes, base, refresh, destination = lakes
    bronze = base / "incremental" / "delta" / "bronze"
    h = History(13, destination)
    ingest(bronze, h.transaction(300))
    refresh("incremental")
    activities = base / "incremental" / "delta" / "silver" / "activities"
    rows = DeltaTable(str(activities)).to_pyarrow_table()
    shutil.rmtree(activities)
    write_deltalake(str(activities), rows)
    employee = next(iter(h.rows["rh_employees"].values()))
    h.lsn += 10
    append(bronze, "rh_employees", [h.change("rh_employees", "u", dict(employee, contrat="CDD"), h.lsn + 50)])
    k, _ = refresh("incremental")
    assert k["incremental"] and k["activities_rebuilt"] == 0 and len(k["gold_months_recomputed"]) == 12
    assert DeltaTable(str(activities)).metadata().partition_columns == []
    refresh("full", "--full")
    assert_same_lakes(base)


def test_nothing_changed_reads_nothing_and_keeps_gold(lakes):
    sportlake, homes, base, refresh, destination = lakes
    bronze = base / "incremental" / "delta" / "bronze"
    h = History(7, destination)
    ingest(bronze, h.transaction(80))
    refresh("incremental")
    gold = DeltaTable(str(base / "incremental" / "delta" / "gold" / "kpi_summary")).version()
    silver = DeltaTable(str(base / "incremental" / "delta" / "silver" / "dq_issues")).version()
    k, _ = refresh("incremental")
    assert k["incremental"] and not k["gold_rebuilt"] and k["activities_rebuilt"] == 0
    assert DeltaTable(str(base / "incremental" / "delta" / "gold" / "kpi_summary")).version() == gold
    assert DeltaTable(str(base / "incremental" / "delta" / "silver" / "dq_issues")).version() == silver


def test_a_refresh_killed_between_silver_and_gold_converges(lakes):
    sportlake, homes, base, refresh, destination = lakes
    bronze = base / "incremental" / "delta" / "bronze"
    h = History(5, destination)
    ingest(bronze, h.transaction(100))
    refresh("incremental")
    ingest(bronze, h.transaction(30))
    fault_points.kill_at("refresh.between_silver_and_gold",
                         [sportlake, "refresh", "--year", str(YEAR), "--no-publish"], env=homes["incremental"])
    # Silver holds the changes, Gold does not: Gold is rebuilt although no Bronze changed.
    k, _ = refresh("incremental")
    assert k["incremental"] and k["gold_rebuilt"] and k["activities_rebuilt"] == 0
    refresh("full", "--full")
    assert_same_lakes(base)


def test_end_to_end_from_postgresql(build_dir):
    """The sample in the real PostgreSQL, ingested by `sportlake ingest`; then activities updated,
    deleted and inserted, an employee's salary zeroed (they leave Silver, their activities become
    `employee_exists` findings) and another's address changed: the incremental refresh equals a
    full one on the same Bronze, and publishes the same figures."""
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-incr-e2e-"))
    os.chmod(base, 0o755)
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    e = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="info")
    e.pop("API_KEY_MAPS", None)
    e.pop("SPORTLAKE_LAKE_ROOT", None)
    full_env = dict(e, SPORTLAKE_HOME=str(base / "full"))

    def run(*args, env=None):
        done = subprocess.run([sportlake, *args], env=env or e, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{args}: {done.stderr}"
        return done

    def psql(query):
        return run("db", "psql", "--", "-XAtc", query).stdout.split("\n")[:-1]

    run("db", "start")
    try:
        run("load")
        run("simulate", "--backfill-months", "12", "--as-of", f"{YEAR}-12-31", "--seed", "4")
        run("distances")
        run("ingest", "--idle-exit", "1")
        first = json.loads(run("refresh", "--year", str(YEAR), "--json").stdout)
        assert not first["incremental"]
        leaver = psql("SELECT min(employee_id) FROM strava_activities")[0]
        mover = psql("SELECT max(id) FROM rh_employees")[0]
        psql(f"UPDATE rh_employees SET salaire_brut = 0 WHERE id = {leaver}")
        psql(f"UPDATE rh_employees SET adresse_complete = '3 Rue de la Madeleine, 30000 Nîmes' WHERE id = {mover}")
        psql("UPDATE strava_activities SET distance_m = distance_m + 1000 WHERE activity_id % 17 = 0")
        psql("DELETE FROM strava_activities WHERE activity_id % 23 = 0")
        run("simulate", "--count", "40", "--rate", "500", "--seed", "9")
        run("distances")
        run("ingest", "--idle-exit", "1")
        k = json.loads(run("refresh", "--year", str(YEAR), "--json").stdout, parse_float=decimal.Decimal)
        assert k["incremental"] and k["activities_rebuilt"] > 0 and k["published"]
        published = psql(f"SELECT count(*), sum(prime_eur) FROM gold.v_prime_sportive WHERE annee = {YEAR}")
        (base / "full" / "delta").mkdir(parents=True)
        os.symlink(base / "home" / "delta" / "bronze", base / "full" / "delta" / "bronze")
        full = json.loads(run("refresh", "--year", str(YEAR), "--json", "--no-publish", "--full",
                              env=full_env).stdout, parse_float=decimal.Decimal)
        assert {x: k[x] for x in ("employees", "activities", "dq_findings", "total_bonus_eur")} == \
            {x: full[x] for x in ("employees", "activities", "dq_findings", "total_bonus_eur")}
        for layer, table in (("silver", "employees"), ("silver", "activities"), ("silver", "commutes"),
                             ("silver", "dq_issues"), ("gold", "prime_sportive"), ("gold", "wellbeing"),
                             ("gold", "kpi_summary"), ("gold", "activity_monthly")):
            assert read(base / "home" / "delta" / layer / table) == read(base / "full" / "delta" / layer / table), \
                f"{layer}.{table}"
        issues = DeltaTable(str(base / "home" / "delta" / "silver" / "dq_issues")).to_pyarrow_table().to_pylist()
        assert any(i["rule"] == "employee_exists" and str(i["employee_id"]) == leaver for i in issues)
        assert decimal.Decimal(published[0].split("|")[1]) == k["total_bonus_eur"]
    finally:
        subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
