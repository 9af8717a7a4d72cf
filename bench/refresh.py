"""Benchmark: the full refresh (`sportlake refresh --full --no-publish`: Bronze → Silver → Gold of a year,
Delta tables written) on ROWS activities (default 1M; 5M, 10M possible) of realistic Bronze
history, against DuckDB with all threads and (SPARK=1, when pyspark is installed) PySpark
local[2] doing the same Silver current state and Gold aggregation on the same Bronze files.

The history goes through the real pipeline: generated employees (`sportlake load`), then
activities inserted in PostgreSQL in several transactions, ~5 % updated, 0.5 % deleted, landed in
Bronze by `sportlake ingest`. Rows vary: ten sports at plausible speeds, names with accents (and
emoji), null optional columns, four time zones, commutes, a tenth in the previous year; ~20 % of
activities carry a data-quality finding: dated in the future, negative distance, moving time over
elapsed, implausible speed, unknown employee (four per cent each).

Every contender computes, from the Bronze Parquet files of `rh_employees` and
`strava_activities`:
- Silver: the current state per key (last change by _commit_lsn, _lsn; deletes gone), employees
  kept when their salary is positive and their commute mode known, activities kept unless their
  employee is unknown, their distance negative, their elapsed time absent or ≤ 0, their start
  absent or in the future; the findings per rule (warnings too: moving > elapsed, implausible
  speed by sport); Silver activities and findings written as Parquet;
- Gold of the year: well-being per employee hired before the year's end (activities of the year
  that are not commutes, first, last, ≥ 15 → eligible) and activities per month and sport
  (count, km, hours), written as Parquet.
Ours does more (commutes, bonuses, KPIs, nine Delta tables), so the ratio is conservative for us.
The bench checks that every contender gives the same Silver counts, findings per rule and Gold
figures, then prints every round (wall time, CPU user/sys, peak RSS of the process), the medians
and the ratios. The order of the contenders alternates from one round to the next. Each round is a
fresh process (peak RSS is that process's; Spark's adds its JVM's peak and CPU, read from /proc
since the JVM is never waited for); DuckDB's and Spark's times are their work inside the process,
after the import (Spark: after a warm-up run in the same session, on the Bronze files of about
1M changes at most, so that 5M and 10M do not pay a whole second job); ours is the whole process.
Spark runs in local mode, so everything is in its driver JVM: SPARK_DRIVER_MEMORY (6g) sizes it;
its shuffle and spill files go under the work directory.

REUSE=DIR (a work directory kept by KEEP=1) measures again on its history, read only: its Bronze
tables are copied into a fresh work directory, where every contender writes (ours its Silver and
Gold, the peers their Parquet outputs), so benches on the same kept lake can run side by side and
ours always starts from an empty Silver and Gold, as on a new history.

Environment: ROWS (1000000), RUNS (3), SPARK (0), SPARK_DRIVER_MEMORY (6g), SPORTLAKE (the release
binary), KEEP (keep the work directory), REUSE.
"""
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
SPORTLAKE = os.environ.get("SPORTLAKE", str(ROOT / "build" / "release" / "src" / "cli" / "sportlake"))
ROWS = int(os.environ.get("ROWS", "1000000"))
RUNS = int(os.environ.get("RUNS", "3"))
YEAR = 2025
EMPLOYEES = max(1000, ROWS // 100)
COMMUTE_LABELS = ["Marche/running", "Vélo/Trottinette/Autres", "véhicule thermique/électrique",
                  "Transports en commun"]
# Plausible average speeds (km/h) per Strava sport, as silver_build.cpp's speed_bounds.
BIKE = ["Ride", "EBikeRide", "GravelRide", "VirtualRide", "MountainBikeRide", "Velomobile"]
FOOT = ["Run", "TrailRun", "VirtualRun", "Walk", "Hike"]
WATER = ["Swim", "Rowing", "Kayaking", "Canoeing", "StandUpPaddling", "Sail", "Surfing"]


def sql_list(values):
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


# ------------------------------------------------------------------------------------------------
# The history.

def write_employees(path):
    import random
    rng = random.Random(7)
    bus = ["Finance", "Support", "Ventes", "R&D", "Marketing"]
    first = ["Éloïse", "Zoé", "François", "Anaïs", "Noël", "Jérôme", "Maëlle", "Loïc", "Inès", "Hélène"]
    last = ["Lefèvre", "Müller", "Garçon", "N'Diaye", "Da Costa", "Leroy", "Bénard", "Ødegaard"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("ID salarié,Nom,Prénom,Date de naissance,BU,Date d'embauche,Salaire brut,Type de contrat,"
                "Nombre de jours de CP,Adresse du domicile,Moyen de déplacement\n")
        for i in range(1, EMPLOYEES + 1):
            hired_year = 2026 if i % 97 == 0 else rng.randint(2005, 2024)  # some hired after the year
            f.write(f"{i},{rng.choice(last)},{rng.choice(first)},{rng.randint(1, 28)}/{rng.randint(1, 12)}/"
                    f"{rng.randint(1960, 1995)},{rng.choice(bus)},{rng.randint(1, 28)}/{rng.randint(1, 12)}/"
                    f"{hired_year},{rng.randint(25000, 75000)},CDI,{rng.randint(25, 30)},"
                    f"\"{rng.randint(1, 300)} Rue du Port, 34970 Lattes\",{rng.choice(COMMUTE_LABELS)}\n")


SPORTS = [  # (sport_type, type, usual km/h)
    ("Run", "Run", 10), ("Ride", "Ride", 25), ("Walk", "Walk", 5), ("Swim", "Swim", 3),
    ("Hike", "Hike", 4), ("EBikeRide", "Ride", 22), ("TrailRun", "Run", 9), ("Yoga", None, 1),
    ("Workout", None, 2), ("Rowing", "Rowing", 8), ("MountainBikeRide", "Ride", 15), ("Kayaking", None, 6)]
NAMES = ["Course à pied le matin", "Sortie vélo à Montpellier", "Randonnée dans les Cévennes",
         "Natation 🏊 à la piscine", "Marche", "Séance de yoga", "Trail des Écrins — 25 km", "Footing",
         "Aviron sur le Lez", "Vélotaf", "Kayak à Palavas-les-Flots", None]
ZONES = [("(GMT+01:00) Europe/Paris", 3600), ("(GMT+00:00) Europe/London", 0),
         ("(GMT-05:00) America/New_York", -18000), ("(GMT+09:00) Asia/Tokyo", 32400)]


def insert_sql(first, count):
    """Activities first+1 .. first+count; h = a hash of g picks the finding (20 %)."""
    sport = "(ARRAY[" + sql_list([s[0] for s in SPORTS]) + "])[1 + g % " + str(len(SPORTS)) + "]"
    kind = "(ARRAY[" + ", ".join("NULL" if s[1] is None else "'" + s[1] + "'" for s in SPORTS) + \
        "]::text[])[1 + g % " + str(len(SPORTS)) + "]"
    speed = "(ARRAY[" + ", ".join(str(s[2]) for s in SPORTS) + "])[1 + g % " + str(len(SPORTS)) + "]"
    name = "(ARRAY[" + ", ".join("NULL" if n is None else "'" + n + "'" for n in NAMES) + \
        "]::text[])[1 + (g / 7) % " + str(len(NAMES)) + "]"
    zone = "(ARRAY[" + sql_list([z[0] for z in ZONES]) + "])[1 + (g / 3) % 4]"
    offset = "(ARRAY[" + ", ".join(str(z[1]) for z in ZONES) + "])[1 + (g / 3) % 4]"
    return f"""
    INSERT INTO strava_activities (activity_id, employee_id, name, distance_m, moving_time_s,
      elapsed_time_s, total_elev_gain_m, type, sport_type, start_date_utc, start_date_local, timezone,
      utc_offset_s, commute, calories, raw_payload)
    SELECT id, emp, name, dist, moving, elapsed, elev, kind, sport, start_utc,
      start_utc AT TIME ZONE 'UTC' + make_interval(secs => off), zone, off, commute, calories,
      jsonb_build_object('id', id, 'name', name, 'sport_type', sport, 'map', jsonb_build_object('summary_polyline', md5(id::text)))
    FROM (
      SELECT g, 30000000000 + g AS id, h,
        CASE WHEN h BETWEEN 160 AND 199 THEN 900000000 + g % 1000
             ELSE 1 + (g * 7919) % {EMPLOYEES} END AS emp,
        {name} AS name, {kind} AS kind, {sport} AS sport,
        CASE WHEN g % 13 = 5 THEN NULL
             WHEN h BETWEEN 40 AND 79 THEN -(100 + g % 5000)::float8
             WHEN h BETWEEN 120 AND 159 THEN 120.0 * moving / 3.6
             ELSE {speed} * moving / 3.6 * (0.8 + (g % 40) / 100.0) END AS dist,
        moving,
        CASE WHEN h BETWEEN 80 AND 119 THEN moving - 60 - g % 300
             WHEN g % 97 = 3 THEN NULL ELSE moving + g % 900 END AS elapsed,
        CASE WHEN g % 5 = 0 THEN NULL ELSE (g % 800) / 2.0 END AS elev,
        CASE WHEN h BETWEEN 0 AND 39 THEN now() + make_interval(days => (30 + g % 300)::int)
             ELSE timestamptz '{YEAR}-01-01 00:00:00+00'
                  - CASE WHEN g % 10 = 0 THEN interval '1 year' ELSE interval '0' END
                  + make_interval(secs => (g * 7907) % 31000000) END AS start_utc,
        {zone} AS zone, {offset} AS off,
        g % 9 = 0 AS commute,
        CASE WHEN g % 7 = 0 THEN NULL ELSE 300 + g % 900 END::float8 AS calories
      FROM (SELECT g, (g * 2654435761) % 1000 AS h, 600 + (g * 31) % 6000 AS moving
            FROM generate_series({first + 1}::bigint, {first + count}) g) s) t"""


def build_history(run):
    """Employees, then ROWS activities in transactions of ≤ 1M, 5 % updated, 0.5 % deleted; every
    change landed in Bronze. Returns the number of activity changes."""
    changes = 0
    step = 1_000_000
    for first in range(0, ROWS, step):
        count = min(step, ROWS - first)
        run("db", "psql", "--", "-qXc", insert_sql(first, count))
        changes += count
        # Updates of earlier rows land in later transactions, interleaved with the inserts.
        updated = run("db", "psql", "--", "-qAtXc", f"""
            WITH u AS (UPDATE strava_activities SET name = coalesce(name, 'Activité') || ' (modifiée)',
              distance_m = distance_m * 1.1, calories = calories + 10
            WHERE activity_id BETWEEN {30000000000 + first + 1} AND {30000000000 + first + count}
              AND activity_id % 20 = 3 RETURNING 1) SELECT count(*) FROM u""")
        changes += int(updated.strip().splitlines()[-1])
    deleted = run("db", "psql", "--", "-qAtXc",
                  "WITH d AS (DELETE FROM strava_activities WHERE activity_id % 200 = 7 RETURNING 1) "
                  "SELECT count(*) FROM d")
    return changes, int(deleted.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------------
# The contenders' SQL (DuckDB and Spark SQL read it the same).

def current_state(source, key):
    return f"""SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY {key}
               ORDER BY _commit_lsn DESC, _lsn DESC) AS rn FROM {source}) WHERE rn = 1 AND _op <> 'd'"""


def silver_sql(employees, activities, now_us, epoch_us):
    """Views: silver_employees, activities_current, dq (activity_id, rule), silver_activities."""
    low_high = (f"CASE WHEN sport IN ({sql_list(BIKE)}) THEN 6 WHEN sport IN ({sql_list(FOOT)}) THEN 3 "
                f"WHEN sport IN ({sql_list(WATER)}) THEN 1.5 ELSE 0.5 END",
                f"CASE WHEN sport IN ({sql_list(BIKE)}) THEN 50 WHEN sport IN ({sql_list(FOOT)}) THEN 20 "
                f"WHEN sport IN ({sql_list(WATER)}) THEN 18 ELSE 60 END")
    return [
        f"""CREATE OR REPLACE TEMP VIEW silver_employees AS SELECT id, date_embauche
            FROM ({current_state(employees, 'id')}) e
            WHERE salaire_brut > 0 AND moyen_deplacement IN ({sql_list(COMMUTE_LABELS)})""",
        f"""CREATE OR REPLACE TEMP VIEW activities_current AS
            SELECT a.*, coalesce(a.sport_type, a.type, '') AS sport, e.id IS NULL AS unknown_employee,
              {epoch_us('start_date_utc')} AS start_us
            FROM ({current_state(activities, 'activity_id')}) a
            LEFT JOIN silver_employees e ON a.employee_id = e.id""",
        f"""CREATE OR REPLACE TEMP VIEW checked AS SELECT *,
              unknown_employee OR coalesce(distance_m < 0, false) OR coalesce(elapsed_time_s <= 0, true)
                OR start_us IS NULL OR start_us > {now_us} + 3600000000 AS rejected,
              coalesce(moving_time_s, elapsed_time_s, 0) AS moving
            FROM activities_current""",
        f"""CREATE OR REPLACE TEMP VIEW dq AS
            SELECT activity_id, 'employee_exists' AS rule FROM checked WHERE unknown_employee
            UNION ALL SELECT activity_id, 'distance_non_negative' FROM checked WHERE distance_m < 0
            UNION ALL SELECT activity_id, 'elapsed_positive' FROM checked WHERE coalesce(elapsed_time_s <= 0, true)
            UNION ALL SELECT activity_id, 'start_known' FROM checked WHERE start_us IS NULL
            UNION ALL SELECT activity_id, 'not_in_future' FROM checked WHERE start_us > {now_us} + 3600000000
            UNION ALL SELECT activity_id, 'moving_within_elapsed' FROM checked WHERE moving_time_s > elapsed_time_s
            UNION ALL SELECT activity_id, 'value_converted' FROM checked WHERE _unconverted IS NOT NULL
            UNION ALL SELECT activity_id, 'speed_plausible' FROM checked
              WHERE NOT rejected AND distance_m >= 50 AND moving > 0
                AND (distance_m / 1000.0 / (moving / 3600.0) < {low_high[0]}
                     OR distance_m / 1000.0 / (moving / 3600.0) > {low_high[1]})""",
        """CREATE OR REPLACE TEMP VIEW silver_activities AS
            SELECT activity_id, employee_id, name, sport AS sport_type, distance_m, moving_time_s,
              elapsed_time_s, start_date_utc, start_date_local, coalesce(commute, false) AS commute, calories
            FROM checked WHERE NOT rejected""",
    ]


def gold_sql(silver_activities, year_of):
    return {
        "wellbeing": f"""SELECT e.id AS employee_id, count(a.activity_id) AS activities,
              min(a.start_date_local) AS first_activity, max(a.start_date_local) AS last_activity,
              count(a.activity_id) >= 15 AS eligible
            FROM silver_employees e LEFT JOIN (SELECT * FROM {silver_activities}
              WHERE {year_of('start_date_local')} = {YEAR} AND NOT commute) a ON a.employee_id = e.id
            WHERE e.date_embauche IS NULL OR {year_of('date_embauche')} <= {YEAR}
            GROUP BY e.id""",
        "monthly": f"""SELECT month(start_date_local) AS month, sport_type, count(*) AS activities,
              sum(coalesce(distance_m, 0)) / 1000.0 AS distance_km,
              sum(coalesce(moving_time_s, elapsed_time_s, 0)) / 3600.0 AS moving_hours
            FROM {silver_activities} WHERE {year_of('start_date_local')} = {YEAR}
            GROUP BY month(start_date_local), sport_type""",
    }


# What the check compares: Silver counts, findings per rule, Gold figures.
FIGURES_SQL = {
    "silver_activities": "SELECT count(*) FROM {silver}",
    "silver_employees": "SELECT count(*) FROM {employees}",
    "findings": "SELECT rule, count(*) FROM {dq} GROUP BY rule ORDER BY rule",
    "wellbeing": "SELECT count(*), sum(activities), sum(CASE WHEN eligible THEN 1 ELSE 0 END) FROM {wellbeing}",
    "monthly": "SELECT month, sport_type, activities, distance_km, moving_hours "
               "FROM {monthly} ORDER BY month, sport_type",
}


def same(a, b):
    """Equal figures; sums of doubles may differ in the last bits with the order of addition."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))
    return str(a) == str(b)


def normalise(rows):
    return [[float(v) if isinstance(v, float) or type(v).__name__ == "Decimal" else v for v in r] for r in rows]


# ------------------------------------------------------------------------------------------------
# The children (one fresh process per round).

def child_duckdb(files, out, now_us):
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads = {os.cpu_count()}")
    con.execute("SET TimeZone = 'UTC'")
    t0 = time.perf_counter()
    emp = f"read_parquet({files['rh_employees']!r}, union_by_name = true)"
    act = f"read_parquet({files['strava_activities']!r}, union_by_name = true)"
    for statement in silver_sql(emp, act, now_us, lambda c: f"epoch_us({c})"):
        con.execute(statement.replace("TEMP VIEW", "VIEW"))
    con.execute(f"COPY silver_activities TO '{out}/silver_activities.parquet' (FORMAT parquet, COMPRESSION snappy)")
    con.execute(f"COPY dq TO '{out}/dq.parquet' (FORMAT parquet, COMPRESSION snappy)")
    gold = gold_sql(f"read_parquet('{out}/silver_activities.parquet')", lambda c: f"year({c})")
    for name, query in gold.items():
        con.execute(f"COPY ({query}) TO '{out}/{name}.parquet' (FORMAT parquet, COMPRESSION snappy)")
    elapsed = time.perf_counter() - t0
    figures = {k: normalise(con.execute(q.format(
        silver=f"read_parquet('{out}/silver_activities.parquet')", employees="silver_employees",
        dq=f"read_parquet('{out}/dq.parquet')", wellbeing=f"read_parquet('{out}/wellbeing.parquet')",
        monthly=f"read_parquet('{out}/monthly.parquet')")).fetchall()) for k, q in FIGURES_SQL.items()}
    return elapsed, figures


def child_spark(files, out, now_us):
    from pyspark.sql import SparkSession
    scratch = pathlib.Path(out) / "spark-local"
    scratch.mkdir()
    spark = (SparkSession.builder.master("local[2]").appName("bench-refresh")
             .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
             .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "6g"))
             .config("spark.local.dir", str(scratch)).getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")

    def job(target, activities):
        spark.read.option("mergeSchema", "true").parquet(*files["rh_employees"]).createOrReplaceTempView("bronze_employees")
        spark.read.option("mergeSchema", "true").parquet(*activities).createOrReplaceTempView("bronze_activities")
        for statement in silver_sql("bronze_employees", "bronze_activities", now_us,
                                    lambda c: f"unix_micros({c})"):
            spark.sql(statement)
        spark.table("silver_activities").write.mode("overwrite").parquet(f"{target}/silver_activities")
        spark.table("dq").write.mode("overwrite").parquet(f"{target}/dq")
        spark.read.parquet(f"{target}/silver_activities").createOrReplaceTempView("silver_written")
        for name, query in gold_sql("silver_written", lambda c: f"year({c})").items():
            spark.sql(query).write.mode("overwrite").parquet(f"{target}/{name}")

    # The warm-up (JIT, class loading, Parquet readers) needs the same plans, not the same volume:
    # the files of about 1M changes, as the whole job at 1M.
    everything = files["strava_activities"]
    job(f"{out}/warmup", everything[:max(1, len(everything) * 1_000_000 // max(ROWS, 1_000_000))])
    shutil.rmtree(f"{out}/warmup")
    t0 = time.perf_counter()
    job(out, everything)
    elapsed = time.perf_counter() - t0
    for name in ("silver_activities", "dq", "wellbeing", "monthly"):
        spark.read.parquet(f"{out}/{name}").createOrReplaceTempView(f"out_{name}")
    figures = {k: normalise([list(r) for r in spark.sql(q.format(
        silver="out_silver_activities", employees="silver_employees", dq="out_dq",
        wellbeing="out_wellbeing", monthly="out_monthly")).collect()]) for k, q in FIGURES_SQL.items()}
    jvm = jvm_usage(spark.sparkContext._gateway.proc.pid)
    spark.stop()
    return elapsed, figures, jvm


def jvm_usage(pid):
    """The JVM's peak RSS (bytes) and CPU (user, sys seconds) so far, from /proc: pyspark starts it
    as this process's child but never waits for it (it exits when our stdin closes), so neither
    GNU time's peak nor wait4's CPU times of this process count it."""
    status = pathlib.Path(f"/proc/{pid}/status").read_text()
    peak = next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmHWM:"))
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return {"peak_rss": peak, "user": int(fields[11]) / ticks, "sys": int(fields[12]) / ticks}


def our_figures(lake):
    import duckdb
    from deltalake import DeltaTable
    con = duckdb.connect()

    def table(path, where=""):
        t = DeltaTable(str(lake / path)).to_pyarrow_table()
        con.register(path.replace("/", "_"), t)
        return f"(SELECT * FROM {path.replace('/', '_')} {where})"

    return {k: normalise(con.execute(q.format(
        silver=table("silver/activities"), employees=table("silver/employees"),
        dq=table("silver/dq_issues") + " WHERE table_name = 'activities'",
        wellbeing=table("gold/wellbeing") + f" WHERE year = {YEAR}",
        monthly=table("gold/activity_monthly") + f" WHERE year = {YEAR}")).fetchall())
        for k, q in FIGURES_SQL.items()}


# ------------------------------------------------------------------------------------------------

def measure(argv, env=None):
    """Runs a fresh process: wall time, its output, its rusage (CPU) and its peak RSS in bytes.

    The peak comes from GNU time, not from wait4's ru_maxrss: Python starts the child by vfork,
    and Linux carries the high-water RSS of the address space left at exec (this interpreter's,
    with DuckDB's figures of the previous contender) into the child's ru_maxrss, a floor."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.NamedTemporaryFile("r") as peak:
        t0 = time.perf_counter()
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", peak.name, *argv], env=env,
                                stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{argv[:3]} failed ({proc.returncode}): {err.read()[-2000:]}")
        return wall, out.read(), usage, int(peak.read().split()[-1]) * 1024


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, files, out, now_us = sys.argv[2], json.loads(sys.argv[3]), sys.argv[4], int(sys.argv[5])
        if kind == "duckdb":
            elapsed, figures = child_duckdb(files, out, now_us)
            jvm = None
        else:
            elapsed, figures, jvm = child_spark(files, out, now_us)
        print(json.dumps({"elapsed": elapsed, "figures": figures, "jvm": jvm}, default=str))
        return

    reuse = os.environ.get("REUSE")  # a work directory kept by KEEP=1: its history, not a new one
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-bench-refresh-"))
    os.chmod(base, 0o755)
    if reuse:  # read only: its Bronze copied here, every output written here (docstring)
        shutil.copytree(pathlib.Path(reuse) / "home" / "delta" / "bronze", base / "home" / "delta" / "bronze")
        os.chmod(base / "home", 0o700)
    env = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="warn")
    env.pop("API_KEY_MAPS", None)

    def run(*args):
        done = subprocess.run([SPORTLAKE, *args], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"sportlake {' '.join(args)[:200]} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout

    contenders = ["sportlake", "duckdb"]
    if os.environ.get("SPARK", "0") == "1":
        try:
            import pyspark  # noqa: F401
            contenders.append("spark")
        except ImportError:
            print("SPARK=1 but pyspark is not installed (requirements-spark.txt): Spark skipped")
    try:
        t0 = time.perf_counter()
        lake = base / "home" / "delta"
        from deltalake import DeltaTable
        if not reuse:
            run("db", "start")
            write_employees(base / "employees.csv")
            run("load", "--rh", str(base / "employees.csv"), "--allow-rejects")
            run("ingest", "--idle-exit", "1")
            inserted_and_updated, deleted = build_history(run)
            run("ingest", "--max-changes", str(inserted_and_updated + deleted))
            run("ingest", "--idle-exit", "1")
            bronze_rows = DeltaTable(str(lake / "bronze" / "strava_activities")).to_pyarrow_dataset().count_rows()
            assert bronze_rows == inserted_and_updated + deleted, "ingest did not land every change"
        files = {t: DeltaTable(str(lake / "bronze" / t)).file_uris() for t in ("rh_employees", "strava_activities")}
        bronze = DeltaTable(str(lake / "bronze" / "strava_activities")).to_pyarrow_table(columns=["_op"])
        ops = {op: bronze.column("_op").to_pylist().count(op) for op in ("c", "u", "d")}
        print(f"history: {EMPLOYEES} employees, {ops['c']} activities, {ops['u']} updates, {ops['d']} deletes "
              f"= {bronze.num_rows} Bronze changes in {len(files['strava_activities'])} files "
              f"({time.perf_counter() - t0:.0f} s to build)", flush=True)

        now_us = int(time.time() * 1e6)
        results = {c: [] for c in contenders}
        figures = {}
        for round_no in range(RUNS):
            # Rotated: each contender runs first in turn (a rotation then a reversal, as before,
            # cancelled out with two contenders: the same order every round).
            order = contenders[round_no % len(contenders):] + contenders[:round_no % len(contenders)]
            for c in order:
                if c == "sportlake":
                    wall, _, usage, rss = measure([SPORTLAKE, "refresh", "--full", "--year", str(YEAR), "--no-publish"], env)
                    seconds, user, system = wall, usage.ru_utime, usage.ru_stime
                    if c not in figures:
                        figures[c] = our_figures(lake)
                else:
                    out = base / f"out-{c}"
                    shutil.rmtree(out, ignore_errors=True)
                    out.mkdir()
                    wall, stdout, usage, rss = measure([sys.executable, __file__, "--child", c, json.dumps(files),
                                                   str(out), str(now_us)])
                    reply = json.loads(stdout.strip().splitlines()[-1])
                    seconds, user, system = reply["elapsed"], usage.ru_utime, usage.ru_stime
                    if reply["jvm"]:  # Spark's JVM, beside its Python driver (both alive at once)
                        rss += reply["jvm"]["peak_rss"]
                        user += reply["jvm"]["user"]
                        system += reply["jvm"]["sys"]
                    figures.setdefault(c, reply["figures"])
                results[c].append((seconds, rss))
                print(f"round {round_no + 1} {c:9s} {seconds:7.2f} s (process {wall:6.2f} s, user "
                      f"{user:6.2f} s, sys {system:5.2f} s) peak RSS {rss / 2**20:7.0f} MiB",
                      flush=True)

        reference = json.loads(json.dumps(figures["sportlake"], default=str))
        for c in contenders[1:]:
            theirs = json.loads(json.dumps(figures[c], default=str))
            for key in FIGURES_SQL:
                if not same(reference[key], theirs[key]):
                    print(f"MISMATCH {key}: sportlake {reference[key][:20]} vs {c} {theirs[key][:20]}")
                    sys.exit(1)
        print(f"checked: same Silver counts ({reference['silver_activities'][0][0]} activities, "
              f"{reference['silver_employees'][0][0]} employees), findings per rule "
              f"({', '.join(f'{r} {n}' for r, n in reference['findings'])}), Gold well-being "
              f"{reference['wellbeing'][0]} and {len(reference['monthly'])} month × sport rows, for "
              f"{' / '.join(contenders)}")
        med = {c: (statistics.median(s for s, _ in r), statistics.median(m for _, m in r)) for c, r in results.items()}
        ours_s, ours_rss = med["sportlake"]
        line = [f"refresh of {ROWS:,} activities, median of {RUNS}: sportlake {ours_s:.2f} s, "
                f"peak RSS {ours_rss / 2**20:.0f} MiB"]
        for c in contenders[1:]:
            s, rss = med[c]
            label = "DuckDB all threads" if c == "duckdb" else "PySpark local[2] (warm)"
            line.append(f"{label} {s:.2f} s, peak RSS {rss / 2**20:.0f} MiB (ratio {s / ours_s:.2f})")
        print(" | ".join(line))
    finally:
        subprocess.run([SPORTLAKE, "db", "stop"], env=env, capture_output=True)
        if os.environ.get("KEEP"):
            print("kept", base)
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
