"""The review's index page (`reports/latest/index.html`): the verdict, violations counted by
contract layer and severity, links to each change report, the violations, the Data Docs and the
previous run. Also the pictures over all years in Markdown, for the Prefect UI."""

from __future__ import annotations

from collections import Counter

from bluebook.reports import render
from bluebook.violations import ERROR, WARNING, Violation
from bluebook.violations import LAYERS as CONTRACT_LAYERS

# Contract layers in the order data flows, with their titles (bluebook.violations.LAYERS).
LAYERS = tuple((prefix, title) for prefix, _, title in CONTRACT_LAYERS)

# Where the index's links lead, relative to `reports/latest/` (the page is opened there).
DATA_DOCS_LINK = "../data-docs/index.html"
SHOWN_VIOLATIONS = 50


def layer_counts(violations: list[Violation]) -> list[dict]:
    counts = Counter((v.code.partition(".")[0], v.severity) for v in violations)
    known = dict(LAYERS)
    rows = [
        {"layer": name, "prefix": prefix, "errors": counts[(prefix, ERROR)], "warnings": counts[(prefix, WARNING)]}
        for prefix, name in LAYERS
    ]
    rows += [
        {"layer": prefix, "prefix": prefix, "errors": counts[(prefix, ERROR)], "warnings": counts[(prefix, WARNING)]}
        for prefix in sorted({p for p, _ in counts} - set(known))
    ]
    return rows


def review_index(
    *,
    name: str,
    years: list[str],
    facts: int,
    violations: list[Violation],
    pairs: list[dict],
    failed: bool,
    strict: bool,
    files: list[str],
    previous: str | None,
) -> dict:
    """The index page's data. `pairs`: per pair of years its base, head, stem and summary counts."""
    errors = sum(v.severity == ERROR for v in violations)
    return {
        "run": name,
        "years": years,
        "facts": facts,
        "verdict": "failed" if failed else "passed",
        "strict": strict,
        "errors": errors,
        "warnings": len(violations) - errors,
        "layers": layer_counts(violations),
        "violations": [
            {"severity": v.severity, "code": v.code, "where": v.where, "id": v.id, "message": v.message, "hint": v.hint}
            for v in violations[:SHOWN_VIOLATIONS]
        ],
        "more_violations": max(0, len(violations) - SHOWN_VIOLATIONS),
        "pairs": pairs,
        "files": files,
        "data_docs": DATA_DOCS_LINK,
        "previous": f"../runs/{previous}/index.html" if previous else None,
        "previous_name": previous,
    }


def render_index(index: dict) -> str:
    return render.html("index.html.j2", index=index)


def pictures_markdown(over: dict) -> str:
    """The pictures over all years as Markdown tables (Prefect artifacts)."""
    return render.markdown("years.md.j2", over=over)
