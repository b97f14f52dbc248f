"""Run the Pandera model of a table over its records and turn failure cases into violations that
name the record (file:line, id) and say what is wrong in words."""

from __future__ import annotations

import difflib
import math
import re

import pandas as pd
import pandera.pandas as pa

from bluebook import vocabulary
from bluebook.data.load import Record
from bluebook.schemas import MODELS
from bluebook.schemas.common import FORMATS, ROW_CHECKS
from bluebook.schemas.metrics import METRICS
from bluebook.violations import Violation, violation


def build_frame(table: str, records: list[Record]) -> pd.DataFrame:
    """One row per record, every column of the table present (missing values as None)."""
    cols = vocabulary.columns(table)
    rows = [{c: r.data.get(c) for c in cols} for r in records]
    frame = pd.DataFrame(rows, columns=list(cols), dtype=object)
    return frame


def _allowed_values(schema_model, column: str) -> list[str]:
    field = schema_model.to_schema().columns.get(column)
    for check in getattr(field, "checks", []) or []:
        if check.name == "isin":
            return list(check.statistics.get("allowed_values", []))
    return []


def _show(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "(missing)"
    return repr(value) if isinstance(value, str) else str(value)


def _column_violation(
    table: str, column: str, check: str, value, record: Record | None, schema_model, where: dict
) -> Violation:
    rid = record.id if record else ""
    line = record.line_of(column) if record else 0
    loc = dict(where, table=table, id=rid, line=line)
    shown = _show(value)
    if check.startswith("isin"):
        allowed = _allowed_values(schema_model, column)
        close = difflib.get_close_matches(str(value), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(allowed)}"
        return violation("schema.enum", f"{column} {shown} is not one of {', '.join(allowed)}", hint, **loc)
    if check.startswith("str_matches"):
        fmt = FORMATS.get(column, re.sub(r"^str_matches\('(.*)'\)$", r"\1", check))
        return violation("schema.format", f"{column} {shown} is not {fmt}", f"write {column} as {fmt}", **loc)
    if check == "partial_date":
        return violation(
            "schema.date",
            f"{column} {shown} is not a real partial date",
            "write YYYY, YYYY-MM or YYYY-MM-DD (a real day: no 2025-02-30)",
            **loc,
        )
    if check.startswith("str_length"):
        bounds = "–".join(re.findall(r"\d+", check))
        return violation(
            "schema.range",
            f"{column} has {len(str(value))} characters, outside {bounds}",
            "evidence: quote 4–300 characters; split a longer quote with '…'",
            **loc,
        )
    if check in ("field_uniqueness", "unique"):
        return violation(
            "schema.duplicate-id",
            f"id {shown} is used by more than one record of {table}",
            "give each fact its own id (ids are stable across years)",
            **loc,
        )
    if check == "not_nullable":
        return violation("schema.required", f"'{column}' is required", f"add '{column}' to the record", **loc)
    if check.startswith("reference_list"):  # the check's name carries its argument: reference_list(min_items=1)
        return violation(
            "schema.type",
            f"{column} {shown} is not a list of entity references",
            f"write {column} as a list: [RUS, USA]",
            **loc,
        )
    if check == "plain_number":
        return violation(
            "schema.type",
            f"{column} {shown} is not a plain finite number",
            "write digits with an optional '-', '.' and exponent: 1195100000000, -50.5, 1.1951e12 "
            "(no '+', '_' or full-width digits; within the range a float holds)",
            **loc,
        )
    if check.startswith(("coerce_dtype", "dtype")):
        return violation(
            "schema.type", f"{column} {shown} is not a number", "write a plain number: 1195100000000", **loc
        )
    return violation("schema.type", f"{column} {shown} fails {check}", "see schemas/ for the rule", **loc)


def _row_violation(table: str, check: str, record: Record | None, where: dict) -> Violation:
    code, message, hint = ROW_CHECKS[check]
    data = {c: _show(record.data.get(c)).strip("'") if record else "?" for c in vocabulary.columns(table)}
    status = vocabulary.status(table, record.data.get("status")) if record else None
    data["needed"] = status.needs if status and status.needs else "?"
    name = record.data.get("metric") if record else None
    metric = METRICS.get(name) if isinstance(name, str) else None
    if metric:
        data.update(
            metric_unit=metric.unit,
            metric_min=f"{metric.min:g}",
            metric_max=f"{metric.max:g}",
            baseline_rule="is a change and needs baseline_period"
            if metric.change
            else "is a level and takes no baseline_period",
        )
    line = record.line if record else 0
    return violation(
        code,
        message.format_map(_Default(data)),
        hint.format_map(_Default(data)),
        table=table,
        id=record.id if record else "",
        line=line or 0,
        **where,
    )


class _Default(dict):
    def __missing__(self, key):
        return "?"


def validate_table(table: str, records: list[Record], where: dict) -> list[Violation]:
    """Violations of the table's Pandera model (all of them: lazy validation)."""
    schema_model = MODELS[table]
    frame = build_frame(table, records)
    try:
        schema_model.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    out: list[Violation] = []
    seen: set[tuple] = set()
    for case in cases.itertuples(index=False):
        index = case.index
        record = records[int(index)] if index is not None and not pd.isna(index) else None
        if case.schema_context == "DataFrameSchema" and case.check in ROW_CHECKS:
            key: tuple = (case.check, index)
            if key in seen:  # the pandas backend reports a row check once per column
                continue
            seen.add(key)
            out.append(_row_violation(table, case.check, record, where))
        elif case.schema_context == "Column":
            key = (case.column, case.check, index)
            if key in seen or (record is not None and case.column in record.refused):
                continue  # reported once (pandas reports some checks twice), or by the loader
            seen.add(key)
            if case.check.startswith("dtype") and (case.column, "coerce_dtype('float64')", index) in seen:
                continue
            out.append(
                _column_violation(table, case.column, case.check, case.failure_case, record, schema_model, where)
            )
        else:
            out.append(
                violation(
                    "schema.type",
                    f"{table}: {case.check} failed ({case.failure_case})",
                    "see schemas/ for the rule",
                    table=table,
                    **where,
                )
            )
    return out
