"""Time: no date after the snapshot's as_of; one open status per (organization, member) and one
open term per office at any time."""

from __future__ import annotations

from datetime import date

from bluebook import vocabulary
from bluebook.data import dates
from bluebook.data.load import Record
from bluebook.data.project import Snapshot
from bluebook.violations import Violation, violation


def check_time(snapshot: Snapshot) -> list[Violation]:
    """No date after as_of; one open status per (organization, member); one open term per office."""
    out: list[Violation] = []
    as_of = snapshot.as_of
    if as_of and dates.is_partial_date(as_of):
        limit = dates.end(as_of)
        for table in vocabulary.FACT_TABLE_NAMES:
            for rec in snapshot.records(table):
                for column in vocabulary.DATE_COLUMNS:
                    value = rec.data.get(column)
                    if dates.is_partial_date(value) and dates.start(value) > limit:
                        out.append(violation("time.after-as-of", f"{column} {value} lies after as_of {as_of}",
                                             "a snapshot describes the world up to as_of; move the fact to a later "
                                             "year or correct the date", **snapshot.where(table, rec, column)))
    out += _overlaps(snapshot, "memberships", ("organization", "member"), "time.overlapping-status",
                     "{a} and {b} give {key} two statuses at the same time",
                     "set 'until' on the earlier status, or merge the records")
    out += _overlaps(snapshot, "officeholders", ("office",), "time.overlapping-term",
                     "{a} and {b} are both open terms of {key} at the same time",
                     "set 'until' on the earlier term (inferred from the successor's attestation if need be)")
    return out

_FAR_PAST, _FAR_FUTURE = date.min, date.max

def _certain_interval(rec: Record) -> tuple[date, date] | None:
    """The span in which the record certainly holds: from the end of `since` (or the start of
    `attested`) to the start of `until`; open ends reach the far past and future."""
    since, until, attested = (rec.data.get(k) for k in ("since", "until", "attested"))
    if any(v is not None and not dates.is_partial_date(v) for v in (since, until, attested)):
        return None  # reported by the schema
    lo = dates.end(since) if since else dates.start(attested) if attested else _FAR_PAST
    hi = dates.start(until) if until else _FAR_FUTURE
    return lo, hi

def _overlaps(snapshot: Snapshot, table: str, key_cols: tuple[str, ...], code: str, message: str, hint: str) -> list[Violation]:
    groups: dict[tuple, list[Record]] = {}
    for rec in snapshot.records(table):
        if vocabulary.is_terminal(table, rec.data.get("status")):
            continue  # a withdrawal ends the relation; it is not an open status
        groups.setdefault(tuple(rec.data.get(c) for c in key_cols), []).append(rec)
    out = []
    for key, recs in groups.items():
        spans = [(r, _certain_interval(r)) for r in recs]
        spans = [(r, s) for r, s in spans if s]
        for i, (a, sa) in enumerate(spans):
            for b, sb in spans[i + 1:]:
                if sa[0] < sb[1] and sb[0] < sa[1]:
                    out.append(violation(code, message.format(a=a.id, b=b.id, key="/".join(map(str, key))), hint,
                                         **snapshot.where(table, b)))
    return out
