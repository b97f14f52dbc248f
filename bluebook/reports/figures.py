"""Figures in words: an indicator's value with its unit and qualifier, a delta, and the series a
figure belongs to (shared by the change report and the pictures over the years)."""

from __future__ import annotations


def format_value(record: dict) -> str:
    value = record.get("value")
    unit = record.get("unit") or ""
    qualifier = {
        "about": "about ",
        "over": "over ",
        "under": "under ",
        "at_least": "at least ",
        "at_most": "at most ",
    }.get(record.get("qualifier") or "", "")
    return f"{qualifier}{number(value, unit)}"


def number(value, unit) -> str:
    """1195100000000 JPY → '1.1951 trillion JPY'; 50.5 percent → '50.5%'; 10 count → '10'."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    for size, word in ((1e12, "trillion"), (1e9, "billion")):
        if abs(value) >= size:
            return f"{value / size:,.4g} {word} {unit}".rstrip()
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    if unit == "percent":
        return f"{shown}%"
    return shown if unit in ("count", None, "") else f"{shown} {unit}"


def delta_words(delta, unit) -> str:
    if delta is None:
        return "—"
    if unit == "percent":
        return f"{delta:+,.4g} pt"
    sign = "+" if delta >= 0 else "−"
    return sign + number(abs(delta), unit)


def series_of(rid: str, record: dict) -> str:
    """The series an indicator belongs to: its id with the period replaced by '*'
    (trade.jpn-rus.total.2025 → trade.jpn-rus.total.*), so that successive years pair up and two
    sources' figures for one period stay two rows."""
    period = str(record.get("period", ""))
    return rid.replace(period, "*", 1) if period and period in rid else rid
