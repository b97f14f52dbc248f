"""`bluebook fmt`: rewrite every YAML file in its canonical form, never losing data: a file with
load errors (unknown or duplicate keys, bad YAML) or with comments (which the canonical form cannot
keep) is refused and left as it is; a rewritten file keeps its permissions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bluebook import vocabulary
from bluebook.data.canonical import comment_lines, comments_refusal, dump_mapping, dump_table
from bluebook.data.files import write_atomic
from bluebook.data.load import load_mapping, load_table
from bluebook.data.project import Layout


@dataclass
class FmtReport:
    changed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _files(layout: Layout) -> list[tuple[Path, str]]:
    files = [(layout.entities, "entities"), (layout.sources, "sources")]
    for year in layout.years():
        folder = layout.year_dir(year)
        files.append((folder / "snapshot.yaml", "snapshot"))
        files += [(folder / f"{t}.yaml", t) for t in vocabulary.FACT_TABLE_NAMES]
    return [(p, t) for p, t in files if p.is_file()]


def format_project(root: Path, check_only: bool = False) -> FmtReport:
    layout = Layout(root)
    report = FmtReport()
    for path, table in _files(layout):
        rel = layout.rel(path)
        load = load_mapping if table == "snapshot" else load_table
        loaded, problems = load(path, rel, table, within=layout.root)
        if loaded.canonical and not problems:
            continue  # the fast reader proved it the text `fmt` would write
        if problems or not loaded.ok or loaded.text is None:
            report.refused.append(rel)
            first = problems[0] if problems else None
            report.lines.append(
                f"{rel}: not rewritten: {first.where} {first.message}" if first else f"{rel}: not rewritten"
            )
            continue
        text = loaded.text
        canonical = (
            dump_mapping(loaded.records[0].data, table)
            if table == "snapshot"
            else dump_table([r.data for r in loaded.records], table)
        )
        if text == canonical:
            continue
        comments = comment_lines(text)
        if comments:
            report.refused.append(rel)
            report.lines.append(f"{rel}: not rewritten: {comments_refusal(comments)}")
            continue
        report.changed.append(rel)
        if check_only:
            report.lines.append(f"{rel}: not canonical")
        else:
            write_atomic(path, canonical)
            report.lines.append(f"{rel}: rewritten")
    if not report.changed and not report.refused:
        report.lines.append("all files canonical")
    return report
