"""The change report: a classified SnapshotDiff rendered in the domain's words as Markdown (pull
requests, Prefect artifacts), JSON (tools; shape documented in the README) and one self-contained
HTML file. Every value that comes from data is escaped for the format it lands in."""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict

from bluebook import vocabulary
from bluebook.changes.diff import KINDS, Change, SnapshotDiff
from bluebook.changes.sides import Side
from bluebook.data.files import safe_name
from bluebook.reports.names import TABLE_TITLES, Names, label

KIND_TITLES = {
    "added": "added", "succeeded": "succeeded", "status_changed": "status changed", "ended": "ended",
    "revised": "revised", "retired": "retired", "silent_drop": "silent drops", "provenance": "provenance only",
    "carried": "carried, awaiting the new edition",
}



def _when(value) -> str:
    return f" ({value})" if value else ""

def sentence(change: Change, names: Names) -> str:
    """One line in the domain's words for one change."""
    t, b, a = change.table, change.before or {}, change.after or {}
    if change.kind == "succeeded":
        date = a.get("since") or b.get("until") or a.get("attested")
        if a.get("person") == b.get("person"):
            return f"{names.office(a.get('office'))}: {names(a.get('person'))} begins a new term{_when(date)}"
        return f"{names.office(a.get('office'))}: {names(b.get('person'))} → {names(a.get('person'))}{_when(date)}"
    if change.kind == "added":
        if t == "memberships":
            status = vocabulary.status(t, a.get("status"))
            verb = status.verb if status else f"is {a.get('status')} of"
            return f"{names(a.get('member'))} {verb} {names(a.get('organization'))}{_when(a.get('since'))}"
        if t == "agreements":
            date = a.get("ended") or a.get("in_force") or a.get("signed") or a.get("adopted") or a.get("issued")
            status = vocabulary.status(t, a.get("status"))
            return f"{a.get('title_en')}: {status.verb if status else a.get('status')}{_when(date)}"
        if t == "officeholders":
            return f"{names(a.get('person'))} holds office as {names.office(a.get('office'))}" \
                   f"{_when(a.get('since') or a.get('attested'))}"
        if t == "measures":
            return f"{names(a.get('imposer'))} → {names(a.get('target'))}: {a.get('title_en')}" \
                   f" ({a.get('action')}, {a.get('date')})"
        if t == "indicators":
            return f"{label(t, a, change.id, names)}: {format_value(a)}"
    if change.kind in ("status_changed", "ended"):
        if "status" in change.changed_fields:
            date = a.get("ended") or a.get("until") or a.get("since") or a.get("in_force") or a.get("signed")
            text = f"{label(t, a, change.id, names)}: {b.get('status')} → {a.get('status')}{_when(date)}"
            old_stage, new_stage = vocabulary.stage(t, b.get("status")), vocabulary.stage(t, a.get("status"))
            if t == "memberships" and old_stage is not None and new_stage is not None and new_stage < old_stage:
                text += " — a step back: the sources disagree (see the record's note)"
            return text
        end = a.get("until") or a.get("ended")
        return f"{label(t, a, change.id, names)}: ended{_when(end)}"
    if change.kind == "retired":
        return f"{label(t, b, change.id, names)}: ended before and no longer listed"
    if change.kind == "silent_drop":
        return f"{label(t, b, change.id, names)}: vanished without an end (silent drop)"
    if change.kind == "revised":
        parts = [f"{f.field} {_short(f.old)} → {_short(f.new)}" for f in change.fields]
        return f"{label(t, a, change.id, names)}: " + "; ".join(parts)
    if change.kind == "provenance":
        return f"{label(t, a, change.id, names)}: " + ", ".join(f.field for f in change.provenance) + " changed"
    if change.kind == "carried":
        return f"{label(t, a, change.id, names)}: carried from {a.get('carried')}, not yet confirmed"
    return f"{label(t, a or b, change.id, names)}: {change.kind}"

def _short(value, width: int = 60) -> str:
    if value is None:
        return "(none)"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"

def format_value(record: dict) -> str:
    value = record.get("value")
    unit = record.get("unit") or ""
    qualifier = {"about": "about ", "over": "over ", "under": "under ", "at_least": "at least ",
                 "at_most": "at most "}.get(record.get("qualifier") or "", "")
    return f"{qualifier}{_number(value, unit)}"

