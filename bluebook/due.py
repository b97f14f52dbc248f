"""The watch between editions: the facts of the latest snapshot whose recorded or implied dates have
passed since its as_of, so the curator hears each week what to confirm before the next edition.

An item comes due on a day (`since`) and is listed on a day D when `since` lies after the end of
the fact's as_of and on or before D. The fact's as_of is its snapshot's; for a fact `bluebook
new-year` carried forward and nobody has confirmed yet, it is the as_of of the year it came from
(what it holds was read then). What had come due by the as_of is what the edition itself reported:
that is the snapshot's state, not news, so nothing is ever due on the snapshot's own as_of.

The rules (each item's `rule`):
- `due.end` — an end (`until`, `ended`) the as_of could not see whole: its date reaches past the
  start of the as_of (New START: ended 2026-02 at as_of 2026-02). Due the day after both the date
  and the as_of have passed; no threshold.
- `due.in-force` — an agreement `signed` and not yet in force, `SIGNED_TO_IN_FORCE` after signing
  (only kinds that enter into force, `ENTERS_INTO_FORCE`: not statements or programmes).
- `due.invitation` — a membership `invited`, `INVITED_TO_DECIDED` after the invitation.
- `due.succession` — an open office term (no `until`) when another record of the project (any
  year, any source) shows someone else in that office after the term was last attested. Due from
  the start of that record's date; no threshold.
- `due.edition` — the next edition: the latest snapshot's as_of is `EDITION_INTERVAL` old.

Every threshold is here, with why it is what it is. The run date is a parameter: this module never
reads the clock (the CLI and the review flow compute today in Asia/Tokyo, `TOKYO`, and pass it).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta, timezone

from bluebook import vocabulary
from bluebook.data import dates
from bluebook.data.load import Record
from bluebook.data.project import Project, Snapshot
from bluebook.errors import UnreadableInput, UsageError
from bluebook.reports.names import Names, label
from bluebook.text import visible
from bluebook.violations import ERROR, violation

# Japan has kept UTC+9 without daylight saving since 1951: a fixed offset is Asia/Tokyo exactly, and
# needs no time-zone database on the machine that runs the schedule.
TOKYO = timezone(timedelta(hours=9), "Asia/Tokyo")


@dataclass(frozen=True)
class Threshold:
    """How long after a recorded date a fact is due for a look, and why that long."""

    name: str
    months: int
    why: str


SIGNED_TO_IN_FORCE = Threshold(
    "signed, not in force",
    12,
    "Agreements of the kinds recorded here enter into force within about a year of signature once the "
    "parties ratify: in this project's data the Japan–Turkmenistan tax convention took 11 months "
    "(2024-12-16 → 2025-11), the Japan–Armenia one 12 (2024-12-26 → 2025-12), the Japan–Azerbaijan one 7 "
    "(2022-12-27 → 2023-08-04) and the Russia–DPRK treaty 6 (2024-06-19 → 2024-12-04). A year after the "
    "signing month, an agreement still recorded as only signed has entered into force or stalled, and the "
    "record should say which.",
)

INVITED_TO_DECIDED = Threshold(
    "invited, not decided",
    6,
    "An invitation names an accession that follows within months: the BRICS invitations of August 2023 "
    "took effect on 1 January 2024 (about 5 months) and the partner-country invitations of October 2024 "
    "on 1 January 2025 (about 3), as the 2023 and 2024 snapshots record. Six months after the invitation's "
    "month the invitee has joined, declined or is still weighing it, and the record should say which.",
)

EDITION_INTERVAL = Threshold(
    "next edition",
    16,
    "The Diplomatic Bluebook appears once a year, in spring, and covers the year before: the edition "
    "after a snapshot whose as_of is the end of its year appears about 16 months after that as_of "
    "(as_of 2024-12-31 → Diplomatic Bluebook 2026 in spring 2026). After that, the next year's snapshot "
    "can be built and is due.",
)

THRESHOLDS = (SIGNED_TO_IN_FORCE, INVITED_TO_DECIDED, EDITION_INTERVAL)

# Kinds of agreement that enter into force. Statements (declarations, joint statements, communiques)
# are adopted or issued, and a programme runs for the period it names: neither enters into force, so
# neither is ever due for it. `other` (a private arrangement, say) is left out: nothing says it would.
ENTERS_INTO_FORCE = tuple(
    k for k in vocabulary.AGREEMENT_KINDS if k not in vocabulary.STATEMENT_KINDS and k not in ("programme", "other")
)

# Each rule, as counted in a summary line: "4 signed, not in force after 12 months".
RULES = {
    "due.end": "end recorded at the edge of the as_of",
    "due.in-force": f"signed, not in force after {SIGNED_TO_IN_FORCE.months} months",
    "due.invitation": f"invited, undecided after {INVITED_TO_DECIDED.months} months",
    "due.succession": "office term with a later holder recorded",
    "due.edition": f"next edition expected (as_of over {EDITION_INTERVAL.months} months old)",
}


@dataclass(frozen=True)
class DueItem:
    """One fact due for confirmation: where it stands, since when, what is due and what to look for."""

    rule: str
    year: str
    table: str  # a fact table, or "snapshot" for the edition
    id: str
    file: str
    line: int
    since: date  # the first day the item is due
    date: str  # the recorded date it follows from, e.g. "ended 2026-02"
    what: str
    look_for: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "year": self.year,
            "table": self.table,
            "id": self.id,
            "file": self.file,
            "line": self.line,
            "where": self.where,
            "since": self.since.isoformat(),
            "date": self.date,
            "what": self.what,
            "look_for": self.look_for,
        }


@dataclass
class DueReport:
    """What is due on a day in the latest snapshot. `unreadable` is set (and `items` empty) only
    where a caller chose to go on without the watch (the review, whose check fails on the same
    files); `bluebook due` raises instead."""

    year: str
    as_of: str
    edition: str
    on: date
    items: list[DueItem] = field(default_factory=list)
    next: DueItem | None = None  # the first item still to come after `on`
    unreadable: str = ""

    @property
    def failed(self) -> bool:
        """What `--strict` / `strict_due` fail on: an item due, or a watch that could not run."""
        return bool(self.items or self.unreadable)

    def count_by_rule(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in self.items:
            out[item.rule] = out.get(item.rule, 0) + 1
        return out


def parse_on(text: str) -> date:
    """A run date given as YYYY-MM-DD; a UsageError otherwise."""
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise UsageError(f"{visible(repr(text))} is not a day; give YYYY-MM-DD, e.g. 2026-11-30")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"{text!r} is not a day: {exc}") from exc


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month (2025-01-31 + 1 → 2025-02-28)
    and to the last day a date can name."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def day_after(day: date, months: int = 0) -> date:
    """The first day after `day` plus `months`: when an item comes due (date.max at the far end)."""
    later = add_months(day, months)
    return later if later == date.max else later + timedelta(days=1)


def next_edition(edition: str) -> str:
    """Diplomatic Bluebook 2026 → Diplomatic Bluebook 2027 (the edition that covers the next year)."""
    m = re.fullmatch(r"(.*?)([0-9]{4})\s*", edition or "")
    if not m:
        return f"the edition after {edition}" if edition else "the next edition"
    return f"{m.group(1)}{int(m.group(2)) + 1}"


def latest_year(project: Project) -> str:
    if not project.snapshots:
        raise UsageError("the project has no snapshot to watch")
    return max(project.snapshots)


def _refuse_unreadable(project: Project, year: str) -> None:
    """The latest snapshot, and what the watch reads of the other years (their office terms and
    snapshot.yaml), must be read whole: a record that could not be read would be missing from the
    list without a word."""
    others = {s.file(t) for y, s in project.snapshots.items() if y != year for t in ("officeholders",)}
    others |= {s.meta_file.rel for y, s in project.snapshots.items() if y != year and s.meta_file}
    errors = [v for v in project.problems if v.severity == ERROR and (v.year == year or v.file in others)]
    if errors:
        raise UnreadableInput(f"the {year} snapshot (the due watch would miss facts)", errors)
    snap = project.snapshots[year]
    if not dates.is_partial_date(snap.as_of):
        where = snap.meta_file.rel if snap.meta_file else f"snapshots/{year}/snapshot.yaml"
        line = snap.meta.line_of("as_of") if snap.meta else 0
        problem = violation(
            "snapshot.meta",
            f"as_of {snap.as_of!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD), so nothing can be placed after it",
            file=where,
            line=line,
            year=year,
        )
        raise UnreadableInput(f"the {year} snapshot", [problem])


@dataclass
class _Watch:
    project: Project
    snap: Snapshot
    names: Names
    edition: str

    @property
    def year(self) -> str:
        return self.snap.year

    def as_of(self, rec: Record) -> str:
        """The as_of a fact was read at: its snapshot's, or for an unconfirmed carried fact the as_of
        of the year it was carried from."""
        carried = rec.data.get(vocabulary.CARRIED)
        origin = self.project.snapshots.get(str(carried)) if carried else None
        if origin is not None and dates.is_partial_date(origin.as_of):
            return str(origin.as_of)
        return str(self.snap.as_of)

    def item(
        self,
        rule: str,
        table: str,
        rec: Record,
        key: str,
        since: date,
        as_of: str,
        recorded: str,
        what: str,
        look_for: str,
    ) -> DueItem | None:
        """The item, when it comes due after the fact's as_of (`watch` keeps those due by the run
        date and names the first one still to come)."""
        if not dates.end(as_of) < since:
            return None
        return DueItem(
            rule, self.year, table, rec.id, self.snap.file(table), rec.line_of(key), since, recorded, what, look_for
        )

    def label(self, table: str, rec: Record) -> str:
        return label(table, rec.data, rec.id, self.names)

    def read_at(self, rec: Record, as_of: str) -> str:
        """How the fact was read: "at as_of 2026-02", "(carried from 2025) at as_of 2026-02"."""
        carried = rec.data.get(vocabulary.CARRIED)
        return f"(carried from {carried}) at as_of {as_of}" if carried else f"at as_of {as_of}"


def _ends(w: _Watch) -> list[DueItem]:
    """`due.end`: an end the as_of could not see whole, once it and the as_of have passed."""
    out = []
    for table in vocabulary.STATE_TABLES:
        column = vocabulary.TABLES[table].end_column
        if column is None:
            continue
        for rec in w.snap.records(table):
            value = rec.data.get(column)
            as_of = w.as_of(rec)
            if not dates.is_partial_date(value) or dates.end(value) <= dates.start(as_of):
                continue  # no end, or one that lies wholly before the as_of: the edition saw it
            status = vocabulary.status(table, rec.data.get("status"))
            since = day_after(max(dates.end(value), dates.end(as_of)))
            name = w.label(table, rec)
            if status is None or status.terminal:
                state = f"{status.words}, " if status else ""
                what = f"{name}: {state}{column} {value}, recorded {w.read_at(rec, as_of)}, before {value} had wholly passed"
            else:
                what = (
                    f"{name}: {column} {value}, recorded {w.read_at(rec, as_of)}, before {value} had wholly passed, "
                    f"and the status is still {status.words}"
                )
            after = {
                "agreements": "what followed it (an extension, a successor agreement, or none)",
                "officeholders": "who holds the office after it",
                "memberships": "the status that followed",
            }[table]
            look = f"the {next_edition(w.edition)}: confirm that it ended in {value} as recorded (and the day), and {after}"
            end_year = value[:4]
            if end_year > w.year:
                look += (
                    f"; it ended in {end_year}, after the year this snapshot describes, so record it in the "
                    f"{end_year} snapshot too (`bluebook new-year` carries only open facts)"
                )
            if status is not None and not status.terminal:
                look += "; then set its status to the one it ended with"
            found = w.item("due.end", table, rec, column, since, as_of, f"{column} {value}", what, look)
            if found:
                out.append(found)
    return out


def _not_in_force(w: _Watch) -> list[DueItem]:
    """`due.in-force`: signed, never in force, SIGNED_TO_IN_FORCE after the signing."""
    out = []
    months = SIGNED_TO_IN_FORCE.months
    for rec in w.snap.records("agreements"):
        signed = rec.data.get("signed")
        if (
            rec.data.get("status") != "signed"
            or rec.data.get("kind") not in ENTERS_INTO_FORCE
            or rec.data.get("in_force")
            or not dates.is_partial_date(signed)
        ):
            continue
        as_of = w.as_of(rec)
        since = day_after(dates.end(signed), months)
        what = (
            f"{w.label('agreements', rec)}: signed {signed}, and no entry into force {months} months on "
            f"(recorded {w.read_at(rec, as_of)})"
        )
        look = (
            f"whether it entered into force (status in_force, its in_force date and a source) or awaits "
            f"ratification (keep it signed, say so in the note), in the {next_edition(w.edition)} or the "
            f"parties' announcements"
        )
        found = w.item("due.in-force", "agreements", rec, "signed", since, as_of, f"signed {signed}", what, look)
        if found:
            out.append(found)
    return out


def _invitations(w: _Watch) -> list[DueItem]:
    """`due.invitation`: invited, INVITED_TO_DECIDED after the invitation."""
    out = []
    months = INVITED_TO_DECIDED.months
    for rec in w.snap.records("memberships"):
        invited = rec.data.get("since")
        if rec.data.get("status") != "invited" or not dates.is_partial_date(invited):
            continue
        as_of = w.as_of(rec)
        since = day_after(dates.end(invited), months)
        member, org = w.names(rec.data.get("member")), w.names(rec.data.get("organization"))
        what = (
            f"{w.label('memberships', rec)}: invited {invited}, and no decision {months} months on "
            f"(recorded {w.read_at(rec, as_of)})"
        )
        look = (
            f"whether {member} joined {org} (a new status with its since date), declined, or is still only "
            f"invited: the {next_edition(w.edition)} or {org}'s announcements"
        )
        found = w.item(
            "due.invitation", "memberships", rec, "since", since, as_of, f"invited since {invited}", what, look
        )
        if found:
            out.append(found)
    return out


def _start(rec: Record) -> str | None:
    """The date from which a term is known: since, else attested."""
    for key in ("since", "attested"):
        if dates.is_partial_date(rec.data.get(key)):
            return rec.data[key]
    return None


def _last_seen(rec: Record) -> str | None:
    """The latest date a term is known to hold: the later of since and attested."""
    known = [rec.data[k] for k in ("since", "attested") if dates.is_partial_date(rec.data.get(k))]
    return max(known, key=dates.end) if known else None


def _successions(w: _Watch) -> list[DueItem]:
    """`due.succession`: an open term, and a record of anyone else in its office after it was last seen."""
    others = [(s, r) for s in w.project.snapshots.values() for r in s.records("officeholders")]
    out = []
    for rec in w.snap.records("officeholders"):
        office, person, last = rec.data.get("office"), rec.data.get("person"), _last_seen(rec)
        if rec.data.get("until") or last is None or not isinstance(office, str):
            continue
        later = [
            (dates.start(begins), s, r)
            for s, r in others
            if r.data.get("office") == office
            and r.data.get("person") != person
            and (begins := _start(r))
            and dates.start(begins) > dates.end(last)
        ]
        if not later:
            continue
        when, snap, successor = min(later, key=lambda x: (x[0], x[1].year, x[2].line))
        as_of = w.as_of(rec)
        key = "since" if successor.data.get("since") else "attested"
        what = (
            f"{w.label('officeholders', rec)}: open term, last seen {last} (recorded {w.read_at(rec, as_of)}); "
            f"{w.names(successor.data.get('person'))} is recorded in the office from {successor.data[key]} "
            f"({snap.file('officeholders')}:{successor.line_of(key)}, {successor.id})"
        )
        look = (
            f"whether {w.names(person)} left the office: set `until` on this term (the successor's start, "
            f"inferred if need be) with a source, or correct the later record"
        )
        found = w.item(
            "due.succession",
            "officeholders",
            rec,
            "attested" if rec.data.get("attested") else "since",
            when,
            as_of,
            f"last seen {last}",
            what,
            look,
        )
        if found:
            out.append(found)
    return out


def _edition(w: _Watch) -> list[DueItem]:
    """`due.edition`: the latest snapshot's as_of is EDITION_INTERVAL old; the next year's is due."""
    as_of = str(w.snap.as_of)
    months = EDITION_INTERVAL.months
    since = day_after(dates.end(as_of), months)
    if w.snap.meta is None:
        return []
    following = str(int(w.year) + 1)
    edition = next_edition(w.edition)
    what = (
        f"no snapshot for {following}: the {w.year} snapshot's as_of ({as_of}) is over {months} months old, and "
        f"the {edition}, covering {following}, is expected by now"
    )
    look = (
        f"the {edition}: once it is out, `bluebook new-year {following}` starts the {following} snapshot from "
        f"the open facts of {w.year}"
    )
    return [
        DueItem(
            "due.edition",
            w.year,
            "snapshot",
            w.year,
            w.snap.meta_file.rel if w.snap.meta_file else "",
            w.snap.meta.line_of("as_of"),
            since,
            f"as_of {as_of}",
            what,
            look,
        )
    ]


def watch(project: Project, on: date) -> DueReport:
    """Every item of the latest snapshot due on `on`, oldest first. Raises UnreadableInput when the
    snapshot (or what the watch reads of the other years) cannot be read whole: an empty list would
    say nothing is due."""
    year = latest_year(project)
    _refuse_unreadable(project, year)
    snap = project.snapshots[year]
    names = Names()
    names.entities.update({eid: r.data for eid, r in project.entity_index.items()})
    edition = snap.meta.data.get("edition") if snap.meta else None
    w = _Watch(project, snap, names, edition if isinstance(edition, str) else "")
    found = _ends(w) + _not_in_force(w) + _invitations(w) + _successions(w) + _edition(w)
    found.sort(key=lambda i: (i.since, i.file, i.line, i.id))
    due = [i for i in found if i.since <= on]
    coming = [i for i in found if i.since > on]
    return DueReport(year, str(snap.as_of), w.edition, on, due, next=coming[0] if coming else None)
