"""Partial dates (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`): each one denotes an interval of days."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import TypeGuard

PARTIAL_DATE_RE = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"  # ASCII digits only, the whole string
_PARTIAL = re.compile(PARTIAL_DATE_RE)


def is_partial_date(text: object) -> TypeGuard[str]:
    """True when `text` is a well-formed and real partial date (no month 13, no 30 February)."""
    if not isinstance(text, str) or not _PARTIAL.fullmatch(text):
        return False
    try:
        interval(text)
    except ValueError:
        return False
    return True


def interval(text: str) -> tuple[date, date]:
    """First and last day a partial date denotes; raises ValueError when it is not a real date."""
    parts = [int(p) for p in text.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return date(year, 1, 1), date(year, 12, 31)
    month = parts[1]
    if len(parts) == 2:
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} out of range")
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date(year, month, parts[2])
    return day, day


def start(text: str) -> date:
    return interval(text)[0]


def end(text: str) -> date:
    return interval(text)[1]


def may_precede(a: str, b: str) -> bool:
    """`a` before `b` as partial dates: a.start <= b.end (2024-10 may precede 2024-10-01)."""
    return start(a) <= end(b)
