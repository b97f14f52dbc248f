"""On-demand diff of two snapshots (a year, or a year at a git revision), written to a run folder
and published as a Markdown artifact."""

from __future__ import annotations

import sys
from pathlib import Path

from prefect import flow
from prefect.artifacts import create_markdown_artifact

from bluebook.data.files import child, write_atomic
from bluebook.flows.tasks import diff_pair, shared
from bluebook.reports.changes import RENDERERS, report_stem
from bluebook.review import artifact_key, open_review
from bluebook.text import visible

REPO = Path(__file__).resolve().parent.parent


@flow(name="diff", flow_run_name="diff {base} → {head}")
def diff(base: str = "2024", head: str = "2025", out: str = "reports/diffs", root: str | None = None) -> str:
    """What changed from BASE to HEAD (each YEAR or YEAR@REV); returns the Markdown report."""
    project, _ = open_review(Path(root).resolve() if root else REPO, [base, head])
    pair = diff_pair(shared(project), base, head)
    out_dir = Path(out) if Path(out).is_absolute() else project.layout.root / out
    stem = report_stem(pair.base_side.label, pair.head_side.label)
    for fmt in RENDERERS:
        write_atomic(child(out_dir, f"{stem}.{fmt}"), pair.render(fmt))
    markdown = pair.render("md")
    key = artifact_key("bluebook-diff", base, head)
    create_markdown_artifact(markdown=markdown, key=key, description=f"What changed from {base} to {head}")
    return markdown


if __name__ == "__main__":
    print(visible(diff(*sys.argv[1:3]), keep_newlines=True))
