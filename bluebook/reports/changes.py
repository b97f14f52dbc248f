"""The change report: a classified SnapshotDiff turned into one view-model (`change_report`, plain
data: it *is* the JSON report) and rendered three ways from it — Markdown (pull requests, Prefect
artifacts) and one self-contained HTML page by the templates in `templates/`, JSON by `json_bytes`.
Every value from the data is escaped for the format it lands in by the template environment
(`render.py`), never by hand."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from bluebook.changes.diff import KINDS, Change, FieldChange, SnapshotDiff, is_step_back
from bluebook.changes.sides import Side, SideError, diff_sides, load_side, parse_side
from bluebook.contracts.across_years import transition_violations
from bluebook.data.bulk import without_cyclic_gc
from bluebook.data.files import safe_name
from bluebook.data.project import Project
from bluebook.reports import render, wording
from bluebook.reports.figures import delta_words, format_value, series_of
from bluebook.reports.names import TABLE_TITLES, Names, label
from bluebook.reports.wording import KIND_TITLES, field_words, status_date_column, status_state, status_verb
from bluebook.reports.years import over_years, picture_layout

__all__ = [
    "KIND_TITLES",
    "RENDERERS",
    "change_report",
    "changes_html",
    "changes_json",
    "changes_markdown",
    "diff_reports",
    "render_change_report",
    "picture_years",
    "report_sides",
    "report_stem",
]


def _when(value) -> str:
    return f" ({value})" if value else ""


def sentence(change: Change, names: Names, base_label: str = "", head_label: str = "") -> str:
    """One line in the domain's words for one change, claiming no more than the records say."""
    t, b, a = change.table, change.before or {}, change.after or {}
    if change.kind == "succeeded":
        if a.get("since"):
            date = f" ({a['since']})"
        elif b.get("until"):
            date = f" ({b['until']})"
        elif a.get("attested"):
            date = f" (named in {a['attested']})"
        else:
            date = ""
        if a.get("person") == b.get("person"):
            return f"{names.office(a.get('office'))}: {names(a.get('person'))} begins a new term{date}"
        return f"{names.office(a.get('office'))}: {names(b.get('person'))} → {names(a.get('person'))}{date}"
    if change.kind == "added":
        return _added(t, a, change.id, names)
    if change.kind in ("status_changed", "ended") and "status" in change.changed_fields:
        return _status_change(t, b, a, change.id, names, base_label, head_label)
    if change.kind == "ended":
        end = a.get("until") or a.get("ended")
        if t == "officeholders":
            return f"{names(a.get('person'))} left office as {names.office(a.get('office'))}{_when(end)}"
        return f"{label(t, a, change.id, names)}: ended{_when(end)}"
    if change.kind == "retired":
        return f"{label(t, b, change.id, names)}: ended before and no longer listed"
    if change.kind == "silent_drop":
        return f"{label(t, b, change.id, names)}: vanished without an end (silent drop)"
    if change.kind in ("revised", "status_changed"):
        return f"{label(t, a, change.id, names)}: " + "; ".join(_field_sentence(t, f, names) for f in change.fields)
    if change.kind == "provenance":
        return (
            f"{label(t, a, change.id, names)}: "
            + ", ".join(field_words(f.field) for f in change.provenance)
            + " changed"
        )
    if change.kind == "carried":
        return f"{label(t, a, change.id, names)}: carried from {a.get('carried')}, not yet confirmed"
    return f"{label(t, a or b, change.id, names)}: {change.kind}"


def _added(t: str, a: dict, rid: str, names: Names) -> str:
    if t == "memberships":
        return (
            f"{names(a.get('member'))} {status_verb(t, a.get('status'))} {names(a.get('organization'))}"
            f"{_when(a.get('since'))}"
        )
    if t == "agreements":
        column = status_date_column(t, a.get("status"))
        return f"{a.get('title_en')}: {status_verb(t, a.get('status'))}{_when(a.get(column) if column else None)}"
    if t == "officeholders":
        person, office = names(a.get("person")), names.office(a.get("office"))
        since, until, attested = a.get("since"), a.get("until"), a.get("attested")
        if since and until:
            return f"{person} held office as {office} ({since} – {until})"
        if since:
            return f"{person} took office as {office} ({since})"
        if until:
            return f"{person} left office as {office} ({until})"
        return f"{person} is named as {office}" + (f" (in {attested})" if attested else "")
    if t == "measures":
        action = a.get("action")
        return f"{names(a.get('imposer'))} → {names(a.get('target'))}: {a.get('title_en')} ({action}, {a.get('date')})"
    if t == "indicators":
        return f"{label(t, a, rid, names)}: {format_value(a)}"
    return f"{label(t, a, rid, names)}: added"


