"""scripts/spark-thrift.sh: the seed's BI path (Power BI's Spark connector → Spark Thrift Server →
gold.v_prime_sportive / gold.v_wellbeing) over our lake. The slow test starts it on a refreshed
lake and reads both views over HiveServer2 with PyHive, as Power BI would: the same columns and
rows as PostgreSQL's gold views, the refresh's figures, listening on loopback only."""
import datetime
import decimal
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "spark-thrift.sh"
YEAR = 2025


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_addresses(port):
    out = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True,
                         check=True).stdout
    return {line.split()[3].rsplit(":", 1)[0] for line in out.splitlines()}


def normalised(value):
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, (float, decimal.Decimal)):
        return decimal.Decimal(str(value)).normalize()
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    raise TypeError(type(value))


def pg_view(run, view):
    """(columns, rows) of PostgreSQL's gold view, ordered by year and employee."""
    columns = run("db", "psql", "--", "-XAtc", f"""SELECT column_name FROM information_schema.columns
        WHERE table_schema = 'gold' AND table_name = '{view}' ORDER BY ordinal_position""").split()
    rows = json.loads(run("db", "psql", "--", "-XAtc",
                          f"SELECT json_agg(v ORDER BY annee, id_salarie) FROM gold.{view} v"),
                      parse_float=decimal.Decimal)
    return columns, [[normalised(r[c]) for c in columns] for r in rows]


@pytest.fixture(scope="module")
def thrift(refreshed_lake, build_dir):
    """The script started on a free loopback port: (port, pid)."""
    pytest.importorskip("pyhive", reason="pip install -r requirements-spark.txt (make test-slow)")
    port = free_port()
    env = dict(refreshed_lake.env, SPORTLAKE=str(build_dir / "src" / "cli" / "sportlake"),
               SL_PYTHON=sys.executable)
    log = open(refreshed_lake.home.parent / "spark-thrift.log", "w+")
    proc = subprocess.Popen([str(SCRIPT), "--port", str(port)], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 900  # a busy machine: Spark and the metastore start slowly
        while True:
            log.seek(0)
            text = log.read()
            assert proc.poll() is None, text[-4000:]
            assert time.monotonic() < deadline, text[-4000:]
            if "spark-thrift: serving" in text:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=2).close()
                    break
                except OSError:
                    pass
            time.sleep(2)
        yield port, proc.pid
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # our own session only
                proc.wait()
        log.close()


@pytest.mark.slow
def test_power_bi_views_over_hiveserver2(refreshed_lake, thrift):
    from pyhive import hive

    port, pid = thrift
    # Loopback only: nothing else listens on that port.
    assert listening_addresses(port) <= {"127.0.0.1", "[::ffff:127.0.0.1]"}, listening_addresses(port)

    # What Power BI's Spark connector does: user `admin`, no password (auth NONE over SASL PLAIN).
    conn = hive.Connection(host="127.0.0.1", port=port, username="admin", auth="NONE")
    cur = conn.cursor()
    cur.execute("SHOW VIEWS IN gold")
    assert {r[1] for r in cur.fetchall()} >= {"v_prime_sportive", "v_wellbeing"}

    for view in ("v_prime_sportive", "v_wellbeing"):
        pg_columns, pg_rows = pg_view(refreshed_lake.run, view)
        cur.execute(f"SELECT * FROM gold.{view} ORDER BY annee, id_salarie")
        columns = [d[0].split(".")[-1] for d in cur.description]
        assert columns == pg_columns, view
        rows = [[normalised(v) for v in r] for r in cur.fetchall()]
        assert len(rows) == len(pg_rows) == 161, view
        assert rows == pg_rows, view

    # The refresh's figures, as a report would aggregate them.
    summary = refreshed_lake.summary
    cur.execute(f"SELECT count(*), sum(prime_eur), sum(CASE WHEN eligible THEN 1 ELSE 0 END) "
                f"FROM gold.v_prime_sportive WHERE annee = {YEAR}")
    assert cur.fetchall() == [(161, summary["total_bonus_eur"], summary["eligible_bonus"])]
    assert summary["total_bonus_eur"] == decimal.Decimal("172482.50")
    cur.execute(f"SELECT sum(CASE WHEN eligible THEN 1 ELSE 0 END), sum(jours_bien_etre) "
                f"FROM gold.v_wellbeing WHERE annee = {YEAR}")
    assert cur.fetchall() == [(summary["wellbeing_eligible"], summary["wellbeing_days"])]
    conn.close()

    # Stopped by its PID: the port closes and the process (with its JVM) ends.
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 120
    while listening_addresses(port) and time.monotonic() < deadline:
        time.sleep(1)
    assert not listening_addresses(port)


def test_refuses_to_listen_beyond_loopback_without_authentication(tmp_path):
    done = subprocess.run([str(SCRIPT), "--bind", "0.0.0.0", "--lake", str(tmp_path), "--state",
                           str(tmp_path / "state")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "without authentication" in done.stderr
    assert not (tmp_path / "state").exists()
