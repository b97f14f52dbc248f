"""Figures in the held text's Japanese: `約1兆1,951億円`, `50.5%の減少`, `46.6%減少`, `約3割`, `2倍以上`,
`800人以上`, `3度`, `10回`, `5か国`, `7選目`, `21年が経ち`, `30年以上`, `3年を超える`, a bare count in
brackets (`独立国家共同体 (10)`). Each with its unit, qualifier, sign and the rounding it shows.

Arabic digits with `兆/億/万/千` (and kanji numerals) are read by kanjize; decimals, units,
qualifiers and signs are read here (kanjize truncates decimals: `50.5` → 50).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from bluebook.reader.lexicon import DECREASE, INCREASE, QUALIFIERS_AFTER, QUALIFIERS_BEFORE, UNITS

_MULTIPLIERS = {"兆": 10**12, "億": 10**8, "万": 10**4, "千": 10**3}
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CORE = rf"{_NUM}(?:[兆億万千](?:{_NUM})?)*"


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_FIGURE = re.compile(
    rf"(?<![A-Za-z\d.,\-第])(?P<pre>{_alternation(QUALIFIERS_BEFORE)})?(?P<core>{_CORE})"
    rf"(?P<unit>{_alternation(UNITS)})?(?P<post>{_alternation(QUALIFIERS_AFTER)})?"
    rf"(?P<sign>{_alternation(DECREASE + INCREASE)})?"
)
_ORDINAL = re.compile(r"第(?P<core>\d+)(?P<unit>回|期|次)")
_BRACKETED = re.compile(r"\((?P<core>\d{1,4})\)")


@dataclass(frozen=True)
class Figure:
    """A figure the text states, in the unit of its kind (`JPY`, `percent`, `ratio`, `count`,
    `years`): `value` is signed (a decrease is negative); `tolerance` is half the last place the
    text shows (約1兆1,951億円 is given to the 億: ±50,000,000)."""

    text: str
    span: tuple[int, int]
    value: float
    unit: str | None
    kind: str  # amount | percent | ratio | count | ordinal | duration | anniversary | number | page
    qualifier: str | None = None  # about | over | at_least | under | at_most
    tolerance: float = 0.5
    change: str | None = None  # increase | decrease

    def describe(self) -> str:
        q = {"about": "about ", "over": "over ", "at_least": "at least ", "under": "under ", "at_most": "at most "}.get(
            self.qualifier or "", ""
        )
        shown = f"{self.value:,.0f}" if abs(self.value) >= 1000 else f"{self.value:g}"
        return f"{self.text} ({q}{shown}{' ' + self.unit if self.unit else ''})"


def core_value(core: str) -> tuple[Decimal, Decimal]:
    """The value of `1兆1,951億` (kanjize) or `50.5`, and the place of its last shown digit."""
    import kanjize

    core = core.replace(",", "")
    place = Decimal(1)
    last_multiplier = re.search(r"([兆億万千])$", core)
    last_number = re.findall(r"\d+(?:\.(\d+))?", core)
    decimals = len(last_number[-1]) if last_number and last_number[-1] else 0
    if last_multiplier:
        place = Decimal(_MULTIPLIERS[last_multiplier.group(1)])
    place = place / (Decimal(10) ** decimals)
    if "." in core:  # kanjize drops decimals: 1.5億 and 50.5 are read here
        total = Decimal(0)
        for number, mult in re.findall(r"(\d+(?:\.\d+)?)([兆億万千]?)", core):
            total += Decimal(number) * (_MULTIPLIERS[mult] if mult else 1)
        return total, place
    if not re.search(r"[兆億万千]", core):
        return Decimal(core), place
    return Decimal(kanjize.kanji2number(core)), place


def find_figures(text: str, taken: list[tuple[int, int]] | None = None) -> list[Figure]:
    """Every figure in `text` (normalized), leaving out what overlaps `taken` (the spans of dates)."""
    taken = taken or []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    out: list[Figure] = []
    for m in _ORDINAL.finditer(text):  # 第1回, 第3回会合: which one, not how many
        if free(m.start(), m.end()):
            out.append(Figure(m.group(0), m.span(), float(m.group("core")), "count", "ordinal", tolerance=0.5))
    seen = [f.span for f in out]
    for m in _FIGURE.finditer(text):
        if not free(m.start(), m.end()) or any(s <= m.start() < e for s, e in seen):
            continue
        unit_word = m.group("unit")
        if unit_word is None:
            continue  # a bare number is a count only in brackets (独立国家共同体 (10)); read below
        unit, kind, factor = UNITS[unit_word]
        value, place = core_value(m.group("core"))
        qualifier = QUALIFIERS_BEFORE.get(m.group("pre") or "") or QUALIFIERS_AFTER.get(m.group("post") or "")
        change = None
        if m.group("sign"):
            change = "decrease" if m.group("sign") in DECREASE else "increase"
        signed = -value if change == "decrease" else value
        out.append(
            Figure(
                m.group(0), m.span(), float(signed * factor), unit, kind, qualifier, float(place * factor / 2), change
            )
        )
    for m in _BRACKETED.finditer(text):
        if free(m.start(), m.end()) and not any(s <= m.start() < e for s, e in (f.span for f in out)):
            out.append(Figure(m.group(0), m.span(), float(m.group("core")), "count", "number"))
    return sorted(out, key=lambda f: f.span)
