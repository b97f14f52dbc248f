"""Shared fixtures: small projects built in a temp folder from tests/fixtures/base plus an overlay."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = FIXTURES / "base"
HELD_TEXT = REPO / "sources" / "diplomatic-bluebook-2026-ch2-s6.ja.md"
SUITES = REPO / "expectations"
CONTRACTS_DIR = FIXTURES / "contracts"
GOOD = "_good"  # a fixture's good variant: an overlay of its own, beside the bad one


@pytest.fixture(scope="session", autouse=True)
def cache_secret_of_the_tests(tmp_path_factory):
    """The cache's secret for every test (and every process a test starts) in a folder of the test
    session's, not in the home folder of whoever runs the tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BLUEBOOK_CACHE_SECRET_FILE", str(tmp_path_factory.mktemp("state") / "cache-secret"))
        yield


def edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in a project's file (the first `count` times; -1: all), asserting that
    `old` is there: a test's setup that silently changes nothing would test nothing."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def build_project(dest: Path, overlay: Path | None = None, base: Path = BASE) -> Path:
    """Copy `base` (with the real held text and the real GX suites of expectations/) to `dest`,
    then apply `overlay`: its files replace or add files (except those of its `_good/` variant); `_delete.txt` lists paths to remove;
    `_mutate.py` runs with `root` bound to `dest` (for bytes and sizes no text fixture can hold)."""
    shutil.copytree(base, dest)
    shutil.copy(HELD_TEXT, dest / "sources" / HELD_TEXT.name)
    if not (dest / "expectations").exists():
        shutil.copytree(SUITES, dest / "expectations")
    if overlay is None:
        return dest
    for path in sorted(overlay.rglob("*")):
        rel = path.relative_to(overlay)
        if path.is_dir() or path.name in ("_delete.txt", "_mutate.py", "README.md") or rel.parts[0] == GOOD:
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    deletions = overlay / "_delete.txt"
    if deletions.exists():
        for line in deletions.read_text(encoding="utf-8").split():
            (dest / line).unlink()
    mutate = overlay / "_mutate.py"
    if mutate.exists():
        exec(compile(mutate.read_text(encoding="utf-8"), str(mutate), "exec"), {"root": dest})
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A valid one-year project (the seed facts of 2025 with their real quotes)."""
    return build_project(tmp_path / "project")


def check(root: Path, **kwargs):
    """`run_check` on the project at `root`, opened once (as every command opens it)."""
    from bluebook.contracts.check import run_check
    from bluebook.data.project import open_project

    return run_check(open_project(root), **kwargs)