def _status_change(t: str, b: dict, a: dict, rid: str, names: Names, base_label: str, head_label: str) -> str:
    old, new = b.get("status"), a.get("status")
    if t == "memberships":
        member, org = names(a.get("member")), names(a.get("organization"))
        if is_step_back(t, b, a):
            since = f" (since {a['since']})" if a.get("since") else ""
            return (
                f"{member} in {org}: recorded as {status_state(t, new)}{since} in {head_label}, "
                f"as {status_state(t, old)} in {base_label} — a step back: the sources disagree "
                f"(see the record's note)"
            )
        date = a.get("until") if new == "withdrawn" and a.get("until") else a.get("since")
        return f"{member} {status_verb(t, new)} {org}{_when(date)}; before: {status_state(t, old)}"
    if t == "agreements":
        column = status_date_column(t, new)
        return (
            f"{a.get('title_en')}: {status_verb(t, new)}{_when(a.get(column) if column else None)}; "
            f"before: {status_state(t, old)}"
        )
    return f"{label(t, a, rid, names)}: status changed from {status_state(t, old)} to {status_state(t, new)}"


def _field_sentence(table: str, f: FieldChange, names: Names) -> str:
    words = field_words(f.field)
    old, new = value_words(table, f.field, f.old, names), value_words(table, f.field, f.new, names)
    if f.old is None:
        return f"the {words} set to {new} (none before)"
    if f.new is None:
        return f"the {words} removed (was {old})"
    return f"the {words} changed from {old} to {new}"


def value_words(table: str, name: str, value, names: Names) -> str:
    """A field's value in words: entities by name, statuses in words, lists joined."""
    if value is None:
        return "none"
    if name in wording.REFERENCE_FIELDS:
        return names.many(value)
    if name == "office":
        return names.office(value)
    if name == "status":
        return status_state(table, value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, str):
        return value.replace("_", " ") if name in ("kind", "action", "qualifier", "basis") else value
    return str(value)


def indicator_rows(diff: SnapshotDiff, base: Side, head: Side, names: Names) -> list[dict]:
    """One row per series: the latest period on each side, and the delta."""

    def latest(side: Side) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for rid, r in side.tables.get("indicators", {}).items():
            key = series_of(rid, r)
            if key not in out or str(r.get("period")) > str(out[key].get("period")):
                out[key] = dict(r, id=rid)
        return out

    old, new = latest(base), latest(head)
    rows = []
    for key in sorted(old.keys() | new.keys()):
        o, n = old.get(key), new.get(key)
        if o and n and o.get("period") == n.get("period") and o.get("value") == n.get("value"):
            continue  # the same figure on both sides: nothing to show
        delta = None
        if o and n and _numeric(o.get("value")) and _numeric(n.get("value")):
            delta = n["value"] - o["value"]
        r = n or o or {}
        rows.append(
            {
                "series": key,
                "label": f"{r.get('metric')} {'–'.join(names(x) for x in (r.get('subject'), r.get('counterpart')) if x)}",
                "base": f"{format_value(o)} ({o.get('period')})" if o else "—",
                "head": f"{format_value(n)} ({n.get('period')})" if n else "—",
                "delta": delta_words(delta, r.get("unit")),
                "base_id": o["id"] if o else None,
                "head_id": n["id"] if n else None,
            }
        )
    return rows


