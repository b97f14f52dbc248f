"""The benchmark's synthetic corpus is what it claims: canonical files, every contract kept, and a
diff between two of its years that finds exactly the changes it recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.corpus import dump_records, generate
from bluebook.changes.sides import diff_sides, load_side
from bluebook.data.canonical import dump_table
from bluebook.data.load import load_table
from bluebook.data.project import open_project


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "c"
    generate(root, facts=150, years=3, seed=5)
    return root


def test_files_are_canonical_and_read_by_the_fast_reader(corpus):
    files = sorted((corpus / "snapshots").rglob("*.yaml"))
    assert len(files) == 1 + 3 * 7
    for path in files:
        if path.name == "snapshot.yaml":
            continue
        table = path.stem
        loaded, violations = load_table(path, path.name, table)
        assert violations == [] and loaded.records
        text = path.read_text(encoding="utf-8")
        assert (
            text
            == dump_table([r.data for r in loaded.records], table)
            == dump_records([r.data for r in loaded.records], table, path.parent.name)
        )


def test_every_contract_holds_on_the_corpus(corpus):
    """Every contract but the GX suites (field grounding included: each synthetic quote is read, and
    each stated fact's unquoted declaration found honest) holds on the corpus."""
    from bluebook.contracts.check import run_check

    result = run_check(open_project(corpus, None), expectations=False)
    assert result.violations == []
    assert result.project.fact_count > 400


def test_the_diff_finds_exactly_the_recorded_changes(corpus):
    known = json.loads((corpus / "known-changes.json").read_text(encoding="utf-8"))
    project = open_project(corpus)
    for pair, expected in known["pairs"].items():
        a, b = pair.split("-")
        diff = diff_sides(load_side(project, a), load_side(project, b))
        summary = diff.summary()
        assert {k: summary[k] for k in expected["summary"]} == expected["summary"]
        for kind, items in expected["changes"].items():
            found = {(c.table, c.id) for c in diff.of_kind(kind)}
            assert found == {tuple(x) for x in items}, kind
        assert summary["silent_drop"] == 0


def test_a_change_report_draws_at_most_ten_years_and_the_cli_opens_only_those(tmp_path, monkeypatch):
    """Over many editions the pictures of a change report span the PICTURE_YEARS up to its head
    (not every year: the review of seventy editions was quadratic in them), and `bluebook diff`
    opens only the years it draws."""
    from bluebook import cli
    from bluebook.changes.sides import load_side
    from bluebook.data.project import open_project
    from bluebook.reports.changes import PICTURE_YEARS, picture_years, report_sides

    root = tmp_path / "c"
    known = generate(root, facts=600, years=PICTURE_YEARS + 3, seed=7)
    years = known["years"]
    project = open_project(root)
    head = load_side(project, years[-1])
    drawn = [s.year for s in report_sides(project, load_side(project, years[-2]), head)]
    assert drawn == years[-PICTURE_YEARS:]
    assert [s.year for s in report_sides(project, load_side(project, years[0]), head)] == [
        years[0],
        *years[-PICTURE_YEARS:],
    ]  # an old base is drawn too
    assert picture_years(years, years[4]) == years[:5]
    opened: list[list[str]] = []
    real_open = cli._open
    monkeypatch.setattr(cli, "_open", lambda args, ys=None: opened.append(ys) or real_open(args, ys))
    monkeypatch.chdir(root)
    assert cli.main(["diff", years[-2], years[-1], "--format", "json", "--no-cache"]) == 0
    assert opened == [years[-PICTURE_YEARS:]]
