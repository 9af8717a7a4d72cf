"""Reading the parquet-testing corpus with sportlake and with pyarrow, normalised for comparison."""
import base64
import datetime
import decimal
import json
import math
import subprocess

import pyarrow.parquet as pq


def normalise(value):
    """A pyarrow value as `sportlake parquet cat --json` prints it."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return repr(value)


def ours(sportlake: str, path) -> tuple[list | None, str]:
    """(rows, error): rows as parsed JSON objects, or None with our error message."""
    proc = subprocess.run([sportlake, "parquet", "cat", "--json", str(path)], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        return None, proc.stderr.strip()
    return [json.loads(line) for line in proc.stdout.splitlines()], ""


def theirs(path) -> list:
    table = pq.read_table(path)
    return [{k: normalise(v) for k, v in row.items()} for row in table.to_pylist()]


def same(a: list, b: list) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if list(x.keys()) != list(y.keys()):
            return False
        for k in x:
            u, v = x[k], y[k]
            if isinstance(u, float) and isinstance(v, float):
                if not (u == v or abs(u - v) <= 1e-6 * max(abs(u), abs(v))):
                    return False
            elif u != v:
                return False
    return True
