"""References: every entity, source, section and office holder a fact names exists, with the
right kind. Returns violations; never raises for bad data."""

from __future__ import annotations

from bluebook import vocabulary
from bluebook.data.heldtext import normalize
from bluebook.data.load import Record
from bluebook.data.project import Project, Snapshot
from bluebook.violations import Violation, violation


def check_references(project: Project, snapshot: Snapshot) -> list[Violation]:
    """Every entity, source and section a fact names exists, with the right kind."""
    entities = project.entity_index
    sources = project.source_index
    held_sections: dict[str, frozenset[str]] = {}
    out: list[Violation] = []
    meta_sources = snapshot.meta.data.get("sources") if snapshot.meta else None
    listed = set(meta_sources) if isinstance(meta_sources, list) else None
    for table in vocabulary.FACT_TABLE_NAMES:
        for rec in snapshot.records(table):
            for column, kinds in vocabulary.TABLES[table].references.items():
                values = rec.data.get(column)
                for ref in values if isinstance(values, list) else [values] if values else []:
                    out += _check_entity(ref, column, kinds, entities, snapshot.where(table, rec, column))
            if table == "officeholders" and isinstance(rec.data.get("office"), str):
                holder = rec.data["office"].split(".")[0]
                out += _check_entity(
                    holder,
                    "office",
                    frozenset({"country", "organization"}),
                    entities,
                    snapshot.where(table, rec, "office"),
                )
            out += _check_source(rec, sources, project, held_sections, snapshot.where(table, rec, "source"))
            sid = rec.data.get("source")
            if listed is not None and isinstance(sid, str) and sid in sources and sid not in listed:
                out.append(
                    violation(
                        "ref.source-not-listed",
                        f"source '{sid}' is not among the sources snapshot.yaml lists for {snapshot.year}",
                        f"add {sid} to sources in snapshots/{snapshot.year}/snapshot.yaml, or cite a listed source",
                        **snapshot.where(table, rec, "source"),
                    )
                )
    return out + _ids_in_two_tables(snapshot)


def _ids_in_two_tables(snapshot: Snapshot) -> list[Violation]:
    """An id names one fact: the same id in two tables would merge their histories and diffs."""
    first: dict[str, str] = {}
    out = []
    for table in vocabulary.FACT_TABLE_NAMES:
        for rec in snapshot.records(table):
            if not rec.id:
                continue
            other = first.setdefault(rec.id, table)
            if other != table:
                out.append(
                    violation(
                        "ref.id-in-two-tables",
                        f"id {rec.id} is used in {other} and in {table}",
                        "give each fact its own id (ids are stable across years and tables)",
                        **snapshot.where(table, rec),
                    )
                )
    return out


def _check_entity(
    ref: str, column: str, kinds: frozenset[str], entities: dict[str, Record], where: dict
) -> list[Violation]:
    entity = entities.get(ref)
    if entity is None:
        return [
            violation(
                "ref.unknown-entity",
                f"{column} '{ref}' is not in snapshots/entities.yaml",
                f"add '{ref}' to snapshots/entities.yaml (kind, name_en, name_ja), or correct the code",
                **where,
            )
        ]
    kind = entity.data.get("kind")
    if kind not in kinds:
        return [
            violation(
                "ref.entity-kind",
                f"{column} '{ref}' is a {kind}; {column} takes {' or '.join(sorted(kinds))}",
                "reference an entity of the right kind",
                **where,
            )
        ]
    return []


def _check_source(
    rec: Record, sources: dict[str, Record], project: Project, held_sections: dict[str, frozenset[str]], where: dict
) -> list[Violation]:
    sid = rec.data.get("source")
    if not isinstance(sid, str):
        return []
    source = sources.get(sid)
    if source is None:
        return [
            violation(
                "ref.unknown-source",
                f"source '{sid}' is not in sources/sources.yaml",
                "add the source to sources/sources.yaml or correct the id",
                **where,
            )
        ]
    basis = rec.data.get("basis")
    held = bool(source.data.get("path"))
    if (basis == "stated" or rec.data.get("evidence")) and not held:
        return [
            violation(
                "ref.source-not-held",
                f"a {basis} fact with evidence names '{sid}', whose text is not held",
                "make the fact cited (the quote cannot be verified), or vendor the text into sources/",
                **where,
            )
        ]
    if basis == "cited" and not source.data.get("url"):
        return [
            violation(
                "ref.source-no-url",
                f"a cited fact names '{sid}', which has no url",
                "add the document's URL to sources/sources.yaml",
                **where,
            )
        ]
    section = rec.data.get("section")
    if section and held:
        if sid not in held_sections:
            text = project.held_text(source)
            held_sections[sid] = text.section_names if text else frozenset()
        if held_sections[sid] and normalize(section) not in held_sections[sid]:
            return [
                violation(
                    "ref.unknown-section",
                    f"section '{section}' is not a heading of {sid}",
                    "copy the heading as the source writes it, without '#' (e.g. 'イ ロシア外政')",
                    **{**where, "line": rec.line_of("section")},
                )
            ]
    return []
