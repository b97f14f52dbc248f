"""Normalized text that remembers where each character came from.

The reader matches on the same comparable form grounding uses (ruby and footnote marks dropped,
Unicode NFKC: full-width digits and brackets become ASCII, white space removed), but reports every
span in the text as it was given, so a curator sees `８月２７日` where the quote has it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SUP = re.compile(r"<sup>.*?</sup>", re.S)
ELLIPSIS = "…"


@dataclass(frozen=True)
class Mapped:
    """`norm` is the comparable form of `raw`; `origin[i]` is the index in `raw` of `norm[i]`."""

    raw: str
    norm: str
    origin: tuple[int, ...]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of `raw` that the normalized span [start, end) came from."""
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else len(self.raw)
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


_NFKC: dict[str, str] = {}


def _nfkc(ch: str) -> str:
    """A character's NFKC form without white space (memoized: the text has a few hundred distinct)."""
    out = _NFKC.get(ch)
    if out is None:
        out = _NFKC[ch] = "".join(c for c in unicodedata.normalize("NFKC", ch) if not c.isspace())
    return out


def normalize_mapped(raw: str, offset: int = 0) -> Mapped:
    """Normalize like `bluebook.data.heldtext.normalize`, keeping the origin of every character
    (offset by `offset`, for a fragment of a longer string)."""
    skip = [(m.start(), m.end()) for m in _SUP.finditer(raw)]
    chars: list[str] = []
    origin: list[int] = []
    s = 0
    i = 0
    while i < len(raw):
        if s < len(skip) and i == skip[s][0]:
            i = skip[s][1]
            s += 1
            continue
        for ch in _nfkc(raw[i]):
            chars.append(ch)
            origin.append(i + offset)
        i += 1
    return Mapped(raw, "".join(chars), tuple(origin))


def fragments(quote: str) -> list[Mapped]:
    """The normalized fragments of a quote (`…` joins fragments of one paragraph), each mapped
    back to the quote as given."""
    out = []
    start = 0
    for part in quote.split(ELLIPSIS):
        out.append(normalize_mapped(part, start))
        start += len(part) + len(ELLIPSIS)
    return out


def shown(raw: str) -> str:
    """A stretch of the text as a message shows it: ruby marks and line breaks dropped."""
    return re.sub(r"\s+", "", _SUP.sub("", raw))
