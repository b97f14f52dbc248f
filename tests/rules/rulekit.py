"""Small records and in-memory projects for the rule tests: each test calls one contract layer
directly (no files to write, no GX), so a rule's boundary costs milliseconds to pin."""

from __future__ import annotations

import shutil
from pathlib import Path

from bluebook import vocabulary
from bluebook.data.load import LoadedFile, Record
from bluebook.data.project import Layout, Project, Snapshot

REPO = Path(__file__).resolve().parents[2]
HELD_NAME = "diplomatic-bluebook-2026-ch2-s6.ja.md"
HELD_TEXT = REPO / "sources" / HELD_NAME
HELD_SHA256 = "a67dafd13a6acbbeb1f7e478647d25c0ffc4074c0bfe1b722ce1486c94a6bbe9"

CITED = {"basis": "cited", "source": "cited-src"}

# One valid record per table: cited (no quote to verify), every required column set.
VALID: dict[str, dict] = {
    "memberships": {"id": "brics.vnm", "organization": "BRICS", "member": "VNM", "status": "member", **CITED},
    "agreements": {
        "id": "new-start",
        "title_en": "New START",
        "kind": "treaty",
        "parties": ["RUS", "USA"],
        "status": "in_force",
        **CITED,
    },
    "officeholders": {
        "id": "jpn.pm.takaichi",
        "office": "JPN.prime_minister",
        "person": "person.takaichi-sanae",
        "since": "2025-10",
        **CITED,
    },
    "measures": {
        "id": "jpn.rus.price-cap",
        "imposer": "JPN",
        "target": "RUS",
        "kind": "price_cap",
        "action": "tightened",
        "date": "2025-09",
        "title_en": "Price cap lowered",
        **CITED,
    },
    "events": {
        "id": "2025-12.summit",
        "date": "2025-12-20",
        "kind": "summit",
        "title_en": "A summit",
        "participants": ["JPN", "KAZ"],
        **CITED,
    },
    "indicators": {
        "id": "trade.jpn-rus.total.2025",
        "metric": "trade.total",
        "subject": "JPN",
        "counterpart": "RUS",
        "period": "2025",
        "value": 1195100000000,
        "unit": "JPY",
        **CITED,
    },
    "entities": {"id": "RUS", "kind": "country", "name_en": "Russia"},
    "sources": {
        "id": "cited-src",
        "title": "A cited page",
        "publisher": "Somebody",
        "language": "en",
        "url": "https://example.org/page",
        "license": "cited by URL",
    },
}

ENTITIES = [{"id": i, "kind": "country", "name_en": i} for i in ("JPN", "RUS", "USA", "VNM", "KAZ", "ARM")] + [
    {"id": "BRICS", "kind": "organization", "name_en": "BRICS"},
    {"id": "CSTO", "kind": "organization", "name_en": "CSTO"},
    {"id": "person.takaichi-sanae", "kind": "person", "name_en": "Takaichi Sanae", "country": "JPN"},
    {"id": "territory.crimea", "kind": "territory", "name_en": "Crimea"},
]
SOURCES = [
    dict(VALID["sources"]),
    {
        "id": "held-src",
        "title": "Held text",
        "publisher": "MOFA",
        "language": "ja",
        "path": HELD_NAME,
        "sha256": HELD_SHA256,
        "license": "attribution",
    },
    {
        "id": "no-url-src",
        "title": "No URL",
        "publisher": "Somebody",
        "language": "en",
        "path": HELD_NAME,
        "sha256": HELD_SHA256,
        "license": "attribution",
    },
]


def record(data: dict, line: int = 1) -> Record:
    """A record whose keys stand on the lines after its first, in the order given."""
    return Record(dict(data), line, {k: line + n for n, k in enumerate(data)})


def records(*rows: dict, first_line: int = 1) -> list[Record]:
    """Records one after another, each key on its own line (as a file would have them)."""
    out, line = [], first_line
    for row in rows:
        out.append(record(row, line))
        line += len(row)
    return out


def valid(table: str, **changes) -> dict:
    """The valid record of `table` with `changes` (a value None removes the key)."""
    data = dict(VALID[table], **changes)
    return {k: v for k, v in data.items() if v is not None}


def loaded(rel: str, table: str, recs: list[Record]) -> LoadedFile:
    return LoadedFile(rel, table, recs, True)


def snapshot(
    year: str = "2025", as_of: str | None = "2025-12-31", meta: dict | None = None, **tables: list[dict] | list[Record]
) -> Snapshot:
    """A snapshot of `year` whose tables hold the given rows (dicts become records on lines 1, …)."""
    meta_data = (
        meta
        if meta is not None
        else {
            "year": year,
            "as_of": as_of,
            "edition": "Diplomatic Bluebook",
            "sources": ["cited-src", "held-src", "no-url-src"],
        }
    )
    meta_data = {k: v for k, v in meta_data.items() if v is not None}
    files = {}
    for table in vocabulary.FACT_TABLE_NAMES:
        rows = tables.get(table, [])
        recs = list(rows) if all(isinstance(r, Record) for r in rows) else records(*rows)
        files[table] = loaded(f"snapshots/{year}/{table}.yaml", table, recs)
    return Snapshot(year, record(meta_data), files)


def project(
    root: Path, *snaps: Snapshot, entities: list[dict] | None = None, sources: list[dict] | None = None
) -> Project:
    """A project over `root` (which holds sources/<held text> when grounding is tested)."""
    p = Project(
        Layout(root),
        loaded("snapshots/entities.yaml", "entities", records(*(entities or ENTITIES))),
        loaded("sources/sources.yaml", "sources", records(*(sources or SOURCES))),
    )
    for s in snaps:
        p.snapshots[s.year] = s
    return p


def with_held_text(root: Path) -> Path:
    """`root/sources/` with a copy of the real held text (its sha256 is checked; a symlink leading out
    of sources/ is refused)."""
    (root / "sources").mkdir(parents=True, exist_ok=True)
    target = root / "sources" / HELD_NAME
    if not target.exists():
        shutil.copyfile(HELD_TEXT, target)
    return root


def brief(violations) -> list[tuple[str, str, int]]:
    """(code, id, line) of each violation, in order."""
    return [(v.code, v.id, v.line) for v in violations]
