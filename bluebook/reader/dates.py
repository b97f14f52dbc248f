"""Dates in the held text's Japanese: `2025年8月27日`, `8月27日` (the year from the sentence or the
year the text reviews), `同年9月`, `同月`, `同日`, `本年`, `昨年`, `前年`, ranges (`8月末から9月にかけて`,
`1月から2月`, `8月1日から5日`, `2025年1月から12月`), parts of a month (`上旬`, `中旬`, `下旬`, `末`),
relations (`以降`, `以来`, `から`, `まで`), era years (`令和7年`) and the dates of photo captions.

Works on normalized text (see `text.py`) and returns spans in it; `reader.read` maps them back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bluebook.reader.lexicon import ERAS

PARTS = {
    "上旬": "early",
    "初旬": "early",
    "初め": "early",
    "初頭": "early",
    "中旬": "mid",
    "半ば": "mid",
    "下旬": "late",
    "末": "end",
}
_PART = "|".join(sorted(PARTS, key=len, reverse=True))
_ERA = "|".join(ERAS)
_RELATIVE_YEARS = "同年|本年|今年|昨年|前年|翌年"

_TOKEN = re.compile(
    rf"(?P<era>{_ERA})(?P<era_y>元|\d{{1,2}})年(?:(?P<era_m>\d{{1,2}})月(?:(?P<era_d>\d{{1,2}})日)?)?"
    rf"|(?<![\d.\-])(?P<y>\d{{4}})年(?:(?P<y_m>\d{{1,2}})月(?:(?P<y_d>\d{{1,2}})日)?)?(?P<y_same>同期)?"
    rf"|(?P<rel>{_RELATIVE_YEARS})(?:(?P<rel_m>\d{{1,2}})月(?:(?P<rel_d>\d{{1,2}})日)?)?"
    rf"|(?P<sm>同月)(?:(?P<sm_d>\d{{1,2}})日)?"
    rf"|(?P<sd>同日)"
    rf"|(?<![\d.])(?P<m>\d{{1,2}})月(?:(?P<m_d>\d{{1,2}})日)?"
    rf"|(?<![\d.月])(?P<d>\d{{1,2}})日(?!間)"
)
_PART_AFTER = re.compile(rf"(?:{_PART})")
_RANGE_JOIN = re.compile(r"から|〜|～|~")
_RANGE_TAIL = re.compile(r"にかけて|まで")
_RELATION = [
    (re.compile(r"以降|以来|から"), "since"),
    (re.compile(r"までに|まで"), "until"),
    (re.compile(r"以前"), "before"),
]


@dataclass(frozen=True)
class DateMention:
    """A date the text states. `value` is a partial date (`2025`, `2025-08`, `2025-08-27`) of the
    start; `end` the partial date of a range's end; `precision` says which parts the text gives."""

    text: str
    span: tuple[int, int]
    value: str
    precision: str  # year | month | day
    end: str | None = None
    part: str | None = None  # early | mid | late | end: which part of the month (or year) is meant
    relation: str | None = None  # since (以降, 以来, から), until (まで), before (以前)
    year_from: str = "text"  # text | era | same-year | relative | sentence | reviewed

    @property
    def points(self) -> tuple[str, ...]:
        """The partial dates the mention names: its value, and a range's end."""
        return (self.value,) if self.end is None else (self.value, self.end)

    def describe(self) -> str:
        """`8月27日 (2025-08-27)`: the words and what they were read as."""
        value = self.value if self.end is None else f"{self.value}..{self.end}"
        extra = ", ".join(x for x in (self.part, self.relation) if x)
        return f"{self.text} ({value}{', ' + extra if extra else ''})"


@dataclass
class _Token:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    year_from: str
    kind: str  # full | rel | same-month | same-day | month | day
    part: str | None = None
    explicit_month: bool = False  # the token carries its own year and month (an anchor for a bare month)


def _partial(year: int | None, month: int | None = None, day: int | None = None) -> str:
    if year is None:
        return ""
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _precision(month: int | None, day: int | None) -> str:
    return "day" if day is not None else "month" if month is not None else "year"


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is not None and not 1 <= month <= 12:
        return False
    return not (day is not None and not 1 <= day <= 31)


