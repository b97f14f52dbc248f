"""The loader's rules on both sides: a value of the wrong shape in every column kind (a list or
mapping where one value belongs, one value where a list belongs) is a schema.type violation naming
the column, the record and the line — never a traceback, never a value silently turned into text."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASE, build_project, check

from bluebook import vocabulary
from bluebook.data.load import load_mapping, load_table, parse_number


def load(tmp_path: Path, text: str, table: str = "memberships", **kw):
    path = tmp_path / "t.yaml"
    path.write_bytes(text.encode("utf-8"))
    return load_table(path, "t.yaml", table, **kw)


def summary(violations):
    return [(v.code, v.id, v.line, v.message) for v in violations]


SCALAR_COLUMNS = sorted(
    {
        (t, c)
        for t in (*vocabulary.FACT_TABLES, *vocabulary.REGISTRY_TABLES)
        for c in vocabulary.columns(t)
        if c not in vocabulary.LIST_COLUMNS and c != "id"
    }
)
LIST_COLUMNS = sorted(
    {
        (t, c)
        for t in (*vocabulary.FACT_TABLES, *vocabulary.REGISTRY_TABLES)
        for c in vocabulary.columns(t)
        if c in vocabulary.LIST_COLUMNS
    }
)


@pytest.mark.parametrize(("table", "column"), SCALAR_COLUMNS, ids=[f"{t}.{c}" for t, c in SCALAR_COLUMNS])
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[a, b]", "{c} is a list of 2; {c} takes one value"),
        ("\n    - a\n    - b", "{c} is a list of 2; {c} takes one value"),
        ("[]", "{c} is a list of 0; {c} takes one value"),
        ("{x: 1}", "{c} holds a mapping; {c} takes one value"),
    ],
)
def test_a_list_or_mapping_where_one_value_belongs(tmp_path, table, column, value, message):
    f, found = load(tmp_path, f"- id: rec-1\n  {column}: {value}\n", table)
    assert summary(found) == [("schema.type", "rec-1", 2, message.format(c=column))]
    assert found[0].file == "t.yaml" and found[0].table == table and found[0].hint
    assert column not in f.records[0].data and f.records[0].refused == {column}


@pytest.mark.parametrize(("table", "column"), LIST_COLUMNS, ids=[f"{t}.{c}" for t, c in LIST_COLUMNS])
def test_a_list_column_takes_a_list_of_plain_values(tmp_path, table, column):
    f, found = load(tmp_path, f"- id: rec-1\n  {column}: [RUS, USA]\n", table)
    assert found == [] and f.records[0].data[column] == ["RUS", "USA"] and f.records[0].refused == set()
    f, found = load(tmp_path, f"- id: rec-1\n  {column}: []\n", table)
    assert found == [] and f.records[0].data[column] == []  # empty: the schema says whether that is enough
    f, found = load(tmp_path, f"- id: rec-1\n  {column}: RUS\n", table)
    assert summary(found) == [("schema.type", "rec-1", 2, f"{column} is one value; {column} takes a list")]
    f, found = load(tmp_path, f"- id: rec-1\n  {column}: [RUS, [USA]]\n", table)
    assert summary(found) == [("schema.type", "rec-1", 2, f"{column} holds a list or mapping inside its list")]
    f, found = load(tmp_path, f"- id: rec-1\n  {column}:\n    - RUS\n    - {{x: 1}}\n", table)
    assert summary(found) == [("schema.type", "rec-1", 4, f"{column} holds a list or mapping inside its list")]
    f, found = load(tmp_path, f"- id: rec-1\n  {column}: {{x: 1}}\n", table)
    assert summary(found) == [
        ("schema.type", "rec-1", 2, f"{column} holds a mapping; {column} takes a list of plain values")
    ]
    assert f.records[0].refused == {column}


def test_snapshot_yaml_shapes(tmp_path):
    path = tmp_path / "snapshot.yaml"
    path.write_text("year: [2025]\nas_of: 2026-02\nedition: E\nsources: src\n", encoding="utf-8")
    loaded_meta, found = load_mapping(path, "snapshot.yaml", "snapshot")
    meta = loaded_meta.records[0]
    assert [(v.code, v.line, v.message) for v in found] == [
        ("schema.type", 1, "year is a list of 1; year takes one value"),
        ("schema.type", 4, "sources is one value; sources takes a list"),
    ]
    assert meta.refused == {"year", "sources"} and meta.data == {"as_of": "2026-02", "edition": "E"}


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("- id: a\n  note: ''\n", []),  # a quoted empty string is a value
        ('- id: a\n  note: ""\n', []),
        ("- id: a\n  note:\n", ["load.empty-value"]),
        ("- id: a\n  note: ~\n", []),  # the loader keeps every scalar as text: '~' is the text ~
        ("- id: a\n  colour: red\n", ["load.unknown-key"]),
        ("- id: a\n  note: x\n  note: y\n", ["load.duplicate-key"]),
        ("- id: a\n  ? [a, b]\n  : x\n", ["load.shape"]),
        ("id: a\n", ["load.shape"]),
        ("- a\n", ["load.shape"]),
    ],
)
def test_load_rules(tmp_path, text, codes):
    f, found = load(tmp_path, text)
    assert [v.code for v in found] == codes


def test_an_empty_value_is_not_reported_again_by_the_schema(tmp_path):
    from bluebook.contracts.schema import validate_table

    f, found = load(tmp_path, "- id: a\n  organization: BRICS\n  member: VNM\n  status:\n  basis: cited\n  source: s\n")
    assert summary(found) == [("load.empty-value", "a", 4, "'status' has no value")]
    assert validate_table("memberships", f.records, {}) == []


def test_unknown_key_suggests_the_close_one(tmp_path):
    _, [v] = load(tmp_path, "- id: a\n  memebr: VNM\n")
    assert (v.line, v.message, v.hint) == (2, "unknown key 'memebr' in memberships", "did you mean 'member'?")


def test_duplicate_key_names_the_first_line(tmp_path):
    _, [v] = load(tmp_path, "- id: a\n  note: x\n  since: 2025\n  note: y\n")
    assert (v.line, v.message) == (4, "key 'note' appears twice in one record (first at line 2)")


def test_size_limit_boundary(tmp_path):
    text = "- id: a\n"
    assert load(tmp_path, text, max_bytes=len(text))[1] == []
    [v] = load(tmp_path, text, max_bytes=len(text) - 1)[1]
    assert v.code == "load.too-large" and v.message == f"t.yaml is {len(text)} bytes; the limit is {len(text) - 1}"


def test_numbers_are_read_in_number_columns_only(tmp_path):
    f, _ = load(tmp_path, "- id: a\n  value: 1195100000000\n  period: 2025\n", "indicators")
    assert f.records[0].data == {"id": "a", "value": 1195100000000, "period": "2025"}
    f, _ = load(tmp_path, "- id: a\n  value: -50.5\n", "indicators")
    assert f.records[0].data["value"] == -50.5
    assert parse_number("1,195") == "1,195" and parse_number("1.2e3") == 1200.0 and parse_number(".5") == 0.5
    assert parse_number("12") == 12 and isinstance(parse_number("12"), int)


def test_a_bom_is_dropped(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_bytes("\ufeff- id: a\n".encode())
    f, found = load_table(path, "t.yaml", "memberships")
    assert found == [] and f.records[0].data == {"id": "a"}


def test_lines_of_records_and_keys(tmp_path):
    f, _ = load(tmp_path, "# c\n- id: a\n  member: VNM\n\n- id: b\n  since: 2025\n")
    assert [(r.id, r.line, r.line_of("since"), r.line_of("member")) for r in f.records] == [
        ("a", 2, 2, 3),
        ("b", 5, 6, 5),
    ]


# --- through `check`: no traceback, no cascade ---------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("memberships", "source", "[bluebook-2026-ch2-s6, other]"),
        ("memberships", "section", "[イ ロシア外政, ウ ロシア経済]"),
        ("memberships", "organization", "[BRICS, SCO]"),
        ("agreements", "title_en", "[New START, START]"),
        ("officeholders", "person", "{family: takaichi}"),
        ("events", "participants", "JPN"),
    ],
)
def test_a_wrong_shape_in_a_real_file_is_one_type_violation(tmp_path, table, column, value):
    root = build_project(tmp_path / "p")
    path = root / "snapshots" / "2025" / f"{table}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith(f"  {column}: ") or line.startswith(f"- {column}: "))
    lines[at] = f"  {column}: {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first_id = (BASE / "snapshots" / "2025" / f"{table}.yaml").read_text(encoding="utf-8").split("\n")[0][6:]
    result = check(root, expectations=False)
    assert [(v.code, v.file, v.line, v.id) for v in result.violations] == [
        ("schema.type", f"snapshots/2025/{table}.yaml", at + 1, first_id)
    ]
    assert column in result.violations[0].message


# --- every refusal, with its words and line -------------------------------------------------------------


def test_a_missing_file(tmp_path):
    f, [v] = load_table(tmp_path / "none.yaml", "none.yaml", "memberships")
    assert (v.code, v.file, v.line, v.message, v.hint) == (
        "load.missing-file",
        "none.yaml",
        0,
        "none.yaml does not exist",
        "create it, or remove the reference to it",
    )
    assert (f.rel, f.records, f.ok) == ("none.yaml", [], False)


def test_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_bytes(b"- id: a\n  note: ok\n  since: \xff2025\n")
    f, [v] = load_table(path, "t.yaml", "memberships")
    assert (v.code, v.line, v.message, v.hint) == (
        "load.not-utf8",
        3,
        "byte 0xff at offset 28 is not UTF-8",
        "save the file as UTF-8 (Japanese text included)",
    )
    assert f.ok is False and f.records == []


def test_yaml_syntax_is_located_at_its_line(tmp_path):
    f, [v] = load(tmp_path, "- id: a\n  note: x\n  since: a: b\n")
    assert (v.code, v.line, v.message) == (
        "load.yaml-syntax",
        3,
        "not valid YAML: mapping values are not allowed in this context",
    )
    assert v.hint == "fix the YAML syntax at that line (indentation, quotes, colons)" and f.ok is False
    assert (v.file, f.rel, f.records) == ("t.yaml", "t.yaml", [])
    f, [v] = load(tmp_path, '- id: a\n  note: "unclosed\n')
    assert v.code == "load.yaml-syntax" and v.line == 3 and "while scanning a quoted scalar" in v.message


def test_an_alias_is_refused_at_its_line(tmp_path):
    f, [v] = load(tmp_path, "- id: a\n  note: &n x\n- id: b\n  note: *n\n")
    assert (v.code, v.line, v.message, f.ok, f.records) == (
        "load.alias",
        2,
        "the file uses YAML anchors/aliases, which data files may not",
        False,
        [],
    )  # the anchor
    f, found = load(tmp_path, "- id: a\n  note: &n x\n")  # an anchor never used is no alias
    assert found == [] and f.records[0].data == {"id": "a", "note": "x"}


def test_shapes_of_a_table_file(tmp_path):
    f, [v] = load(tmp_path, "id: a\n")
    assert (v.code, v.line, v.message, v.hint, f.ok) == (
        "load.shape",
        1,
        "t.yaml must be a YAML list of records (- id: ...)",
        "start each record with '- '",
        False,
    )
    f, [v] = load(tmp_path, "- id: a\n- just text\n- id: c\n")
    assert (v.code, v.line, v.message) == ("load.shape", 2, "a list item is not a record (key: value mapping)")
    assert f.ok and [r.id for r in f.records] == ["a", "c"]
    f, [v] = load(tmp_path, "- id: a\n  [x]: 1\n")
    assert (v.code, v.line, v.id, v.message) == ("load.shape", 2, "a", "a key is not a plain string")


def test_an_unknown_key_without_a_close_one_lists_the_keys(tmp_path):
    _, [v] = load(tmp_path, "- id: a\n  zzz: 1\n")
    assert v.hint == "allowed keys: " + ", ".join(vocabulary.columns("memberships"))


def test_the_record_id_is_known_wherever_it_stands(tmp_path):
    _, [v] = load(tmp_path, "- note: x\n  colour: red\n  id: late\n")
    assert v.id == "late"
    _, found = load(tmp_path, "- id: [a, b]\n  colour: red\n")
    assert [(x.code, x.id) for x in found] == [("schema.type", ""), ("load.unknown-key", "")]


def test_snapshot_yaml_refusals(tmp_path):
    path = tmp_path / "snapshot.yaml"
    assert load_mapping(path, "snapshot.yaml", "snapshot")[1][0].code == "load.missing-file"
    path.write_text("", encoding="utf-8")
    meta, [v] = load_mapping(path, "snapshot.yaml", "snapshot")
    assert (
        not meta.ok
        and meta.records == []
        and (v.code, v.message, v.hint)
        == ("load.shape", "snapshot.yaml is empty", "write the snapshot's year, as_of, edition and sources")
    )
    path.write_text("- year: 2025\n", encoding="utf-8")
    meta, [v] = load_mapping(path, "snapshot.yaml", "snapshot")
    assert (
        not meta.ok
        and meta.records == []
        and (v.code, v.line, v.message, v.hint)
        == (
            "load.shape",
            1,
            "snapshot.yaml must be a mapping of keys to values",
            "keys: year, as_of, edition, sources, note",
        )
    )
    path.write_text("year: &y 2025\nnote: *y\n", encoding="utf-8")
    meta, [v] = load_mapping(path, "snapshot.yaml", "snapshot")
    assert (
        not meta.ok
        and meta.records == []
        and (v.code, v.message) == ("load.alias", "the file uses YAML anchors/aliases, which data files may not")
    )
    path.write_text("year: 2025\nyear: 2024\n", encoding="utf-8")
    meta, [v] = load_mapping(path, "snapshot.yaml", "snapshot")
    assert meta.records[0].data == {"year": "2025"} and (v.code, v.line) == ("load.duplicate-key", 2)
    path.write_text("year: [2025\n", encoding="utf-8")
    meta, [v] = load_mapping(path, "snapshot.yaml", "snapshot")
    assert not meta.ok and meta.records == [] and v.code == "load.yaml-syntax"
