"""The embedded database on a shared machine (issue 12 §1, §5): another OS user reaches it neither
over TCP nor through its socket; the jobs run as a role that is not a superuser; the BI role reads
the gold schema and nothing else; everything under SPORTLAKE_HOME is private (0700/0600).

Runs the real binary against a real cluster started by `sportlake db start`, with TCP enabled
(`embedded.listen`), so the refusals below are the server's and the folders', not a closed port.
The other OS user is `nobody` (`runuser`, hence root: CI runs as root)."""
import json
import os
import pathlib
import re
import shutil
import stat
import subprocess
import tempfile

import pytest

YEAR = 2025
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="runuser -u nobody needs root")


@pytest.fixture(scope="module")
def db(build_dir):
    # The parent is open like any shared /tmp folder: only sportlake's own modes keep others out.
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-dbsec-"))
    os.chmod(base, 0o755)
    home = base / "home"
    e = dict(os.environ, SPORTLAKE_HOME=str(home), SPORTLAKE_LOG_LEVEL="warn",
             SPORTLAKE_PG_LISTEN="127.0.0.1")
    for key in ("API_KEY_MAPS", "SLACK_WEBHOOK_URL", "SPORTLAKE_DB_URL", "DATABASE_URL", "DB_HOST"):
        e.pop(key, None)
    sportlake = str(build_dir / "src" / "cli" / "sportlake")

    def run(*args, check=True):
        done = subprocess.run([sportlake, *args], env=e, capture_output=True, text=True, timeout=300)
        assert not check or done.returncode == 0, f"{args}: {done.stderr}"
        return done

    run("db", "start")
    run("load")
    bad = base / "bad_rh.csv"
    bad.write_text((pathlib.Path(__file__).resolve().parents[2] / "data" / "sample" / "data_rh.csv")
                   .read_text(encoding="utf-8").split("\n")[0] + "\nnot-a-number,X,Y\n", encoding="utf-8")
    run("load", "--rh", str(bad), "--allow-rejects")  # a rejects file under home/rejects
    run("simulate", "--backfill-months", "2", "--as-of", f"{YEAR}-12-31", "--seed", "5")
    run("ingest", "--idle-exit", "1")
    run("refresh", "--year", str(YEAR))
    port = int(run("db", "status", "--json").stdout.split('"port":')[1].split(",")[0])
    yield run, home, port
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def bi_url(run):
    out = run("db", "bi-user", "--show-password").stdout
    return re.search(r"^libpq\s+(\S+)$", out, re.M).group(1)


def psql(conninfo, query):
    """`psql` as root; `query` is one statement or a list run one after the other (each its own
    transaction) in one session."""
    commands = [a for q in ([query] if isinstance(query, str) else query) for a in ("-c", q)]
    return subprocess.run(["psql", "-XAtw", "-v", "ON_ERROR_STOP=1", *commands, conninfo],
                          capture_output=True, text=True, timeout=60)


def ok(conninfo, query):
    done = psql(conninfo, query)
    assert done.returncode == 0, (query, done.stderr)
    return done.stdout.split("\n")[:-1]


def refused(conninfo, query, *reasons):
    done = psql(conninfo, query)
    assert done.returncode != 0, (query, done.stdout)
    reasons = reasons or ("permission denied", "must be superuser", "must be owner")
    assert any(r in done.stderr for r in reasons), (query, done.stderr)


def as_nobody(*argv, env=None):
    return subprocess.run(["runuser", "-u", "nobody", "--", *argv], capture_output=True, text=True,
                          cwd="/", env=env, timeout=60)


@needs_root
def test_another_os_user_cannot_connect_over_tcp_nor_the_socket(db):
    run, home, port = db
    # TCP is open: the BI role gets in with its password (so the refusals below are real ones).
    assert ok(bi_url(run), "SELECT 1") == ["1"]
    for user in ("postgres", "sportlake_jobs", "sportlake_bi"):
        tcp = as_nobody("psql", "-XAtc", "SELECT count(*) FROM rh_employees",
                        f"host=127.0.0.1 port={port} dbname=rh_sport user={user} "
                        f"password=guess connect_timeout=5")
        assert tcp.returncode != 0, (user, tcp.stdout)
        assert "password authentication failed" in tcp.stderr or "rejects connection" in tcp.stderr, \
            (user, tcp.stderr)
        # No password at all (trust of old): refused too.
        nopw = as_nobody("psql", "-XAtwc", "SELECT 1",
                         f"host=127.0.0.1 port={port} dbname=rh_sport user={user} connect_timeout=5")
        assert nopw.returncode != 0, (user, nopw.stdout)
    socket_dir = home / "postgres" / "run"
    sock = as_nobody("psql", "-XAtc", "SELECT 1",
                     f"host={socket_dir} port={port} dbname=rh_sport user=postgres connect_timeout=5")
    assert sock.returncode != 0 and "Permission denied" in sock.stderr, sock.stderr
    # Nor can it read the generated passwords, the lake or the rejects.
    for path in (home / "secrets" / "sportlake_bi.password", home / "delta", home / "rejects"):
        assert as_nobody("ls", str(path)).returncode != 0, path
    # The superuser is refused over TCP even with root's own tools (no password exists for it).
    root_tcp = subprocess.run(["psql", "-XAtwc", "SELECT 1",
                               f"host=127.0.0.1 port={port} dbname=rh_sport user=postgres"],
                              capture_output=True, text=True)
    assert root_tcp.returncode != 0 and "rejects connection" in root_tcp.stderr, root_tcp.stderr


