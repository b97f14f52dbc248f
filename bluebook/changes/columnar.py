"""Which records of a large table may have changed: both sides as polars columns, joined on `id`,
compared column by column in Rust instead of record by record in Python.

This is a filter, never the verdict: a record it passes over is certainly unchanged (its every
column is equal on both sides), and every record it flags goes through the same comparison and
DeepDiff as before (bluebook.changes.diff.diff_tables). So the classified result is the one the
record-by-record path gives, which tests/test_columnar.py asserts on generated pairs of snapshots.
Building the columns from Python dicts costs more than it saves (bench/bench_scale.py): see COLUMNAR_MIN.
"""

from __future__ import annotations

import json

# Common records of one table from which the columnar filter is used. Measured (bench/bench_scale.py,
# "align"): with records that arrive as Python dicts it does not pay at any size up to 300,000 (the
# strings must be copied into Arrow first, while the record-by-record path compares shared strings
# by identity), so it is off unless a caller asks for it; it pays once records arrive as columns.
COLUMNAR_MIN = 1 << 62

_INT64 = (-(1 << 63), (1 << 63) - 1)


def _column(records: list[dict], name: str, as_set: bool):
    """The values of one column, and how polars may hold them exactly: 'str', 'int' or 'text' (each
    value encoded as a string whose equality implies the values' equality)."""
    values = [r.get(name) for r in records]
    types = {type(v) for v in values}
    types.discard(type(None))
    if types <= {str}:
        return values, "str"
    if types <= {int} and all(v is None or _INT64[0] <= v <= _INT64[1] for v in values):
        return values, "int"
    return [None if v is None else _encode(v, as_set) for v in values], "text"


def _encode(value, as_set: bool) -> str:
    """A string that is equal for two values only if the values are equal as the diff compares them
    (4 and 4.0 alike, list columns that are sets compared as sets)."""
    if isinstance(value, str):
        return "s" + value
    if isinstance(value, bool):
        return "o" + repr(value)
    if isinstance(value, int):
        return "n" + str(value)
    if isinstance(value, float):
        return "n" + str(int(value)) if value.is_integer() else "f" + repr(value)
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return ("S" + json.dumps(sorted(set(value)))) if as_set else ("L" + json.dumps(value))
    return "o" + type(value).__name__ + repr(value)


def differing_ids(
    base: dict[str, dict], head: dict[str, dict], common: set[str], set_columns: frozenset[str]
) -> set[str]:
    """The ids of `common` whose records may differ between the sides (a superset of those that do)."""
    import polars as pl

    ids = list(common)
    b_rows, h_rows = [base[i] for i in ids], [head[i] for i in ids]
    names: dict[str, None] = {}
    for rows in (b_rows, h_rows):
        for r in rows:
            names.update(dict.fromkeys(r))
    names.pop("id", None)  # the key: equal by construction
    differs = pl.Series("d", [False] * len(ids), dtype=pl.Boolean)
    for name in names:
        b, b_kind = _column(b_rows, name, name in set_columns)
        h, h_kind = _column(h_rows, name, name in set_columns)
        if b_kind != h_kind:  # one side all text, the other all numbers (or the reverse): encode both
            b = [None if v is None else _encode(v, name in set_columns) for v in (r.get(name) for r in b_rows)]
            h = [None if v is None else _encode(v, name in set_columns) for v in (r.get(name) for r in h_rows)]
            b_kind = "text"
        dtype = pl.Int64 if b_kind == "int" else pl.String
        differs = differs | pl.Series(b, dtype=dtype).ne_missing(pl.Series(h, dtype=dtype))
    return {i for i, d in zip(ids, differs.to_list()) if d}
