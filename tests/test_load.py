"""The loader refuses what is not data with a violation, never a traceback, and keeps dates as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bluebook.data.canonical import dump_table
from bluebook.data.load import load_table, parse_number


def write(tmp_path: Path, text: str | bytes) -> Path:
    p = tmp_path / "t.yaml"
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return p


def codes(violations) -> set[str]:
    return {v.code for v in violations}


def test_dates_stay_strings_and_lines_are_kept(tmp_path):
    f, v = load_table(write(tmp_path, "- id: a\n  since: 2025-06-01\n  until: 2025\n"), "t.yaml", "memberships")
    assert v == []
    rec = f.records[0]
    assert rec.data == {"id": "a", "since": "2025-06-01", "until": "2025"}
    assert rec.line == 1 and rec.line_of("until") == 3


def test_norway_stays_a_string(tmp_path):
    f, _ = load_table(write(tmp_path, "- id: a\n  member: NO\n"), "t.yaml", "memberships")
    assert f.records[0].data["member"] == "NO"


def test_billion_laughs_is_refused_cheaply(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    f, v = load_table(write(tmp_path, "\n".join(lines) + "\n"), "t.yaml", "memberships")
    assert codes(v) == {"load.alias"} and f.records == []


def test_oversized_file_is_refused(tmp_path):
    f, v = load_table(write(tmp_path, "# x\n" * 10), "t.yaml", "memberships", max_bytes=20)
    assert codes(v) == {"load.too-large"}


def test_non_utf8_is_located(tmp_path):
    f, v = load_table(write(tmp_path, b"- id: a\n  note: \x82\xa0\n"), "t.yaml", "memberships")
    assert codes(v) == {"load.not-utf8"} and v[0].line == 2


def test_yaml_syntax_error_is_located(tmp_path):
    f, v = load_table(write(tmp_path, "- id: a\n  note: [unclosed\n"), "t.yaml", "memberships")
    assert codes(v) == {"load.yaml-syntax"} and v[0].line >= 2


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_empty_file_is_an_error_not_an_empty_table(tmp_path, text):
    f, v = load_table(write(tmp_path, text), "t.yaml", "memberships")
    assert codes(v) == {"load.empty-file"} and not f.ok and v[0].line == 1
    assert "`[]`" in v[0].hint


def test_an_empty_list_is_an_empty_table(tmp_path):
    f, v = load_table(write(tmp_path, "[]\n"), "t.yaml", "memberships")
    assert v == [] and f.records == [] and f.ok


def test_nested_mapping_is_a_type_violation(tmp_path):
    f, v = load_table(write(tmp_path, "- id: a\n  note: {x: 1}\n"), "t.yaml", "memberships")
    assert codes(v) == {"schema.type"} and f.records[0].refused == {"note"}


def test_numbers_are_typed_only_in_number_columns():
    assert parse_number("1195100000000") == 1195100000000
    assert parse_number("-50.5") == -50.5
    assert parse_number("1,195") == "1,195"


def test_canonical_dump_round_trips(tmp_path):
    text = (
        "- id: new-start\n  title_en: New START\n  kind: treaty\n  parties: [RUS, USA]\n  status: expired\n"
        "  ended: 2026-02\n  basis: stated\n  source: s\n  evidence: '同条約は期限を満了し: 失効した'\n"
    )
    f, v = load_table(write(tmp_path, text), "t.yaml", "agreements")
    assert v == []
    assert dump_table([r.data for r in f.records], "agreements") == text