def _numeric(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def change_summary(diff: SnapshotDiff) -> str:
    counts = diff.summary()
    parts = [f"{counts[k]} {KIND_TITLES[k]}" for k in KINDS if counts[k]]
    parts.append(f"{counts['events']} events")
    parts.append(f"{diff.unchanged} unchanged")
    return " · ".join(parts)


def _evidence(side_label: str, record: dict | None, sources: dict[str, dict]) -> dict | None:
    if not record:
        return None
    source = sources.get(record.get("source") or "") or {}
    url = source.get("url")
    return {
        "side": side_label,
        "basis": record.get("basis"),
        "basis_words": wording.BASIS_WORDS.get(record.get("basis") or "", ""),
        "source": record.get("source"),
        "source_title": source.get("title"),
        "source_url": url,
        "source_link": url if isinstance(url, str) and url.startswith(("https://", "http://")) else None,
        "section": record.get("section"),
        "quote": record.get("evidence"),
        "note": record.get("note"),
        "unquoted": record.get("unquoted"),
    }


def _evidence_of(change: Change, base: Side, head: Side) -> list[dict]:
    before = _evidence(base.label, change.before, base.sources)
    after = _evidence(head.label, change.after, head.sources)
    if (
        before
        and after
        and {k: v for k, v in before.items() if k != "side"} == {k: v for k, v in after.items() if k != "side"}
    ):
        after["side"] = f"{base.label} and {head.label}"
        return [after]
    return [e for e in (before, after) if e]


def _fields(items: list[FieldChange], table: str, names: Names) -> list[dict]:
    return [
        {
            "field": f.field,
            "old": f.old,
            "new": f.new,
            "path": f.path,
            "action": f.action,
            "label": field_words(f.field),
            "old_words": value_words(table, f.field, f.old, names),
            "new_words": value_words(table, f.field, f.new, names),
        }
        for f in items
    ]


def change_report(diff: SnapshotDiff, base: Side, head: Side, sides: list[Side] | None = None) -> dict:
    """The report as plain data (the JSON report; Markdown and HTML render the same dict).
    `sides` are the years the pictures span (default: the two sides)."""
    names = Names(head, base)
    warnings: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for v in transition_violations(diff, base, head):
        warnings[(v.table, v.id)].append({"code": v.code, "severity": v.severity, "message": v.message, "hint": v.hint})
    changes = [
        {
            "table": c.table,
            "id": c.id,
            "kind": c.kind,
            "sentence": sentence(c, names, base.label, head.label),
            "fields": _fields(c.fields, c.table, names),
            "provenance": _fields(c.provenance, c.table, names),
            "related": c.related,
            "before": c.before,
            "after": c.after,
            "kind_title": KIND_TITLES[c.kind],
            "table_title": TABLE_TITLES.get(c.table, c.table),
            "evidence": _evidence_of(c, base, head),
            "warnings": warnings.get((c.table, c.id), []),
        }
        for c in diff.changes
    ]
    return {
        "base": diff.base,
        "head": diff.head,
        "summary": diff.summary() | {"unchanged": diff.unchanged},
        "summary_words": change_summary(diff),
        "changes": changes,
        "indicators": indicator_rows(diff, base, head, names),
        "events": diff.events,
        "over_years": over_years(sides or [base, head]),
    }


def _sections(report: dict) -> dict:
    """How the templates group the report: changes by table (indicators and provenance apart),
    events by kind, and the filters the HTML page offers."""
    by_table: dict[str, list[dict]] = defaultdict(list)
    for c in report["changes"]:
        if c["kind"] not in ("provenance", "carried") and c["table"] != "indicators":
            by_table[c["table"]].append(c)
    events: dict[str, list[dict]] = defaultdict(list)
    for e in report["events"]:
        events[str(e.get("kind"))].append(e)
    kinds = [k for k in KINDS if any(c["kind"] == k for c in report["changes"])]
    return {
        "tables": [{"table": t, "title": TABLE_TITLES.get(t, t), "changes": cs} for t, cs in by_table.items()],
        "events_by_kind": sorted(events.items()),
        "provenance": [c for c in report["changes"] if c["kind"] == "provenance"],
        "carried": [c for c in report["changes"] if c["kind"] == "carried"],
        "filter_tables": [(t, TABLE_TITLES.get(t, t)) for t in by_table],
        "filter_kinds": [(k, KIND_TITLES[k]) for k in kinds],
    }


def render_change_report(report: dict, fmt: str) -> str:
    """The report in one format: 'md', 'json' or 'html'."""
    if fmt == "json":
        return render.json_bytes(report, newline=True).decode("utf-8")
    if fmt == "md":
        return render.markdown("changes.md.j2", report=report, **_sections(report))
    if fmt == "html":
        return render.html(
            "changes.html.j2", report=report, pictures=picture_layout(report["over_years"]), **_sections(report)
        )
    raise ValueError(f"unknown report format {fmt!r}")


def render_change_report_bytes(report: dict, fmt: str) -> bytes:
    """`render_change_report` in UTF-8; JSON made as bytes without the text (bluebook.text.json_bytes)."""
    if fmt == "json":
        return render.json_bytes(report, newline=True)
    return render_change_report(report, fmt).encode("utf-8")


def changes_markdown(diff: SnapshotDiff, base: Side, head: Side, sides: list[Side] | None = None) -> str:
    return render_change_report(change_report(diff, base, head, sides), "md")


def changes_json(diff: SnapshotDiff, base: Side, head: Side, sides: list[Side] | None = None) -> str:
    return render_change_report(change_report(diff, base, head, sides), "json")


def changes_html(diff: SnapshotDiff, base: Side, head: Side, sides: list[Side] | None = None) -> str:
    return render_change_report(change_report(diff, base, head, sides), "html")


def report_stem(base: str, head: str) -> str:
    """The file name (without extension) of the change report from `base` to `head` (labels such as
    2024 or 2025@HEAD~1): the one place it is built."""
    return f"changes-{safe_name(base)}-{safe_name(head)}"


RENDERERS = {"md": changes_markdown, "json": changes_json, "html": changes_html}


# The pictures of a change report span at most this many years up to the head's: the whole
# Bluebook holds some seventy editions, and a grid of every member × seventy years in each of 69
# reports made the review quadratic in the years (and each grid 7,000 px wide).
PICTURE_YEARS = 10


def picture_years(years: Iterable[str], head_year: str) -> list[str]:
    """Of `years`, those a change report to `head_year` draws: the PICTURE_YEARS years up to it."""
    first = int(head_year) - PICTURE_YEARS
    return sorted(y for y in years if first < int(y) <= int(head_year))


def report_sides(project: Project, base: Side, head: Side) -> list[Side]:
    """The years a change report's pictures span: the years the opened project holds in the
    PICTURE_YEARS up to the head's, then the base and the head themselves. A year that cannot be
    read whole is left out of the pictures (`bluebook check` reports it)."""
    out: list[Side] = []
    for year in picture_years(project.snapshots, head.year):
        if year >= head.year or year in (base.year, head.year):
            continue
        try:
            out.append(load_side(project, year))
        except SideError:
            continue
    out.append(base)
    if head.label != base.label:
        out.append(head)
    return sorted(out, key=lambda s: (s.year, s is head))


def diff_reports(project: Project, base_text: str, head_text: str, formats: list[str]) -> dict[str, bytes]:
    """The change report from BASE to HEAD (each YEAR or YEAR@REV) rendered in `formats`, in UTF-8. With the
    project's cache, when both sides are years of the working tree, the rendered reports are cached
    by the content of every file the report is made from (the opened years, whose pictures it
    draws, the registries and the held texts) and the code: a second run reads no record."""

    def compute() -> dict[str, bytes]:
        with without_cyclic_gc():
            base, head = load_side(project, base_text), load_side(project, head_text)
            report = change_report(diff_sides(base, head), base, head, report_sides(project, base, head))
            return {fmt: render_change_report_bytes(report, fmt) for fmt in formats}

    plain = all(parse_side(text)[1] is None for text in (base_text, head_text))
    if project.cache is None or not plain or not {base_text, head_text} <= set(project.snapshots):
        return compute()
    from bluebook.contracts import inputs

    parts = [
        "report",
        base_text,
        head_text,
        sorted(formats),
        [inputs.year_layer(project, year) for year in sorted(project.snapshots)],
    ]
    return project.cache.remember_bodies("report", parts, sorted(formats), compute)
