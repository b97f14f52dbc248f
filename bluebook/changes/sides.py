"""The two sides of a diff: a year of the working tree (`2025`) or a year at a git revision
(`2025@origin/main`, `2025@HEAD~1`), read with git itself (`git archive`), no checkout."""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bluebook import vocabulary
from bluebook.changes.diff import SnapshotDiff, diff_snapshots
from bluebook.data.project import Layout, Project, load_project
from bluebook.violations import ERROR, Violation

SIDE_RE = re.compile(r"^(?P<year>\d{4})(@(?P<rev>.+))?$")


class SideError(Exception):
    """A side of a diff cannot be read: bad spelling, unknown year or revision, unreadable files."""


@dataclass
class Side:
    label: str
    year: str
    rev: str | None
    tables: dict[str, dict[str, dict]]  # table → id → record data
    entities: dict[str, dict]
    lines: dict[tuple[str, str], str]  # (table, id) → file:line, for messages


def parse_side(text: str) -> tuple[str, str | None]:
    m = SIDE_RE.match(text)
    if not m:
        raise SideError(f"'{text}' is not YEAR or YEAR@REV (e.g. 2025 or 2025@HEAD~1)")
    return m.group("year"), m.group("rev")


def side_from_project(project: Project, year: str, label: str | None = None, rev: str | None = None) -> Side:
    snap = project.snapshots[year]
    tables = {t: {r.id: r.data for r in snap.records(t) if r.id} for t in vocabulary.FACT_TABLE_NAMES}
    lines = {(t, r.id): f"{snap.file(t)}:{r.line}" for t in vocabulary.FACT_TABLE_NAMES for r in snap.records(t)}
    entities = {r.id: r.data for r in project.entities.records if r.id}
    return Side(label or year, year, rev, tables, entities, lines)


def _refuse_on_load_errors(violations: list[Violation], label: str) -> None:
    errors = [v for v in violations if v.severity == ERROR]  # all from the loader: a file or value it refused
    if errors:
        shown = "; ".join(f"{v.where} {v.message}" for v in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise SideError(f"{label} cannot be read whole, so a diff would invent drops: {shown}{more}; "
                        f"run `bluebook check` on it")


def load_side(root: Path, text: str) -> Side:
    """Load one side; refuse (SideError) when its files cannot be read whole."""
    year, rev = parse_side(text)
    if rev is None:
        if year not in Layout(root).years():
            raise SideError(f"no snapshot for {year} under {root / 'snapshots'}")
        project, problems = load_project(root, [year])
        _refuse_on_load_errors(problems, text)
        return side_from_project(project, year, text)
    with tempfile.TemporaryDirectory(prefix="bluebook-rev-") as tmp:
        _export(root, rev, year, Path(tmp))
        project, problems = load_project(Path(tmp), [year])
        _refuse_on_load_errors(problems, text)
        side = side_from_project(project, year, text, rev)
        side.lines = {k: f"{v} (at {rev})" for k, v in side.lines.items()}
        return side


def _export(root: Path, rev: str, year: str, dest: Path) -> None:
    """Write the year's snapshot and the registries as they are at `rev` into `dest`."""
    paths = [f"snapshots/{year}", "snapshots/entities.yaml", "sources/sources.yaml"]
    for check in paths:  # git archive fails on a missing path with a cryptic message
        done = subprocess.run(["git", "-C", str(root), "cat-file", "-e", f"{rev}:{check}"], capture_output=True)
        if done.returncode != 0:
            known = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                                   capture_output=True)
            if known.returncode != 0:
                raise SideError(f"'{rev}' is not a revision of the git repository at {root}")
            raise SideError(f"{check} does not exist at {rev}")
    done = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", rev, "--", *paths], capture_output=True)
    if done.returncode != 0:
        raise SideError(f"git archive {rev} failed: {done.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
        tar.extractall(dest, filter="data")


def diff_sides(base: Side, head: Side) -> SnapshotDiff:
    """The classified changes from one side to the other."""
    return diff_snapshots(base.tables, head.tables, base_label=base.label, head_label=head.label,
                          base_year=base.year, head_year=head.year)
