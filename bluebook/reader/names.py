"""Names in the held text's Japanese: every entity of `snapshots/entities.yaml` by its `name_ja` and
`aliases_ja`; countries in compounds (`日露`, `露朝`, `中露`, `日・ウズベキスタン`, `対露`, `訪日`); groups
the text names as one (`中央アジア5か国`); places that name their country (`タシケント`); and persons
with their office (`岩屋外務大臣`, `サイドフ外相`, `トカエフ・カザフスタン大統領`), which say what office
they hold and, for a Japanese title or a named country, whose.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bluebook.reader.lexicon import (
    ABBREVIATIONS,
    COMPOUND_FOLLOWERS,
    GROUPS,
    IMPLIED_COUNTRY,
    NOT_NAMES,
    OFFICE_TITLES,
    PLACES,
)


@dataclass(frozen=True)
class NameMention:
    """Entities a stretch of text names. A titled person (`サイドフ外相`) also carries the offices
    the title names and the country it implies: the title's own (`外務大臣` is Japan's), a country
    named with it (`トカエフ・カザフスタン大統領`), or the person's own country."""

    text: str
    span: tuple[int, int]
    entities: tuple[str, ...]
    via: str  # name | compound | implied | group | place | title
    offices: tuple[str, ...] = ()
    office_country: str | None = None

    def describe(self) -> str:
        office = f", {'/'.join(self.offices)} of {self.office_country or '?'}" if self.offices else ""
        return f"{self.text} ({', '.join(self.entities)}{office})"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class Gazetteer:
    """The names the reader looks for, built once from the entity registry."""

    def __init__(self, entities: Iterable[Mapping]):
        self.names: dict[str, str | None] = {}  # normalized name → entity id (None: not a name)
        self.kind: dict[str, str] = {}
        self.country: dict[str, str] = {}
        for e in entities:
            eid = e.get("id")
            if not isinstance(eid, str) or not eid:
                continue
            self.kind[eid] = str(e.get("kind", ""))
            if isinstance(e.get("country"), str):
                self.country[eid] = e["country"]
            spellings = [e.get("name_ja")] + list(e.get("aliases_ja") or [])
            for s in spellings:
                if isinstance(s, str) and _norm(s):
                    self.names.setdefault(_norm(s), eid)
        for word in NOT_NAMES:
            self.names[_norm(word)] = None
        self.country_names = {n: i for n, i in self.names.items() if i and self.kind.get(i) == "country"}
        countries = _alternation(self.country_names)
        abbreviations = "".join(ABBREVIATIONS)
        self._name_re = re.compile(_alternation(self.names))
        self._compound_re = re.compile(
            rf"(?<![\u4e00-\u9fff])(?P<c>[{abbreviations}]{{2,3}})(?={_alternation(COMPOUND_FOLLOWERS)})"
            rf"|(?P<j>日)・(?=(?:{countries}))"
        )
        self._implied_re = re.compile(_alternation(IMPLIED_COUNTRY))
        self._group_re = re.compile(_alternation(GROUPS))
        self._place_re = re.compile(_alternation(PLACES))
        self._title_re = re.compile(rf"・?(?P<country>{countries})?(?P<title>{_alternation(OFFICE_TITLES)})")

    def find(self, text: str) -> list[NameMention]:
        """Every name in `text` (normalized), longest first where names overlap."""
        out: list[NameMention] = []
        taken: list[tuple[int, int]] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        for m in self._group_re.finditer(text):
            out.append(NameMention(m.group(0), m.span(), GROUPS[m.group(0)], "group"))
            taken.append(m.span())
        for m in self._name_re.finditer(text):
            eid = self.names[m.group(0)]
            if not free(*m.span()):
                continue
            taken.append(m.span())
            if eid is None:
                continue
            mention = NameMention(m.group(0), m.span(), (eid,), "name")
            if self.kind.get(eid) == "person":
                mention = self._titled(text, mention)
            out.append(mention)
        for m in self._compound_re.finditer(text):
            if not free(m.start(), m.end()):
                continue
            if m.group("c"):
                ids = tuple(i for i in (ABBREVIATIONS[ch] for ch in m.group("c")) if i)
            else:
                ids = ("JPN",)
            if ids:
                out.append(NameMention(m.group(0), m.span(), ids, "compound"))
        for m in self._implied_re.finditer(text):
            out.append(NameMention(m.group(0), m.span(), (IMPLIED_COUNTRY[m.group(0)],), "implied"))
        for m in self._place_re.finditer(text):
            if free(*m.span()):
                out.append(NameMention(m.group(0), m.span(), (PLACES[m.group(0)],), "place"))
        return sorted(out, key=lambda n: n.span)

    def _titled(self, text: str, person: NameMention) -> NameMention:
        """A person's name followed by an office title: `岩屋外務大臣`, `ヌルトレウ・副首相兼外相`."""
        m = self._title_re.match(text, person.span[1])
        if not m:
            return person
        offices, implied = OFFICE_TITLES[m.group("title")]
        named = m.group("country")
        country = (self.country_names.get(named) if named else None) or implied or self.country.get(person.entities[0])
        entities = person.entities + ((country,) if country else ())
        return NameMention(
            text[person.span[0] : m.end()], (person.span[0], m.end()), entities, "title", offices, country
        )
