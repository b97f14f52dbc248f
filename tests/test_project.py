"""A project is opened once per command and per review run: every data file is read once, and the
layers below get the opened project (issue 12)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO, build_project

from bluebook import review as steps
from bluebook.cli import main
from bluebook.data.project import open_project


def _data_files(root: Path) -> set[Path]:
    files = set((root / "snapshots").rglob("*.yaml")) | set((root / "sources").iterdir())
    return {p.resolve() for p in files if p.is_file()}


@pytest.fixture
def reads(monkeypatch):
    counts: Counter[Path] = Counter()
    original = Path.read_bytes

    def counting(self: Path) -> bytes:
        counts[self.resolve()] += 1
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    return counts


@pytest.mark.gx
def test_check_reads_each_data_file_once(project: Path, reads, capsys):
    """Without the cache, cold (the cache empty) and warm (every result cached): each data file is
    read exactly once — warm too, since an entry is used only for the bytes it was made from, so
    every file is read and hashed (and then parsed only if its records are needed)."""
    files = _data_files(project)
    for extra in (["--no-cache"], [], []):
        reads.clear()
        assert main(["--root", str(project), "check", *extra]) == 0, capsys.readouterr().err
        assert {f: reads[f] for f in files} == {f: 1 for f in files}, extra
    assert (project / ".bluebook-cache" / "year").is_dir()


@pytest.mark.gx
def test_a_review_reads_each_data_file_once(project: Path, reads, tmp_path: Path):
    result = steps.run_review(project, out=tmp_path / "reports", name="run-1")
    assert not result.failed() and (tmp_path / "reports" / "data-docs" / "index.html").is_file()
    files = _data_files(project)
    assert {f: reads[f] for f in files} == {f: 1 for f in files}


def test_history_coverage_and_diff_read_each_file_once(project: Path, reads, capsys):
    for argv in (
        ["history", "BRICS"],
        ["coverage", "2025"],
        ["diff", "2024", "2025"],
        ["diff", "2024", "2025"],
        ["check", "--no-expectations"],
        ["check", "--no-expectations"],
    ):  # cold, then warm
        reads.clear()
        assert main(["--root", str(project), *argv]) == 0, capsys.readouterr().err
        assert max(reads[f] for f in _data_files(project)) == 1, argv


def test_the_opened_project_knows_what_it_could_not_read(tmp_path: Path):
    from bluebook.data.project import open_project

    root = build_project(tmp_path / "p")
    (root / "snapshots" / "2025" / "events.yaml").write_text("- id: [x\n", encoding="utf-8")
    project = open_project(root)
    assert project.unreadable == frozenset({"snapshots/2025/events.yaml"})
    assert [v.code for v in project.problems] == ["load.yaml-syntax"]
    assert project.entity_index is project.entity_index  # built once


def test_the_size_limit_applies_to_the_registries_too():
    """`--max-file-bytes` (open_project's max_bytes) is the limit of every file the project reads:
    a registry larger than the default limit is read under a larger one, and refused under a smaller."""
    small = open_project(REPO, [], max_bytes=1000)
    too_large = {v.file for v in small.problems if v.code == "load.too-large"}
    assert too_large == {"snapshots/entities.yaml", "sources/sources.yaml"}
    assert not open_project(REPO, [], max_bytes=1 << 30).problems
