"""The two sides of a diff: a year of the working tree (`2025`) or a year at a git revision
(`2025@origin/main`, `2025@HEAD~1`), read with git itself (`bluebook.data.revision`), no checkout."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bluebook import vocabulary
from bluebook.changes.diff import SnapshotDiff, diff_snapshots
from bluebook.data.load import Record
from bluebook.data.project import Project, Snapshot, open_project
from bluebook.data.revision import RevisionError, export_revision
from bluebook.errors import UnreadableInput, UsageError
from bluebook.text import visible
from bluebook.violations import ERROR, Location, Violation

SIDE_RE = re.compile(r"(?P<year>[0-9]{4})(@(?P<rev>.+))?", re.S)


class SideError(UsageError):
    """A side of a diff cannot be read: bad spelling, unknown year or revision, unreadable files."""


@dataclass
class Side:
    label: str
    year: str
    rev: str | None
    tables: dict[str, dict[str, dict]]  # table → id → record data
    entities: dict[str, dict]
    lines: Mapping[tuple[str, str], Location]  # (table, id) → where the record stands, for messages
    sources: dict[str, dict] = field(default_factory=dict)  # source id → its entry in sources.yaml
    as_of: str | None = None  # the snapshot's as_of


class _Locations(Mapping[tuple[str, str], Location]):
    """(table, id) → where the record stands, for messages. Asked for only about changed records, so
    the index (each table's records by id) is built on first use and a Location made when asked: a
    million Locations would be a tenth of a large diff's memory."""

    def __init__(self, snap: Snapshot, rev: str | None):
        self._snap, self._rev = snap, rev
        self._index: dict[str, dict[str, Record]] | None = None

    def _built(self) -> dict[str, dict[str, Record]]:
        if self._index is None:  # two threads may both build it: the same dict, harmless
            index: dict[str, dict[str, Record]] = {}
            for t in vocabulary.FACT_TABLE_NAMES:
                index[t] = {r.id: r for r in self._snap.records(t)}  # a repeated id: the last, as `tables`
            self._index = index
        return self._index

    def __getitem__(self, key: tuple[str, str]) -> Location:
        table, rid = key
        record = self._built().get(table, {}).get(rid)
        if record is None:
            raise KeyError(key)
        return self._snap.location(table, record, self._rev)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((t, rid) for t, by_id in self._built().items() for rid in by_id)

    def __len__(self) -> int:
        return sum(len(by_id) for by_id in self._built().values())


def parse_side(text: str) -> tuple[str, str | None]:
    m = SIDE_RE.fullmatch(text)
    if not m:
        raise SideError(f"'{visible(text)}' is not YEAR or YEAR@REV (e.g. 2025 or 2025@HEAD~1)")
    return m.group("year"), m.group("rev")


def side_from_project(
    project: Project, year: str, label: str | None = None, rev: str | None = None, refuse_repeated_ids: bool = True
) -> Side:
    """The records of one year keyed by id. Raises SideError when an id names two records (in one
    table or two): keeping either would silently drop the other from the diff. `check` passes
    refuse_repeated_ids=False: it reports the repeated id itself and compares the last record."""
    snap = project.snapshots[year]
    seen: dict[str, str] = {}
    repeated = []
    tables: dict[str, dict[str, dict]] = {}
    for t in vocabulary.FACT_TABLE_NAMES:
        by_id = tables[t] = {}
        for r in snap.records(t):
            rid = r.id
            if not rid:
                continue
            if rid in seen:
                repeated.append(f"{visible(rid)} ({snap.file(t)}:{r.line}, and in {seen[rid]})")
            else:
                seen[rid] = t
            by_id[rid] = r.data  # a repeated id: the last record (check compares and reports it)
    if repeated and refuse_repeated_ids:
        raise SideError(
            f"{label or year}: an id names two records, so a diff would keep one and lose the other: "
            f"{'; '.join(repeated[:5])}{' …' if len(repeated) > 5 else ''}; run `bluebook check`"
        )
    lines = _Locations(snap, rev)
    entities = {r.id: r.data for r in project.entities.records if r.id}
    sources = {r.id: r.data for r in project.sources.records if r.id}
    return Side(label or year, year, rev, tables, entities, lines, sources, snap.as_of)


def _refuse_on_load_errors(violations: list[Violation], label: str) -> None:
    errors = [v for v in violations if v.severity == ERROR]  # all from the loader: a file or value it refused
    if errors:
        raise UnreadableInput(f"{visible(label)} (a diff of it would invent drops)", errors)


def load_side(project: Project, text: str) -> Side:
    """One side of a diff: a year of the opened project, or a year at a git revision of its
    checkout (read through the same loader). Refuses a side whose files cannot be read whole."""
    year, rev = parse_side(text)
    if rev is None:
        if year not in project.snapshots:
            if year not in project.layout.years():
                raise SideError(f"no snapshot for {year} under {visible(project.layout.snapshots)}")
            raise SideError(f"{year} is not among the years this command opened")
        _refuse_on_load_errors([v for v in project.problems if v.year in ("", year)], text)
        key = ("side", text)
        if key not in project.derived:  # built once: every later pair's report draws this year again
            project.derived[key] = side_from_project(project, year, text)
        return project.derived[key]
    with tempfile.TemporaryDirectory(prefix="bluebook-rev-") as tmp:
        try:
            export_revision(
                project.layout.root,
                rev,
                Path(tmp),
                [f"snapshots/{year}", "snapshots/entities.yaml", "sources/sources.yaml"],
            )
        except RevisionError as exc:
            raise SideError(str(exc)) from exc
        at_rev = open_project(Path(tmp), [year], cache=project.cache, max_bytes=project.max_bytes)
        _refuse_on_load_errors(at_rev.problems, text)
        return side_from_project(at_rev, year, text, rev)


def diff_sides(base: Side, head: Side) -> SnapshotDiff:
    """The classified changes from one side to the other."""
    return diff_snapshots(
        base.tables, head.tables, base_label=base.label, head_label=head.label, base_year=base.year, head_year=head.year
    )
