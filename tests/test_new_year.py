"""`bluebook new-year`: scaffold the next year from the previous one, carried facts marked unconfirmed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from bluebook.changes.sides import diff_sides, load_side
from bluebook.cli import main
from bluebook.contracts.check import run_check
from bluebook.data.load import load_table
from bluebook.data.new_year import NewYearError, new_year
from bluebook.data.project import open_project
from bluebook.reports.changes import changes_markdown


@pytest.fixture(scope="module")
def real_copy(tmp_path_factory) -> Path:
    """A copy of this project's data (snapshots, sources, suites) with 2026 scaffolded from 2025."""
    root = tmp_path_factory.mktemp("real") / "project"
    for folder in ("snapshots", "sources", "expectations"):
        shutil.copytree(REPO / folder, root / folder)
    assert main(["--root", str(root), "new-year", "2026"]) == 0
    return root


def copy_of(real: Path, dest: Path) -> Path:
    shutil.copytree(real, dest)
    return dest


def records(root: Path, year: str, table: str) -> dict[str, dict]:
    loaded, problems = load_table(root / "snapshots" / year / f"{table}.yaml", f"{table}.yaml", table)
    assert not problems
    return {r.id: r.data for r in loaded.records}


def test_carries_every_open_state_fact_and_nothing_else(real_copy: Path):
    for table in ("memberships", "agreements", "officeholders", "measures"):
        before, after = records(real_copy, "2025", table), records(real_copy, "2026", table)
        for rid, rec in before.items():
            ended = rec.get("until") or rec.get("ended") or rec.get("status") in ("withdrawn", "expired", "terminated")
            if ended:
                assert rid not in after, f"{table}:{rid} ended in 2025 and must not be carried"
            else:
                assert after[rid] == dict(rec, carried="2025"), f"{table}:{rid} must be carried unchanged"
        assert set(after) <= set(before)
    assert records(real_copy, "2026", "events") == {} and records(real_copy, "2026", "indicators") == {}
    assert "new-start" not in records(real_copy, "2026", "agreements")  # expired in 2026-02


def test_new_year_checks_with_only_unconfirmed_carried_warnings(real_copy: Path):
    result = run_check(open_project(real_copy, ["2025", "2026"]))
    codes = {v.code for v in result.violations if v.year == "2026"}
    assert codes == {"carried.unconfirmed"}, sorted({(v.code, v.message) for v in result.violations})[:5]
    carried = sum(
        len(records(real_copy, "2026", t)) for t in ("memberships", "agreements", "officeholders", "measures")
    )
    assert sum(v.code == "carried.unconfirmed" for v in result.violations) == carried > 100
    assert result.errors == 0 and result.exit_code() == 0 and result.exit_code(strict=True) == 1
    first = next(v for v in result.violations if v.code == "carried.unconfirmed")
    assert first.file.startswith("snapshots/2026/") and first.line > 0 and "carried forward from 2025" in first.message


def test_change_report_lists_carried_facts_apart(real_copy: Path):
    diff = diff_sides(
        load_side(open_project(real_copy, ["2025"]), "2025"), load_side(open_project(real_copy, ["2026"]), "2026")
    )
    summary = diff.summary()
    assert summary["carried"] > 100 and summary["silent_drop"] == 0 and summary["provenance"] == 0
    md = changes_markdown(
        diff, load_side(open_project(real_copy, ["2025"]), "2025"), load_side(open_project(real_copy, ["2026"]), "2026")
    )
    assert "## Carried, awaiting the new edition (" in md
    assert "Kazakhstan in CSTO: carried from 2025, not yet confirmed" in md
    head, _, carried_section = md.partition("## Carried, awaiting the new edition")
    assert "csto.kaz" not in head  # listed apart, not among the changes


def test_carried_fact_then_ended_shows_as_ended(real_copy: Path, tmp_path: Path):
    root = copy_of(real_copy, tmp_path / "p")
    path = root / "snapshots" / "2026" / "memberships.yaml"
    text = path.read_text(encoding="utf-8")
    block = "- id: csto.kaz\n"
    start = text.index(block)
    end = text.index("  carried: 2025\n", start)
    path.write_text(text[:end] + "  until: 2026-06\n" + text[end + len("  carried: 2025\n") :], encoding="utf-8")
    diff = diff_sides(load_side(open_project(root, ["2025"]), "2025"), load_side(open_project(root, ["2026"]), "2026"))
    change = next(c for c in diff.changes if c.id == "csto.kaz")
    assert change.kind == "ended" and change.after["until"] == "2026-06"
    md = changes_markdown(
        diff, load_side(open_project(root, ["2025"]), "2025"), load_side(open_project(root, ["2026"]), "2026")
    )
    assert "Kazakhstan in CSTO: ended (2026-06) <sub>ended · csto.kaz</sub>" in md


def test_carried_fact_deleted_by_hand_is_a_silent_drop(real_copy: Path, tmp_path: Path):
    root = copy_of(real_copy, tmp_path / "p")
    path = root / "snapshots" / "2026" / "agreements.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: kgz-tjk-border-treaty\n")
    end = text.index("\n- id: ", start) + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    diff = diff_sides(load_side(open_project(root, ["2025"]), "2025"), load_side(open_project(root, ["2026"]), "2026"))
    assert [c.kind for c in diff.changes if c.id == "kgz-tjk-border-treaty"] == ["silent_drop"]
    result = run_check(open_project(root, ["2025", "2026"]), expectations=False)
    drops = [v for v in result.violations if v.code == "year.silent-drop"]
    assert [v.id for v in drops] == ["kgz-tjk-border-treaty"] and result.exit_code() == 1


def test_refuses_to_overwrite_an_existing_year(real_copy: Path, capsys):
    before = (real_copy / "snapshots" / "2026" / "memberships.yaml").read_bytes()
    assert main(["--root", str(real_copy), "new-year", "2026"]) == 2
    assert "exists already" in capsys.readouterr().err
    assert (real_copy / "snapshots" / "2026" / "memberships.yaml").read_bytes() == before
    with pytest.raises(NewYearError, match="exists already"):
        new_year(real_copy, "2025")


@pytest.mark.parametrize(
    "year, message",
    [("2030", "no snapshot for 2029"), ("26", "not a four-digit year"), ("../x", "not a four-digit year")],
)
def test_refuses_without_the_year_before(real_copy: Path, year: str, message: str, capsys):
    assert main(["--root", str(real_copy), "new-year", year]) == 2
    assert message in capsys.readouterr().err
    assert not (real_copy / "snapshots" / year).exists()


def test_refuses_to_carry_from_a_year_it_cannot_read_whole(tmp_path: Path):
    root = tmp_path / "p"
    for folder in ("snapshots", "sources"):
        shutil.copytree(REPO / folder, root / folder)
    path = root / "snapshots" / "2025" / "measures.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- id: [broken\n", encoding="utf-8")
    with pytest.raises(NewYearError, match="cannot be read whole"):
        new_year(root, "2026")
    assert sorted(p.name for p in (root / "snapshots").iterdir()) == ["2023", "2024", "2025", "entities.yaml"]


def test_a_failed_write_leaves_no_folder(tmp_path: Path, monkeypatch):
    root = tmp_path / "p"
    for folder in ("snapshots", "sources"):
        shutil.copytree(REPO / folder, root / folder)
    calls = []

    def failing_fsync(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        new_year(root, "2026")
    assert sorted(p.name for p in (root / "snapshots").iterdir()) == ["2023", "2024", "2025", "entities.yaml"]
