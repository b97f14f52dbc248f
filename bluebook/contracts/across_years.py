"""Contracts across years: what changed between successive snapshots must make sense in time.

They read the classified changes of `bluebook.diff`, the same ones the change report renders.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from bluebook import vocabulary
from bluebook.changes.diff import Change, SnapshotDiff, is_step_back, wholly_after
from bluebook.changes.sides import Side, diff_sides, side_from_project
from bluebook.data.project import Project
from bluebook.violations import Violation, violation


def check_across_years(project: Project, unreadable: AbstractSet[str] = frozenset()) -> list[Violation]:
    """Violations between each pair of successive years of the project. A table whose file could
    not be read whole on either side is left out: its records would all look dropped."""
    years = sorted(project.snapshots)
    out: list[Violation] = []
    for older, newer in zip(years, years[1:]):
        out += pair_violations(project, older, newer, unreadable)
    return out


def pair_violations(
    project: Project, older: str, newer: str, unreadable: AbstractSet[str] = frozenset()
) -> list[Violation]:
    """Violations between two successive years (they read only those two snapshots), computed:
    `bluebook.contracts.check.check_pair` is the cached way every command takes."""
    base = side_from_project(project, older, refuse_repeated_ids=False)
    head = side_from_project(project, newer, refuse_repeated_ids=False)
    skip = {
        t
        for t in base.tables
        if project.snapshots[older].file(t) in unreadable or project.snapshots[newer].file(t) in unreadable
    }
    return [v for v in transition_violations(diff_sides(base, head), base, head, project) if v.table not in skip]


def transition_violations(
    diff: SnapshotDiff, base: Side, head: Side, project: Project | None = None
) -> list[Violation]:
    out: list[Violation] = []
    for change in diff.changes:
        where = _where(change, base, head, project)
        before, after = change.before or {}, change.after or {}
        label = f"{change.table} {change.id}"
        if change.kind == "silent_drop":
            out.append(
                violation(
                    "year.silent-drop",
                    f"{change.id} is open in {base.label} ({base.lines.get((change.table, change.id), '?')}) "
                    f"and missing from {head.label}",
                    "carry the fact forward (bluebook new-year does), or end it in "
                    f"{head.label} with {'until' if change.table != 'agreements' else 'ended'}/status and a source",
                    **where,
                )
            )
            continue
        if change.kind not in ("status_changed", "ended", "revised"):
            continue
        old_status, new_status = before.get("status"), after.get("status")
        old_terminal = vocabulary.is_terminal(change.table, old_status)
        if change.table == "agreements" and old_terminal and not vocabulary.is_terminal(change.table, new_status):
            out.append(
                violation(
                    "year.illegal-transition",
                    f"{label}: {old_status} in {base.label} → {new_status} in {head.label}; "
                    "an expired or terminated agreement does not come back into force",
                    "a new agreement gets a new id; otherwise correct the status",
                    **where,
                )
            )
        if (
            change.table == "memberships"
            and old_terminal
            and not vocabulary.is_terminal(change.table, new_status)
            and not wholly_after(after.get("since"), before.get("since"))
        ):
            out.append(
                violation(
                    "year.illegal-transition",
                    f"{label}: withdrawn (since {before.get('since')}) in {base.label} → {new_status} "
                    f"in {head.label} without a since after the withdrawal",
                    "set since to the date of re-admission, from a source",
                    **where,
                )
            )
        if change.table == "officeholders" and before.get("until") and not after.get("until"):
            out.append(
                violation(
                    "year.illegal-transition",
                    f"{label}: the term ended ({before.get('until')}) in {base.label} and is open again "
                    f"in {head.label}",
                    "a new term gets a new record and id",
                    **where,
                )
            )
        # A status may move up its path without a new date; moving down (member back to invited) with
        # no later `since` means the sources disagree or a record is wrong.
        if is_step_back(change.table, before, after):
            why = f" (note: {after.get('note')})" if after.get("note") else ""
            out.append(
                violation(
                    "year.status-reverted",
                    f"{label}: {old_status} (since {before.get('since')}) in {base.label} → {new_status} "
                    f"(since {after.get('since')}) in {head.label}{why}",
                    "sources disagree or a record is wrong: keep both readings with notes, or correct the status",
                    **where,
                )
            )
        names = change.changed_fields
        if "since" in names and old_status == new_status and before.get("since") and after.get("since"):
            out.append(
                violation(
                    "year.since-rewritten",
                    f"{label}: since {before.get('since')} in {base.label}, {after.get('since')} in {head.label}",
                    "keep since stable across years unless a source revises it (then say so in note)",
                    **where,
                )
            )
        if change.table == "indicators" and "value" in names:
            out.append(
                violation(
                    "year.indicator-restated",
                    f"{label}: value {before.get('value')} in {base.label}, {after.get('value')} in {head.label}",
                    "a restated figure needs a note naming the revising source",
                    **where,
                )
            )
    return out


def _where(change: Change, base: Side, head: Side, project: Project | None) -> dict:
    """Locate a change in the head file (or, for a drop, the head table's file)."""
    loc = head.lines.get((change.table, change.id))
    file, line = (loc.file, loc.line) if loc else ("", 0)
    if not file and project is not None and head.year in project.snapshots:
        file = project.snapshots[head.year].file(change.table)
    return dict(file=file, line=line, year=head.year, table=change.table, id=change.id)
