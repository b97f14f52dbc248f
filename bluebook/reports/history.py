"""`bluebook history ID-OR-ENTITY`: the timeline of one fact, or of every fact about one entity,
across all years — as text, JSON, or one HTML page with the same pictures as the change report
(`history_page`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bluebook import vocabulary
from bluebook.changes.sides import side_from_project
from bluebook.data.project import Project
from bluebook.errors import UnreadableInput, UsageError
from bluebook.reports.names import Names, label
from bluebook.violations import ERROR

# Columns worth showing in a timeline row, per table (the rest is in --format json).
SHOWN = {
    "memberships": ("status", "since", "until"),
    "agreements": ("status", "signed", "adopted", "issued", "in_force", "ended"),
    "officeholders": ("office", "since", "until", "attested"),
    "measures": ("action", "date"),
    "events": ("date", "kind", "place"),
    "indicators": ("value", "unit", "period"),
}


@dataclass
class Timeline:
    table: str
    id: str
    label: str
    years: dict[str, dict | None] = field(default_factory=dict)  # year → record (None: absent)


@dataclass
class History:
    query: str
    matched: str  # "fact" or "entity"
    entity: str | None
    timelines: list[Timeline]
    years: list[str]
    sides: list = field(default_factory=list, repr=False)  # every year's Side, oldest first


class NotFound(UsageError):
    """Nothing in any year matches the query."""


def _resolve_entity(query: str, entities: dict[str, dict]) -> str | None:
    if query in entities:
        return query
    lowered = query.casefold()
    for eid, e in entities.items():
        names = [e.get("name_en"), e.get("name_ja"), *(e.get("aliases_ja") or [])]
        if any(isinstance(n, str) and n.casefold() == lowered for n in names):
            return eid
    return None


def _mentions(record: dict, entity: str) -> bool:
    for column in vocabulary.REFERENCE_COLUMNS:
        value = record.get(column)
        if value == entity or (isinstance(value, list) and entity in value):
            return True
    office = record.get("office")
    return isinstance(office, str) and office.split(".")[0] == entity


def history(project: Project, query: str) -> History:
    """Every record of `query` (a fact id, or an entity by id or name) in every year of the project."""
    errors = [v for v in project.problems if v.severity == ERROR]
    if errors:  # a record that could not be read would show as "not listed"
        raise UnreadableInput("the project", errors)
    years = sorted(project.snapshots)
    sides = {y: side_from_project(project, y) for y in years}
    names = Names(*reversed(list(sides.values())))
    timelines: dict[tuple[str, str], Timeline] = {}

    def add(year: str, table: str, rid: str, record: dict) -> None:
        key = (table, rid)
        if key not in timelines:
            timelines[key] = Timeline(table, rid, label(table, record, rid, names), {y: None for y in years})
        timelines[key].years[year] = record

    for year, side in sides.items():
        for table in vocabulary.FACT_TABLE_NAMES:
            if query in side.tables[table]:
                add(year, table, query, side.tables[table][query])
    if timelines:
        return History(query, "fact", None, list(timelines.values()), years, list(sides.values()))
    entity = _resolve_entity(query, names.entities)
    if entity is None:
        raise NotFound(f"'{query}' is neither a fact id nor an entity (id, English or Japanese name) in any year")
    for year, side in sides.items():
        for table in vocabulary.FACT_TABLE_NAMES:
            for rid, record in side.tables[table].items():
                if _mentions(record, entity):
                    add(year, table, rid, record)
    order = {t: i for i, t in enumerate(vocabulary.FACT_TABLE_NAMES)}
    ordered = sorted(timelines.values(), key=lambda t: (order[t.table], t.id))
    return History(query, "entity", entity, ordered, years, list(sides.values()))


def render_history(h: History) -> str:
    head = f"history of {h.query}" + (f" (entity {h.entity})" if h.matched == "entity" else " (fact)")
    lines = [head, f"years: {', '.join(h.years)}; {len(h.timelines)} fact(s)", ""]
    for t in h.timelines:
        lines.append(f"{t.table}: {t.id} — {t.label}")
        previous = None
        for year, record in t.years.items():
            if record is None:
                text = "—" if previous is None else "(not listed)"
            else:
                shown = [f"{c}={_fmt(record.get(c))}" for c in SHOWN[t.table] if record.get(c) is not None]
                shown.append(f"[{record.get('basis')}: {record.get('source')}]")
                text = " ".join(shown)
                if previous is not None and previous == record:
                    text = "unchanged"
            lines.append(f"  {year}  {text}")
            previous = record
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _fmt(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


def _year_words(table: str, record: dict, names: Names) -> str:
    """One year of a timeline in words."""
    from bluebook.reports.figures import format_value
    from bluebook.reports.wording import status_date_column, status_state

    r = record
    if table == "memberships":
        text = status_state(table, r.get("status"))
        return (
            text
            + (f" since {r['since']}" if r.get("since") else "")
            + (f" until {r['until']}" if r.get("until") else "")
        )
    if table == "agreements":
        dated = [
            f"{w} {r[c]}"
            for c, w in (
                ("signed", "signed"),
                ("adopted", "adopted"),
                ("issued", "issued"),
                ("in_force", "in force from"),
                ("ended", "ended"),
            )
            if r.get(c)
        ]
        column = status_date_column(table, r.get("status"))
        said = column in ("signed", "adopted", "issued", "in_force") and r.get(column)  # "signed 2025-12" says it
        return "; ".join(([] if said else [status_state(table, r.get("status"))]) + dated)
    if table == "officeholders":
        parts = [
            f"took office {r['since']}" if r.get("since") else "",
            f"left office {r['until']}" if r.get("until") else "",
            f"named in office in {r['attested']}" if r.get("attested") else "",
        ]
        return "; ".join(p for p in parts if p) or "named in office"
    if table == "measures":
        return f"{r.get('action')} {r.get('date')}"
    if table == "events":
        return " ".join(
            str(x) for x in (r.get("date"), r.get("kind"), f"in {r['place']}" if r.get("place") else "") if x
        )
    if table == "indicators":
        return f"{format_value(r)} ({r.get('period')})"
    return ""


def history_page(h: History) -> str:
    """One HTML page: the pictures of the entity's (or fact's) records over the years, then each
    fact's timeline with its latest evidence."""
    from bluebook.changes.sides import Side
    from bluebook.reports import render
    from bluebook.reports.changes import _evidence
    from bluebook.reports.names import TABLE_TITLES
    from bluebook.reports.years import over_years, picture_layout

    ids = {(t.table, t.id) for t in h.timelines}
    shown = [
        Side(
            s.label,
            s.year,
            s.rev,
            {
                table: {rid: r for rid, r in records.items() if (table, rid) in ids}
                for table, records in s.tables.items()
            },
            s.entities,
            s.lines,
            s.sources,
            s.as_of,
        )
        for s in h.sides
    ]
    names = Names(*reversed(h.sides))
    sides = {s.label: s for s in h.sides}
    rows = []
    for t in h.timelines:
        cells, previous, latest = [], None, None
        for year, record in t.years.items():
            if record is None:
                text = "—" if previous is None else "not listed"
            elif previous is not None and previous == record:
                text = "unchanged"
            else:
                text = _year_words(t.table, record, names)
            cells.append({"year": year, "text": text, "basis": record.get("basis") if record else None})
            previous = record
            if record is not None:
                latest = (year, record)
        evidence = _evidence(latest[0], latest[1], sides[latest[0]].sources) if latest else None
        rows.append(
            {
                "table": t.table,
                "table_title": TABLE_TITLES.get(t.table, t.table),
                "id": t.id,
                "label": t.label,
                "cells": cells,
                "evidence": evidence,
            }
        )
    over = over_years(shown)
    title = names(h.entity) if h.entity else h.query
    return render.html("history.html.j2", history=h, title=title, rows=rows, over=over, pictures=picture_layout(over))
