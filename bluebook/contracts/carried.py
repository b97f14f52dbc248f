"""Facts carried forward by `bluebook new-year` and not yet confirmed against the new edition.

A carried fact holds what the previous year's sources said; until the curator confirms it (and
deletes its `carried` marker) or ends it, the year rests on last year's reading. `check` warns once
per such fact, so the list shrinks as the curator works through the new edition."""

from __future__ import annotations

from bluebook import vocabulary
from bluebook.data.project import Snapshot
from bluebook.violations import Violation, violation


def check_carried(snapshot: Snapshot) -> list[Violation]:
    out = []
    for table in vocabulary.STATE_TABLES:
        for rec in snapshot.records(table):
            carried = rec.data.get(vocabulary.CARRIED)
            if not carried:
                continue
            out.append(
                violation(
                    "carried.unconfirmed",
                    f"{rec.id} was carried forward from {carried} by `bluebook new-year` and is not yet confirmed "
                    f"for {snapshot.year}",
                    f"check it against the {snapshot.year} edition: if it still holds, update source/evidence and delete "
                    "`carried`; if it changed, edit it (and delete `carried`); if it ended, set its end date or status "
                    "with a source (deleting an open fact is a silent drop)",
                    **snapshot.where(table, rec, vocabulary.CARRIED),
                )
            )
    return out
