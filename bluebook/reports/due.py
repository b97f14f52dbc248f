"""Render the due watch (bluebook.due) for people (text), for tools (JSON), and for the review's
summary (Markdown) and Prefect table artifact. Every string from data goes through
bluebook.text (visible / json_text) or the Markdown escape of the reports (bluebook.reports.escaping)."""

from __future__ import annotations

from bluebook.data import dates
from bluebook.due import RULES, DueItem, DueReport
from bluebook.reports.escaping import md_escape as md
from bluebook.text import json_text, visible


def _snapshot(report: DueReport) -> str:
    edition = f", {report.edition}" if report.edition else ""
    return f"the {report.year} snapshot (as_of {report.as_of}{edition})"


def due_summary(report: DueReport) -> str:
    """One line: how many facts are due on the day, by rule, and when the next comes due."""
    on = report.on.isoformat()
    if report.unreadable:
        return f"the due watch did not run on {on}: {report.unreadable}"
    if not report.items:
        line = f"nothing due on {on} in {_snapshot(report)}"
        if report.on < dates.start(report.as_of):
            line += "; the day lies before the as_of, so nothing can have come due"
    else:
        counts = report.count_by_rule()
        parts = ", ".join(f"{counts[r]} {RULES[r]}" for r in RULES if r in counts)
        n = len(report.items)
        line = f"{n} fact{'s' * (n != 1)} due on {on} in {_snapshot(report)}: {parts}"
    if report.next is not None:
        line += f"; next due on {report.next.since.isoformat()} ({report.next.rule} {report.next.id})"
    return line


def due_text(report: DueReport) -> str:
    """Items oldest first, each with where it stands, what is due and what to look for."""
    lines = [visible(f"bluebook due on {report.on.isoformat()}: {_snapshot(report)}"), ""]
    for item in report.items:
        lines.append(visible(f"since {item.since.isoformat()}  {item.rule:<15} {item.where}  {item.id}"))
        lines.append(f"    {visible(item.what)}")
        lines.append(f"    look for: {visible(item.look_for)}")
        lines.append("")
    lines.append(visible(due_summary(report)))
    return "\n".join(lines)


def due_json(report: DueReport) -> str:
    doc = {
        "year": report.year,
        "as_of": report.as_of,
        "edition": report.edition,
        "on": report.on.isoformat(),
        "due": len(report.items),
        "by_rule": report.count_by_rule(),
        "items": [i.to_dict() for i in report.items],
        "next": report.next.to_dict() if report.next else None,
    }
    if report.unreadable:
        doc["unreadable"] = report.unreadable
    return json_text(doc, indent=2)


def due_rows(report: DueReport) -> list[dict]:
    """Rows of the `bluebook-due` table artifact (cells render Markdown, so values are escaped)."""

    def row(item: DueItem) -> dict:
        return {
            "since": item.since.isoformat(),
            "rule": item.rule,
            "table": item.table,
            "id": md(item.id),
            "where": md(item.where),
            "what": md(item.what),
            "look for": md(item.look_for),
        }

    if report.items:
        return [row(i) for i in report.items]
    return [
        {"since": "", "rule": "", "table": "", "id": "", "where": "", "what": md(due_summary(report)), "look for": ""}
    ]


def due_markdown(report: DueReport, strict_due: bool = False) -> str:
    """The review summary's section: the count, then one line per item."""
    policy = "they fail the run (strict_due)" if strict_due else "warnings: they never fail the run"
    lines = [f"## Due on {report.on.isoformat()}", "", f"- {md(due_summary(report))}"]
    if report.items:
        lines[-1] += f" ({policy}; due.txt has what to look for)"
    lines += [f"  - since {i.since.isoformat()} · `{i.rule}` · {md(i.where)} · {md(i.what)}" for i in report.items]
    return "\n".join(lines) + "\n"
