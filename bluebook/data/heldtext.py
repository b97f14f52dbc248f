"""Held source texts: their paragraphs, their section tree, and grounding of quotes in them.

The held text is a conversion from a printed page. It keeps ruby readings and footnote marks as
`<sup>…</sup>`, breaks words at page ends, drops footnote blocks and photo captions into the middle
of sentences, and marks headings with an inconsistent number of `#`. This module reads it as it is
(it is never edited: its sha256 is checked) and rebuilds the paragraphs a reader sees.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

ELLIPSIS = "…"
GRAM = 3  # length of the character runs the paragraphs are indexed by (quotes are found through it)

_SUP = re.compile(r"<sup>.*?</sup>", re.S)
_SPACE = re.compile(r"\s+")
_HEADING_NUMBER = [
    (0, re.compile(r"^第\d+節$")),
    (1, re.compile(r"^\d+\s")),
    (2, re.compile(r"^\(\d+\)\s")),
    (3, re.compile(r"^[ァ-ヶ\u3280-\u32b0]\s")),  # ア, イ, ウ … and circled forms (the text has ㊦ for ウ)
]
_FOOTNOTE = re.compile(r"^(?:<sup>)?\(?(\d+)\)?(?:</sup>)?\s")
_CAPTION = re.compile(r"([（(]\d{1,2}月\d{1,2}日[、,][^）)]*[）)]|©\s*\S+)\s*$")
_SENTENCE_END = ("。", "」", "』", "）", ")")
_COLUMN_HEADINGS = {"コラム", "COLUMN"}


@lru_cache(maxsize=1 << 16)  # quotes and section names repeat across records and years
def normalize(text: str) -> str:
    """The comparable form of a quote or of source text: ruby and footnote marks dropped, Unicode
    NFKC (full-width and half-width forms alike), all white space and line breaks removed."""
    text = _SUP.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", text)


def split_quote(evidence: str) -> list[str]:
    """The normalized fragments of a quote; `…` joins fragments that occur in that order."""
    return [normalize(part) for part in evidence.split(ELLIPSIS)]


@dataclass
class Paragraph:
    """A paragraph as a reader sees it: page breaks joined, interrupting blocks skipped."""

    number: int
    line: int  # first line in the file
    kind: str  # body, footnote, note (figure notes and list items), caption (photo captions)
    raw: str
    sections: tuple[str, ...]  # headings from the outermost to the innermost
    text: str = ""  # normalized
    lines: list[int] = field(default_factory=list)

    @property
    def section(self) -> str:
        return self.sections[-1] if self.sections else ""

    @cached_property
    def normalized_sections(self) -> frozenset[str]:
        """Computed once, after parsing (footnotes take their mark's sections first)."""
        return frozenset(normalize(s) for s in self.sections)

    def preview(self, width: int = 60) -> str:
        flat = _SPACE.sub("", _SUP.sub("", self.raw))
        return flat if len(flat) <= width else flat[:width] + "…"


@dataclass
class Heading:
    text: str
    level: int
    line: int


@dataclass
class HeldText:
    path: Path
    paragraphs: list[Paragraph]
    headings: list[Heading]

    @cached_property
    def section_names(self) -> frozenset[str]:
        return frozenset(normalize(h.text) for h in self.headings)

    @cached_property
    def _grams(self) -> dict[str, list[Paragraph]]:
        """Paragraphs by each run of GRAM characters of their text, in text order."""
        index: dict[str, list[Paragraph]] = {}
        for p in self.paragraphs:
            for gram in {p.text[i : i + GRAM] for i in range(len(p.text) - GRAM + 1)}:
                index.setdefault(gram, []).append(p)
        return index

    def _candidates(self, first: str) -> list[Paragraph]:
        """Paragraphs that may contain `first`: all of those that do, in text order (those sharing
        its rarest run of GRAM characters; every paragraph when it is shorter than that)."""
        if len(first) < GRAM:
            return self.paragraphs
        grams = self._grams
        return min((grams.get(first[i : i + GRAM], []) for i in range(len(first) - GRAM + 1)), key=len)

    def locate(self, evidence: str, section: str | None = None) -> list[Paragraph]:
        """Paragraphs that contain the quote (fragments in order), within `section` if given."""
        parts = split_quote(evidence)
        wanted = normalize(section) if section else None
        found = []
        for p in self._candidates(parts[0]):
            if wanted and wanted not in p.normalized_sections:
                continue
            if _contains_in_order(p.text, parts):
                found.append(p)
        return found

    def closest(self, evidence: str) -> str:
        """Where a quote that is not found stops matching: a hint for the curator."""
        first = split_quote(evidence)[0]
        whole = "".join(p.text for p in self.paragraphs)
        lo, hi = 0, len(first)
        while lo < hi:  # longest prefix of the quote that occurs in the text
            mid = (lo + hi + 1) // 2
            if first[:mid] in whole:
                lo = mid
            else:
                hi = mid - 1
        if lo < 4:
            return "no part of the quote's start occurs in the source; copy the quote from the source text"
        at = whole.find(first[:lo])
        source_next = whole[at + lo : at + lo + 12]
        return (
            f"the first {lo} characters match ('…{first[max(0, lo - 12) : lo]}'); then the source reads "
            f"'{source_next}' where the quote has '{first[lo : lo + 12]}'"
        )


def _contains_in_order(text: str, parts: list[str]) -> bool:
    pos = 0
    for part in parts:
        if not part:
            return False
        i = text.find(part, pos)
        if i < 0:
            return False
        pos = i + len(part)
    return True


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Blocks of non-blank lines with the line number of their first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            if not current:
                start = n
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def heading_level(text: str) -> int | None:
    """Level from the numbering (`第6節` 0, `1` 1, `(1)` 2, `ア` 3); None when unnumbered."""
    for level, pattern in _HEADING_NUMBER:
        if pattern.match(text):
            return level
    return None


def parse_held_text(text: str, path: Path | None = None) -> HeldText:
    """Paragraphs and headings of a held Markdown conversion of a printed section."""
    headings: list[Heading] = []
    stack: list[Heading] = []  # the open section path
    paragraphs: list[Paragraph] = []
    pending: Paragraph | None = None  # a body paragraph whose sentence runs on past a page break
    after_chapter_title = False

    def open_heading(title: str, line: int) -> None:
        level = heading_level(title)
        if title in _COLUMN_HEADINGS:
            level = 1
        elif level is None:  # unnumbered: the column's title, a figure: a child of the current section
            level = (stack[-1].level + 1) if stack else 1
        while stack and stack[-1].level >= level:
            stack.pop()
        h = Heading(title, level, line)
        headings.append(h)
        stack.append(h)

    def add(kind: str, line: int, raw: str) -> Paragraph:
        p = Paragraph(len(paragraphs) + 1, line, kind, raw, tuple(h.text for h in stack), lines=[line])
        paragraphs.append(p)
        return p

    for line, lines in _blocks(text):
        first = lines[0].strip()
        joined = "\n".join(lines)
        if first.startswith("#"):
            open_heading(first.lstrip("#").strip(), line)
            after_chapter_title = bool(_HEADING_NUMBER[0][1].match(stack[-1].text))
            continue
        if after_chapter_title:  # the section's title under `第6節`
            after_chapter_title = False
            headings[-1].text += " " + " ".join(x.strip() for x in lines)
            stack[-1] = headings[-1]
            continue
        if first.startswith("■"):
            open_heading(first.lstrip("■").strip(), line)
            continue
        if first.startswith("〈") and first.endswith("〉"):
            continue  # labels inside the figure (〈注〉, 〈略語解説〉)
        if _CAPTION.search(joined.strip()):
            add("caption", line, joined)  # a photo caption: quotable, but not part of the running text
            continue
        if _FOOTNOTE.match(first):
            add("footnote", line, joined)
            continue
        if first.startswith("- "):
            for offset, item in enumerate(lines):
                add("note", line + offset, item.strip()[2:])
            continue
        if pending is not None:
            pending.raw += "\n" + joined
            pending.lines.append(line)
            p = pending
        else:
            p = add("body", line, joined)
        pending = None if joined.rstrip().endswith(_SENTENCE_END) else p

    for p in paragraphs:
        p.text = normalize(p.raw)
    _attribute_footnotes(paragraphs)
    return HeldText(path or Path("<text>"), paragraphs, headings)


def _attribute_footnotes(paragraphs: list[Paragraph]) -> None:
    """A footnote belongs to the section where its mark stands, not where the page put it."""
    for note in (p for p in paragraphs if p.kind == "footnote"):
        m = _FOOTNOTE.match(note.raw.strip())
        if not m:
            continue
        # "(3) …" answers the mark <sup>(3)</sup>; the column's "1 …" answers <sup>1</sup>
        n = m.group(1)
        mark = f"<sup>({n})</sup>" if m.group(0).lstrip("<sup>").startswith("(") else f"<sup>{n}</sup>"
        for body in reversed(paragraphs[: note.number - 1]):  # the nearest mark before the note
            if body.kind == "body" and mark in body.raw:
                note.sections = body.sections
                break


def verified_held_text(raw: bytes, sha256: object, path: Path) -> HeldText | None:
    """The parsed text of a held source, only when `raw` is exactly what `sha256` names and is UTF-8:
    no text that was not checked is ever used or shown (None otherwise; `check` says why)."""
    if not isinstance(sha256, str) or hashlib.sha256(raw).hexdigest() != sha256:
        return None
    try:
        return parse_held_text(raw.decode("utf-8"), path)
    except UnicodeDecodeError:
        return None


def load_held_text(path: Path, sha256: str) -> HeldText | None:
    return verified_held_text(path.read_bytes(), sha256, path)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def content_length(fragments: list[str]) -> int:
    """Letters and digits in normalized quote fragments: what a quote can prove with."""
    return sum(1 for part in fragments for ch in part if unicodedata.category(ch)[0] in "LN")