def find_dates(text: str, reviewed_year: int | None = None) -> list[DateMention]:
    """Every date in `text` (normalized), with years resolved from the paragraph: an explicit year
    wins; `同年` takes the last year named before it; a bare month takes the year of an explicit
    year-and-month earlier in the same sentence, else `reviewed_year`, the year the text reviews."""
    tokens: list[_Token] = []
    last_year: int | None = None  # the last year named (for 同年)
    last_month: tuple[int | None, int] | None = None  # (year, month) last named (for 同月)
    last_day: tuple[int | None, int, int] | None = None
    anchor: int | None = None  # year of the last explicit year-and-month in this sentence
    anchor_until = 0  # where that sentence ends

    for m in _TOKEN.finditer(text):
        if anchor is not None and m.start() >= anchor_until:  # a new sentence: no anchor carries over
            anchor = None
        g = m.groupdict()
        tok: _Token | None = None
        if g["era"]:
            n = 1 if g["era_y"] == "元" else int(g["era_y"])
            tok = _Token(
                m.start(),
                m.end(),
                ERAS[g["era"]] + n - 1,
                _int(g["era_m"]),
                _int(g["era_d"]),
                "era",
                "full",
                explicit_month=bool(g["era_m"]),
            )
        elif g["y"]:
            tok = _Token(
                m.start(),
                m.end(),
                int(g["y"]),
                _int(g["y_m"]),
                _int(g["y_d"]),
                "text",
                "full",
                explicit_month=bool(g["y_m"]),
            )
        elif g["rel"]:
            word = g["rel"]
            if word == "同年":
                year, source = last_year, "same-year"
            elif word in ("本年", "今年"):
                year, source = reviewed_year, "relative"
            elif word == "昨年":
                year, source = (reviewed_year - 1 if reviewed_year else None), "relative"
            else:  # 前年, 翌年: relative to the year in focus in this sentence
                base = _last_year_in_sentence(tokens, text, m.start()) or anchor or reviewed_year
                year = (base - 1 if word == "前年" else base + 1) if base else None
                source = "relative"
            tok = _Token(
                m.start(),
                m.end(),
                year,
                _int(g["rel_m"]),
                _int(g["rel_d"]),
                source,
                "rel",
                explicit_month=bool(g["rel_m"]),
            )
        elif g["sm"]:
            if last_month:
                tok = _Token(
                    m.start(),
                    m.end(),
                    last_month[0],
                    last_month[1],
                    _int(g["sm_d"]),
                    "same-year",
                    "same-month",
                    explicit_month=True,
                )
        elif g["sd"]:
            if last_day:
                tok = _Token(m.start(), m.end(), *last_day, "same-year", "same-day")
        elif g["m"]:
            year = anchor if anchor else reviewed_year
            tok = _Token(
                m.start(), m.end(), year, int(g["m"]), _int(g["m_d"]), "sentence" if anchor else "reviewed", "month"
            )
        elif g["d"]:
            tok = _Token(m.start(), m.end(), None, None, int(g["d"]), "", "day")
        if tok is None or not _valid(tok.year, tok.month, tok.day):
            continue
        part = _PART_AFTER.match(text, tok.end)
        if part and tok.kind != "day":
            tok.part = PARTS[part.group(0)]
            tok.end = part.end()
        tokens.append(tok)
        if tok.kind == "day":
            continue
        if tok.year is not None and tok.kind in ("full", "rel"):
            last_year = tok.year
        if tok.month is not None:
            last_month = (tok.year, tok.month)
        if tok.day is not None and tok.month is not None:
            last_day = (tok.year, tok.month, tok.day)
        if tok.explicit_month and tok.kind in ("full", "rel", "same-month"):
            anchor = tok.year
            stop = text.find("。", tok.end)
            anchor_until = len(text) if stop < 0 else stop + 1

    return _assemble(text, tokens)


def _last_year_in_sentence(tokens: list[_Token], text: str, at: int) -> int | None:
    start = text.rfind("。", 0, at) + 1
    for t in reversed(tokens):
        if t.start < start:
            break
        if t.year is not None and t.kind in ("full", "rel"):
            return t.year
    return None


def _mention(text: str, tok: _Token) -> DateMention:
    return DateMention(
        text[tok.start : tok.end],
        (tok.start, tok.end),
        _partial(tok.year, tok.month, tok.day),
        _precision(tok.month, tok.day),
        part=tok.part,
        year_from=tok.year_from,
    )


def _assemble(text: str, tokens: list[_Token]) -> list[DateMention]:
    """Join `A から B (にかけて)` into ranges (B inherits what it leaves out from A), attach relations."""
    out: list[DateMention] = []
    i = 0
    while i < len(tokens):
        a = tokens[i]
        if a.kind == "day" or a.year is None:  # a lone day, or 同年 with nothing before it
            i += 1
            continue
        join = _RANGE_JOIN.match(text, a.end)
        b = tokens[i + 1] if i + 1 < len(tokens) else None
        if join and b is not None and b.start == join.end() and b.kind in ("day", "month", "full"):
            year = b.year if b.kind == "full" else a.year  # 2025年1月から12月: 12月 is 2025's
            month = b.month if b.month is not None else a.month  # 8月1日から5日: the 5th of August
            day = b.day
            end_tok = _Token(b.start, b.end, year, month, day, a.year_from, "full", part=b.part)
            tail = _RANGE_TAIL.match(text, b.end)
            stop = tail.end() if tail else b.end
            start_m = _mention(text, a)
            end_value = _partial(end_tok.year, end_tok.month, end_tok.day)
            out.append(replace(start_m, text=text[a.start : stop], span=(a.start, stop), end=end_value))
            i += 2
            continue
        mention = _mention(text, a)
        for pattern, relation in _RELATION:
            rel = pattern.match(text, a.end)
            if rel:
                mention = replace(mention, relation=relation, text=text[a.start : rel.end()], span=(a.start, rel.end()))
                break
        out.append(mention)
        i += 1
    return out
