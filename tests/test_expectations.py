"""The Great Expectations suites: every suite loads with the installed GX and is run by `check`,
every expectation has a bad frame that makes it fail, the views count what they say, and a CSTO
member deleted from the real 2025 snapshot fails `bluebook check` with CSTO, 5 and 6 named."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, SUITES, build_project, check

from bluebook.cli import main
from bluebook.contracts.expectations import data_docs, views
from bluebook.contracts.expectations import runner as gx_runner
from bluebook.contracts.expectations import suites as gx_suites
from bluebook.data.load import Record, load_table
from bluebook.data.project import Layout, Snapshot

SUITE_FILES = sorted(SUITES.glob("*.json"))
pytestmark = pytest.mark.gx  # the suites run in nearly every test here


def all_expectations() -> list[str]:
    """`<suite>/<n>-<type>` of every expectation of every suite."""
    suites, problems = gx_suites.read_suites(Layout(REPO))
    assert not problems
    return [s.key(n) for s in suites.values() for n in range(len(s.expectations))]


# ------------------------------------------------------------------------------------------------
# Loading and running


def test_every_suite_loads_with_the_installed_gx():
    suites, problems = gx_suites.read_suites(Layout(REPO))
    assert problems == []
    with gx_runner.quiet():
        runner = gx_runner.Runner(suites.values())
    assert runner.errors == []
    assert set(runner.suites) == {p.stem for p in SUITE_FILES}
    for path in SUITE_FILES:  # 1.x keys only, a why and a severity for each expectation
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert set(doc) <= {"name", "expectations", "meta", "notes", "id"}
        for exp in doc["expectations"]:
            assert "expectation_type" not in exp and exp["severity"] in ("critical", "warning")
            assert exp["meta"]["why"].strip()


def test_every_suite_names_a_table_or_view_and_every_table_and_view_has_a_suite():
    assert {p.stem for p in SUITE_FILES} == set(views.SUITE_NAMES)


def test_every_suite_is_run_by_check_for_every_year(project, monkeypatch):
    ran: list[tuple[str, str]] = []
    validate = gx_runner.Runner.validate

    def spy(self, target, **kwargs):
        ran.append((target.suite, target.year))
        return validate(self, target, **kwargs)

    monkeypatch.setattr(gx_runner.Runner, "validate", spy)
    result = check(project)
    assert result.violations == []
    never = {p.stem for p in SUITE_FILES} - {suite for suite, _ in ran}
    assert not never, f"suites never run by check: {sorted(never)}"
    for year in result.years:
        assert {s for s, y in ran if y == year} == set(views.SUITE_NAMES) - {"entities"}, year
    assert ("entities", "") in ran


def test_a_suite_that_raises_is_an_error_not_a_pass(project, monkeypatch):
    def broken(self, target):
        raise RuntimeError("batch could not be built")

    monkeypatch.setattr(gx_runner.Runner, "validate", broken)
    result = check(project)
    assert {v.code for v in result.violations} == {"expect.not-evaluated"}
    assert result.exit_code() == 1
    assert {v.table for v in result.violations} == {p.stem for p in SUITE_FILES}


def test_no_expectations_skips_gx(project, monkeypatch):
    monkeypatch.setattr(gx_runner, "run_expectations", lambda *a, **k: pytest.fail("suites ran"))
    assert check(project, expectations=False).violations == []


def test_check_imports_gx_only_with_the_suites_and_never_prefect(project):
    code = (
        "import sys\n"
        "from bluebook.cli import main\n"
        f"assert main(['--root', {str(project)!r}, 'check', '--no-expectations']) == 0\n"
        "assert 'great_expectations' not in sys.modules, 'GX imported without the suites'\n"
        f"assert main(['--root', {str(project)!r}, 'check']) == 0\n"
        "assert 'great_expectations' in sys.modules\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'prefect'], 'check imported Prefect'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", "GX must print nothing (no progress bars, warnings or logs)"


# ------------------------------------------------------------------------------------------------
# Every expectation fails on a bad frame (built from the tiny base, one change each)


def _replicate(n: int):
    return lambda f: pd.concat([f] * n, ignore_index=True)


def _duplicate_first(**changes):
    def mutate(f):
        f = f.copy()
        for column, value in changes.items():
            f[column] = value
        extra = f.iloc[[0]].copy()
        extra["id"] = str(extra["id"].iloc[0]) + ".again"
        return pd.concat([f, extra], ignore_index=True)

    return mutate


def _set(row: int | None = None, where: tuple[str, object] | None = None, **changes):
    def mutate(f):
        f = f.copy()
        rows = (
            f.index
            if row is None and where is None
            else (f.index[f[where[0]] == where[1]] if where else [f.index[row]])
        )
        for column, value in changes.items():
            f[column] = f[column].astype(object)
            for i in rows:
                f.at[i, column] = value
        return f

    return mutate


ALL_CITED = _set(basis="cited")

# For every expectation: how a good frame of the base (year 2025, or the registry) is broken.
BREAKS = {
    "memberships/0-expect_table_row_count_to_be_between": _replicate(501),
    "memberships/1-expect_compound_columns_to_be_unique": _duplicate_first(),
    "memberships/2-expect_column_values_to_be_in_set": ALL_CITED,
    "agreements/0-expect_table_row_count_to_be_between": _replicate(501),
    "agreements/1-expect_compound_columns_to_be_unique": _duplicate_first(),
    "agreements/2-expect_column_values_to_be_in_set": _set(0, kind="joint_statement", status="in_force"),
    "agreements/3-expect_column_values_to_match_regex": _set(0, title_ja="New START"),
    "agreements/4-expect_column_values_to_be_in_set": ALL_CITED,
    "officeholders/0-expect_table_row_count_to_be_between": _replicate(501),
    "officeholders/1-expect_compound_columns_to_be_unique": _duplicate_first(since="2025-10"),
    "officeholders/2-expect_column_values_to_match_regex": _set(0, id="takaichi"),
    "officeholders/3-expect_column_values_to_be_in_set": ALL_CITED,
    "measures/0-expect_table_row_count_to_be_between": _replicate(501),
    "measures/1-expect_compound_columns_to_be_unique": _duplicate_first(),
    "measures/2-expect_column_values_to_not_match_regex": _set(0, title_en="原油の上限価格"),
    "measures/3-expect_column_values_to_be_in_set": ALL_CITED,
    "events/0-expect_table_row_count_to_be_between": _replicate(3001),
    "events/1-expect_compound_columns_to_be_unique": _duplicate_first(),
    "events/2-expect_column_values_to_match_regex": _set(0, id="cajad-summit-tokyo"),
    "events/3-expect_column_values_to_not_match_regex": _set(0, title_en="首脳会合"),
    "events/4-expect_column_values_to_be_in_set": ALL_CITED,
    "indicators/0-expect_table_row_count_to_be_between": _replicate(1001),
    "indicators/1-expect_compound_columns_to_be_unique": _duplicate_first(),
    "indicators/2-expect_column_values_to_not_be_null": _set(0, counterpart=None),
    "indicators/3-expect_column_values_to_match_regex": _set(0, id="trade-total"),
    "indicators/4-expect_column_values_to_be_in_set": ALL_CITED,
    "entities/0-expect_table_row_count_to_be_between": lambda f: f.iloc[0:0],
    "entities/1-expect_column_values_to_be_unique": _set(where=("id", "UZB"), name_en="Kazakhstan"),
    "entities/2-expect_column_values_to_be_unique": _set(where=("id", "UZB"), name_ja="カザフスタン"),
    "entities/3-expect_column_values_to_not_be_null": _set(where=("kind", "person"), country=None),
    "entities/4-expect_column_values_to_match_regex": _set(where=("id", "UZB"), name_ja="Uzbekistan"),
    "member_counts/0-expect_column_pair_values_to_be_equal": _set(where=("organization", "CSTO"), stated=6),
    "member_counts/1-expect_column_values_to_be_unique": lambda f: pd.concat([f, f], ignore_index=True),
    "grounding/0-expect_column_values_to_be_between": _set(where=("table", "measures"), facts=0),
    "grounding/1-expect_column_values_to_be_between": _set(where=("table", views.ALL_TABLES), grounded_share=0.5),
    "grounding/2-expect_column_values_to_be_between": _set(
        where=("table", views.ALL_TABLES), held_facts=40, held_stated=30, held_stated_share=0.75
    ),
    "grounding/3-expect_column_values_to_be_between": _set(where=("table", views.ALL_TABLES), grounded_share=0.1),
    "event_timing/0-expect_column_values_to_be_in_set": _set(0, timing="earlier_without_note"),
    "officeholder_countries/0-expect_column_pair_values_to_be_equal": _set(0, person_country="KAZ"),
}


def test_every_expectation_has_a_bad_frame():
    keys = all_expectations()
    missing = sorted(set(keys) - set(BREAKS))
    assert not missing, f"expectations without a bad frame in BREAKS: {missing}"
    assert not set(BREAKS) - set(keys), "BREAKS names expectations no suite has (renumbered?)"


@pytest.fixture(scope="module")
def base_run(tmp_path_factory):
    """The base project's 2025 frames (and the registry's), and one GX runner for all of them."""
    root = build_project(tmp_path_factory.mktemp("base") / "p")
    result = check(root, expectations=False)
    targets = {t.suite: t for t in views.all_targets(result.project, result.grounding) if t.year in ("", "2025")}
    suites, _ = gx_suites.read_suites(result.project.layout)
    with gx_runner.quiet():
        runner = gx_runner.Runner(suites.values())
    return targets, runner


@pytest.mark.parametrize("key", sorted(BREAKS))
def test_bad_frame_fails_its_expectation(key: str, base_run):
    targets, runner = base_run
    suite, rest = key.split("/")
    n = int(rest.split("-")[0])
    good = targets[suite]
    with gx_runner.quiet():
        assert [v for v in runner.run(good) if v.extra.get("expectation") == n] == [], "fails on the good frame"
        bad = views.Target(good.suite, good.year, BREAKS[key](good.frame), good.keys, good.locate, good.inputs)
        found = [v for v in runner.run(bad) if v.extra == {"suite": suite, "expectation": n}]
    assert found, f"{key} does not fail on its bad frame"
    for v in found:
        assert v.code == f"expect.{rest.split('-', 1)[1]}"
        assert v.message and v.file
        assert v.hint == runner.suites[suite].expectations[n]["meta"]["why"]  # the expectation's own why
        assert v.severity == gx_suites.SEVERITIES[runner.suites[suite].expectations[n]["severity"]]


# ------------------------------------------------------------------------------------------------
# The views


def _snapshot(year: str, **tables: list[dict]) -> Snapshot:
    loaded = {}
    for table, rows in tables.items():
        loaded[table] = type(
            "Loaded",
            (),
            {"records": [Record(dict(r), i + 1) for i, r in enumerate(rows)], "rel": f"snapshots/{year}/{table}.yaml"},
        )()
    return Snapshot(year, None, loaded)


def test_member_counts_count_member_associate_and_frozen_open_statuses():
    rows = [
        dict(id=f"x.{m}", organization="X", member=m, status=s, **extra)
        for m, s, extra in [
            ("AAA", "member", {}),
            ("BBB", "associate", {}),
            ("CCC", "frozen", {}),
            ("DDD", "suspended", {}),
            ("EEE", "observer", {}),
            ("FFF", "partner", {}),
            ("GGG", "withdrawn", {}),
            ("HHH", "invited", {}),
            ("III", "candidate", {}),
            ("JJJ", "member", {"until": "2024"}),
        ]
    ]
    stated = [dict(id="org.x.member_count.2025", metric="org.member_count", subject="X", value=3)]
    frame = views.member_counts(_snapshot("2025", memberships=rows, indicators=stated))
    assert frame.to_dict("records") == [
        dict(
            organization="X",
            counted=3,
            stated=3,
            id="org.x.member_count.2025",
            members="AAA, BBB, CCC",
            statuses="member, associate, frozen",
        )
    ]


def test_event_timing_needs_a_note_for_an_earlier_event():
    events = [
        dict(id="a", date="2025-03"),
        dict(id="b", date="2026-01"),
        dict(id="c", date="2024-08", note="Recounted."),
        dict(id="d", date="2024-08"),
    ]
    frame = views.event_timing(_snapshot("2025", events=events))
    assert dict(zip(frame["id"], frame["timing"])) == {
        "a": "in_year",
        "b": "in_year",
        "c": "recounted",
        "d": "earlier_without_note",
    }


def test_real_member_counts_agree_with_the_stated_counts():
    """The counting rule holds for the real data of every year that states counts."""
    layout = Layout(REPO)
    for year in layout.years():
        rel = f"snapshots/{year}"
        tables = {
            t: load_table(REPO / rel / f"{t}.yaml", f"{rel}/{t}.yaml", t)[0].records
            for t in ("memberships", "indicators")
        }
        snap = Snapshot(year, None, {t: type("L", (), {"records": r, "rel": ""})() for t, r in tables.items()})
        frame = views.member_counts(snap).dropna(subset=["stated"])
        bad = frame[frame["counted"] != frame["stated"]]
        assert bad.empty, f"{year}: {bad.to_dict('records')}"


# ------------------------------------------------------------------------------------------------
# The real 2025 snapshot with one CSTO member deleted


@pytest.fixture(scope="module")
def real_base(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("real") / "base"
    shutil.copytree(REPO / "snapshots", base / "snapshots")
    shutil.copytree(REPO / "sources", base / "sources")
    return base


def _drop_record(path: Path, rid: str) -> None:
    """Remove one record (its `- id:` line up to the next record) from a canonical table file."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"- id: {rid}\n")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- id: ")), len(lines))
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")


