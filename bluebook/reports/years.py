"""Pictures of change over all years, as data (`over_years`, part of the JSON report) and as the
geometry of inline SVG (`picture_layout`, drawn by `templates/pictures.html.j2`):

- per organization, a member × year grid of statuses (a step back between years is marked);
- per office, the terms of its holders on a time axis (a term with a start is a bar, a holder the
  source only names in office is a dot at that date);
- per indicator series, its values by period with the delta to the period before;
- events per month.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Any

from bluebook import vocabulary
from bluebook.changes.diff import is_step_back
from bluebook.changes.sides import Side
from bluebook.data import dates
from bluebook.reports.figures import delta_words, format_value, series_of
from bluebook.reports.names import Names
from bluebook.reports.wording import status_state

# The grid's rows: members first, then down the path, then off it (frozen, suspended, withdrawn).
GRID_ORDER = tuple(
    s.name
    for s in sorted(vocabulary.MEMBERSHIPS.statuses, key=lambda s: (s.terminal, s.stage is None, -(s.stage or 0)))
)


def _date(value) -> str | None:
    return value if isinstance(value, str) and dates.is_partial_date(value) else None


def _latest_records(sides: list[Side], table: str) -> dict[str, tuple[Side, dict]]:
    """Each id's record as the latest side holding it has it."""
    out: dict[str, tuple[Side, dict]] = {}
    for side in sides:
        for rid, r in side.tables.get(table, {}).items():
            out[rid] = (side, r)
    return out


def membership_grids(sides: list[Side], names: Names) -> list[dict]:
    columns = [s.label for s in sides]
    cells: dict[str, dict[str, dict[str, dict]]] = defaultdict(lambda: defaultdict(dict))
    for side in sides:
        for rid, r in sorted(side.tables.get("memberships", {}).items()):
            org, member = r.get("organization"), r.get("member")
            if not isinstance(org, str) or not isinstance(member, str):
                continue
            held = cells[org][member].get(side.label)
            # Where one pair has several records in a year, the open one (no `until`) is the state.
            if held is None or (held["until"] and not r.get("until")):
                cells[org][member][side.label] = {
                    "year": side.label,
                    "status": str(r.get("status")),
                    "words": status_state("memberships", r.get("status")),
                    "since": _date(r.get("since")),
                    "until": _date(r.get("until")),
                    "id": rid,
                    "step_back": False,
                }
    grids = []
    for org in sorted(cells):
        rows: list[dict[str, Any]] = []
        for member, by_year in cells[org].items():
            row = [by_year.get(label) for label in columns]
            previous: dict | None = None
            for cell in row:
                if cell and previous and is_step_back("memberships", previous, cell):
                    cell["step_back"] = True
                previous = cell or previous
            last = next((c for c in reversed(row) if c), None)
            order = GRID_ORDER.index(last["status"]) if last and last["status"] in GRID_ORDER else len(GRID_ORDER)
            rows.append({"member": member, "name": names(member), "cells": row, "_order": (order, names(member))})
        rows.sort(key=lambda r: r.pop("_order"))
        grids.append({"organization": org, "name": names(org), "years": columns, "rows": rows})
    return grids


def office_timelines(sides: list[Side], names: Names) -> list[dict]:
    offices: dict[str, list[dict]] = defaultdict(list)
    for rid, (side, r) in sorted(_latest_records(sides, "officeholders").items()):
        office = r.get("office")
        if not isinstance(office, str):
            continue
        offices[office].append(
            {
                "id": rid,
                "person": r.get("person"),
                "name": names(r.get("person")),
                "since": _date(r.get("since")),
                "until": _date(r.get("until")),
                "attested": _date(r.get("attested")),
                "as_of": _date(side.as_of),
                "year": side.label,
            }
        )
    out = []
    for office in sorted(offices, key=lambda o: (names.office(o), o)):
        terms = sorted(offices[office], key=lambda t: (t["since"] or t["attested"] or t["until"] or "", t["id"]))
        out.append({"office": office, "name": names.office(office), "terms": terms})
    return out


def indicator_series(sides: list[Side], names: Names) -> list[dict]:
    series: dict[str, dict[str, dict]] = defaultdict(dict)
    meta: dict[str, dict] = {}
    for side in sides:
        for rid, r in side.tables.get("indicators", {}).items():
            value = r.get("value")
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            key = series_of(rid, r)
            series[key][str(r.get("period"))] = {
                "period": str(r.get("period")),
                "value": value,
                "shown": format_value(r),
                "id": rid,
                "year": side.label,
            }
            meta[key] = r
    out = []
    for key in sorted(series):
        r = meta[key]
        points = [series[key][p] for p in sorted(series[key])]
        previous = None
        for p in points:
            p["delta"] = delta_words(p["value"] - previous["value"], r.get("unit")) if previous else "—"
            previous = p
        pair = "–".join(names(x) for x in (r.get("subject"), r.get("counterpart")) if x)
        out.append({"series": key, "label": f"{r.get('metric')} {pair}", "unit": r.get("unit"), "points": points})
    return out


def events_by_month(sides: list[Side]) -> list[dict]:
    """Events of every year (each id once) per month; an event dated only by its year counts
    under the year."""
    months: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _rid, (_side, r) in _latest_records(sides, "events").items():
        when = _date(r.get("date"))
        key = when[:7] if when else UNDATED
        months[key][str(r.get("kind"))] += 1
    dated = sorted(k for k in months if _MONTH.match(k))
    filled: list[str] = []
    if dated and _months_between(dated[0], dated[-1]) <= 240:
        y, m = int(dated[0][:4]), int(dated[0][5:7])
        while f"{y:04d}-{m:02d}" <= dated[-1]:
            filled.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        filled = dated
    order = filled + sorted(k for k in months if _YEAR.match(k)) + ([UNDATED] if UNDATED in months else [])
    return [
        {"month": k, "count": sum(months[k].values()), "kinds": dict(sorted(months[k].items()))}
        if k in months
        else {"month": k, "count": 0, "kinds": {}}
        for k in order
    ]


