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
                        out.append(
                            violation(
                                "time.after-as-of",
                                f"{column} {value} lies after as_of {as_of}",
                                "a snapshot describes the world up to as_of; move the fact to a later "
                                "year or correct the date",
                                **snapshot.where(table, rec, column),
                            )
                        )
    out += _overlaps(
        snapshot,
        "memberships",
        ("organization", "member"),
        "time.overlapping-status",
        "{a} and {b} give {key} two statuses at the same time",
        "set 'until' on the earlier status, or merge the records",
    )
    out += _overlaps(
        snapshot,
        "officeholders",
        ("office",),
        "time.overlapping-term",
        "{a} and {b} are both open terms of {key} at the same time",
        "set 'until' on the earlier term (inferred from the successor's attestation if need be)",
    )
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


def _overlaps(
    snapshot: Snapshot, table: str, key_cols: tuple[str, ...], code: str, message: str, hint: str
) -> list[Violation]:
    """One violation per key whose open spans overlap (naming the first overlapping pair and how many
    records overlap in all): a sweep over the spans sorted by start, so time is n log n and memory
    linear even for ten thousand records of one key."""
    groups: dict[tuple[str, ...], list[tuple[date, date, int, Record]]] = {}
    for n, rec in enumerate(snapshot.records(table)):
        if vocabulary.is_terminal(table, rec.data.get("status")):
            continue  # a withdrawal ends the relation; it is not an open status
        key = tuple(v for c in key_cols if isinstance(v := rec.data.get(c), str))
        span = _certain_interval(rec)
        if span is None or len(key) < len(key_cols):
            continue  # the schema reports what is malformed (a part of the key that is not a string)
        groups.setdefault(key, []).append((span[0], span[1], n, rec))
    out = []
    for key, spans in groups.items():
        spans.sort(key=lambda s: (s[0], s[2]))
        reach = spans[0]  # the span reaching furthest so far
        first: tuple | None = None
        overlapping = 0
        for later in spans[1:]:
            if later[0] < reach[1]:
                overlapping += 1
                first = first or (reach, later)
            if later[1] > reach[1]:
                reach = later
        if first is None:
            continue
        a, b = sorted(first, key=lambda s: s[2])  # name them in file order; report at the later one
        more = f" ({overlapping + 1} of its records overlap)" if overlapping > 1 else ""
        out.append(
            violation(
                code,
                message.format(a=a[3].id, b=b[3].id, key="/".join(key)) + more,
                hint,
                **snapshot.where(table, b[3]),
            )
        )
    return out
