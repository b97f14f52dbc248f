"""Property: whatever a mutation does to a valid snapshot file, `check` ends with exit 0 or 1 and a
list of violations, never an uncaught exception."""

from __future__ import annotations

import shutil

from conftest import build_project, check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bluebook.data.project import Layout

TABLES = ["memberships", "agreements", "officeholders", "measures", "events", "indicators"]


def _mutations():
    lines_op = st.sampled_from(["delete", "duplicate", "retype", "swap"])
    garbage = st.binary(min_size=1, max_size=40)
    return st.one_of(
        st.tuples(st.just("lines"), lines_op, st.integers(0, 200)),
        st.tuples(st.just("garbage"), garbage, st.integers(0, 2000)),
        st.tuples(st.just("truncate"), st.integers(0, 2000)),
        st.tuples(st.just("text"), st.text(max_size=60), st.integers(0, 200)),
    )


def mutate(data: bytes, mutation) -> bytes:
    kind = mutation[0]
    if kind == "garbage":
        _, junk, at = mutation
        at %= len(data) + 1
        return data[:at] + junk + data[at:]
    if kind == "truncate":
        return data[: mutation[1] % (len(data) + 1)]
    lines = data.split(b"\n")
    at = mutation[2] % len(lines)
    if kind == "text":
        lines.insert(at, mutation[1].encode("utf-8", "surrogatepass"))
    elif mutation[1] == "delete":
        del lines[at]
    elif mutation[1] == "duplicate":
        lines.insert(at, lines[at])
    elif mutation[1] == "retype":  # a value of the wrong type: list, mapping, number, empty
        key = lines[at].split(b":")[0]
        lines[at] = key + b": " + [b"[a, b]", b"{x: 1}", b"12.5", b"", b"~", b"true"][at % 6]
    elif mutation[1] == "swap" and at + 1 < len(lines):
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    return b"\n".join(lines)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.sampled_from(TABLES), mutations=st.lists(_mutations(), min_size=1, max_size=3))
def test_check_never_raises(tmp_path_factory, table, mutations):
    root = build_project(tmp_path_factory.mktemp("p") / "p")
    path = Layout(root).year_dir("2025") / f"{table}.yaml"
    data = path.read_bytes()
    for m in mutations:
        data = mutate(data, m)
    path.write_bytes(data)
    result = check(root)
    assert result.exit_code() in (0, 1)
    assert isinstance(result.violations, list)
    if result.exit_code() == 1:
        assert all(v.code and v.message for v in result.violations)
    shutil.rmtree(root)
