"""A table with nested columns (lists, maps, structs, nested in each other) and nulls at every
level, for the Parquet and Delta interop tests, and its rows as `sportlake ... --json` prints them."""
import pyarrow as pa

POINT = pa.struct([pa.field("x", pa.float64()), pa.field("y", pa.int32())])
DEEP = pa.list_(pa.struct([
    pa.field("name", pa.string()),
    pa.field("scores", pa.list_(pa.int32())),
    pa.field("attrs", pa.map_(pa.string(), pa.struct([pa.field("a", pa.int64())]))),
]))
SCHEMA = pa.schema([
    pa.field("id", pa.int64()),
    pa.field("tags", pa.list_(pa.string())),
    pa.field("props", pa.map_(pa.string(), pa.int64())),
    pa.field("point", POINT),
    pa.field("deep", DEEP),
])


def row(i: int) -> dict:
    """Row i: each column cycles through null, empty, null inside, and full values."""
    tags = [None, [], ["a", None], [f"t{i}", "b", "c"]][i % 4]
    props = [None, [], [("k", None)], [("k", i), ("z", -i)]][(i // 2) % 4]
    point = [None, {"x": None, "y": i}, {"x": i / 2, "y": None}, {"x": 1.5, "y": -i}][(i // 3) % 4]
    deep = [
        None,
        [],
        [None],
        [{"name": None, "scores": None, "attrs": None}],
        [{"name": f"n{i}", "scores": [], "attrs": []},
         {"name": "m", "scores": [1, None, i], "attrs": [("p", None), ("q", {"a": None}), ("r", {"a": i})]}],
    ][i % 5]
    return {"id": i, "tags": tags, "props": props, "point": point, "deep": deep}


def table(first: int, n: int) -> pa.Table:
    return pa.Table.from_pylist([row(i) for i in range(first, first + n)], schema=SCHEMA)


def printed(value, typ: pa.DataType):
    """A pyarrow Python value of type `typ` as `sportlake --json` prints it (maps as objects)."""
    if value is None:
        return None
    if pa.types.is_map(typ):
        return {k: printed(v, typ.item_type) for k, v in value}
    if pa.types.is_list(typ):
        return [printed(v, typ.value_type) for v in value]
    if pa.types.is_struct(typ):
        return {f.name: printed(value[f.name], f.type) for f in typ}
    return value


def printed_rows(t: pa.Table) -> list:
    """Every row of `t` as printed by sportlake."""
    types = {f.name: f.type for f in t.schema}
    return [{k: printed(v, types[k]) for k, v in r.items()} for r in t.to_pylist()]
