"""Render a list of violations for people (grouped text), for tools (JSON) and for CI (JUnit XML,
in `bluebook.reports.junit`; GitHub annotations in `bluebook.reports.github`)."""

from __future__ import annotations

import json
from collections import defaultdict

from bluebook.reports.junit import violations_junit  # noqa: F401 - JUnit has a module of its own
from bluebook.violations import ERROR, Violation


def check_summary(violations: list[Violation], years: list[str], facts: int) -> str:
    errors = sum(v.severity == ERROR for v in violations)
    warnings = len(violations) - errors
    files = len({v.file for v in violations if v.file})
    span = " ".join(years) if years else "(no years)"
    verdict = "all contracts hold" if not violations else (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {files} file{'s' * (files != 1)}")
    return f"bluebook check {span}: {facts:,} facts; {verdict}"


def violations_text(violations: list[Violation], years: list[str], facts: int, limit: int = 10) -> str:
    """Violations grouped by file, in line order; at most `limit` per file (0: all), then a count."""
    by_file: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        by_file[v.file or "(project)"].append(v)
    lines: list[str] = []
    for file, items in by_file.items():
        lines.append(file)
        shown = items if limit <= 0 else items[:limit]
        for v in shown:
            where = f"{v.line:>5}" if v.line else "     "
            who = f"{v.id}: " if v.id else ""
            lines.append(f"{where}  {v.severity:<7} {v.code:<32} {who}{v.message}")
            for hint_line in v.hint.splitlines():
                lines.append(f"{'':>5}  {'':<7} {'':<32} {hint_line}" if hint_line.startswith(("-", "+", "@", " ", "."))
                             else f"{'':>5}  {'':<7} {'':<32} hint: {hint_line}")
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
    return json.dumps(doc, ensure_ascii=False, indent=2)
