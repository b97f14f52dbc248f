"""The canonical-form warning, for every kind of file (registries, snapshot.yaml, tables of each
year), and its skips: a file with load errors is never judged (its canonical form would drop what
could not be read), and skipping one file skips only that one."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_project

from bluebook.contracts.meta import check_canonical
from bluebook.data.project import open_project
from bluebook.violations import violation

FILES = [
    ("snapshots/entities.yaml", "", "entities"),
    ("sources/sources.yaml", "", "sources"),
    ("snapshots/2025/snapshot.yaml", "2025", "snapshot"),
    ("snapshots/2024/snapshot.yaml", "2024", "snapshot"),
    ("snapshots/2025/memberships.yaml", "2025", "memberships"),
    ("snapshots/2024/agreements.yaml", "2024", "agreements"),
]


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return build_project(tmp_path_factory.mktemp("canon") / "p")


def canonical(root: Path, unreadable=frozenset()):
    project = open_project(root)
    assert project.problems == []
    project.problems = [violation("load.shape", "could not be read whole", file=rel) for rel in unreadable]
    return check_canonical(project)


def test_the_base_is_canonical(root):
    assert canonical(root) == []


@pytest.mark.parametrize(("rel", "year", "table"), FILES)
def test_every_file_is_judged_and_a_skipped_one_only(root, rel, year, table):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    other = root / (
        "snapshots/2025/events.yaml" if rel != "snapshots/2025/events.yaml" else "snapshots/2024/events.yaml"
    )
    other_text = other.read_text(encoding="utf-8")
    try:
        path.write_text("# a comment fmt would drop\n" + text, encoding="utf-8")
        [v] = canonical(root)
        assert (v.code, v.file, v.year, v.table, v.severity) == ("load.not-canonical", rel, year, table, "warning")
        assert v.message == f"{rel} is not in canonical form"
        assert "run `bluebook fmt`" in v.hint and "\n-# a comment fmt would drop\n" in v.hint
        assert canonical(root, {rel}) == []  # a file with load errors is not judged
        other.write_text("# another\n" + other_text, encoding="utf-8")
        assert [x.file for x in canonical(root, {rel})] == [other.relative_to(root).as_posix()]
    finally:
        path.write_text(text, encoding="utf-8")
        other.write_text(other_text, encoding="utf-8")


def test_a_table_not_read_whole_is_not_judged(root):
    path = root / "snapshots/2025/measures.yaml"
    text = path.read_text(encoding="utf-8")
    try:
        path.write_text("a: mapping\n", encoding="utf-8")
        project = open_project(root)
        assert [p.code for p in project.problems] == ["load.shape"]
        assert check_canonical(project) == []
    finally:
        path.write_text(text, encoding="utf-8")
