"""A synthetic Bronze history written straight as Delta tables (what `sportlake ingest` lands:
the source columns plus _op/_lsn/_commit_lsn/...), for refresh tests and benchmarks that need
millions of activities without PostgreSQL: employees, and activities over three years in time
order (ids growing with start dates) with realistic defects — negative distances, zero
durations, unknown employees — each in about 1 % of the rows. `years=1` puts the whole history in
YEAR (the issue's 10M activities a year), the default three years end with YEAR.

    bronze = SyntheticBronze(rows=1_000_000, employees=10_000, now_us=START)
    write_deltalake(path / "rh_employees", bronze.employees(rng))
    write_deltalake(path / "strava_activities", bronze.activities(ids, rng, "r", lsn0=10, commit_lsn=5))
"""
import datetime

import numpy as np
import pyarrow as pa

YEAR = 2025
US = 1_000_000
TS = pa.timestamp("us", tz="UTC")
START = int(datetime.datetime(YEAR - 2, 1, 1, tzinfo=datetime.timezone.utc).timestamp()) * US
SPAN = 3 * 365 * 86_400 * US
SPORTS = np.array(["Run", "Ride", "Walk", "Swim", "Hike", "Yoga", "EBikeRide", "Course à pied"])
MODES = np.array(["Marche/running", "Vélo/Trottinette/Autres", "véhicule thermique/électrique",
                  "Transports en commun"])


class SyntheticBronze:
    def __init__(self, rows, employees, now_us, years=3):
        self.rows = rows            # the history's size: ids 1..rows span the years
        self.employees_count = employees
        self.now_us = now_us        # _commit_ts and _ingest_ts of every row
        self.start = int(datetime.datetime(YEAR - years + 1, 1, 1, tzinfo=datetime.timezone.utc).timestamp()) * US
        self.span = years * 365 * 86_400 * US

    def meta(self, n, op, lsn0, commit_lsn):
        """Bronze's own columns for `n` rows of one operation and commit."""
        now = np.full(n, self.now_us, dtype=np.int64)
        return {"_op": pa.array(np.full(n, op)), "_lsn": pa.array(np.arange(lsn0, lsn0 + n, dtype=np.int64)),
                "_commit_lsn": pa.array(np.full(n, commit_lsn, dtype=np.int64)),
                "_tx_id": pa.array(np.full(n, commit_lsn, dtype=np.int64)),
                "_commit_ts": pa.array(now, type=TS), "_ingest_ts": pa.array(now, type=TS),
                "_unconverted": pa.nulls(n, pa.string())}

    def employees(self, rng):
        """Every employee, as the snapshot's rows (op r)."""
        n = self.employees_count
        ids = np.arange(1, n + 1, dtype=np.int64)
        return pa.table({
            "id": pa.array(ids), "nom": pa.array([f"Nom{i}" for i in ids]),
            "prenom": pa.array([f"Prénom{i}" for i in ids]),
            "date_naissance": pa.array(np.full(n, 7300, dtype=np.int32), type=pa.date32()),
            "date_embauche": pa.array(np.full(n, 17000, dtype=np.int32), type=pa.date32()),
            "business_unit": pa.array(np.array(["R&D", "Ventes", "Support", "Finance"])[ids % 4]),
            "salaire_brut": pa.array([f"{v / 100:.2f}" for v in rng.integers(2_500_000, 8_000_000, n)]
                                     ).cast(pa.decimal128(12, 2)),
            "contrat": pa.array(np.full(n, "CDI")),
            "nb_conges_payes": pa.array(np.full(n, 25, dtype=np.int32)),
            "adresse_complete": pa.array([f"{i} Rue du Port, 34000 Montpellier" for i in ids]),
            "moyen_deplacement": pa.array(MODES[rng.integers(0, 4, n)]),
            **self.meta(n, "r", 1, 1)})

    def activities(self, ids, rng, op, lsn0, commit_lsn):
        """The activities `ids` as rows of operation `op`; ids beyond the history are new
        activities of its last week."""
        n = len(ids)
        start = self.start + np.minimum(ids, self.rows) * (self.span // self.rows) - rng.integers(0, 7 * 86_400 * US, n)
        moving = rng.integers(600, 7200, n).astype(np.int32)
        distance = rng.uniform(1000, 40000, n)
        distance[rng.random(n) < 0.01] = -5.0            # distance_non_negative
        elapsed = moving + 60
        elapsed[rng.random(n) < 0.01] = 0                # elapsed_positive
        employee = rng.integers(1, self.employees_count + 1, n)
        employee[rng.random(n) < 0.005] = self.employees_count + 1  # employee_exists
        return pa.table({
            "activity_id": pa.array(ids.astype(np.int64)), "employee_id": pa.array(employee.astype(np.int64)),
            "name": pa.array(np.char.add("Sortie n°", ids.astype(str))), "sport_type": pa.array(SPORTS[ids % 8]),
            "type": pa.nulls(n, pa.string()), "distance_m": pa.array(distance),
            "moving_time_s": pa.array(moving), "elapsed_time_s": pa.array(elapsed.astype(np.int32)),
            "start_date_utc": pa.array(start, type=TS), "start_date_local": pa.array(start + 3600 * US, type=TS),
            "commute": pa.array(rng.random(n) < 0.2), "calories": pa.array(rng.uniform(100, 900, n)),
            **self.meta(n, op, lsn0, commit_lsn)})