def test_the_jobs_role_is_not_a_superuser(db):
    run, _, _ = db
    conninfo = run("db", "url").stdout.strip()
    assert ok(conninfo, "SELECT rolname, rolsuper, rolreplication FROM pg_roles "
                        "WHERE rolname = current_user") == ["sportlake_jobs|f|t"]
    for forbidden in ("COPY (SELECT 1) TO PROGRAM 'true'", "CREATE TABLE public.intruder (x int)",
                      "ALTER TABLE rh_employees ADD COLUMN x int", "TRUNCATE rh_employees",
                      "CREATE ROLE intruder SUPERUSER", "SELECT pg_read_file('postgresql.conf')"):
        refused(conninfo, forbidden)
    # What the jobs did, they did as this role: the refresh made gold's tables as it...
    assert ok(conninfo, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'gold'") == \
        ["sportlake_jobs"]
    # ... and the ingest created its slot (REPLICATION, not superuser, was enough).
    assert ok(conninfo, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'sportlake_bronze'") == ["1"]


def test_the_bi_role_reads_gold_and_nothing_else(db):
    run, _, _ = db
    url = bi_url(run)
    assert int(ok(url, "SELECT sum(activities) FROM kpi_summary")[0]) > 0  # search_path = gold
    assert int(ok(url, "SELECT count(*) FROM gold.v_prime_sportive")[0]) > 0
    refused(url, "DELETE FROM gold.kpi_summary", "read-only transaction")
    # Read-only is a default the session may lift; the privileges are what keep the data safe.
    for forbidden in ("SELECT salaire_brut FROM public.rh_employees",
                      "SELECT * FROM public.strava_activities",
                      "DELETE FROM gold.kpi_summary",
                      "CREATE TABLE gold.mine (x int)",
                      "CREATE TEMPORARY TABLE mine (x int)",
                      "COPY (SELECT 1) TO PROGRAM 'true'"):
        refused(url, ["SET default_transaction_read_only = off", forbidden])
    # The connection strings for the tools name the role, the schema and (without the flag) no
    # password.
    out = run("db", "bi-user").stdout
    assert "jdbc:postgresql://127.0.0.1:" in out and "currentSchema=gold" in out
    assert "Driver={PostgreSQL Unicode}" in out and "Power BI" in out
    password = (pathlib.Path(db[1]) / "secrets" / "sportlake_bi.password").read_text().strip()
    assert password not in out and len(password) >= 32


def test_bi_user_writes_a_power_bi_connection_file(db, tmp_path):
    run, home, port = db
    target = tmp_path / "sportlake.pbids"
    target.write_text("older content")
    os.chmod(target, 0o644)  # an existing file opened to others is replaced by a private one
    out = run("db", "bi-user", "--pbids", str(target)).stdout
    assert str(target) in out and "sportlake_bi" in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    pbids = json.loads(target.read_text())
    assert pbids["version"] == "0.1" and len(pbids["connections"]) == 1
    connection = pbids["connections"][0]
    assert connection["details"] == {"protocol": "postgresql",
                                     "address": {"server": f"127.0.0.1:{port}", "database": "rh_sport"}}
    assert connection["mode"] == "DirectQuery"
    password = (home / "secrets" / "sportlake_bi.password").read_text().strip()
    assert password not in target.read_text() and password not in out
    run("db", "bi-user", "--pbids", str(target), "--pbids-mode", "Import")
    assert json.loads(target.read_text())["connections"][0]["mode"] == "Import"
    done = run("db", "bi-user", "--pbids", str(target), "--pbids-mode", "import", check=False)
    assert done.returncode != 0


def test_bi_user_says_how_to_enable_tcp(db, build_dir):
    _, home, _ = db
    e = dict(os.environ, SPORTLAKE_HOME=str(home), SPORTLAKE_PG_LISTEN="")
    done = subprocess.run([str(build_dir / "src" / "cli" / "sportlake"), "db", "bi-user"], env=e,
                          capture_output=True, text=True)
    assert done.returncode == 1 and "embedded.listen" in done.stderr, done.stderr


def test_home_lake_rejects_and_secrets_are_private(db):
    _, home, _ = db
    mode = stat.S_IMODE(home.stat().st_mode)
    if os.geteuid() == 0:
        # The server runs as `postgres`: it may pass through the home (g=x, group postgres) to
        # its own folder, nothing more.
        assert mode == 0o710 and home.stat().st_gid == __import__("grp").getgrnam("postgres").gr_gid
    else:
        assert mode == 0o700
    assert any((home / "rejects").iterdir()), "the bad row left no rejects file"
    checked = 0
    for root, dirs, files in os.walk(home):
        for name in dirs + files:
            path = pathlib.Path(root) / name
            st = path.lstat()
            if stat.S_ISSOCK(st.st_mode) or stat.S_ISLNK(st.st_mode):
                continue
            assert st.st_mode & 0o077 == 0, f"{path} is {oct(stat.S_IMODE(st.st_mode))}"
            checked += 1
    assert checked > 50
    for role in ("sportlake_jobs", "sportlake_bi"):
        assert stat.S_IMODE((home / "secrets" / f"{role}.password").stat().st_mode) == 0o600