def test_deleting_a_csto_member_fails_check_naming_csto_counted_and_stated(real_base, tmp_path, capsys):
    root = build_project(tmp_path / "p", base=real_base)
    _drop_record(root / "snapshots/2025/memberships.yaml", "csto.kaz")
    code = main(["--root", str(root), "check", "2025", "--limit", "0"])
    out = capsys.readouterr().out
    assert code == 1
    line = next(line for line in out.splitlines() if "expect.expect_column_pair_values_to_be_equal" in line)
    assert "CSTO: memberships count 5 members" in line and "the source states 6" in line, line
    assert "org.csto.member_count.2025" in line and "snapshots/2025/indicators.yaml" in out


# ------------------------------------------------------------------------------------------------
# Data Docs


def test_data_docs_hold_the_latest_run_only(project, tmp_path, capsys):
    docs = tmp_path / "data-docs"
    for _ in range(2):
        assert main(["--root", str(project), "check", "--data-docs", str(docs)]) == 0
    assert (docs / "index.html").is_file() and (docs / data_docs.DATA_DOCS_MARKER).is_file()
    index = (docs / "index.html").read_text(encoding="utf-8")
    for suite in views.SUITE_NAMES:
        assert f"expectations/{suite}.html" in index
    pages = list((docs / "validations").rglob("*.html"))
    assert len(pages) == 1 + 2 * (len(views.SUITE_NAMES) - 1)  # registry + 2 years; the first run is gone
    assert sum(p.stat().st_size for p in docs.rglob("*") if p.is_file()) < 3_000_000
    assert not list(tmp_path.glob("*.new"))


def test_data_docs_refuse_a_folder_of_other_files(project, tmp_path, capsys):
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["--root", str(project), "check", "--data-docs", str(other)]) == 2
    assert "not Data Docs" in capsys.readouterr().err
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert main(["--root", str(project), "check", "--no-expectations", "--data-docs", str(tmp_path / "d")]) == 2
