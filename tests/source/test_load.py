"""`sportlake load` on the embedded PostgreSQL with hostile files: every bad row is refused with
`file:line: field: reason` (field limits, NaN/Infinity/negative/huge salaries, a NUL byte, an
unbalanced quote), every good row is loaded, and a Windows-1252 file or a `;`-delimited one is
read as what it is. The sample still loads exactly as before."""
import csv
import io
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
HEADER = ("ID salarié,Nom,Prénom,Date de naissance,BU,Date d'embauche,Salaire brut,Type de contrat,"
          "Nombre de jours de CP,Adresse du domicile,Moyen de déplacement")


def row(id_, nom="Martin", prenom="Léa", salary="30940", address='"12 Rue du Port, 34000 Montpellier"'):
    return f"{id_},{nom},{prenom},6/7/1990,R&D,14/12/2020,{salary},CDI,25,{address},Marche/running"


@pytest.fixture(scope="module")
def db(build_dir):
    base = pathlib.Path(tempfile.mkdtemp(prefix="sl-load-"))
    os.chmod(base, 0o755)
    home = base / "home"
    e = dict(os.environ, SPORTLAKE_HOME=str(home), SPORTLAKE_LOG_LEVEL="warn")
    sportlake = str(build_dir / "src" / "cli" / "sportlake")

    def load(*args):
        return subprocess.run([sportlake, "load", *args], env=e, capture_output=True, timeout=300)

    def psql(query):
        done = subprocess.run([sportlake, "db", "psql", "--", "-XAtc", query], env=e, check=True,
                              capture_output=True, text=True)
        return done.stdout.split("\n")[:-1]

    subprocess.run([sportlake, "db", "start"], env=e, check=True, capture_output=True)
    yield load, psql, base, home
    subprocess.run([sportlake, "db", "stop"], env=e, capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def test_sample_loads_exactly_as_before(db):
    load, psql, _, _ = db
    first = load()
    assert first.returncode == 0, first.stderr
    out = first.stdout.decode()
    assert "rh_employees        161 read     161 inserted       0 updated       0 unchanged     0 rejected" in out
    assert "sport_activities    161 read     161 inserted" in out
    assert first.stderr == b""
    # DESIGN §1: 68 sporty commuters, 172,482.50 € of bonus at most.
    assert psql("SELECT count(*), sum(salaire_brut) * 0.05 FROM rh_employees WHERE moyen_deplacement "
                "IN ('Marche/running', 'Vélo/Trottinette/Autres')") == ["68|172482.5000"]
    again = load()
    assert again.returncode == 0 and "161 unchanged" in again.stdout.decode()


def test_hostile_rows_are_refused_by_line_and_the_others_loaded(db):
    load, psql, base, home = db
    lines = [
        HEADER,
        row(900001),                                                   # 2 good
        row(900002, address="x" * 3000),                               # 3 address too long
        row(900003, salary="NaN"),                                     # 4
        row(900004, salary="Infinity"),                                # 5
        row(900005, salary="-1500"),                                   # 6
        row(900006, salary='"99 999 999 999"'),                        # 7 huge
        row(900007, nom="Du\0pont"),                                   # 8 NUL byte
        row(900008, prenom='"Léa', address="Lattes"),                  # 9 unbalanced quote...
        row(900009),                                                   # 10 ... swallows this line
        row(900010, salary="1e12"),                                    # 11
        row(900011, nom="Ë" * 101),                                    # 12 name too long
        row(900012, salary='"74 990,50"'),                             # 13 good
    ]
    path = base / "data_rh_hostile.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode())
    done = load("--rh", str(path))
    assert done.returncode == 4, done.stderr
    f = "data_rh_hostile.csv"
    assert done.stderr.decode().splitlines() == [
        f"{f}:3: Adresse du domicile: is 3000 characters long (at most 500)",
        f"{f}:4: Salaire brut: 'NaN' is not a finite amount",
        f"{f}:5: Salaire brut: 'Infinity' is not a finite amount",
        f"{f}:6: Salaire brut: '-1500' is negative",
        f"{f}:7: Salaire brut: '99 999 999 999' is out of range (0 to 10000000 a year)",
        f"{f}:8: Nom: contains a NUL byte (U+0000) at character 3",
        f"{f}:9: row: unbalanced quote: lines 9–10 were read as one record of 5 columns "
        "(expected 11); line 9 rejected, reading resumes on line 10",
        f"{f}:11: Salaire brut: '1e12' is not a number",
        f"{f}:12: Nom: is 101 characters long (at most 100)",
    ]
    # Every line is counted once: 12 data lines read, 3 loaded, 9 rejected.
    assert ("rh_employees         12 read       3 inserted       0 updated       0 unchanged     "
            "9 rejected") in done.stdout.decode()
    assert psql("SELECT id, salaire_brut FROM rh_employees WHERE id >= 900000 ORDER BY id") == [
        "900001|30940.00", "900009|30940.00", "900012|74990.50"]
    rejects = list(csv.DictReader(io.StringIO(
        (home / "rejects" / "data_rh_hostile.csv.rejects.csv").read_text())))
    assert [r["line"] for r in rejects] == ["3", "4", "5", "6", "7", "8", "9", "11", "12"]
    # The row of an unbalanced quote is its first line, as written.
    assert rejects[6]["row"] == '900008,Martin,"Léa,6/7/1990,R&D,14/12/2020,30940,CDI,25,Lattes,' \
                                'Marche/running'


def test_quote_never_closed_keeps_the_rows_after_it(db):
    load, psql, base, _ = db
    path = base / "data_rh_open_quote.csv"
    path.write_bytes("\n".join([HEADER, row(900101, prenom='"Léa', address="Lattes"),
                                row(900102, address="Lattes"),
                                ""]).encode())
    done = load("--rh", str(path))
    assert done.returncode == 4
    assert done.stderr.decode().splitlines() == [
        "data_rh_open_quote.csv:2: row: unbalanced quote: a quoted field is never closed (the rest "
        "of the file would be one record); line 2 rejected, reading resumes on line 3"]
    assert psql("SELECT id FROM rh_employees WHERE id BETWEEN 900100 AND 900199") == ["900102"]


def test_windows1252_file_with_an_accidental_utf8_sequence(db):
    load, psql, base, _ = db
    text = "\r\n".join([HEADER, row(900201, nom="Lévy", prenom="Zoé"),
                        row(900202, nom="Hélène", address='"3 Allée des Pins, 34970 Lattes"'),
                        row(900203, nom="Noël"), ""])
    # Row 4's name was already damaged by a double encoding: in Windows-1252 its bytes C3 A9 are
    # a valid UTF-8 sequence ("é"), the only one in a file that is otherwise not UTF-8 at all.
    data = text.encode("cp1252").replace("Noël".encode("cp1252"), b"No\xc3\xa9l")
    path = base / "data_rh_cp1252.csv"
    path.write_bytes(data)
    done = load("--rh", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert ("(converted from Windows-1252: 10 bytes cannot be UTF-8 (first on line 1), against 1 "
            "sequence that could (first on line 4), read as Windows-1252 too)") in done.stdout.decode()
    assert psql("SELECT nom, prenom, adresse_complete FROM rh_employees WHERE id BETWEEN 900200 AND "
                "900299 ORDER BY id") == [
        "Lévy|Zoé|12 Rue du Port, 34000 Montpellier", "Hélène|Léa|3 Allée des Pins, 34970 Lattes",
        "NoÃ©l|Léa|12 Rue du Port, 34000 Montpellier"]


def test_semicolon_delimited_file_is_detected(db):
    load, psql, base, _ = db
    lines = [HEADER.replace(",", ";")] + [
        f"{i};Petit;Jean;1/2/1985;Ventes;3/4/2015;42 500,75;CDI;27;\"8 Rue de la Gare, 34000 Montpellier\";"
        "Vélo/Trottinette/Autres" for i in (900301, 900302)]
    path = base / "data_rh_semicolon.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    done = load("--rh", str(path))
    assert done.returncode == 0, done.stderr
    assert "2 inserted" in done.stdout.decode()
    assert "(`;`-delimited (detected from the header))" in done.stdout.decode()
    assert psql("SELECT id, salaire_brut, adresse_complete FROM rh_employees WHERE id BETWEEN 900300 "
                "AND 900399 ORDER BY id") == [
        "900301|42500.75|8 Rue de la Gare, 34000 Montpellier",
        "900302|42500.75|8 Rue de la Gare, 34000 Montpellier"]


def test_semicolon_file_with_other_columns_says_what_it_looks_like(db):
    load, _, base, _ = db
    path = base / "data_rh_other.csv"
    path.write_bytes(b"Matricule;Nom;Pr\xc3\xa9nom\n1;A;B\n")
    done = load("--rh", str(path))
    assert done.returncode == 1
    assert "it looks `;`-delimited: 3 fields split by `;` against 1 by `,`" in done.stderr.decode()


def test_sport_file_with_a_nul_byte_keeps_the_other_rows(db):
    load, psql, base, _ = db
    employees = base / "data_rh_sporty.csv"
    employees.write_bytes("\n".join([HEADER, row(900401), row(900402), ""]).encode())
    assert load("--rh", str(employees)).returncode == 0
    path = base / "data_sport_nul.csv"
    path.write_bytes("ID salarié,Pratique d'un sport\n900401,Ten\0nis\n900402,Escalade\n".encode())
    done = load("--sport", str(path))
    assert done.returncode == 4
    assert done.stderr.decode().splitlines() == [
        "data_sport_nul.csv:2: Pratique d'un sport: contains a NUL byte (U+0000) at character 4"]
    assert psql("SELECT id, pratique_sport FROM sport_activities WHERE id >= 900000") == [
        "900402|Escalade"]
