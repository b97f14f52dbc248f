"""Where things live in a bluebook project, and loading all of it (registries and snapshots)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bluebook import vocabulary
from bluebook.data.bulk import without_cyclic_gc
from bluebook.data.heldtext import HeldText, verified_held_text
from bluebook.data.load import MAX_FILE_BYTES, LoadedFile, Record, load_mapping, load_table, read_bytes
from bluebook.text import visible
from bluebook.violations import ERROR, Location, Violation, violation

if TYPE_CHECKING:
    from bluebook.data.cache import Cache

HELD_TEXT_MAX_BYTES = 16 << 20  # a held section is ~50 KB; a whole edition would fit
YEAR_RE = re.compile(r"[0-9]{4}")  # ASCII digits: a folder named ２０２６ is not a year


@dataclass(frozen=True)
class Layout:
    """All paths of a project, relative to its root (a checkout, or a fixture folder in tests)."""

    root: Path

    @property
    def snapshots(self) -> Path:
        return self.root / "snapshots"

    @property
    def entities(self) -> Path:
        return self.snapshots / "entities.yaml"

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def sources(self) -> Path:
        return self.sources_dir / "sources.yaml"

    @property
    def expectations(self) -> Path:
        return self.root / "expectations"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def year_dir(self, year: str) -> Path:
        return self.snapshots / year

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def years(self) -> list[str]:
        """Years that have a snapshot folder, oldest first."""
        if not self.snapshots.is_dir():
            return []
        return sorted(p.name for p in self.snapshots.iterdir() if p.is_dir() and YEAR_RE.fullmatch(p.name))


@dataclass
class Snapshot:
    year: str
    meta: Record | None
    tables: dict[str, LoadedFile]
    meta_file: LoadedFile | None = None  # snapshot.yaml as read (its text, for the canonical check)

    @property
    def as_of(self) -> str | None:
        value = self.meta.data.get("as_of") if self.meta else None
        return value if isinstance(value, str) else None

    def records(self, table: str) -> list[Record]:
        loaded = self.tables.get(table)
        return loaded.records if loaded else []

    def by_id(self, table: str) -> dict[str, Record]:
        """Records of a table keyed by id (the first record wins where an id repeats)."""
        out: dict[str, Record] = {}
        for r in self.records(table):
            out.setdefault(r.id, r)
        return out

    def where(self, table: str, record: Record, key: str | None = None) -> dict:
        """Where a record (or one of its keys) stands, for a violation."""
        return dict(
            file=self.file(table),
            line=record.line_of(key) if key else record.line,
            year=self.year,
            table=table,
            id=record.id,
        )

    def location(self, table: str, record: Record, rev: str | None = None) -> Location:
        return Location(self.file(table), record.line, rev)

    def file(self, table: str) -> str:
        return self.tables[table].rel if table in self.tables else ""

    @property
    def files(self) -> list[LoadedFile]:
        return ([self.meta_file] if self.meta_file else []) + list(self.tables.values())

    @property
    def fact_count(self) -> int:
        return sum(t.count for t in self.tables.values())


@dataclass
class Project:
    """A project opened once: every file read once, with the load violations, and the indexes
    (entities, sources, held texts) built once. Every command and flow run opens one and passes it
    down; nothing below reads a project file again."""

    layout: Layout
    entities: LoadedFile
    sources: LoadedFile
    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    problems: list[Violation] = field(default_factory=list)  # what the loader found
    # What the loader found in each file and what the contracts computed, by content (None: no cache).
    cache: Cache | None = field(default=None, repr=False, compare=False)
    max_bytes: int = MAX_FILE_BYTES  # the size limit its files were read with
    _held: dict[str, HeldText | None] = field(default_factory=dict, repr=False)
    _held_raw: dict[str, tuple[bytes | None, list[Violation]]] = field(default_factory=dict, repr=False)
    _held_digest: dict[str, str] = field(default_factory=dict, repr=False)
    # What is derived from the opened files once and only read after (a year's diff side, which
    # every later pair's report draws again), by a key its builder names.
    derived: dict[tuple, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def entity_index(self) -> dict[str, Record]:
        return {r.id: r for r in self.entities.records if r.id}

    @cached_property
    def source_index(self) -> dict[str, Record]:
        return {r.id: r for r in self.sources.records if r.id}

    @cached_property
    def unreadable(self) -> frozenset[str]:
        """Files that could not be read whole: layers that would misread them leave them out."""
        return frozenset(v.file for v in self.problems if v.severity == ERROR and v.file)

    @property
    def years(self) -> list[str]:
        return list(self.snapshots)

    @property
    def files(self) -> list[LoadedFile]:
        return [self.entities, self.sources] + [f for s in self.snapshots.values() for f in s.files]

    @property
    def fact_count(self) -> int:
        return sum(s.fact_count for s in self.snapshots.values())

    def only(self, years: list[str]) -> Project:
        """This opened project seen through `years` only (what a worker process validating them
        needs: the registries, those snapshots and their load problems), sharing what was read."""
        keep = set(years)
        sub = Project(
            self.layout,
            self.entities,
            self.sources,
            {y: s for y, s in self.snapshots.items() if y in keep},
            [v for v in self.problems if not v.year or v.year in keep],
            cache=self.cache,
            max_bytes=self.max_bytes,
        )
        sub._held, sub._held_raw, sub._held_digest = self._held, self._held_raw, self._held_digest
        return sub

    def held_bytes(self, source: Record) -> tuple[bytes | None, list[Violation]]:
        """The bytes of the source's held text, read once; None and why (missing, too large, or
        leading outside sources/) otherwise."""
        if source.id not in self._held_raw:
            rel = source.data.get("path")
            if not isinstance(rel, str):
                self._held_raw[source.id] = (None, [])
            else:
                path = self.layout.sources_dir / rel
                self._held_raw[source.id] = read_bytes(
                    path, visible(self.layout.rel(path)), HELD_TEXT_MAX_BYTES, within=self.layout.sources_dir
                )
        return self._held_raw[source.id]

    def held_digest(self, source: Record) -> str:
        """The sha256 of the source's held text as read (empty when it could not be read)."""
        if source.id not in self._held_digest:
            raw, _ = self.held_bytes(source)
            self._held_digest[source.id] = hashlib.sha256(raw).hexdigest() if raw is not None else ""
        return self._held_digest[source.id]

    def held_text(self, source: Record) -> HeldText | None:
        """The source's held text, parsed once, and only when its path stays inside sources/ and its
        bytes match its sha256 (check_sources says why not otherwise)."""
        if source.id not in self._held:
            raw, _ = self.held_bytes(source)
            path = self.layout.sources_dir / str(source.data.get("path"))
            self._held[source.id] = verified_held_text(raw, source.data.get("sha256"), path) if raw else None
        return self._held[source.id]


