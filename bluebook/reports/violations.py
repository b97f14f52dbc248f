"""Render a list of violations for people (grouped text) and for tools (JSON); for CI, JUnit XML
is in `bluebook.reports.junit` and GitHub annotations in `bluebook.reports.github`. Every string
that may come from data goes through bluebook.text (visible / json_text): no control, bidi or
separator character reaches a terminal or an XML file raw."""

from __future__ import annotations

from collections import defaultdict

from bluebook.reports.escaping import md_escape as md
from bluebook.reports.junit import violations_junit  # noqa: F401 - JUnit has a module of its own
from bluebook.text import json_text, visible
from bluebook.violations import ERROR, Violation


def verdict(violations: list[Violation]) -> str:
    """ "all contracts hold", or how many errors and warnings in how many files: the words of
    `bluebook check`'s last line and of the review's final state."""
    if not violations:
        return "all contracts hold"
    errors = sum(v.severity == ERROR for v in violations)
    warnings = len(violations) - errors
    files = len({v.file for v in violations if v.file})
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {files} file{'s' * (files != 1)}"


def check_summary(violations: list[Violation], years: list[str], facts: int) -> str:
    span = " ".join(years) if years else "(no years)"
    return f"bluebook check {span}: {facts:,} facts; {verdict(violations)}"


def violation_rows(violations: list[Violation]) -> list[dict]:
    """Rows of the `bluebook-violations` table artifact (cells render Markdown, so values are
    escaped), or one row saying that all contracts hold."""
    rows = [
        {
            "severity": str(v.severity),
            "code": v.code,
            "year": v.year,
            "table": v.table,
            "id": md(v.id),
            "where": md(v.where),
            "message": md(v.message),
            "hint": md(v.hint.splitlines()[0]) if v.hint else "",
        }
        for v in violations
    ]
    return rows or [{"severity": "", "code": "", "message": "all contracts hold"}]


def violations_text(violations: list[Violation], years: list[str], facts: int, limit: int = 10) -> str:
    """Violations grouped by file, in line order; at most `limit` per file (0: all), then a count."""
    by_file: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        by_file[v.file or "(project)"].append(v)
    lines: list[str] = []
    for file, items in by_file.items():
        lines.append(visible(file))
        shown = items if limit <= 0 else items[:limit]
        for v in shown:
            where = f"{v.line:>5}" if v.line else "     "
            who = f"{visible(v.id)}: " if v.id else ""
            lines.append(f"{where}  {v.severity:<7} {visible(v.code):<32} {who}{visible(v.message)}")
            for hint_line in map(visible, v.hint.split("\n")):
                lines.append(
                    f"{'':>5}  {'':<7} {'':<32} {hint_line}"
                    if hint_line.startswith(("-", "+", "@", " ", "."))
                    else f"{'':>5}  {'':<7} {'':<32} hint: {hint_line}"
                )
        if len(items) > len(shown):
            lines.append(f"       … {len(items) - len(shown)} more in this file (--limit 0 shows all)")
        lines.append("")
    lines.append(check_summary(violations, years, facts))
    return "\n".join(lines)


def violations_json(violations: list[Violation], years: list[str], facts: int) -> str:
    errors = sum(v.severity == ERROR for v in violations)
    doc = {
        "years": years,
        "facts": facts,
        "errors": errors,
        "warnings": len(violations) - errors,
        "violations": [v.to_dict() for v in violations],
    }
    return json_text(doc, indent=2)
