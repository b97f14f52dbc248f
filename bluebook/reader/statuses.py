"""Status words in the held text's Japanese: memberships (`加盟`, `正式加盟`, `パートナー国`, `オブザーバー`,
`参加を凍結`, `脱退`, `招待`), agreements (`署名`, `発効`, `失効`, `終了`, `停止`, `採択`, `発表`, `交渉`,
`協議を開始することで一致`) and measures (`導入`, `強化`, `延長`, `解除`, `撤廃`), each with what it states
for its table, and whether the sentence denies it (`交渉を継続しない`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bluebook.reader.lexicon import NEGATIONS, STATUS_PATTERNS, STATUS_WORDS

_WORDS = {w: (domain, value) for w, domain, value in STATUS_WORDS}
_WORDS.update({w: (domain, value) for w, _, domain, value in STATUS_PATTERNS})
_STATUS_RE = re.compile(
    "|".join(
        [re.escape(w) + after for w, after, _, _ in STATUS_PATTERNS]
        + [re.escape(w) for w in sorted((w for w, _, _ in STATUS_WORDS), key=len, reverse=True)]
    )
)
_CLAUSE_END = re.compile(r"[、,。]")


@dataclass(frozen=True)
class StatusMention:
    text: str
    span: tuple[int, int]
    domain: str  # membership | agreement | measure
    value: str
    negated: bool = False

    def describe(self) -> str:
        return f"{self.text} ({self.domain} {self.value}{', denied' if self.negated else ''})"


def find_statuses(text: str) -> list[StatusMention]:
    """Every status word in `text` (normalized), longest first."""
    out = []
    for m in _STATUS_RE.finditer(text):
        domain, value = _WORDS[m.group(0)]
        if value is None:
            continue
        end = _CLAUSE_END.search(text, m.end())
        rest = text[m.end() : end.start() if end else len(text)]
        out.append(StatusMention(m.group(0), m.span(), domain, value, any(n in rest for n in NEGATIONS)))
    return out