def load_snapshot(
    layout: Layout, year: str, max_bytes: int = MAX_FILE_BYTES, cache: Cache | None = None
) -> tuple[Snapshot, list[Violation]]:
    """A year's snapshot and its load violations; with a `cache`, each file is hashed as it is read
    and parsed only when the cache does not know what the loader finds in it."""
    table_loader, mapping_loader = _loaders(cache)
    folder = layout.year_dir(year)
    out: list[Violation] = []
    meta_file, v = mapping_loader(
        folder / "snapshot.yaml", layout.rel(folder / "snapshot.yaml"), "snapshot", within=layout.root
    )
    out += v
    tables = {}
    for table in vocabulary.FACT_TABLE_NAMES:
        path = folder / f"{table}.yaml"
        loaded, v = table_loader(path, layout.rel(path), table, max_bytes, within=layout.root)
        out += [_with_year(x, year) for x in v]
        tables[table] = loaded
    meta = meta_file.records[0] if meta_file.records else None
    return Snapshot(year, meta, tables, meta_file), [_with_year(x, year) for x in out]


def unknown_entries(layout: Layout, years: list[str]) -> list[Violation]:
    """Files and folders in snapshots/ (and in the year folders loaded) that nothing reads: a table
    saved as `event.yaml` or a year folder named `２０２６` would be ignored without a word. Names
    starting with a dot (.gitkeep, editor files) are left alone."""
    expected_top = {layout.entities.name}
    expected_year = {"snapshot.yaml"} | {f"{t}.yaml" for t in vocabulary.FACT_TABLE_NAMES}
    out = []
    folders = [(layout.snapshots, expected_top, "")] + [(layout.year_dir(y), expected_year, y) for y in years]
    for folder, expected, year in folders:
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith(".") or entry.name in expected:
                continue
            if not year and entry.is_dir() and YEAR_RE.fullmatch(entry.name):
                continue
            what = "folder" if entry.is_dir() else "file"
            hint = (
                "name year folders with four ASCII digits (2026)"
                if entry.is_dir()
                else f"rename it to one of {', '.join(sorted(expected))}, or move it out of {layout.rel(folder)}/"
            )
            out.append(
                violation(
                    "load.unknown-file",
                    f"{what} {visible(layout.rel(entry))!r} is not read by any "
                    "table or year, so its contents would be ignored",
                    hint,
                    file=visible(layout.rel(entry)),
                    year=year,
                )
            )
    return out


def _with_year(v: Violation, year: str) -> Violation:
    if v.year:
        return v
    return replace(v, year=year)


def _loaders(cache: Cache | None):
    """(table loader, mapping loader): the plain ones, or those that hash what they read and ask
    the cache what the loader finds in it (bluebook.data.cache)."""
    if cache is None:
        return load_table, load_mapping
    from functools import partial

    from bluebook.data.cache import load_mapping_cached, load_table_cached

    return partial(load_table_cached, cache), load_mapping_cached


def open_project(
    root: Path, years: list[str] | None = None, cache: Cache | None = None, max_bytes: int = MAX_FILE_BYTES
) -> Project:
    """Read the registries and the snapshots of `years` (all when None), each file once, keeping
    every load violation on the project. Never raises for bad data. With a `cache`, every file is
    still read (and hashed) once, but parsed only when its records are used and the cache does not
    already know what the loader finds in it; the contracts' results are cached too."""
    with without_cyclic_gc():
        return _open(root, years, cache, max_bytes)


def _open(root: Path, years: list[str] | None, cache: Cache | None, max_bytes: int) -> Project:
    layout = Layout(root)
    table_loader, _ = _loaders(cache)
    out: list[Violation] = []
    entities, v = table_loader(layout.entities, layout.rel(layout.entities), "entities", max_bytes, within=layout.root)
    out += v
    sources, v = table_loader(layout.sources, layout.rel(layout.sources), "sources", max_bytes, within=layout.root)
    out += v
    chosen = layout.years() if years is None else years
    out += unknown_entries(layout, chosen)
    project = Project(layout, entities, sources, cache=cache, max_bytes=max_bytes)
    for year in chosen:
        snap, v = load_snapshot(layout, year, max_bytes, cache)
        project.snapshots[year] = snap
        out += v
    project.problems = out
    return project