def _number(value, unit) -> str:
    """1195100000000 JPY → '1.1951 trillion JPY'; 50.5 percent → '50.5%'; 10 count → '10'."""
    if not isinstance(value, (int, float)):
        return str(value)
    for size, word in ((1e12, "trillion"), (1e9, "billion")):
        if abs(value) >= size:
            return f"{value / size:,.4g} {word} {unit}".rstrip()
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    if unit == "percent":
        return f"{shown}%"
    return shown if unit in ("count", None, "") else f"{shown} {unit}"

def series_of(rid: str, record: dict) -> str:
    """The series an indicator belongs to: its id with the period replaced by '*'
    (trade.jpn-rus.total.2025 → trade.jpn-rus.total.*), so that successive years pair up and two
    sources' figures for one period stay two rows."""
    period = str(record.get("period", ""))
    return rid.replace(period, "*", 1) if period and period in rid else rid

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
        if o and n and isinstance(o.get("value"), (int, float)) and isinstance(n.get("value"), (int, float)):
            delta = n["value"] - o["value"]
        r = n or o
        rows.append({
            "series": key,
            "label": f"{r.get('metric')} {'–'.join(names(x) for x in (r.get('subject'), r.get('counterpart')) if x)}",
            "base": f"{format_value(o)} ({o.get('period')})" if o else "—",
            "head": f"{format_value(n)} ({n.get('period')})" if n else "—",
            "delta": _delta(delta, r.get("unit")),
            "base_id": o["id"] if o else None,
            "head_id": n["id"] if n else None,
        })
    return rows

def _delta(delta, unit) -> str:
    if delta is None:
        return "—"
    if unit == "percent":
        return f"{delta:+,.4g} pt"
    sign = "+" if delta >= 0 else "−"
    return sign + _number(abs(delta), unit)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")

