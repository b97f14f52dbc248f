"""The frames the Great Expectations suites run over: one per fact table of a year, one for the
entity registry, and derived views (member counts, grounding rate, event timing, officeholders'
countries) built here from the loaded tables. Plain pandas; no GX import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from bluebook import vocabulary
from bluebook.contracts.grounding import HELD_TEXTS, Grounding
from bluebook.data import dates
from bluebook.data.project import Project, Snapshot

# Statuses that make a state one of an organization's members when its members are counted (the
# vocabulary says why for each; checked against the counts the sources state for all three years).
COUNTED_STATUSES = vocabulary.counted_statuses("memberships")
MEMBER_COUNT_METRIC = "org.member_count"
ALL_TABLES = "(all)"  # the grounding view's row for the whole year

Where = dict  # file, line, table, id of the record a failing row points at


@dataclass
class Target:
    """One frame to validate with one suite: a table of a year, the registry, or a view."""

    suite: str
    year: str  # "" for the registry, which has no year
    frame: pd.DataFrame
    keys: list[str]  # columns naming a failing row (GX unexpected_index_column_names)
    locate: Callable[..., Where]  # (row as a dict, failing column or None) → where to report it
    inputs: tuple[str, ...]  # files the frame is built from (skipped when one could not be read)


def table_frame(table: str, records) -> pd.DataFrame:
    """One row per record, every column of the table present (missing values as None), each cell
    hashable: list columns hold tuples, and a list where a plain value belongs (reported by the
    schema) is kept as its text, so no expectation errors out over another layer's finding."""
    cols = vocabulary.columns(table)
    return pd.DataFrame([{c: _cell(c, r.data.get(c)) for c in cols} for r in records], columns=list(cols), dtype=object)


def _cell(column: str, value):
    if isinstance(value, list):
        return tuple(value) if column in vocabulary.LIST_COLUMNS else str(value)
    return value


def main_source_held(project: Project, snap: Snapshot) -> bool:
    """True when the year's main source (the listed source of the snapshot's edition) is held as
    text, so its facts can be quoted and verified rather than cited."""
    if snap.meta is None:
        return False
    edition = snap.meta.data.get("edition")
    sources = project.source_index
    sources_of_year = snap.meta.data.get("sources")
    listed = sources_of_year if isinstance(sources_of_year, list) else []
    return any(
        sources[s].data.get("edition") == edition and sources[s].data.get("path") for s in listed if s in sources
    )


def _record_locator(snap: Snapshot, table: str, fixed_column: str | None = None) -> Callable[..., Where]:
    """Locate a row by its `id` in `table`: the line of the failing column (or `fixed_column`)."""
    index = snap.by_id(table)
    columns = set(vocabulary.columns(table))

    def locate(row: dict, column: str | None = None) -> Where:
        rid = row_id if isinstance(row_id := row.get("id"), str) else ""
        rec = index.get(rid)
        key = fixed_column or (column if column in columns else None)
        line = (rec.line_of(key) if key else rec.line) if rec else 0
        return dict(file=snap.file(table), line=line, table=table, id=rid)

    return locate


def fact_table_targets(project: Project, snap: Snapshot) -> list[Target]:
    """Each fact table of the year, with the context columns `main_source_held` (for policies
    that apply only where the year's main source is held) and `confirmed` (not carried forward
    unconfirmed by `bluebook new-year`: carried facts are counted apart from the year's own)."""
    held = main_source_held(project, snap)
    out = []
    for table in vocabulary.FACT_TABLE_NAMES:
        frame = table_frame(table, snap.records(table))
        frame["main_source_held"] = held
        frame["confirmed"] = [not c for c in frame[vocabulary.CARRIED]]
        out.append(Target(table, snap.year, frame, ["id"], _record_locator(snap, table), (snap.file(table),)))
    return out


def entities_target(project: Project) -> Target:
    records = {r.id: r for r in project.entities.records if r.id}

    def locate(row: dict, column: str | None = None) -> Where:
        rec = records.get(row.get("id") or "")
        line = (rec.line_of(column) if column else rec.line) if rec else 0
        return dict(file=project.entities.rel, line=line, table="entities", id=row.get("id") or "")

    frame = table_frame("entities", project.entities.records)
    return Target("entities", "", frame, ["id"], locate, (project.entities.rel,))


