"""The fast reader of canonical files gives the loader's Records and violations, byte for byte: on the
real data, on every fixture, and on fuzzed texts (canonical dumps of tricky values, then mutated)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from test_property_loader import apply

from bluebook import vocabulary
from bluebook.data import load
from bluebook.data.canonical import dump_table
from bluebook.data.fastload import read_canonical_table


def both(text: str, table: str) -> tuple:
    """(with the fast reader, without it): each as comparable plain data."""
    out = []
    for fast in (True, False):
        old, load.FAST_READER = load.FAST_READER, fast
        try:
            loaded, violations = load.parse_table(text, "t.yaml", table)
        finally:
            load.FAST_READER = old
        if loaded.canonical:  # proven canonical while read: its text is not kept (nothing reads it again)
            assert fast and loaded.text is None and dump_table([r.data for r in loaded.records], table) == text
        out.append(
            (
                loaded.ok,
                text if loaded.canonical else loaded.text,
                [(r.data, r.line, dict(r.key_lines), r.refused) for r in loaded.records],
                violations,
            )
        )
    return out[0], out[1]


def _fast(text: str, table: str):
    def number_value(node, key):
        problems = []
        return load._scalar_value(node, key, "t.yaml", problems, "", table, node.start_mark.line + 1), problems

    return read_canonical_table(text, table, "t.yaml", number_value)


def is_fast(text: str, table: str) -> bool:
    return _fast(text, table) is not None


def proven_canonical(text: str, table: str) -> bool:
    fast = _fast(text, table)
    return fast is not None and fast[1]


def _table_files() -> list[Path]:
    names = set(vocabulary.FACT_TABLE_NAMES) | set(vocabulary.REGISTRY_TABLES)
    files = [p for root in (REPO / "snapshots", REPO / "sources", FIXTURES) for p in root.rglob("*.yaml")]
    return sorted(p for p in files if p.stem in names)


@pytest.mark.parametrize("path", _table_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_same_records_and_violations_on_real_files(path: Path):
    text = path.read_bytes().decode("utf-8", errors="replace")
    fast, slow = both(text, path.stem)
    assert fast == slow


def test_the_real_snapshots_take_the_fast_path():
    """Not a vacuous equality: the committed (canonical) files are read by the fast reader."""
    files = [p for p in (REPO / "snapshots").rglob("*.yaml") if p.stem in vocabulary.FACT_TABLES]
    assert len(files) >= 18
    assert all(is_fast(p.read_text(encoding="utf-8"), p.stem) for p in files)


@pytest.mark.parametrize(
    "text",
    [
        "- id: a\n  note: x # comment\n",
        "- id: a\n  note: 'it''s'\n",
        '- id: a\n  note: "a\\tb"\n',
        "- id: a\n  id: b\n",
        "- id: a\n  colour: red\n",
        "- id: a\n  note:\n",
        "- id: a\n  note: &x y\n",
        "- id: a\n  note: !tag y\n",
        "- id: a\n  parties: [A, {b: 1}]\n",
        "- id: a\n  note: a\tb\n",
        "- id: a\n  note: a\rb\n",
        "- id: a\n  note: a\u2028b\n",
        "- id: a\n  note: x\n    more\n",
        "- id: a\n  value: 12\n",
        "- id: a\n  value: '12'\n",
        "- id: a\n  value: 1,2\n",
        "- id: a\n\n  note: x\n",
        "- id: a\n  note: -x\n",
        "- id: a\n  note: -1\n",
        "- id: a\n  parties: []\n",
        "- id: a\n  parties: [A,B]\n",
        "- id: a\n  note: x:\n",
        "- id: a\n  note: a: b\n",
        "- id: a\n  note: 'a\n",
        "# c\n- id: a\n",
        "",
        "- id: a\n  note: \x85\n",
        "- id: a\n  note: ?x\n",
        "- id: a\n  note: :x\n",
        "- id: a\n  note: -[a\n",
        "- id: a\n  note: ?[\n",
        "- id: a\n  note: :{\n",
        "- id: a\n  note: -- x\n",
        "- id: a\n  note: ---\n",
        "- id: a\n  note: ~\n",
        "- id: a\n  note: ''\n",
        "- id: a\n  note: x \n",
        # the loader's type refusals: one value where a list belongs, a list where one value does
        "- id: a\n  parties: RUS\n",
        "- id: a\n  note: [a, b]\n",
        "- id: a\n  value: [1]\n",
        "- id: a\n  value: 1e309\n",
        "- id: a\n  value: ０１\n",
        "- id: a\n  value: 1_000\n",
    ],
)
def test_same_result_on_edge_cases(text: str):
    fast, slow = both(text, "indicators")
    assert fast == slow


# Values made of the characters YAML treats specially, so that the dumper picks every style.
_TRICKY = st.one_of(
    st.text(alphabet=st.sampled_from(list("abcé日本 0.19-")), min_size=1, max_size=12),
    st.text(alphabet=st.sampled_from(list("abcé日本 0.19-")), min_size=1, max_size=12),
    st.text(alphabet=st.sampled_from(list("abcé日本 0.19-:#,[]'\"!&*?")), min_size=1, max_size=12),
    st.text(
        alphabet=st.sampled_from(list("ab -?:,[]{}#&*!|>'\"%@`~\\\t\r\n\x85\u2028\ufeff\x00é日 0.19")), max_size=12
    ),
)
_COLUMNS = ["id", "note", "section", "evidence", "value", "parties", "title_en"]


@st.composite
def tables(draw):
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        row = {}
        for col in draw(st.lists(st.sampled_from(_COLUMNS), min_size=1, max_size=5, unique=True)):
            if col == "parties":
                row[col] = draw(st.lists(_TRICKY, max_size=3))
            elif col == "value":
                row[col] = draw(st.one_of(st.integers(-(10**6), 10**15), _TRICKY))
            else:
                row[col] = draw(_TRICKY)
        rows.append(row)
    return rows


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(rows=tables())
def test_same_result_on_canonical_dumps_of_tricky_values(rows):
    table = "agreements" if any("parties" in r for r in rows) else "indicators"
    if table == "agreements":
        rows = [{k: v for k, v in r.items() if k != "value"} for r in rows]
    text = dump_table(rows, table)
    fast, slow = both(text, table)
    assert fast == slow
    # what the reader proves canonical is: a shuffled key order or a re-quoted value is not
    for variant in (text, text.replace("  ", "  ", 1), _swap_first_keys(text)):
        if proven_canonical(variant, table):
            loaded, _ = load.parse_table(variant, "t.yaml", table)
            assert dump_table([r.data for r in loaded.records], table) == variant


def _swap_first_keys(text: str) -> str:
    lines = text.split("\n")
    if len(lines) > 2 and lines[1].startswith("  "):
        lines[0], lines[1] = "- " + lines[1][2:], "  " + lines[0][2:]
    return "\n".join(lines)


_REAL = (REPO / "snapshots" / "2025" / "agreements.yaml").read_bytes()[:4000]


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(
    mutations=st.lists(
        st.one_of(
            st.tuples(st.just("line"), st.sampled_from(["delete", "duplicate", "swap"]), st.integers(0, 200)),
            st.tuples(
                st.just("shape"),
                st.sampled_from(["[a, b]", "[]", "{x: 1}", "", "[[a]]", "12.5", "'x'"]),
                st.integers(0, 200),
            ),
            st.tuples(st.just("bytes"), st.binary(min_size=1, max_size=8), st.integers(0, 4000)),
            st.tuples(
                st.just("bytes"),
                st.sampled_from(
                    [
                        b": ",
                        b" #",
                        b"'",
                        b'"',
                        b"\\",
                        b"- ",
                        b"[",
                        b"\t",
                        b"\r",
                        b"&a ",
                        b"*a",
                        b"!x ",
                        b"{",
                        b"\xc2\x85",
                        b"\n  ",
                        b"\n    x",
                    ]
                ),
                st.integers(0, 4000),
            ),
            st.tuples(st.just("cut"), st.integers(0, 4000)),
            st.tuples(st.just("text"), st.text(max_size=30), st.integers(0, 200)),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_same_result_on_mutated_real_files(mutations):
    data = _REAL
    for m in mutations:
        data = apply(data, m)
    text = data.decode("utf-8", errors="replace")
    fast, slow = both(text, "agreements")
    assert fast == slow
