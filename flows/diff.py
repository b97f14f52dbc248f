"""On-demand diff of two snapshots (a year, or a year at a git revision), written to a run folder
and published as a Markdown artifact."""

from __future__ import annotations

import sys
from pathlib import Path

from bluebook.flows.tasks import diff_pair
from prefect import flow
from prefect.artifacts import create_markdown_artifact

from bluebook.data.files import write_atomic
from bluebook.reports.changes import RENDERERS

REPO = Path(__file__).resolve().parent.parent


@flow(name="diff", flow_run_name="diff {base} → {head}")
def diff(base: str = "2024", head: str = "2025", out: str = "reports/diffs", root: str | None = None) -> str:
    """What changed from BASE to HEAD (each YEAR or YEAR@REV); returns the Markdown report."""
    project = Path(root).resolve() if root else REPO
    pair = diff_pair(project, base, head)
    out_dir = Path(out) if Path(out).is_absolute() else project / out
    stem = "changes-" + "".join(ch if ch.isalnum() or ch in "-." else "_" for ch in f"{base}-{head}")
    for fmt in RENDERERS:
        write_atomic(out_dir / f"{stem}.{fmt}", pair.render(fmt))
    markdown = pair.render("md")
    key = "bluebook-diff-" + "".join(ch if ch.isalnum() else "-" for ch in f"{base}-{head}".lower())
    create_markdown_artifact(markdown=markdown, key=key, description=f"What changed from {base} to {head}")
    return markdown


if __name__ == "__main__":
    print(diff(*sys.argv[1:3]))