def member_counts(snap: Snapshot) -> pd.DataFrame:
    """One row per organization (and per stated count of it): the open memberships with a counted
    status, and the member count a source states (indicator `org.member_count`), if any."""
    counted: dict[str, list[str]] = {}
    for rec in snap.records("memberships"):
        org, member, status = (rec.data.get(k) for k in ("organization", "member", "status"))
        if not isinstance(org, str):
            continue
        counted.setdefault(org, [])
        if status in COUNTED_STATUSES and not rec.data.get("until") and isinstance(member, str):
            counted[org].append(member)
    stated: dict[str, list[tuple[object, str | None]]] = {}
    for rec in snap.records("indicators"):
        if rec.data.get("metric") == MEMBER_COUNT_METRIC and isinstance(rec.data.get("subject"), str):
            stated.setdefault(rec.data["subject"], []).append((rec.data.get("value"), rec.id))
    rows = []
    for org in sorted(set(counted) | set(stated)):
        members = sorted(counted.get(org, []))
        for value, indicator in stated.get(org) or [(None, None)]:
            rows.append(
                dict(
                    organization=org,
                    counted=len(members),
                    stated=value,
                    id=indicator,
                    members=", ".join(members),
                    statuses=", ".join(COUNTED_STATUSES),
                )
            )
    columns = ["organization", "counted", "stated", "id", "members", "statuses"]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def grounding_rates(project: Project, snap: Snapshot, grounding: Grounding) -> pd.DataFrame:
    """One row per fact table and one for the whole year: how many facts there are, how many are
    stated, how many carry evidence verified in a held text (the grounding rate), and the share of
    stated facts among those drawn from a held text (`source` is a held source) — what the held
    text can state. Facts carried forward unconfirmed by `bluebook new-year` are counted apart
    (`carried`) and left out of the held-text share."""
    held = main_source_held(project, snap)
    held_sources = {s.id for s in project.sources.records if s.data.get("path")}
    rows = []
    keys = ("facts", "stated", "grounded", "carried", "held_facts", "held_stated")
    totals = dict.fromkeys(keys, 0)
    for table in vocabulary.FACT_TABLE_NAMES:
        records = snap.records(table)
        own = [r for r in records if not r.data.get(vocabulary.CARRIED)]
        from_held = [r for r in own if r.data.get("source") in held_sources]
        counts = dict(
            facts=len(records),
            stated=sum(r.data.get("basis") == "stated" for r in records),
            grounded=sum((snap.year, table, r.id) in grounding.found for r in records),
            carried=len(records) - len(own),
            held_facts=len(from_held),
            held_stated=sum(r.data.get("basis") == "stated" for r in from_held),
        )
        for k, v in counts.items():
            totals[k] += v
        rows.append(dict(table=table, **counts))
    rows.append(dict(table=ALL_TABLES, **totals))
    for row in rows:
        row["grounded_share"] = round(row["grounded"] / row["facts"], 4) if row["facts"] else None
        row["held_stated_share"] = round(row["held_stated"] / row["held_facts"], 4) if row["held_facts"] else None
        row["main_source_held"] = held
    return pd.DataFrame(rows, columns=["table", *keys, "grounded_share", "held_stated_share", "main_source_held"])


def event_timing(snap: Snapshot) -> pd.DataFrame:
    """One row per event: `in_year` when it falls in the snapshot's year (or after, up to as_of),
    `recounted` when it is earlier and its note says why this year recounts it, otherwise
    `earlier_without_note`."""
    rows = []
    for rec in snap.records("events"):
        date = rec.data.get("date")
        if not dates.is_partial_date(date):
            continue  # the schema reports it
        if dates.end(date).year >= int(snap.year):
            timing = "in_year"
        else:
            timing = "recounted" if rec.data.get("note") else "earlier_without_note"
        rows.append(dict(id=rec.id, date=date, year=snap.year, timing=timing))
    return pd.DataFrame(rows, columns=["id", "date", "year", "timing"], dtype=object)


def officeholder_countries(project: Project, snap: Snapshot) -> pd.DataFrame:
    """One row per office term: the country whose office it is (when the holder code is a
    country) and the country of the person in entities.yaml."""
    entities = project.entity_index
    rows = []
    for rec in snap.records("officeholders"):
        office, person = rec.data.get("office"), rec.data.get("person")
        holder = entities.get(office.split(".")[0]) if isinstance(office, str) else None
        entity = entities.get(person) if isinstance(person, str) else None
        rows.append(
            dict(
                id=rec.id,
                office=office,
                person=person,
                office_country=holder.id if holder and holder.data.get("kind") == "country" else None,
                person_country=entity.data.get("country") if entity else None,
            )
        )
    return pd.DataFrame(rows, columns=["id", "office", "person", "office_country", "person_country"], dtype=object)


def year_targets(project: Project, snap: Snapshot, grounding: Grounding) -> list[Target]:
    """Every frame of one year: its fact tables and its derived views."""
    files = {t: snap.file(t) for t in vocabulary.FACT_TABLE_NAMES}
    meta_file = project.layout.rel(project.layout.year_dir(snap.year) / "snapshot.yaml")
    by_table = _record_locator(snap, "indicators")

    def locate_count(row: dict, column: str | None = None) -> Where:
        if row.get("id"):
            return by_table(row, "value")
        return dict(file=files["memberships"], line=0, table="memberships", id="")

    def locate_rate(row: dict, column: str | None = None) -> Where:
        table = row.get("table")
        if table in files:
            return dict(file=files[table], line=0, table=table, id="")
        return dict(file=meta_file, line=0, table="snapshot", id="")

    return fact_table_targets(project, snap) + [
        Target(
            "member_counts",
            snap.year,
            member_counts(snap),
            ["organization"],
            locate_count,
            (files["memberships"], files["indicators"]),
        ),
        Target(
            "grounding",
            snap.year,
            grounding_rates(project, snap, grounding),
            ["table"],
            locate_rate,
            (*files.values(), HELD_TEXTS),
        ),
        Target(
            "event_timing",
            snap.year,
            event_timing(snap),
            ["id"],
            _record_locator(snap, "events", "date"),
            (files["events"],),
        ),
        Target(
            "officeholder_countries",
            snap.year,
            officeholder_countries(project, snap),
            ["id"],
            _record_locator(snap, "officeholders", "person"),
            (files["officeholders"], project.entities.rel),
        ),
    ]


def all_targets(project: Project, grounding: Grounding) -> list[Target]:
    """The registry, then every year's frames, oldest year first."""
    out = [entities_target(project)]
    for snap in project.snapshots.values():
        out += year_targets(project, snap, grounding)
    return out


# Every suite name a target can carry: a suite file named otherwise is never run (and reported).
SUITE_NAMES = tuple(vocabulary.FACT_TABLE_NAMES) + (
    "entities",
    "member_counts",
    "grounding",
    "event_timing",
    "officeholder_countries",
)
