"""Reading the parquet-testing corpus with sportlake and with pyarrow, normalised for comparison."""
import base64
import datetime
import decimal
import json
import math
import subprocess

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def normalise(value):
    """A pyarrow value as `sportlake parquet cat --json` prints it."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, np.floating):  # pyarrow gives FLOAT16 (halffloat) values as numpy.float16
        value = float(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")  # plain digits at the scale: 0E-10 → 0.0000000000
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:  # a timestamp without time zone (timestamp_ntz) prints without 'Z'
            return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return repr(value)


def format_micros(us: int) -> str:
    """Microseconds since the epoch as an ISO timestamp, beyond datetime's years 1..9999 too (whole
    400-year Gregorian cycles of 146097 days are moved into the year count)."""
    days, rest = divmod(us, 86_400_000_000)
    cycles = 0
    if not -719_162 <= days <= 2_932_896:
        cycles, days = divmod(days, 146_097)
    d = datetime.date(1970, 1, 1) + datetime.timedelta(days=days)
    seconds, fraction = divmod(rest, 1_000_000)
    return (f"{d.year + 400 * cycles:04d}-{d.month:02d}-{d.day:02d}"
            f"T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{fraction:06d}Z")


def timestamps_as_int64(typ):
    """`typ` with every timestamp replaced by int64 (Python's datetime cannot hold every value)."""
    if pa.types.is_timestamp(typ):
        return pa.int64()
    if pa.types.is_struct(typ):
        return pa.struct([pa.field(f.name, timestamps_as_int64(f.type), f.nullable) for f in typ])
    if pa.types.is_map(typ):
        return pa.map_(timestamps_as_int64(typ.key_type), timestamps_as_int64(typ.item_type))
    if pa.types.is_list(typ):
        f = typ.value_field
        return pa.list_(pa.field(f.name, timestamps_as_int64(f.type), f.nullable))
    return typ


def normalise_typed(value, typ):
    """A pyarrow value of type `typ`, nested ones included, as `sportlake parquet cat` prints it:
    structs as objects, lists as arrays, maps as objects (a non-string key as its JSON text)."""
    if value is None:
        return None
    if pa.types.is_timestamp(typ):  # read as int64 in the unit of `typ`; micros truncate to zero
        if typ.unit == "ns":
            return format_micros(abs(value) // 1000 * (1 if value >= 0 else -1))
        return format_micros(value * {"s": 1_000_000, "ms": 1000, "us": 1}[typ.unit])
    if pa.types.is_struct(typ):
        return {typ.field(i).name: normalise_typed(value[typ.field(i).name], typ.field(i).type)
                for i in range(typ.num_fields)}
    if pa.types.is_map(typ):
        keys = [normalise_typed(k, typ.key_type) for k, _ in value]
        return {k if isinstance(k, str) else json.dumps(k): normalise_typed(v, typ.item_type)
                for k, (_, v) in zip(keys, value)}
    if pa.types.is_list(typ) or pa.types.is_large_list(typ) or pa.types.is_fixed_size_list(typ):
        return [normalise_typed(v, typ.value_type) for v in value]
    return normalise(value)


def ours(sportlake: str, path) -> tuple[list | None, str]:
    """(rows, error): rows as parsed JSON objects, or None with our error message."""
    proc = subprocess.run([sportlake, "parquet", "cat", "--json", str(path)], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        return None, proc.stderr.strip()
    return [json.loads(line) for line in proc.stdout.splitlines()], ""


def theirs(path) -> list:
    table = pq.read_table(path)
    types = {f.name: f.type for f in table.schema}
    table = table.cast(pa.schema([pa.field(f.name, timestamps_as_int64(f.type), f.nullable) for f in table.schema]))
    return [{k: normalise_typed(v, types[k]) for k, v in row.items()} for row in table.to_pylist()]


def close(u, v) -> bool:
    """Equal values, floats within 1e-6 relative, recursively through objects and arrays."""
    if isinstance(u, float) and isinstance(v, float):
        return u == v or abs(u - v) <= 1e-6 * max(abs(u), abs(v))
    if isinstance(u, dict) and isinstance(v, dict):
        return u.keys() == v.keys() and all(close(u[k], v[k]) for k in u)
    if isinstance(u, list) and isinstance(v, list):
        return len(u) == len(v) and all(close(x, y) for x, y in zip(u, v))
    return type(u) is type(v) and u == v


def same(a: list, b: list) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if list(x.keys()) != list(y.keys()):
            return False
        if not all(close(x[k], y[k]) for k in x):
            return False
    return True
