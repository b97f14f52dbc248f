"""Property: arbitrary unicode (control characters, bidi overrides, CR, NUL, line separators,
Markdown and HTML markup, URLs) in any string value of a record never reaches the Markdown, HTML
or JSON change report, or the history page, unescaped.

- Structure: with a free-text value replaced by arbitrary text, the rendered Markdown (as GitHub
  renders it, by cmark-gfm) and the HTML page have exactly the element structure they have with a
  plain value: a value cannot forge a row, a list item, a link, a heading or an element.
- Any value, ids and codes included: no element or attribute outside the templates' own, one
  script (the page's), no link in the Markdown, no hidden character in any output, and the JSON
  gives every value back exactly.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import cmarkgfm
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bluebook.changes.sides import Side, diff_sides
from bluebook.reports.changes import change_report, render_change_report
from bluebook.reports.history import History, Timeline, history_page
from bluebook.text import unsafe_char as is_hidden

PROV = {
    "basis": "stated",
    "source": "bluebook-2026-ch2-s6",
    "section": "イ ロシア外政",
    "evidence": "同年6月にはベトナムのパートナー国入りを公表した",
    "note": "a note",
}
SOURCES = {"bluebook-2026-ch2-s6": {"title": "外交青書2026", "url": "https://www.mofa.go.jp/x.html"}}
ENTITIES = {
    "BRICS": {"kind": "organization", "name_en": "BRICS"},
    "VNM": {"kind": "country", "name_en": "Viet Nam"},
    "RUS": {"kind": "country", "name_en": "Russia"},
    "USA": {"kind": "country", "name_en": "United States"},
    "JPN": {"kind": "country", "name_en": "Japan"},
    "person.ishiba-shigeru": {"kind": "person", "name_en": "Ishiba Shigeru"},
    "person.takaichi-sanae": {"kind": "person", "name_en": "Takaichi Sanae"},
}


def _tables(year: str) -> dict[str, dict[str, dict]]:
    """One record of each table, with a change of each kind between 2024 and 2025."""
    later = year == "2025"
    return {
        "memberships": {
            "brics.vnm": {
                "organization": "BRICS",
                "member": "VNM",
                "status": "partner" if later else "invited",
                "since": "2025-06" if later else "2024-10",
                **PROV,
            }
        },
        "agreements": {
            "new-start": {
                "title_en": "New START",
                "title_ja": "新START",
                "kind": "treaty",
                "parties": ["RUS", "USA"],
                "status": "expired" if later else "suspended",
                **({"ended": "2026-02"} if later else {}),
                **PROV,
            }
        },
        "officeholders": {
            **(
                {
                    "jpn.pm.takaichi": {
                        "office": "JPN.prime_minister",
                        "person": "person.takaichi-sanae",
                        "since": "2025-10-21",
                        **PROV,
                    }
                }
                if later
                else {}
            ),
            "jpn.pm.ishiba": {
                "office": "JPN.prime_minister",
                "person": "person.ishiba-shigeru",
                "since": "2024-10-01",
                **({"until": "2025-10-21"} if later else {}),
                **PROV,
            },
        },
        "measures": {
            "m1": {
                "imposer": "JPN",
                "target": "RUS",
                "kind": "sanctions",
                "action": "imposed",
                "date": "2022-03" if later else "2022",
                "title_en": "Japan's sanctions",
                **PROV,
            }
        },
        "events": {
            f"{year}-05.summit": {
                "date": f"{year}-05",
                "kind": "summit",
                "title_en": "A summit",
                "participants": ["JPN", "RUS"],
                "place": "Tokyo",
                **PROV,
            }
        },
        "indicators": {
            f"trade.{year}": {
                "metric": "trade.total",
                "subject": "JPN",
                "counterpart": "RUS",
                "period": year,
                "value": 100 + int(later),
                "unit": "JPY",
                **PROV,
            }
        },
    }


def _sides() -> tuple[Side, Side]:
    return tuple(
        Side(y, y, None, _tables(y), json.loads(json.dumps(ENTITIES)), {}, dict(SOURCES), f"{y}-12")
        for y in ("2024", "2025")
    )


def _string_paths(side: Side):
    """(kind, table, id, field, index) of every string value of the side's records and entities."""
    for table, records in side.tables.items():
        for rid, record in records.items():
            yield ("id", table, rid, None, None)
            for name, value in record.items():
                if isinstance(value, str):
                    yield ("field", table, rid, name, None)
                elif isinstance(value, list):
                    for i, item in enumerate(value):
                        if isinstance(item, str):
                            yield ("field", table, rid, name, i)
    for eid in side.entities:
        yield ("entity", None, eid, "name_en", None)


