"""The scripted changes both Debezium suites run (tests/cdc/test_vs_debezium.py compares the
records, tests/bus/test_debezium_in.py the Bronze rows): every type the mapping covers, edge values,
inserts, updates of a default and of a REPLICA IDENTITY FULL table, primary-key changes with an
unchanged TOASTed text and bytea, deletes, a savepoint, a rollback, a TRUNCATE, and last on each
table a row 99 (the end marker: once a topic ends with it, everything before it is there); and the
embedded database both suites run them on."""
import contextlib
import os
import pathlib
import shutil
import subprocess
import tempfile

from kafka_broker import free_port

TABLES = """
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE cmp_typed (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL, anyn numeric,
                        j json, jb jsonb, at timestamptz, at3 timestamptz(3), day date NOT NULL,
                        local_at timestamp, ms timestamp(3), t time, t3 time(3), tz timetz,
                        iv interval, ok boolean NOT NULL, label text NOT NULL DEFAULT 'new',
                        f8 double precision, f4 real, small smallint, blob bytea, u uuid,
                        m mood, cash money, ints int4[], texts text[], big text);
CREATE TABLE cmp_nokey (a int, b text NOT NULL);
ALTER TABLE cmp_nokey REPLICA IDENTITY FULL;
CREATE SCHEMA other;
CREATE TABLE other.cmp_edge (k1 int, k2 text, d date, ts timestamp, tstz timestamptz, n numeric,
                             n2 numeric(10,2), i2 smallint, i4 int, i8 bigint, f4 real, f8 float8,
                             s text, arr int[], PRIMARY KEY (k1, k2));
GRANT USAGE ON SCHEMA other TO sportlake_jobs;
GRANT SELECT ON other.cmp_edge TO sportlake_jobs;
CREATE PUBLICATION dbz_pub FOR TABLE cmp_typed, cmp_nokey, other.cmp_edge;
"""

# One transaction each (psql runs one -c as one transaction): source.sequence[0], the previous
# commit's end, is compared from the second on.
CHANGES = [
    """INSERT INTO cmp_typed VALUES
  (1, 30940.50, 1.25, '{"k": [1, 2]}', '{"k": [1, 2]}', '2026-07-01 10:00:00.5+02',
   '2016-11-04 11:51:30.1+00', '2026-11-25', '2026-11-25 08:30:00', '2026-11-25 08:30:00.123',
   '10:15:30.123456', '10:15:30.123', '10:15:30+02', '1 year 2 mons 3 days 04:05:06.789', true,
   E'\\u00c9quitation', 0.25, -1.5, -32768, '\\x00ff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
   'happy', '1234.56', '{1,NULL,-3}', '{a,"b c",NULL}', 'short'),
  (2, 0, 100, NULL, 'null', NULL, NULL, '1970-01-01', NULL, NULL, '24:00:00', NULL,
   '00:00:00.5-03:30', '-1 days +02:03:00', false, '', -0.0, 1e7, 32767, '\\x', NULL, 'sad',
   '-0.01', '{}', '{}', NULL)""",
    # A row whose text and bytea are TOASTed (stored out of line, > 2 kB compressed).
    """INSERT INTO cmp_typed (id, amount, day, ok, big, blob)
  SELECT 3, 1, '2000-02-29', true, string_agg(md5(g::text), ''),
         decode(string_agg(md5((g + 7)::text), ''), 'hex')
  FROM generate_series(1, 600) g""",
    "UPDATE cmp_typed SET small = 5 WHERE id = 3",  # the TOASTed columns unchanged
    "UPDATE cmp_typed SET label = 'x', f8 = 1.5, at = '1999-12-31 23:59:59.999999-05' WHERE id = 1",
    "UPDATE cmp_typed SET id = 4 WHERE id = 3",  # a primary-key change with unchanged TOAST
    "DELETE FROM cmp_typed WHERE id = 2",
    "INSERT INTO cmp_nokey VALUES (1, 'a'), (NULL, 'b')",
    "UPDATE cmp_nokey SET b = 'c' WHERE a IS NULL",
    "DELETE FROM cmp_nokey WHERE a = 1",
    # Edge values (issue 13), a composite key in another schema.
    """INSERT INTO other.cmp_edge VALUES
  (1, 'a', 'infinity', 'infinity', 'infinity', 'NaN', 'NaN', -32768, -2147483648,
   -9223372036854775808, '-0.0', 'NaN', E'ctl \\x01 \\u2028 \\U0001F3C5', '{NULL}'),
  (2, 'a', '-infinity', '-infinity', '-infinity', 'Infinity', 0, 32767, 2147483647,
   9223372036854775807, 'Infinity', '-Infinity', '', '{1,NULL}'),
  (3, 'a', '0044-03-15 BC', '0044-03-15 12:00:00 BC', '10000-01-01 00:00:00+00', '-Infinity',
   -0.01, 0, 0, 0, 1e-45, 4.9e-324, NULL, '{}')""",
    # A savepoint rolled back inside a committed transaction.
    "BEGIN; INSERT INTO other.cmp_edge (k1, k2) VALUES (4, 'b'); SAVEPOINT s; "
    "INSERT INTO other.cmp_edge (k1, k2) VALUES (5, 'b'); ROLLBACK TO s; "
    "UPDATE other.cmp_edge SET s = 'after savepoint' WHERE k1 = 4; COMMIT",
    "UPDATE other.cmp_edge SET k2 = 'z' WHERE k1 = 1",  # composite key change
    "DELETE FROM other.cmp_edge WHERE k1 = 2",
    "BEGIN; INSERT INTO other.cmp_edge (k1, k2) VALUES (6, 'x'); ROLLBACK",
    "TRUNCATE cmp_nokey",  # skipped.operations=t by default, on both sides
    # Last on each topic: once Debezium's topics end with it, everything before it is there too.
    "INSERT INTO cmp_typed (id, amount, day, ok) VALUES (99, 0, '2000-01-01', true); "
    "INSERT INTO cmp_nokey VALUES (99, 'end'); INSERT INTO other.cmp_edge (k1, k2) VALUES (99, 'end')",
]


