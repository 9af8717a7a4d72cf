"""`sportlake failures`: every open job failure listed (text and JSON), and `failures dismiss`
deletes the ones an operator has dealt with — the rows that never go through on their own, such
as a Kafka poison record (its offset is past, it is never read again). The dismissal is a change
of the captured `job_failures` table, so the next ingest + refresh drops its finding from Silver's
dq_issues, like a failure that went through."""
import json

from deltalake import DeltaTable

from test_bad_rows import env, psql, run  # noqa: F401 (env is a fixture)

YEAR = 2025


def failing_rows(sportlake, e):
    return psql(sportlake, e, "SELECT job, item FROM job_failures ORDER BY 1, 2")


def test_failures_are_listed_and_dismissed(env):
    sportlake, e, root = env
    psql(sportlake, e, """INSERT INTO job_failures (job, item, employee_id, error, failures) VALUES
        ('ingest', 'kafka rh_sport.public.strava_activities:0@41', NULL, 'not JSON: {"x', 1),
        ('ingest', 'kafka rh_sport.public.strava_activities:1@7', NULL, 'truncated message', 2),
        ('distances', 'employee 42', 42, 'address of employee 42: 3000 characters', 3)""")

    listed = run(sportlake, e, "failures")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert any("distances" in line and "employee 42" in line and "3 times" in line for line in lines)
    assert any("kafka rh_sport.public.strava_activities:1@7" in line for line in lines)
    assert "3 open failures" in listed.stdout

    only = run(sportlake, e, "failures", "--job", "ingest", "--json")
    assert only.returncode == 0, only.stderr
    rows = [json.loads(line) for line in only.stdout.splitlines()]
    assert sorted(r["item"] for r in rows) == ["kafka rh_sport.public.strava_activities:0@41",
                                                "kafka rh_sport.public.strava_activities:1@7"]
    assert {r["job"] for r in rows} == {"ingest"} and all(r["employee_id"] is None for r in rows)
    assert {r["failures"] for r in rows} == {1, 2} and rows[0]["first_failed_at"].endswith("Z")

    # Nothing matched: a typo must not pass for a dismissal.
    typo = run(sportlake, e, "failures", "dismiss", "--job", "ingest", "--item", "kafka nowhere:0@1")
    assert typo.returncode == 1 and "no open failure" in typo.stderr
    assert run(sportlake, e, "failures", "dismiss", "--job", "ingest").returncode != 0, \
        "--item or --all is required"
    assert len(failing_rows(sportlake, e)) == 3

    one = run(sportlake, e, "failures", "dismiss", "--job", "ingest",
              "--item", "kafka rh_sport.public.strava_activities:0@41")
    assert one.returncode == 0, one.stderr
    assert "1 failure of job ingest dismissed" in one.stdout
    assert failing_rows(sportlake, e) == ["distances|employee 42",
                                          "ingest|kafka rh_sport.public.strava_activities:1@7"]

    # Silver reports the open ones; after dismissing every ingest failure only distances' stays.
    assert run(sportlake, e, "ingest", "--idle-exit", "1").returncode == 0
    assert run(sportlake, e, "refresh", "--year", str(YEAR)).returncode in (0, 4)
    def failed_rules():
        issues = DeltaTable(str(root / "silver" / "dq_issues")).to_pyarrow_table().to_pylist()
        return sorted((i["rule"], i["row_key"]) for i in issues if i["rule"].endswith("_failed"))
    assert [rule for rule, _ in failed_rules()] == ["distances_failed", "ingest_failed"]

    every = run(sportlake, e, "failures", "dismiss", "--job", "ingest", "--all")
    assert every.returncode == 0 and "1 failure of job ingest dismissed" in every.stdout
    assert failing_rows(sportlake, e) == ["distances|employee 42"]
    assert run(sportlake, e, "ingest", "--idle-exit", "1").returncode == 0
    assert run(sportlake, e, "refresh", "--year", str(YEAR)).returncode in (0, 4)
    assert [rule for rule, _ in failed_rules()] == ["distances_failed"]

    assert "1 open failure" in run(sportlake, e, "failures").stdout
    assert run(sportlake, e, "failures", "dismiss", "--job", "distances", "--all").returncode == 0
    empty = run(sportlake, e, "failures")
    assert empty.returncode == 0 and "no open failure" in empty.stdout
