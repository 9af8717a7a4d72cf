"""Waiting for a condition the product reaches in its own time (a slot created, a row landed),
bounded so a test fails naming what never happened instead of hanging."""
import time


def wait_for(condition, what, timeout=60, state=None, interval=0.2):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"never: {what} {state or ''}".rstrip()
        time.sleep(interval)


def delta_committed(table):
    """A Delta table's folder appears with its first data file, before its first commit: until a
    commit exists it is not a table yet (delta-rs: "no log files")."""
    log = table / "_delta_log"
    return log.exists() and any(log.glob("*.json"))


def dashboard_url(proc):
    """The dashboard's URL as `sportlake up` (or `serve`) prints it on its stdout."""
    while True:
        line = proc.stdout.readline()
        assert line, "it ended before the dashboard listened"
        if line.startswith("dashboard: http://"):
            return line.split()[1].rstrip("/")