def run(sportlake, e, *args, timeout=180):
    done = subprocess.run([sportlake, *args], env=e, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done


def psql(sportlake, e, query):
    return run(sportlake, e, "db", "psql", "--", "-XAtv", "ON_ERROR_STOP=1", "-c", query).stdout


@contextlib.contextmanager
def source_database(build_dir, bootstrap, prefix):
    """An embedded PostgreSQL with TABLES, in a temporary folder: (sportlake, env, home, port,
    folder). Debezium reaches it over TCP (SCRAM) as the jobs' role: LOGIN REPLICATION."""
    base = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(base, 0o755)  # the server may run as `postgres`
    home = base / "home"
    port = free_port()
    e = dict(os.environ, SPORTLAKE_HOME=str(home), SPORTLAKE_LOG_LEVEL="warn",
             SPORTLAKE_PG_LISTEN="127.0.0.1", SPORTLAKE_PG_PORT=str(port),
             KAFKA_BOOTSTRAP_SERVERS=bootstrap, SPORTLAKE_KAFKA_PARTITIONS="1")
    sportlake = str(build_dir / "src" / "cli" / "sportlake")
    subprocess.run([sportlake, "db", "start"], env=e, check=True, capture_output=True)
    try:
        psql(sportlake, e, TABLES)
        yield sportlake, e, home, port, base
    finally:
        subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def debezium_on_changes(home, port, bootstrap, name, schemas, version=None, **connector):
    """The real connector (tests/debezium_connect.py; release `version`, the default one when
    None) on the embedded database's tables of TABLES (publication dbz_pub), as the jobs' role,
    topic prefix `name`, publishing the TRUNCATE too (skipped.operations none, as both suites run
    ours); `connector` adds Debezium properties."""
    from debezium_connect import DEBEZIUM_VERSION, DebeziumConnect, debezium_jars
    password = (home / "secrets" / "sportlake_jobs.password").read_text().strip()
    return DebeziumConnect(debezium_jars(version or DEBEZIUM_VERSION), bootstrap, {
        "hostname": "127.0.0.1", "port": port, "user": "sportlake_jobs", "password": password,
        "dbname": "rh_sport"}, name=name, topic_prefix=name, schemas=schemas, connector={
            "publication.name": "dbz_pub", "publication.autocreate.mode": "disabled",
            "table.include.list": r"public\.cmp_.*,other\.cmp_.*",
            "skipped.operations": "none", **connector})