def md(text) -> str:
    """Escape a data value for Markdown: no table break (|), no code span, no HTML, no link."""
    text = html.escape(str(text), quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("\n", " ")

def change_summary(diff: SnapshotDiff) -> str:
    counts = diff.summary()
    parts = [f"{counts[k]} {KIND_TITLES[k]}" for k in KINDS if counts[k]]
    parts.append(f"{counts['events']} events")
    parts.append(f"{diff.unchanged} unchanged")
    return " · ".join(parts)

def _groups(diff: SnapshotDiff):
    by_table: dict[str, list[Change]] = defaultdict(list)
    for c in diff.changes:
        if c.kind not in ("provenance", "carried") and c.table != "indicators":
            by_table[c.table].append(c)
    return by_table

def _events_by_kind(diff: SnapshotDiff) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for e in diff.events:
        out[str(e.get("kind"))].append(e)
    return dict(sorted(out.items()))

def changes_markdown(diff: SnapshotDiff, base: Side, head: Side) -> str:
    names = Names(head, base)
    lines = [f"# Changes {md(diff.base)} → {md(diff.head)}", "", f"**Summary:** {md(change_summary(diff))}", ""]
    for table, changes in _groups(diff).items():
        lines += [f"## {TABLE_TITLES[table]}", ""]
        for c in changes:
            flag = "⚠️ " if c.kind == "silent_drop" else ""
            lines.append(f"- {flag}{md(sentence(c, names))} <sub>{md(KIND_TITLES[c.kind])} · {md(c.id)}</sub>")
        lines.append("")
    rows = indicator_rows(diff, base, head, names)
    if rows:
        lines += ["## Indicators", "", f"| series | {md(diff.base)} | {md(diff.head)} | delta |", "|---|---:|---:|---:|"]
        lines += [f"| {md(r['label'])} <sub>{md(r['series'])}</sub> | {md(r['base'])} | {md(r['head'])} | {md(r['delta'])} |"
                  for r in rows]
        lines.append("")
    events = _events_by_kind(diff)
    if events:
        lines += [f"## Events recorded in {md(diff.head)} (occurrences, not changes)", ""]
        for kind, items in events.items():
            lines.append(f"### {md(kind)} ({len(items)})")
            lines += [f"- {md(e.get('date'))} — {md(e.get('title_en'))}"
                      + (f" ({md(e.get('place'))})" if e.get("place") else "") for e in items]
            lines.append("")
    prov = diff.of_kind("provenance")
    if prov:
        lines += [f"## Provenance only ({len(prov)})", "",
                  "Same substance, new quote or source: reviewed apart from changes of fact.", ""]
        lines += [f"- {md(sentence(c, names))} <sub>{md(c.table)}:{md(c.id)}</sub>" for c in prov]
        lines.append("")
    carried = diff.of_kind("carried")
    if carried:
        lines += [f"## Carried, awaiting the new edition ({len(carried)})", "",
                  "Carried forward unchanged by `bluebook new-year`: confirm each against the new edition "
                  "(then delete its `carried`), or end it.", ""]
        lines += [f"- {md(sentence(c, names))} <sub>{md(c.table)}:{md(c.id)}</sub>" for c in carried]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"

def to_json_dict(diff: SnapshotDiff, base: Side, head: Side) -> dict:
    names = Names(head, base)

    def fields(items):
        return [{"field": f.field, "old": f.old, "new": f.new, "path": f.path, "action": f.action} for f in items]

    return {
        "base": diff.base,
        "head": diff.head,
        "summary": diff.summary() | {"unchanged": diff.unchanged},
        "changes": [{
            "table": c.table, "id": c.id, "kind": c.kind, "sentence": sentence(c, names),
            "fields": fields(c.fields), "provenance": fields(c.provenance), "related": c.related,
            "before": c.before, "after": c.after,
        } for c in diff.changes],
        "indicators": indicator_rows(diff, base, head, names),
        "events": diff.events,
    }

def changes_json(diff: SnapshotDiff, base: Side, head: Side) -> str:
    return json.dumps(to_json_dict(diff, base, head), ensure_ascii=False, indent=2, sort_keys=False) + "\n"

_CSS = """body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #ddd;margin-top:2rem}
.kind{color:#666;font-size:.8em}.drop{color:#b00020;font-weight:600}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:right}
td:first-child,th:first-child{text-align:left}code{font-size:.85em}"""

def changes_html(diff: SnapshotDiff, base: Side, head: Side) -> str:
    """One self-contained page: inline CSS, no script, no external resource."""
    e = html.escape
    names = Names(head, base)
    out = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>Changes {e(diff.base)} → {e(diff.head)}</title><style>{_CSS}</style></head><body>",
           f"<h1>Changes {e(diff.base)} → {e(diff.head)}</h1>", f"<p><strong>Summary:</strong> {e(change_summary(diff))}</p>"]
    for table, changes in _groups(diff).items():
        out.append(f"<h2>{e(TABLE_TITLES[table])}</h2><ul>")
        for c in changes:
            cls = ' class="drop"' if c.kind == "silent_drop" else ""
            out.append(f"<li{cls}>{e(sentence(c, names))} <span class=kind>{e(KIND_TITLES[c.kind])} · "
                       f"<code>{e(c.id)}</code></span></li>")
        out.append("</ul>")
    rows = indicator_rows(diff, base, head, names)
    if rows:
        out.append(f"<h2>Indicators</h2><table><tr><th>series</th><th>{e(diff.base)}</th><th>{e(diff.head)}</th>"
                   "<th>delta</th></tr>")
        out += [f"<tr><td>{e(r['label'])} <code>{e(r['series'])}</code></td><td>{e(r['base'])}</td><td>{e(r['head'])}</td><td>{e(r['delta'])}</td></tr>"
                for r in rows]
        out.append("</table>")
    events = _events_by_kind(diff)
    if events:
        out.append(f"<h2>Events recorded in {e(diff.head)} (occurrences, not changes)</h2>")
        for kind, items in events.items():
            out.append(f"<h3>{e(kind)} ({len(items)})</h3><ul>")
            out += [f"<li>{e(str(x.get('date')))} — {e(str(x.get('title_en')))}"
                    + (f" ({e(str(x.get('place')))})" if x.get("place") else "") + "</li>" for x in items]
            out.append("</ul>")
    prov = diff.of_kind("provenance")
    if prov:
        out.append(f"<h2>Provenance only ({len(prov)})</h2><ul>")
        out += [f"<li>{e(sentence(c, names))} <code>{e(c.table)}:{e(c.id)}</code></li>" for c in prov]
        out.append("</ul>")
    carried = diff.of_kind("carried")
    if carried:
        out.append(f"<h2>Carried, awaiting the new edition ({len(carried)})</h2><ul>")
        out += [f"<li>{e(sentence(c, names))} <code>{e(c.table)}:{e(c.id)}</code></li>" for c in carried]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"

def report_stem(base: str, head: str) -> str:
    """The file name (without extension) of the change report from `base` to `head` (labels such as
    2024 or 2025@HEAD~1): the one place it is built."""
    return f"changes-{safe_name(base)}-{safe_name(head)}"


RENDERERS = {"md": changes_markdown, "json": changes_json, "html": changes_html}
