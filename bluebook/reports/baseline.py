"""`bluebook check --baseline REV` for people (text), tools (JSON) and GitHub (annotations): only
what the change introduced, and what it fixed."""

from __future__ import annotations

from dataclasses import replace

from bluebook.contracts.baseline import BaselineResult
from bluebook.reports.github import annotation
from bluebook.reports.violations import violations_text
from bluebook.text import json_text, visible
from bluebook.violations import Violation


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def baseline_summary(result: BaselineResult) -> str:
    years = " ".join(result.head.years) or "(no years)"
    rev = visible(result.rev)
    return (
        f"bluebook check {years} against {rev} ({result.commit[:12]}): "
        f"{_plural(result.new_errors, 'new error')}, {_plural(result.new_warnings, 'new warning')}; "
        f"{len(result.fixed)} fixed; {result.unchanged} already at {rev} (not shown)"
    )


def _section(title: str, violations: list[Violation], years: list[str], facts: int, limit: int) -> list[str]:
    if not violations:
        return []
    body = violations_text(violations, years, facts, limit=limit).splitlines()[:-1]  # without its summary line
    return [title, "", *body]


def baseline_text(result: BaselineResult, limit: int = 10) -> str:
    rev = visible(result.rev)
    years, facts = result.head.years, result.head.fact_count
    lines = _section(f"new since {rev}:", result.new, years, facts, limit)
    lines += _section(f"fixed since {rev} (as they were at {rev}):", result.fixed, years, facts, limit)
    lines.append(baseline_summary(result))
    return "\n".join(lines)


def baseline_json(result: BaselineResult) -> str:
    doc = {
        "baseline": {"rev": result.rev, "commit": result.commit, "years": result.base_years},
        "years": result.head.years,
        "facts": result.head.fact_count,
        "new_errors": result.new_errors,
        "new_warnings": result.new_warnings,
        "unchanged": result.unchanged,
        "new": [v.to_dict() for v in result.new],
        "fixed": [v.to_dict() for v in result.fixed],
    }
    return json_text(doc, indent=2)


def baseline_github(result: BaselineResult, prefix: str = "") -> str:
    """New violations as annotations on the changed files; fixed ones as notices (no file: their
    lines are the revision's, not the pull request's)."""
    lines = [annotation(v, prefix) for v in result.new]
    lines += [
        annotation(
            replace(v, file="", line=0, message=f"{v.message} (was {v.where or 'the project'} at {result.rev})"),
            level="notice",
            title=f"fixed: {v.code}",
        )
        for v in result.fixed
    ]
    lines.append(baseline_summary(result))
    return "\n".join(lines)
