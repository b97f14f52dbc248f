"""Contracts that span files: references, grounding in held texts, time rules, snapshot metadata
and canonical form. Each function returns violations; none raises for bad data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bluebook import dates, model
from bluebook.load import LoadedFile, Record, canonical_diff, dump_mapping, dump_table, read_text
from bluebook.project import Project, Snapshot
from bluebook.sources import HeldText, load_held_text, normalize, sha256_of
from bluebook.violations import Violation, violation

ANY = frozenset({"country", "organization", "person", "territory", "other"})
# Which kinds of entity each reference column may name.
REFERENCE_KINDS: dict[str, dict[str, frozenset[str]]] = {
    "memberships": {"organization": frozenset({"organization"}), "member": frozenset({"country", "organization", "territory"})},
    "agreements": {"parties": ANY},
    "officeholders": {"person": frozenset({"person"})},
    "measures": {"imposer": ANY, "target": ANY},
    "events": {"participants": ANY, "country": frozenset({"country"})},
    "indicators": {"subject": ANY, "counterpart": ANY},
}


def _where(snapshot: Snapshot, table: str, record: Record, key: str | None = None) -> dict:
    return dict(file=snapshot.file(table), line=record.line_of(key) if key else record.line, year=snapshot.year,
                table=table, id=record.id)


def check_references(project: Project, snapshot: Snapshot) -> list[Violation]:
    """Every entity, source and section a fact names exists, with the right kind."""
    entities = project.entity_index()
    sources = project.source_index()
    held_sections: dict[str, set[str]] = {}
    out: list[Violation] = []
    for table in model.FACT_TABLE_NAMES:
        for rec in snapshot.records(table):
            for column, kinds in REFERENCE_KINDS[table].items():
                values = rec.data.get(column)
                for ref in values if isinstance(values, list) else [values] if values else []:
                    out += _check_entity(ref, column, kinds, entities, _where(snapshot, table, rec, column))
            if table == "officeholders" and isinstance(rec.data.get("office"), str):
                holder = rec.data["office"].split(".")[0]
                out += _check_entity(holder, "office", frozenset({"country", "organization"}), entities,
                                     _where(snapshot, table, rec, "office"))
            out += _check_source(rec, sources, project, held_sections, _where(snapshot, table, rec, "source"))
    return out


def _check_entity(ref: str, column: str, kinds: frozenset[str], entities: dict[str, Record], where: dict) -> list[Violation]:
    entity = entities.get(ref)
    if entity is None:
        return [violation("ref.unknown-entity", f"{column} '{ref}' is not in snapshots/entities.yaml",
                          f"add '{ref}' to snapshots/entities.yaml (kind, name_en, name_ja), or correct the code",
                          **where)]
    kind = entity.data.get("kind")
    if kind not in kinds:
        return [violation("ref.entity-kind", f"{column} '{ref}' is a {kind}; {column} takes {' or '.join(sorted(kinds))}",
                          "reference an entity of the right kind", **where)]
    return []


def _check_source(rec: Record, sources: dict[str, Record], project: Project, held_sections: dict[str, set[str]],
                  where: dict) -> list[Violation]:
    sid = rec.data.get("source")
    if not isinstance(sid, str):
        return []
    source = sources.get(sid)
    if source is None:
        return [violation("ref.unknown-source", f"source '{sid}' is not in sources/sources.yaml",
                          "add the source to sources/sources.yaml or correct the id", **where)]
    basis = rec.data.get("basis")
    held = bool(source.data.get("path"))
    if (basis == "stated" or rec.data.get("evidence")) and not held:
        return [violation("ref.source-not-held", f"a {basis} fact with evidence names '{sid}', whose text is not held",
                          "make the fact cited (the quote cannot be verified), or vendor the text into sources/",
                          **where)]
    if basis == "cited" and not source.data.get("url"):
        return [violation("ref.source-no-url", f"a cited fact names '{sid}', which has no url",
                          "add the document's URL to sources/sources.yaml", **where)]
    section = rec.data.get("section")
    if section and held:
        if sid not in held_sections:
            text = held_text(project, source)
            held_sections[sid] = text.section_names if text else set()
        if held_sections[sid] and normalize(section) not in held_sections[sid]:
            return [violation("ref.unknown-section", f"section '{section}' is not a heading of {sid}",
                              "copy the heading as the source writes it, without '#' (e.g. 'イ ロシア外政')",
                              **{**where, "line": rec.line_of("section")})]
    return []


def held_text(project: Project, source: Record) -> HeldText | None:
    path = project.layout.sources_dir / source.data["path"]
    return load_held_text(path) if path.is_file() else None


@dataclass
class Grounding:
    """Which paragraphs of which held source each stated fact was found in (for coverage)."""

    found: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)  # (year, table, id) → paragraphs


def check_sources(project: Project) -> list[Violation]:
    """Each held source exists and matches its sha256."""
    out = []
    for src in project.sources.records:
        rel = src.data.get("path")
        if not isinstance(rel, str):
            continue
        path = project.layout.sources_dir / rel
        where = dict(file=project.sources.rel, line=src.line_of("path"), table="sources", id=src.id)
        text, v = read_text(path, project.layout.rel(path), max_bytes=16 << 20)
        if text is None:
            out += [violation(x.code, x.message, x.hint, **where) for x in v]
            continue
        actual = sha256_of(path)
        if src.data.get("sha256") and actual != src.data["sha256"]:
            out.append(violation("ground.sha256-mismatch",
                                 f"{project.layout.rel(path)} has sha256 {actual[:12]}…, the manifest says "
                                 f"{str(src.data['sha256'])[:12]}…",
                                 "never edit a held text; restore it (git checkout) or, for a new edition, update "
                                 "sha256 and re-check every quote", **{**where, "line": src.line_of("sha256")}))
    return out


def check_grounding(project: Project, snapshot: Snapshot, grounding: Grounding) -> list[Violation]:
    """Every quote (of a stated fact, or the premise of an inferred one) is found in its held
    source, in its section when one is named."""
    sources = project.source_index()
    out: list[Violation] = []
    for table in model.FACT_TABLE_NAMES:
        for rec in snapshot.records(table):
            evidence = rec.data.get("evidence")
            source = sources.get(rec.data.get("source"))
            if not isinstance(evidence, str) or source is None:
                continue
            if not source.data.get("path"):
                continue  # reported as ref.source-not-held
            text = held_text(project, source)
            where = _where(snapshot, table, rec, "evidence")
            if text is None:
                continue  # reported by check_sources as load.missing-file
            section = rec.data.get("section") if isinstance(rec.data.get("section"), str) else None
            if section and normalize(section) not in text.section_names:
                section = None  # reported once, as ref.unknown-section
            found = text.locate(evidence, section)
            if found:
                grounding.found[(snapshot.year, table, rec.id)] = [p.number for p in found]
                continue
            anywhere = text.locate(evidence) if section else []
            if anywhere:
                grounding.found[(snapshot.year, table, rec.id)] = [p.number for p in anywhere]
                out.append(violation(
                    "ground.evidence-outside-section",
                    f"the evidence is in '{anywhere[0].section}' (line {anywhere[0].line}), not in '{section}'",
                    f"set section: {anywhere[0].section}", **where))
            else:
                out.append(violation("ground.evidence-not-found",
                                     f"evidence not found in {source.id}: '{evidence[:40]}{'…' if len(evidence) > 40 else ''}'",
                                     text.closest(evidence) + "; quote the source verbatim", **where))
    return out


def check_snapshot_meta(project: Project, snapshot: Snapshot) -> list[Violation]:
    rel = project.layout.rel(project.layout.year_dir(snapshot.year) / "snapshot.yaml")
    meta = snapshot.meta
    if meta is None:
        return []  # the loader reported why
    out = []
    where = dict(file=rel, year=snapshot.year, table="snapshot")
    if meta.data.get("year") != snapshot.year:
        out.append(violation("snapshot.meta", f"year {meta.data.get('year')!r} is not the folder's year {snapshot.year}",
                             f"set year: {snapshot.year}", line=meta.line_of("year"), **where))
    as_of = meta.data.get("as_of")
    if not dates.is_partial_date(as_of):
        out.append(violation("snapshot.meta", f"as_of {as_of!r} is not a partial date",
                             "set as_of: the last day the snapshot describes (YYYY-MM-DD)", line=meta.line_of("as_of"), **where))
    elif dates.start(as_of).year < int(snapshot.year):
        out.append(violation("snapshot.meta", f"as_of {as_of} is before the year {snapshot.year} ends",
                             "as_of is the end of the year or later (the edition's cut-off)", line=meta.line_of("as_of"), **where))
    if not meta.data.get("edition"):
        out.append(violation("snapshot.meta", "snapshot.yaml has no edition",
                             "set edition: \"Diplomatic Bluebook <year + 1>\"", line=meta.line, **where))
    known = project.source_index()
    listed = meta.data.get("sources") if isinstance(meta.data.get("sources"), list) else []
    if not listed:
        out.append(violation("snapshot.meta", "snapshot.yaml lists no sources", "list the source ids the snapshot uses",
                             line=meta.line, **where))
    for sid in listed:
        if sid not in known:
            out.append(violation("ref.unknown-source", f"snapshot source '{sid}' is not in sources/sources.yaml",
                                 "add it to sources/sources.yaml", line=meta.line_of("sources"), **where))
    return out


def check_time(snapshot: Snapshot) -> list[Violation]:
    """No date after as_of; one open status per (organization, member); one open term per office."""
    out: list[Violation] = []
    as_of = snapshot.as_of
    if as_of and dates.is_partial_date(as_of):
        limit = dates.end(as_of)
        for table in model.FACT_TABLE_NAMES:
            for rec in snapshot.records(table):
                for column in model.DATE_COLUMNS:
                    value = rec.data.get(column)
                    if dates.is_partial_date(value) and dates.start(value) > limit:
                        out.append(violation("time.after-as-of", f"{column} {value} lies after as_of {as_of}",
                                             "a snapshot describes the world up to as_of; move the fact to a later "
                                             "year or correct the date", **_where(snapshot, table, rec, column)))
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
        if rec.data.get("status") == "withdrawn":
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
                                         **_where(snapshot, table, b)))
    return out


def check_canonical(project: Project, unreadable: set[str]) -> list[Violation]:
    """Warn (with the diff) about files that are not in the form `bluebook fmt` writes. Files with
    load errors (`unreadable`) are left out: their canonical form would drop what could not be read."""
    files: list[tuple[LoadedFile | None, str, str, Record | None]] = [
        (project.entities, "entities", "", None), (project.sources, "sources", "", None)]
    for snap in project.snapshots.values():
        files += [(snap.tables[t], t, snap.year, None) for t in model.FACT_TABLE_NAMES]
        if snap.meta:
            files.append((None, "snapshot", snap.year, snap.meta))
    out = []
    for loaded, table, year, meta in files:
        if meta is not None:
            rel = project.layout.rel(project.layout.year_dir(year) / "snapshot.yaml")
            if rel in unreadable:
                continue
            canonical = dump_mapping(meta.data, "snapshot")
        else:
            if not loaded.ok or loaded.rel in unreadable:
                continue  # reported already; rewriting it would lose what could not be read
            rel = loaded.rel
            canonical = dump_table([r.data for r in loaded.records], table)
        text, _ = read_text(project.layout.root / rel, rel)
        if text is not None and text != canonical:
            out.append(violation("load.not-canonical", f"{rel} is not in canonical form",
                                 f"run `bluebook fmt` to rewrite it:\n{canonical_diff(text, canonical, rel)}",
                                 file=rel, year=year, table=table))
    return out
