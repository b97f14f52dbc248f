"""Failed expectations in words: each failing row of a GX result becomes a violation that names
the fact (file:line, id) and says what is wrong."""

from __future__ import annotations

import math
from typing import Any

from bluebook.contracts.expectations import views
from bluebook.contracts.expectations.suites import Suite
from bluebook.violations import ERROR, WARNING, Violation, violation

# GX severity → violation severity. GX also knows `info`; a suite here must say critical or warning.
SEVERITIES = {"critical": ERROR, "warning": WARNING}


def frame_name(target: views.Target) -> str:
    return f"{target.suite} {target.year}" if target.year else target.suite


def plain(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _show(value) -> str:
    value = plain(value)
    if value is None:
        return "(missing)"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _range(kwargs: dict) -> str:
    lo, hi = kwargs.get("min_value"), kwargs.get("max_value")
    if lo is not None and hi is not None:
        return f"between {lo:g} and {hi:g}"
    return f"at least {lo:g}" if lo is not None else f"at most {hi:g}"


def _listed(kwargs: dict) -> str:
    return ", ".join(map(str, kwargs.get("value_set", [])))


def _scope(exp: dict) -> str:
    scope = exp.get("meta", {}).get("scope")
    condition = exp["kwargs"].get("row_condition")
    return f" ({scope})" if scope else f" (where {condition})" if condition else ""


def _rule(exp: dict) -> str:
    """What the expectation requires of each row, in words."""
    t, k = exp["type"], exp["kwargs"]
    return {
        "expect_column_values_to_be_in_set": lambda: f"{k.get('column')} in {_listed(k)}",
        "expect_column_values_to_not_be_null": lambda: f"{k.get('column')} given",
        "expect_column_values_to_match_regex": lambda: f"{k.get('column')} matching {k.get('regex')}",
        "expect_column_values_to_not_match_regex": lambda: f"{k.get('column')} not matching {k.get('regex')}",
        "expect_column_values_to_be_between": lambda: f"{k.get('column')} {_range(k)}",
    }.get(t, lambda: t.removeprefix("expect_").replace("_", " "))()


def _row_message(exp: dict, entry: dict, row: dict, year: str) -> str:
    """One failing row in words: the suite's `meta.message` template when it has one, else by type."""
    template = exp.get("meta", {}).get("message")
    values = {k: plain(v) for k, v in {**row, **entry}.items()}
    if template:
        try:
            return template.format_map(
                {**{k: "(missing)" if v is None else v for k, v in values.items()}, "year": year}
            )
        except (KeyError, ValueError, TypeError, IndexError):
            pass
    t, k = exp["type"], exp["kwargs"]
    col = k.get("column")
    value = _show(values.get(col)) if col else ""
    scope = _scope(exp)
    if t == "expect_column_values_to_be_in_set":
        return f"{col} is {value}; expected one of {_listed(k)}{scope}"
    if t == "expect_column_values_to_not_be_null":
        return f"{col} is missing; it is required{scope}"
    meta = exp.get("meta", {})
    if t == "expect_column_values_to_match_regex":
        if meta.get("contains"):
            return f"{col} {value} contains no {meta['contains']}{scope}"
        return f"{col} {value} does not have the form {meta.get('form') or k.get('regex')}{scope}"
    if t == "expect_column_values_to_not_match_regex":
        if meta.get("contains"):
            return f"{col} {value} contains {meta['contains']}{scope}"
        return f"{col} {value} matches {k.get('regex')}, which it must not{scope}"
    if t == "expect_column_values_to_be_unique":
        return f"{col} {value} is used by more than one row{scope}"
    if t == "expect_compound_columns_to_be_unique":
        cols = k.get("column_list", [])
        shown = ", ".join(f"{c} {_show(values.get(c))}" for c in cols)
        return f"another record has the same {'/'.join(cols)} ({shown}){scope}"
    if t == "expect_column_pair_values_to_be_equal":
        a, b = k.get("column_A"), k.get("column_B")
        return f"{a} {_show(values.get(a))} differs from {b} {_show(values.get(b))}{scope}"
    if t == "expect_column_values_to_be_between":
        return f"{col} is {value}; expected {_range(k)}{scope}"
    return f"fails {t} ({', '.join(f'{c}={_show(values.get(c))}' for c in values)})"


def expectation_violations(
    target: views.Target, suite: Suite, n: int, exp: dict, result: dict, rows: dict[tuple, list[dict]]
) -> list[Violation]:
    code = f"expect.{exp['type']}"
    severity = SEVERITIES.get(exp.get("severity") or "", ERROR)
    hint = exp.get("meta", {}).get("why", "")
    extra = {"suite": suite.name, "expectation": n}
    common: dict[str, Any] = dict(severity=severity, year=target.year, extra=extra)
    kwargs = exp["kwargs"]
    entries = result.get("unexpected_index_list")
    mostly = kwargs.get("mostly")
    if exp["type"] == "expect_table_row_count_to_be_between" or not isinstance(entries, list):
        where = target.locate({})
        observed = result.get("observed_value")
        if exp["type"] == "expect_table_row_count_to_be_between":
            message = f"{frame_name(target)} has {observed} rows; expected {_range(kwargs)}"
        else:
            message = f"{suite.key(n)} failed on {frame_name(target)} (observed {_show(observed)})"
        return [violation(code, message, hint, **where, **common)]
    if mostly is not None and mostly < 1:
        # A policy over the share of rows: one violation for the table, naming the first few rows.
        where = target.locate({})
        total = result.get("element_count") or 0
        missing = result.get("missing_count") or 0
        considered = max(total - missing, 0)
        bad = result.get("unexpected_count") or 0
        share = (considered - bad) / considered if considered else 1.0
        ids = [str(e.get(target.keys[0])) for e in entries]
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        message = (
            f"{share:.0%} of {considered} {frame_name(target)} rows{_scope(exp)} have {_rule(exp)}; "
            f"the policy is at least {mostly:.0%} (not: {shown})"
        )
        return [violation(code, message, hint, **where, **common)]
    out = []
    column = kwargs.get("column") or kwargs.get("column_A")
    taken: dict[tuple, int] = {}
    for entry in entries:
        # The n-th failing entry with a key is taken as the n-th row with that key (keys repeat
        # only where an id or organization is duplicated, and then every such row fails).
        key = tuple(plain(entry.get(k)) for k in target.keys)
        candidates = rows.get(key) or [entry]
        row = candidates[min(taken.get(key, 0), len(candidates) - 1)]
        taken[key] = taken.get(key, 0) + 1
        where = target.locate(row, column)
        out.append(violation(code, _row_message(exp, entry, row, target.year), hint, **where, **common))
    return out
