"""A reader of the held text's Japanese: what a quote states — its dates, figures, names and status
words — each with the words it was read from, their span in the quote and the precision the text
gives. Plain Python (no pandas, Prefect or Great Expectations): `bluebook check` imports it.

    >>> from bluebook.reader import Gazetteer, read
    >>> names = Gazetteer([{"id": "UZB", "kind": "country", "name_ja": "ウズベキスタン"}])
    >>> r = read("（8月27日、ウズベキスタン・タシケント）", year=2025, names=names)
    >>> [d.value for d in r.dates], sorted(r.entity_ids())
    (['2025-08-27'], ['UZB'])

Given the paragraph the quote lies in, the reader reads the whole paragraph and keeps what lies in
the quote, so `同年6月` takes its year from the paragraph, and the paragraph's own mentions are there
for what only the context gives (`Reading.context`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from bluebook.reader.dates import DateMention, find_dates
from bluebook.reader.figures import Figure, find_figures
from bluebook.reader.names import Gazetteer, NameMention
from bluebook.reader.statuses import StatusMention, find_statuses
from bluebook.reader.text import Mapped, fragments, normalize_mapped, shown

__all__ = ["DateMention", "Figure", "Gazetteer", "NameMention", "Reading", "StatusMention", "read", "read_text"]


@dataclass
class Reading:
    """What a text states. Spans are offsets in the text as given (the quote, with its `…`)."""

    text: str
    dates: list[DateMention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    names: list[NameMention] = field(default_factory=list)
    statuses: list[StatusMention] = field(default_factory=list)
    year: int | None = None  # the year the text reviews (bare months fall in it)
    section: str = ""
    context: Reading | None = None  # the whole paragraph, when the quote was read in it
    located: bool = False  # the quote was found in the paragraph given

    def entity_ids(self) -> set[str]:
        return {e for n in self.names for e in n.entities}

    def years(self) -> set[str]:
        """Years the text names (of its dates and ranges)."""
        return {p[:4] for d in self.dates for p in d.points}

    def mentions(self) -> list:
        return sorted([*self.dates, *self.figures, *self.names, *self.statuses], key=lambda m: m.span)


def _read_mapped(mapped: Mapped, year: int | None, names: Gazetteer | None) -> Reading:
    """Read a normalized text; spans stay in normalized coordinates."""
    text = mapped.norm
    dates = find_dates(text, year)
    figures = find_figures(text, [d.span for d in dates])
    found_names = names.find(text) if names is not None else []
    return Reading(text, dates, figures, found_names, find_statuses(text), year)


@lru_cache(maxsize=1024)
def _read_paragraph(paragraph: str, year: int | None, names: Gazetteer | None) -> tuple[Mapped, Reading, Reading]:
    """A paragraph's reading in normalized coordinates and in the paragraph's own (read once)."""
    mapped = normalize_mapped(paragraph)
    reading = _read_mapped(mapped, year, names)
    return mapped, reading, _remap(reading, lambda s: mapped.raw_span(*s), paragraph)


def read_text(text: str, year: int | None = None, names: Gazetteer | None = None) -> Reading:
    """Read a whole text (a paragraph or a sentence); spans are offsets in `text`."""
    reading = _read_paragraph(text, year, names)[2]
    return Reading(
        text, list(reading.dates), list(reading.figures), list(reading.names), list(reading.statuses), reading.year
    )


def read(
    quote: str, paragraph: str = "", section: str = "", year: int | None = None, names: Gazetteer | None = None
) -> Reading:
    """What `quote` states, read in its `paragraph` (when given and the quote is found in it) for
    the years `同年` and bare months take; `year` is the year the text reviews."""
    parts = fragments(quote)
    if paragraph:
        mapped, whole, context = _read_paragraph(paragraph, year, names)
        places = _locate(mapped.norm, [p.norm for p in parts])
        if places is not None:
            covered = _merge([(s, s + len(p.norm)) for s, p in zip(places, parts)])

            def inside(span) -> bool:
                return any(s <= span[0] and span[1] <= e for s, e in covered)

            def to_quote(span):
                return _quote_span(span, places, parts)

            kept = Reading(
                mapped.norm,
                [d for d in whole.dates if inside(d.span)],
                [f for f in whole.figures if inside(f.span)],
                [n for n in whole.names if inside(n.span)],
                [s for s in whole.statuses if inside(s.span)],
                year,
            )
            out = _remap(kept, to_quote, quote)
            out.section = section
            out.context = context
            out.located = True
            return out
    out = Reading(quote, year=year, section=section)
    for part in parts:  # no paragraph: each fragment on its own
        r = _remap(_read_mapped(part, year, names), lambda s, part=part: part.raw_span(*s), quote)
        out.dates += r.dates
        out.figures += r.figures
        out.names += r.names
        out.statuses += r.statuses
    return out


def _locate(text: str, parts: list[str]) -> list[int] | None:
    """Start of each fragment in `text`, in order; None when one is missing."""
    pos, out = 0, []
    for part in parts:
        i = text.find(part, pos) if part else -1
        if i < 0:
            return None
        out.append(i)
        pos = i + len(part)
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join touching spans: `バイサ…ロフ` covers the name the page break split."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _quote_span(span: tuple[int, int], places: list[int], parts: list[Mapped]) -> tuple[int, int]:
    """A span of the paragraph's normalized text as offsets in the quote as given."""

    def at(pos: int, is_end: bool) -> int:
        for start, part in zip(places, parts):
            inner = pos - start
            if 0 <= inner < len(part.norm) or (is_end and inner == len(part.norm) and inner > 0):
                if is_end:
                    return part.origin[inner - 1] + 1
                return part.origin[inner]
        return 0

    return at(span[0], False), at(span[1], True)


def _remap(reading: Reading, convert, text: str) -> Reading:
    def fix(m):
        start, end = convert(m.span)
        return replace(m, span=(start, end), text=shown(text[start:end]))

    return Reading(
        text,
        [fix(d) for d in reading.dates],
        [fix(f) for f in reading.figures],
        [fix(n) for n in reading.names],
        [fix(s) for s in reading.statuses],
        reading.year,
        reading.section,
    )
