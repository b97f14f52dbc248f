"""`bluebook propose` and the field shares of `bluebook coverage`, on the real data."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from conftest import HELD_TEXT, REPO, check

from bluebook.cli import main
from bluebook.data.canonical import dump_table
from bluebook.data.heldtext import load_held_text, sha256_of
from bluebook.data.load import load_table
from bluebook.data.project import open_project
from bluebook.reports.coverage import coverage, render_coverage
from bluebook.reports.propose import propose_year


def test_coverage_2025_shows_the_share_of_verified_fields_and_points_to_propose():
    report = coverage(open_project(REPO, ["2025"]), "2025")
    shares = report.field_shares()
    total = {k: sum(c[k] for c in shares.values()) for k in ("verified", "declared", "unsupported")}
    assert total["unsupported"] == 0
    assert total["verified"] / sum(total.values()) >= 0.95
    assert {kind for _, kind in shares} == {"date", "figure", "entity", "status", "office"}
    text = render_coverage(report)
    assert "fields of stated facts read from their quotes (2025):" in text
    assert f"{report.uncited_sentences} body sentences are cited by no fact: `bluebook propose 2025`" in text
    all_line = next(line for line in text.splitlines() if line.strip().startswith("all "))
    assert f"{total['verified']} (" in all_line and f"{total['declared']} (" in all_line


def proposals() -> list[dict]:
    records = yaml.load(
        propose_year(open_project(REPO, ["2025"]), "2025"), Loader=yaml.BaseLoader
    )  # scalars as strings, as the loader reads them
    assert isinstance(records, list) and records
    return records


def test_every_proposal_quotes_an_uncited_sentence_verbatim():
    held = load_held_text(HELD_TEXT, sha256_of(HELD_TEXT))
    records = proposals()
    report = coverage(open_project(REPO, ["2025"]), "2025")
    assert len({r["evidence"] for r in records}) == report.uncited_sentences
    cited = {
        e
        for t in ("memberships", "agreements", "officeholders", "measures", "events", "indicators")
        for r in yaml.safe_load((REPO / "snapshots/2025" / f"{t}.yaml").read_text(encoding="utf-8"))
        for e in [r.get("evidence")]
        if e
    }
    for r in records:
        assert r["basis"] == "stated" and r["source"] == "bluebook-2026-ch2-s6"
        assert 4 <= len(r["evidence"]) <= 300
        found = held.locate(r["evidence"], r["section"])
        assert found and found[0].kind == "body", r["evidence"]
        assert r["evidence"] not in cited


def test_a_proposal_pasted_and_completed_passes_check_and_one_left_incomplete_does_not(tmp_path: Path):
    root = tmp_path / "p"
    for folder in ("snapshots", "sources", "expectations"):
        shutil.copytree(REPO / folder, root / folder)
    # the first candidate event whose participants the reader named (no '?' left to fill in)
    proposal = next(r for r in proposals() if "participants" in r and "?" not in r["participants"])
    assert proposal["date"] == "2025" and proposal["evidence"]
    events = root / "snapshots/2025/events.yaml"
    loaded, _ = load_table(events, "events.yaml", "events")
    records = [r.data for r in loaded.records]

    events.write_text(dump_table(records + [proposal], "events"), encoding="utf-8")
    result = check(root, expectations=False, across=False)
    assert {(v.code, v.id) for v in result.violations} == {("schema.required", proposal["id"])}

    done = dict(proposal, id="2025.proposed-and-completed", kind="other", title_en="A candidate completed by a curator")
    events.write_text(dump_table(records + [done], "events"), encoding="utf-8")
    result = check(root, expectations=False, across=False)
    assert result.violations == []


def test_propose_on_the_command_line(capsys):
    assert main(["--root", str(REPO), "propose", "2025"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Candidate records for the ")
    assert main(["--root", str(REPO), "propose", "1999"]) == 2
    assert "unknown year 1999" in capsys.readouterr().err
    assert main(["propose", "--help"]) == 0
    assert "bluebook propose 2025 > proposals.yaml" in capsys.readouterr().out


def test_propose_and_coverage_refuse_a_year_whose_files_cannot_be_read_whole(tmp_path, capsys):
    """A table that fails to load would make every sentence its facts cite look uncited: coverage
    and propose say the year cannot be read whole (exit 1) instead of proposing those facts again."""
    from conftest import FIXTURES, build_project

    root = build_project(tmp_path / "p", FIXTURES / "contracts" / "load.yaml-syntax")
    for command in ("propose", "coverage"):
        code = main(["--root", str(root), command, "2025"])
        out, err = capsys.readouterr()
        assert code == 1 and out == "", command
        assert "cannot be read whole" in err and "snapshots/2025/memberships.yaml" in err, command
