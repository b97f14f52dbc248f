"""Properties of `check` over damaged files, deterministic (derandomized: the same examples on every
machine and in CI) and without GX (the suites have their own tests):

- whatever happens to any data file (every table of both years, snapshot.yaml, entities.yaml,
  sources.yaml) — lines deleted, duplicated or swapped, bytes inserted, the file cut short, a value
  given the wrong shape — `check` reports well-formed violations and never raises; a file it cannot
  read whole is an error naming that file; a file it says nothing about is in canonical form;
- a list or mapping where one value belongs, or one value where a list belongs, in any column of any
  file, is a schema.type violation at that line naming the column (the crash this suite once hid).

Pandera runs only on the damaged file's table (the others are the valid base and cost ~0.2 s each)."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from unittest import mock

import pytest
from conftest import build_project, check
from hypothesis import given, settings
from hypothesis import strategies as st

from bluebook import vocabulary
from bluebook.contracts import schema as schema_layer
from bluebook.data.canonical import dump_mapping, dump_table
from bluebook.data.load import load_mapping, load_table
from bluebook.violations import CODES

FILES = (
    [(f"snapshots/{y}/{t}.yaml", t) for y in ("2024", "2025") for t in vocabulary.FACT_TABLE_NAMES]
    + [(f"snapshots/{y}/snapshot.yaml", "snapshot") for y in ("2024", "2025")]
    + [("snapshots/entities.yaml", "entities"), ("sources/sources.yaml", "sources")]
)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return build_project(tmp_path_factory.mktemp("prop") / "p")


@contextlib.contextmanager
def damaged(root: Path, rel: str, data: bytes):
    """`rel` holds `data` inside the block, and its own bytes again after it."""
    path = root / rel
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        yield path
    finally:
        path.write_bytes(original)


def check_one_file(root: Path, rel: str):
    """run_check without GX, Pandera on the damaged file only (the rest is the valid base)."""
    validate = schema_layer.validate_table

    def only_the_damaged(table, records, where):
        return validate(table, records, where) if where.get("file") == rel else []

    with mock.patch.object(schema_layer, "validate_table", only_the_damaged):
        return check(root, expectations=False)


def damage():
    line_op = st.tuples(st.just("line"), st.sampled_from(["delete", "duplicate", "swap"]), st.integers(0, 400))
    shape = st.tuples(
        st.just("shape"), st.sampled_from(["[a, b]", "[]", "{x: 1}", "", "[[a]]", "12.5", "'x'"]), st.integers(0, 400)
    )
    garbage = st.tuples(st.just("bytes"), st.binary(min_size=1, max_size=12), st.integers(0, 4000))
    cut = st.tuples(st.just("cut"), st.integers(0, 4000))
    text = st.tuples(st.just("text"), st.text(max_size=30), st.integers(0, 400))
    return st.one_of(line_op, shape, garbage, cut, text)


def apply(data: bytes, op) -> bytes:
    kind = op[0]
    if kind == "bytes":
        at = op[2] % (len(data) + 1)
        return data[:at] + op[1] + data[at:]
    if kind == "cut":
        return data[: op[1] % (len(data) + 1)]
    lines = data.split(b"\n")
    at = op[-1] % len(lines)
    if kind == "text":
        lines.insert(at, op[1].encode("utf-8", "surrogatepass"))
    elif kind == "shape":
        key = lines[at].split(b":")[0]
        lines[at] = key + b": " + op[1].encode()
    elif op[1] == "delete":
        del lines[at]
    elif op[1] == "duplicate":
        lines.insert(at, lines[at])
    elif at + 1 < len(lines):
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    return b"\n".join(lines)


@settings(max_examples=15, derandomize=True, deadline=None, database=None)
@given(target=st.sampled_from(FILES), ops=st.lists(damage(), min_size=1, max_size=3))
def test_check_reports_any_damage_and_never_raises(root, target, ops):
    rel, table = target
    data = (root / rel).read_bytes()
    for op in ops:
        data = apply(data, op)
    with damaged(root, rel, data) as path:
        result = check_one_file(root, rel)
        if table == "snapshot":
            loaded, load_problems = load_mapping(path, rel, table)
            readable = loaded.ok
        else:
            loaded, load_problems = load_table(path, rel, table)
            readable = loaded.ok
    for v in result.violations:
        assert v.code in CODES and v.severity == CODES[v.code][0], v
        assert v.message.strip() and v.hint.strip() and v.file, v
    on_file = [v for v in result.violations if v.file == rel]
    if not readable or any(p.severity == "error" for p in load_problems):
        assert any(v.severity == "error" for v in on_file), "a file read in part must fail the check"
        assert result.exit_code() == 1
    if not on_file:  # nothing said about the file: it is exactly what `bluebook fmt` would write
        text = data.decode("utf-8").removeprefix("\ufeff")
        canonical = (
            dump_mapping(loaded.records[0].data, table)
            if table == "snapshot"
            else dump_table([r.data for r in loaded.records], table)
        )
        assert text == canonical


def value_lines(data: bytes) -> list[tuple[int, str]]:
    """(line number, key) of every `key: value` line of a record (block style, as fmt writes)."""
    out = []
    for n, line in enumerate(data.decode("utf-8").split("\n"), 1):
        m = re.match(r"^(?:- |  )?([a-z_0-9]+): ", line)
        if m:
            out.append((n, m.group(1)))
    return out


@settings(max_examples=20, derandomize=True, deadline=None, database=None)
@given(
    target=st.sampled_from(FILES),
    pick=st.integers(0, 10_000),
    wrong=st.sampled_from(["list", "mapping"]),
    items=st.lists(st.from_regex(r"[A-Za-z0-9-]{1,6}", fullmatch=True), min_size=0, max_size=3),
)
def test_a_wrong_shape_in_any_column_is_a_type_violation_at_its_line(root, target, pick, wrong, items):
    rel, table = target
    data = (root / rel).read_bytes()
    candidates = [(n, k) for n, k in value_lines(data) if k != "id"]
    if not candidates:
        return  # an empty table ([]) has no value to damage
    line, key = candidates[pick % len(candidates)]
    lines = data.split(b"\n")
    indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip(b"- "))]
    if wrong == "mapping":
        shape = "{x: " + (items[0] if items else "1") + "}"
    elif key in vocabulary.LIST_COLUMNS:
        shape = items[0] if items else "RUS"  # one value where a list belongs
    else:
        shape = "[" + ", ".join(items) + "]"
    lines[line - 1] = indent + f"{key}: {shape}".encode()
    with damaged(root, rel, b"\n".join(lines)):
        result = check_one_file(root, rel)
    typed = [v for v in result.violations if v.code == "schema.type" and v.file == rel and v.line == line]
    assert len(typed) == 1, [(v.code, v.where, v.message) for v in result.violations]
    assert typed[0].message.startswith(f"{key} ") and typed[0].hint
    assert result.exit_code() == 1