UNDATED = "no date"
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


def _months_between(a: str, b: str) -> int:
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[5:7]) - int(a[5:7])


def over_years(sides: list[Side]) -> dict:
    """Every picture's data over the given sides (oldest first)."""
    names = Names(*reversed(sides))
    return {
        "years": [s.label for s in sides],
        "memberships": membership_grids(sides, names),
        "offices": office_timelines(sides, names),
        "indicators": indicator_series(sides, names),
        "events_by_month": events_by_month(sides),
    }


# --- geometry of the SVG pictures (numbers only: the template draws them) ---------------------

CELL_W, CELL_H, LABEL_W = 104, 22, 170
TIMELINE_W, TIMELINE_LABEL_W, TIMELINE_ROW = 560, 300, 18


def _day(d: date) -> int:
    return d.toordinal()


def picture_layout(over: dict) -> dict:
    """Coordinates for the SVG of each picture in `over` (an `over_years` dict)."""
    grids = []
    for g in over["memberships"]:
        width = LABEL_W + CELL_W * len(g["years"])
        grids.append(
            {
                **g,
                "width": width,
                "height": CELL_H * (len(g["rows"]) + 1) + 4,
                "columns": [{"x": LABEL_W + i * CELL_W, "label": y} for i, y in enumerate(g["years"])],
                "rows": [
                    {
                        **r,
                        "y": CELL_H * (i + 1),
                        "cells": [dict(c, x=LABEL_W + j * CELL_W) for j, c in enumerate(r["cells"]) if c],
                    }
                    for i, r in enumerate(g["rows"])
                ],
            }
        )
    return {
        "grids": grids,
        "legend": list(GRID_ORDER),
        "offices": _office_layout(over["offices"]),
        "indicators": [_series_layout(s) for s in over["indicators"]],
        "events": _events_layout(over["events_by_month"]),
    }


def _office_layout(offices: list[dict]) -> dict:
    days = []
    for o in offices:
        for t in o["terms"]:
            for key in ("since", "attested"):
                if t[key]:
                    days.append(_day(dates.start(t[key])))
            for key in ("until", "attested", "as_of"):
                if t[key]:
                    days.append(_day(dates.end(t[key])))
    if not days:
        return {"rows": [], "height": 0, "width": 0, "ticks": []}
    lo, hi = min(days), max(days)
    span = max(hi - lo, 1)

    def x(day: int) -> float:
        return round(TIMELINE_LABEL_W + (day - lo) * TIMELINE_W / span, 1)

    rows = []
    for i, o in enumerate(offices):
        y = 24 + i * TIMELINE_ROW
        bars, dots = [], []
        for t in o["terms"]:
            if t["since"]:
                end = t["until"] or t["as_of"]
                x0 = x(_day(dates.start(t["since"])))
                x1 = x(_day(dates.end(end))) if end else x0 + 4
                bars.append(dict(t, x=x0, w=max(round(x1 - x0, 1), 3), open=not t["until"]))
            elif t["until"]:
                dots.append(dict(t, x=x(_day(dates.end(t["until"]))), what="left office"))
            if t["attested"] and not t["since"]:
                dots.append(dict(t, x=x(_day(dates.start(t["attested"]))), what="named in office"))
        rows.append({**o, "y": y, "bars": bars, "dots": dots})
    first, last = date.fromordinal(lo).year, date.fromordinal(hi).year
    step = max(1, (last - first + 1) // 8)
    ticks = [
        {"x": x(_day(date(year, 1, 1))), "label": str(year)}
        for year in range(first, last + 1, step)
        if lo <= _day(date(year, 1, 1)) <= hi
    ]
    return {
        "rows": rows,
        "height": 24 + len(offices) * TIMELINE_ROW + 6,
        "width": TIMELINE_LABEL_W + TIMELINE_W + 20,
        "ticks": ticks,
    }


SPARK_W, SPARK_H = 220, 48


def _series_layout(series: dict) -> dict:
    points = series["points"]
    values = [p["value"] for p in points]
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1
    n = len(points)
    placed = [
        dict(
            p,
            x=round(10 + (i * (SPARK_W - 20) / (n - 1) if n > 1 else (SPARK_W - 20) / 2), 1),
            y=round(SPARK_H - 8 - (p["value"] - lo) * (SPARK_H - 16) / span, 1),
        )
        for i, p in enumerate(points)
    ]
    path = " ".join(f"{p['x']},{p['y']}" for p in placed)
    return {**series, "points": placed, "path": path, "width": SPARK_W, "height": SPARK_H}


EVENTS_H = 90


def _events_layout(months: list[dict]) -> dict:
    if not months:
        return {"bars": [], "width": 0, "height": 0}
    top = max(m["count"] for m in months) or 1
    bar = max(6, min(28, 900 // len(months)))
    bars = []
    for i, m in enumerate(months):
        h = round(m["count"] * (EVENTS_H - 20) / top, 1)
        month = _MONTH.match(m["month"])
        bars.append(
            dict(
                m,
                x=30 + i * bar,
                w=bar - 2,
                y=round(EVENTS_H - h, 1),
                h=h,
                label=m["month"] if (not month or m["month"].endswith("-01") or i == 0) else "",
            )
        )
    return {"bars": bars, "width": 30 + len(months) * bar + 40, "height": EVENTS_H + 34, "top": top}
