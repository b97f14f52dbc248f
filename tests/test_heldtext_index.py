"""Quotes are found through an index of the held text's paragraphs: the same paragraphs, in the
same order, as a scan of every paragraph finds."""

from __future__ import annotations

from conftest import HELD_TEXT
from hypothesis import given, settings
from hypothesis import strategies as st

from bluebook.data.heldtext import ELLIPSIS, _contains_in_order, normalize, parse_held_text, split_quote

TEXT = parse_held_text(HELD_TEXT.read_text(encoding="utf-8"), HELD_TEXT)


def scan(evidence: str, section: str | None = None):
    """locate() without the index: every paragraph in turn."""
    parts = split_quote(evidence)
    wanted = normalize(section) if section else None
    return [
        p
        for p in TEXT.paragraphs
        if (not wanted or wanted in p.normalized_sections) and _contains_in_order(p.text, parts)
    ]


@st.composite
def quotes(draw):
    """A piece of a paragraph's raw text (ruby marks, spaces and all), a piece joined with '…' to a
    later piece, or a string that is not in the text."""
    p = draw(st.sampled_from(TEXT.paragraphs))
    raw = p.raw
    i = draw(st.integers(0, max(0, len(raw) - 1)))
    j = draw(st.integers(i, min(len(raw), i + 40)))
    kind = draw(st.sampled_from(["piece", "two", "other"]))
    if kind == "piece":
        return raw[i:j]
    if kind == "two":
        k = draw(st.integers(j, min(len(raw), j + 40)))
        return raw[i:j] + ELLIPSIS + raw[j:k]
    return draw(st.text(alphabet="ロシア連邦大統領会談のは、。1（）", max_size=12))


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(quote=quotes(), section=st.one_of(st.none(), st.sampled_from([h.text for h in TEXT.headings])))
def test_indexed_locate_equals_a_scan(quote, section):
    assert TEXT.locate(quote, section) == scan(quote, section)


def test_the_index_finds_a_real_quote():
    assert (
        [p.number for p in TEXT.locate("同条約は期限を満了し、失効した")]
        == [p.number for p in scan("同条約は期限を満了し、失効した")]
        != []
    )
