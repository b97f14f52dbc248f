"""Snapshot metadata (`snapshot.yaml` describes its folder) and canonical form (each file as
`bluebook fmt` writes it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bluebook.data import dates
from bluebook.data.canonical import canonical_diff, comment_lines, comments_refusal, dump_mapping, dump_table
from bluebook.data.load import LoadedFile
from bluebook.data.project import Project, Snapshot
from bluebook.violations import Violation, violation


def check_snapshot_meta(project: Project, snapshot: Snapshot) -> list[Violation]:
    rel = project.layout.rel(project.layout.year_dir(snapshot.year) / "snapshot.yaml")
    meta = snapshot.meta
    if meta is None:
        return []  # the loader reported why
    out = []
    where: dict[str, Any] = dict(file=rel, year=snapshot.year, table="snapshot")
    if meta.data.get("year") != snapshot.year and "year" not in meta.refused:  # (a refused value: reported)
        out.append(
            violation(
                "snapshot.meta",
                f"year {meta.data.get('year')!r} is not the folder's year {snapshot.year}",
                f"set year: {snapshot.year}",
                line=meta.line_of("year"),
                **where,
            )
        )
    as_of = meta.data.get("as_of")
    if "as_of" in meta.refused:
        pass
    elif not dates.is_partial_date(as_of):
        out.append(
            violation(
                "snapshot.meta",
                f"as_of {as_of!r} is not a partial date",
                "set as_of: the last day the snapshot describes (YYYY-MM-DD)",
                line=meta.line_of("as_of"),
                **where,
            )
        )
    elif dates.end(as_of) < date(int(snapshot.year), 12, 31):
        out.append(
            violation(
                "snapshot.meta",
                f"as_of {as_of} is before the year {snapshot.year} ends",
                "as_of is the end of the year or later (the edition's cut-off)",
                line=meta.line_of("as_of"),
                **where,
            )
        )
    elif dates.start(as_of) > date(int(snapshot.year) + 1, 12, 31):
        # Why: a far as_of (2099) would switch off the after-as_of rule for every fact of the year.
        out.append(
            violation(
                "snapshot.meta",
                f"as_of {as_of} is more than a year after {snapshot.year} ends",
                f"as_of is the edition's cut-off, at the latest the end of {int(snapshot.year) + 1}",
                line=meta.line_of("as_of"),
                **where,
            )
        )
    if not meta.data.get("edition") and "edition" not in meta.refused:
        out.append(
            violation(
                "snapshot.meta",
                "snapshot.yaml has no edition",
                'set edition: "Diplomatic Bluebook <year + 1>"',
                line=meta.line,
                **where,
            )
        )
    known = project.source_index
    sources = meta.data.get("sources")
    listed = sources if isinstance(sources, list) else []
    if not listed and "sources" not in meta.refused:
        out.append(
            violation(
                "snapshot.meta",
                "snapshot.yaml lists no sources",
                "list the source ids the snapshot uses",
                line=meta.line,
                **where,
            )
        )
    for sid in listed:
        if sid not in known:
            out.append(
                violation(
                    "ref.unknown-source",
                    f"snapshot source '{sid}' is not in sources/sources.yaml",
                    "add it to sources/sources.yaml",
                    line=meta.line_of("sources"),
                    **where,
                )
            )
    return out


def check_canonical(project: Project, files: list[LoadedFile] | None = None) -> list[Violation]:
    """Warn (with the diff) about files (all the project's by default) that are not in the form
    `bluebook fmt` writes, from the text the loader read. Files with load errors are left out: their
    canonical form would drop what could not be read."""
    out = []
    year_of = {f.rel: year for year, snap in project.snapshots.items() for f in snap.files}
    for loaded in project.files if files is None else files:
        if loaded.canonical:
            continue  # the fast reader proved the text canonical while reading it: a dump would give it back
        if not loaded.ok or loaded.text is None or loaded.rel in project.unreadable:
            continue
        canonical = (
            dump_mapping(loaded.records[0].data, "snapshot")
            if loaded.table == "snapshot"
            else dump_table([r.data for r in loaded.records], loaded.table)
        )
        if loaded.text != canonical:
            comments = comment_lines(loaded.text)
            hint = comments_refusal(comments) if comments else "run `bluebook fmt` to rewrite it"
            year = year_of.get(loaded.rel, "")
            out.append(
                violation(
                    "load.not-canonical",
                    f"{loaded.rel} is not in canonical form",
                    f"{hint}:\n{canonical_diff(loaded.text, canonical, loaded.rel)}",
                    file=loaded.rel,
                    year=year,
                    table=loaded.table,
                )
            )
    return out
