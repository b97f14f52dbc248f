"""`bluebook new-year YEAR`: scaffold the next year's snapshot from the previous one.

Every state fact of YEAR-1 that is still open (a membership without `until`, an agreement not
ended or expired, an office term without `until`, a measure) is copied into snapshots/YEAR/ with
`carried: YEAR-1`, so the curator edits what the new edition changes instead of re-typing what it
does not; `check` warns while a carried fact is unconfirmed, and the change report lists carried
facts apart. Events and indicators belong to their year and are not carried. The new folder is
written whole or not at all (a temporary folder renamed into place), and an existing year is
never overwritten.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bluebook import vocabulary
from bluebook.changes.diff import is_ended
from bluebook.data.canonical import dump_mapping, dump_table
from bluebook.data.project import YEAR_RE, Layout, load_snapshot
from bluebook.errors import UsageError
from bluebook.violations import ERROR


class NewYearError(UsageError):
    """The new year cannot be scaffolded (it exists, the previous year is missing or unreadable)."""


@dataclass
class NewYearResult:
    year: str
    previous: str
    folder: Path
    carried: dict[str, int] = field(default_factory=dict)  # table → facts carried
    left: dict[str, int] = field(default_factory=dict)  # table → ended facts not carried

    @property
    def total(self) -> int:
        return sum(self.carried.values())


def carry_record(data: dict, previous: str) -> dict:
    """The record as carried into the next year: unchanged, marked `carried: <previous year>`."""
    out = {k: v for k, v in data.items() if k != vocabulary.CARRIED}
    out[vocabulary.CARRIED] = previous
    return out


def new_year(root: Path, year: str) -> NewYearResult:
    """Create snapshots/<year>/ from snapshots/<year-1>/; raises NewYearError, never half-writes."""
    layout = Layout(root)
    if not YEAR_RE.fullmatch(year or ""):
        raise NewYearError(f"year {year!r} is not a four-digit year")
    previous = str(int(year) - 1)
    target = layout.year_dir(year)
    if target.exists():
        raise NewYearError(
            f"{layout.rel(target)} exists already; new-year never overwrites a year "
            "(edit it, or remove it yourself to start again)"
        )
    if not layout.year_dir(previous).is_dir():
        have = ", ".join(layout.years()) or "none"
        raise NewYearError(
            f"no snapshot for {previous} to carry from (snapshots exist for {have}); "
            "new-year starts from the year before"
        )
    snapshot, problems = load_snapshot(layout, previous)
    errors = [v for v in problems if v.severity == ERROR]
    if errors or snapshot.meta is None:
        first = errors[0] if errors else None
        where = f": {first.where} {first.message}" if first else ""
        raise NewYearError(
            f"snapshots/{previous} cannot be read whole{where}; fix it first "
            f"(`bluebook check {previous}`), or facts would be lost"
        )
    result = NewYearResult(year, previous, target)
    files: dict[str, str] = {}
    for table in vocabulary.FACT_TABLE_NAMES:
        records = []
        if table in vocabulary.STATE_TABLES:
            for rec in snapshot.records(table):
                if is_ended(table, rec.data):
                    result.left[table] = result.left.get(table, 0) + 1
                else:
                    records.append(carry_record(rec.data, previous))
            result.carried[table] = len(records)
        files[f"{table}.yaml"] = dump_table(records, table)
    files["snapshot.yaml"] = dump_mapping(_meta(snapshot.meta.data, year, previous, result.total), "snapshot")
    _write_folder(target, files)
    return result


def _meta(previous_meta: dict, year: str, previous: str, carried: int) -> dict:
    """snapshot.yaml of the new year: placeholders the curator replaces from the new edition. The
    sources are the previous year's (the carried facts cite them) until the new edition's are added."""
    sources = listed if isinstance(listed := previous_meta.get("sources"), list) else []
    return {
        "year": year,
        "as_of": f"{year}-12-31",
        "edition": f"Diplomatic Bluebook {int(year) + 1}",
        "sources": list(sources),
        "note": (
            f"Scaffolded by `bluebook new-year {year}`: {carried} open facts carried forward from {previous}, "
            "each marked `carried` until confirmed against the new edition. To do: set as_of to the edition's "
            "cut-off, add the edition's source to sources/sources.yaml and here, confirm or end each carried "
            "fact, and add the year's new facts, events and indicators."
        ),
    }


def _write_folder(target: Path, files: dict[str, str]) -> None:
    """Write every file into a temporary sibling folder, then rename it to `target` in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; the snapshot folder is not
        for name, text in files.items():
            with open(tmp / name, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        if target.exists():  # appeared while we wrote: never replace it
            raise NewYearError(f"{target} appeared while it was being written; nothing was changed")
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
