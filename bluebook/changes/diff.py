"""Diff two snapshots: align records by (table, id), skip unchanged ones by hash, run DeepDiff only on
the records that differ, and classify each difference in the terms of the domain.

The classification here is the single source of truth for the change report *and* for the
cross-year contracts of `bluebook check` (silent drops, illegal transitions, rewritten `since`,
restated indicators): both read the same `Change` objects.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bluebook import vocabulary
from bluebook.data import dates

# The kinds of change, in report order. `carried`: a fact `bluebook new-year` carried forward into the
# head year, unchanged and not yet confirmed against the head year's edition (listed apart).
KINDS = ("added", "succeeded", "status_changed", "ended", "revised", "retired", "silent_drop", "provenance", "carried")

# DeepDiff settings, every one explicit: they changed meaning between major versions (8.0 made
# `threshold_to_diff_deeper` default to 0.33, which reports a whole record as one value change).
DEEPDIFF_SETTINGS = dict(
    threshold_to_diff_deeper=0,
    view="tree",
    verbose_level=2,
    ignore_order=False,  # records are aligned by id; order-free fields are frozensets already
    ignore_string_case=False,
    ignore_numeric_type_changes=True,  # 4 and 4.0 are the same indicator value
    significant_digits=None,
    max_passes=10_000_000,
    cache_size=0,
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object
    path: str  # DeepDiff's path, e.g. root['status']
    action: str  # DeepDiff's report type, e.g. values_changed, dictionary_item_added


@dataclass
class Change:
    table: str
    id: str
    kind: str
    before: dict | None
    after: dict | None
    fields: list[FieldChange] = field(default_factory=list)  # substance
    provenance: list[FieldChange] = field(default_factory=list)  # evidence, source, section, basis, note
    related: list[str] = field(default_factory=list)  # other ids merged into this change (succession)

    @property
    def changed_fields(self) -> list[str]:
        return [f.field for f in self.fields]

    def value(self, name: str, side: str = "after"):
        record = self.after if side == "after" else self.before
        return (record or {}).get(name)


@dataclass
class SnapshotDiff:
    base: str  # label of the base side, e.g. "2024" or "2025@HEAD~1"
    head: str
    base_year: str
    head_year: str
    changes: list[Change]
    events: list[dict]  # events of the head side that the base side lacks (occurrences, not changes)
    unchanged: int
    compared: int  # records present on both sides

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def summary(self) -> dict[str, int]:
        counts = {k: 0 for k in KINDS}
        for c in self.changes:
            counts[c.kind] += 1
        counts["events"] = len(self.events)
        return counts


def split_record(record: dict) -> tuple[dict, dict]:
    """(substance, provenance) of a record: set columns as frozensets, `id` dropped (it is the key)."""
    substance: dict = {}
    provenance: dict = {}
    for key, value in record.items():
        if key == "id":
            continue
        if key in vocabulary.SET_COLUMNS and isinstance(value, list):
            value = frozenset(value)
        (provenance if key in vocabulary.PROVENANCE_COLUMNS else substance)[key] = value
    return substance, provenance


def _digest(substance: dict, provenance: dict) -> int:
    """A cheap hash of a normalized record; equal records always hash equal (ties are re-checked)."""
    return hash((frozenset(substance.items()), frozenset(provenance.items())))


def _deepdiff():
    """DeepDiff, imported when some record really differs. deepdiff imports pandas (1 s) only to
    recognise pandas objects, which records never hold: where pandas is not loaded yet, the import
    is kept out for this one import (and pandas stays importable afterwards). Only while this is the
    process's one thread: hiding a module is process-wide, and another thread (the review flow
    validates years while it diffs) would fail to import pandas meanwhile."""
    if "deepdiff" not in sys.modules and "pandas" not in sys.modules and threading.active_count() == 1:
        # None makes `import pandas` inside deepdiff raise ImportError (the import system's documented
        # blocker); typeshed types sys.modules as holding modules only.
        sys.modules["pandas"] = None  # type: ignore[assignment]
        try:
            import deepdiff  # noqa: F401 - imported here, with pandas kept out
        finally:
            del sys.modules["pandas"]
    from deepdiff import DeepDiff

    return DeepDiff


def _field_changes(old: dict, new: dict) -> list[FieldChange]:
    """DeepDiff of two normalized, flat records, as one FieldChange per changed column."""
    tree = _deepdiff()(old, new, **DEEPDIFF_SETTINGS)
    out: dict[str, FieldChange] = {}
    for action, levels in tree.items():
        for level in levels:
            name = level.path(output_format="list")[0]
            if name in out:
                continue
            out[name] = FieldChange(
                name, _plain(old.get(name)), _plain(new.get(name)), level.path().split("]")[0] + "]", action
            )
    return sorted(out.values(), key=lambda f: _column_order(f.field))


def _plain(value):
    return sorted(value) if isinstance(value, frozenset) else value


_COLUMN_ORDER = {
    c: i
    for i, c in enumerate(
        dict.fromkeys([c for t in vocabulary.FACT_TABLES.values() for c in t] + list(vocabulary.PROVENANCE))
    )
}


def _column_order(name: str) -> int:
    return _COLUMN_ORDER.get(name, len(_COLUMN_ORDER))


def is_ended(table: str, record: dict) -> bool:
    """A state fact has ended when its end column is set or its status is terminal."""
    end = vocabulary.TABLES[table].end_column if table in vocabulary.TABLES else None
    if end and record.get(end):
        return True
    return vocabulary.is_terminal(table, record.get("status"))


def is_step_back(table: str, before: Mapping, after: Mapping) -> bool:
    """A membership moving down its path (member → invited) with no `since` wholly after the one
    before: the sources disagree or a record is wrong. The one rule of the across-years contract
    (year.status-reverted), the change report's wording and the membership grid's mark."""
    if table != "memberships":
        return False
    old, new = vocabulary.stage(table, before.get("status")), vocabulary.stage(table, after.get("status"))
    if old is None or new is None or new >= old:
        return False
    return not wholly_after(after.get("since"), before.get("since"))


def wholly_after(a: object, b: object) -> bool:
    """`a` lies wholly after `b` (both partial dates)."""
    return (
        isinstance(a, str)
        and isinstance(b, str)
        and dates.is_partial_date(a)
        and dates.is_partial_date(b)
        and dates.start(a) > dates.end(b)
    )


def _classify(table: str, before: dict, after: dict, fields: list[FieldChange]) -> str:
    names = {f.field for f in fields}
    if not names:
        return "carried" if after.get(vocabulary.CARRIED) else "provenance"
    if table in vocabulary.STATE_TABLES and not is_ended(table, before) and is_ended(table, after):
        return "ended"
    if "status" in names:
        return "status_changed"
    return "revised"


def diff_tables(
    table: str, base: dict[str, dict], head: dict[str, dict], columnar_min: int | None = None
) -> tuple[list[Change], int]:
    """Changes of one table between two {id: record} mappings, and the count of unchanged records.
    From `columnar_min` common records on (default COLUMNAR_MIN) the records that may differ are
    found in columns first (bluebook.changes.columnar); the rest certainly have not changed."""
    from bluebook.changes import columnar

    changes: list[Change] = []
    common = base.keys() & head.keys()
    candidates = common
    if len(common) >= (columnar.COLUMNAR_MIN if columnar_min is None else columnar_min):
        candidates = columnar.differing_ids(base, head, common, vocabulary.SET_COLUMNS)
    unchanged = len(common) - len(candidates)
    for rid in candidates:
        if base[rid] == head[rid]:  # equal as read: certainly unchanged (and cheap: shared strings compare by identity)
            unchanged += 1
            continue
        b_sub, b_prov = split_record(base[rid])
        h_sub, h_prov = split_record(head[rid])
        if _digest(b_sub, b_prov) == _digest(h_sub, h_prov) and b_sub == h_sub and b_prov == h_prov:
            unchanged += 1
            continue
        fields = _field_changes(b_sub, h_sub) if b_sub != h_sub else []
        prov = _field_changes(b_prov, h_prov) if b_prov != h_prov else []
        changes.append(
            Change(table, rid, _classify(table, base[rid], head[rid], fields), base[rid], head[rid], fields, prov)
        )
    for rid in head.keys() - base.keys():
        if table == "events":
            continue  # occurrences: listed apart, never a change
        changes.append(Change(table, rid, "added", None, head[rid]))
    for rid in base.keys() - head.keys():
        if table not in vocabulary.STATE_TABLES:
            continue  # events and indicators are per-year records; leaving is not dropping
        kind = "retired" if is_ended(table, base[rid]) else "silent_drop"
        changes.append(Change(table, rid, kind, base[rid], None))
    return changes, unchanged


def _pair_successions(changes: list[Change]) -> list[Change]:
    """A term that ends (or retires) and a term that begins in the same office become one
    `succeeded` change: "Prime Minister of Japan: Ishiba Shigeru → Takaichi Sanae"."""
    offices: dict[str | None, dict[str, list[Change]]] = {}
    for c in changes:
        if c.table != "officeholders" or c.kind not in ("ended", "retired", "added"):
            continue
        record = c.after or c.before or {}
        side = "in" if c.kind == "added" else "out"
        offices.setdefault(record.get("office"), {}).setdefault(side, []).append(c)
    merged: set[int] = set()
    out: list[Change] = []
    for sides in offices.values():
        outgoing = sorted(sides.get("out", []), key=lambda c: _sort_date(c.before, ("until", "since", "attested")))
        incoming = sorted(sides.get("in", []), key=lambda c: _sort_date(c.after, ("since", "attested")))
        for old, new in zip(outgoing, incoming):
            merged.update((id(old), id(new)))
            out.append(
                Change(
                    "officeholders",
                    new.id,
                    "succeeded",
                    old.after or old.before,
                    new.after,
                    old.fields,
                    old.provenance,
                    related=[old.id],
                )
            )
    return [c for c in changes if id(c) not in merged] + out


def _sort_date(record: dict | None, columns: Iterable[str]) -> str:
    for c in columns:
        value = (record or {}).get(c)
        if isinstance(value, str) and dates.is_partial_date(value):
            return value
    return ""


def diff_snapshots(
    base_tables: dict[str, dict[str, dict]],
    head_tables: dict[str, dict[str, dict]],
    *,
    base_label: str,
    head_label: str,
    base_year: str,
    head_year: str,
    columnar_min: int | None = None,
) -> SnapshotDiff:
    """Diff two snapshots given as {table: {id: record}}."""
    changes: list[Change] = []
    unchanged = compared = 0
    for table in vocabulary.FACT_TABLE_NAMES:
        base, head = base_tables.get(table, {}), head_tables.get(table, {})
        table_changes, same = diff_tables(table, base, head, columnar_min)
        changes += table_changes
        unchanged += same
        compared += len(base.keys() & head.keys())
    changes = _pair_successions(changes)
    order = {k: i for i, k in enumerate(KINDS)}
    tables = {t: i for i, t in enumerate(vocabulary.FACT_TABLE_NAMES)}
    changes.sort(key=lambda c: (tables[c.table], order[c.kind], c.id))
    head_events = head_tables.get("events", {})
    base_events = base_tables.get("events", {})
    events = sorted(
        (dict(r, id=rid) for rid, r in head_events.items() if rid not in base_events),
        key=lambda r: (str(r.get("date", "")), r["id"]),
    )
    return SnapshotDiff(base_label, head_label, base_year, head_year, changes, events, unchanged, compared)