FREE_TEXT = ("title_en", "title_ja", "place", "note", "evidence", "section")


def _set(side: Side, path, text: str) -> None:
    kind, table, rid, name, index = path
    if kind == "id":
        side.tables[table] = {(text if k == rid else k): v for k, v in side.tables[table].items()}
    elif kind == "entity":
        side.entities[rid][name] = text
    elif index is None:
        side.tables[table][rid][name] = text
    else:
        side.tables[table][rid][name][index] = text


def _render(base: Side, head: Side) -> dict[str, str]:
    report = change_report(diff_sides(base, head), base, head, [base, head])
    out = {fmt: render_change_report(report, fmt) for fmt in ("md", "json", "html")}
    timelines = [
        Timeline(t, rid, rid, {s.label: s.tables[t].get(rid) for s in (base, head)})
        for t in head.tables
        for rid in head.tables[t]
    ]
    out["history"] = history_page(History("q", "entity", "RUS", timelines, ["2024", "2025"], [base, head]))
    return out


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted(a for a, _ in attrs))))
        self.hrefs += [v or "" for a, v in attrs if a == "href"]

    def handle_endtag(self, tag):
        self.tags.append(("/" + tag, ()))

    def handle_data(self, data):
        self.text.append(data)


def _elements(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


def _md_tags(markdown: str) -> list[str]:
    return re.findall(r"<(/?[a-z0-9]+)", cmarkgfm.github_flavored_markdown_to_html(markdown))


def _no_hidden(text: str, allowed: str = "\n") -> bool:
    return not any(is_hidden(ch) for ch in text if ch not in allowed)


NASTY = st.one_of(
    st.text(min_size=1, max_size=40),
    st.lists(
        st.sampled_from(
            [
                "\r",
                "\n",
                "\x00",
                "\u202e",
                "\u2066",
                "\u2028",
                "\x1b[2J",
                "|",
                "<script>x</script>",
                "</sub>",
                "https://evil.example/a",
                "www.evil.example",
                "a@b.example",
                "[x](http://e)",
                "- ",
                "1. ",
                "# ",
                "> ",
                "`",
                "**",
                "$x$",
                "&amp;",
                "&#124;",
                "\\",
                "  ",
                "'\"",
                "{{ x }}",
                "</script>",
                "]]>",
                "<!--",
                "\ud7ff",
                "\U000e0001",
                "\ufeff",
                "Россия",
                "ロシア",
            ]
        ),
        min_size=1,
        max_size=8,
    ).map("".join),
)

BASELINE = _render(*_sides())
ALLOWED_HTML = {tag for page in (BASELINE["html"], BASELINE["history"]) for tag, _ in _elements(page).tags}
ALLOWED_ATTRS = {
    a for page in (BASELINE["html"], BASELINE["history"]) for _, attrs in _elements(page).tags for a in attrs
}


def _free_text_paths():
    base, head = _sides()
    paths = [
        (side, p)
        for side, s in (("base", base), ("head", head))
        for p in _string_paths(s)
        if p[0] == "entity" or (p[0] == "field" and p[3] in FREE_TEXT)
    ]
    return st.sampled_from(paths)


def _all_paths():
    base, head = _sides()
    return st.sampled_from([(side, p) for side, s in (("base", base), ("head", head)) for p in _string_paths(s)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=_free_text_paths(), text=NASTY)
def test_a_value_cannot_change_the_structure_of_a_report(where, text):
    assume(text.strip() and text != "x")
    side, path = where
    evil, plain = _sides(), _sides()
    _set(evil[side == "head"], path, text)
    _set(plain[side == "head"], path, "x")
    got, want = _render(*evil), _render(*plain)
    assert _md_tags(got["md"]) == _md_tags(want["md"])
    for page in ("html", "history"):
        assert _elements(got[page]).tags == _elements(want[page]).tags


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=_all_paths(), text=NASTY)
def test_no_value_reaches_a_report_unescaped(where, text):
    assume(text.strip())
    side, path = where
    sides = _sides()
    _set(sides[side == "head"], path, text)
    out = _render(*sides)
    md_html = cmarkgfm.github_flavored_markdown_to_html(out["md"])
    assert "<a " not in md_html and "<script" not in md_html and "<img" not in md_html
    assert set(_md_tags(out["md"])) <= {
        "h1",
        "h2",
        "h3",
        "p",
        "strong",
        "ul",
        "li",
        "sub",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "/h1",
        "/h2",
        "/h3",
        "/p",
        "/strong",
        "/ul",
        "/li",
        "/sub",
        "/table",
        "/thead",
        "/tbody",
        "/tr",
        "/th",
        "/td",
    }
    for name in ("md", "html", "history"):
        assert _no_hidden(out[name]), f"a hidden character reached the {name} output"
    for page in ("html", "history"):
        elements = _elements(out[page])
        assert {tag for tag, _ in elements.tags} <= ALLOWED_HTML
        assert {a for _, attrs in elements.tags for a in attrs} <= ALLOWED_ATTRS
        assert sum(tag == "script" for tag, _ in elements.tags) == 1
        assert all(h.startswith(("#", "https://www.mofa.go.jp/")) for h in elements.hrefs)
    assert _no_hidden(out["json"])
    data = json.loads(out["json"])
    if side == "head" and path[0] != "entity":  # every head record is in the JSON: exactly as it was
        assert any(text in s for s in _strings(data))


def _strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: f == 0 or abs(f) >= 1e-4)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_JSON_VALUES)
def test_indented_json_is_what_json_dumps_writes_with_every_unsafe_character_escaped(doc):
    """Reports are written by orjson (json.dumps indents in pure Python) and escaped as UTF-8 bytes:
    the same text as json.dumps(indent=2, ensure_ascii=False) escaped as text, floats under 1e-4
    aside, and no hidden character."""
    from bluebook.text import _JSON_CANDIDATE, _json_sub, json_bytes, json_text

    text = json_text(doc, indent=2)
    assert text == _JSON_CANDIDATE.sub(_json_sub, json.dumps(doc, ensure_ascii=False, indent=2))
    assert json_bytes(doc, newline=True) == (text + "\n").encode("utf-8")
    assert json.loads(text) == doc
    assert not any(is_hidden(ch) for ch in text.replace("\n", ""))  # its own line breaks aside


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12), max_size=40),
    st.integers(min_value=1, max_value=64),
)
def test_json_is_escaped_in_pieces_as_it_is_whole(values, chunk):
    """The bytes are escaped in pieces cut after a newline: the same as the whole text escaped,
    wherever the cuts fall (pieces of a few bytes here)."""
    from bluebook.text import _JSON_CANDIDATE, _escaped_utf8, _json_sub

    data = json.dumps(values, ensure_ascii=False, indent=2).encode("utf-8")  # no lone surrogate: orjson writes none
    assert _escaped_utf8(data, chunk) == _JSON_CANDIDATE.sub(_json_sub, data.decode("utf-8")).encode("utf-8")
