"""The due watch (`bluebook due`, bluebook/due.py): facts of the latest snapshot whose recorded or
implied dates have passed since its as_of, at a fixed run date; and the review's use of it."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO, build_project, edit

from bluebook import due
from bluebook import review as steps
from bluebook.cli import main
from bluebook.data import dates
from bluebook.data.new_year import new_year
from bluebook.data.project import open_project
from bluebook.errors import UnreadableInput

SIGNED = FIXTURES / "due" / "signed"


def watch(root: Path, on: str) -> due.DueReport:
    return due.watch(open_project(root), date.fromisoformat(on))


def ids(report: due.DueReport, rule: str | None = None) -> list[str]:
    return [i.id for i in report.items if rule is None or i.rule == rule]


@pytest.fixture(scope="module")
def real():
    """The real project, opened once and only read."""
    return open_project(REPO)


# --- the real data -------------------------------------------------------------------------------


def test_new_start_expiry_is_due_on_2026_03_01_not_on_2026_01_15(real):
    later = due.watch(real, date(2026, 3, 1))
    item = next(i for i in later.items if i.id == "new-start")
    assert item.rule == "due.end" and item.table == "agreements" and item.year == "2025"
    assert item.since == date(2026, 3, 1) and item.date == "ended 2026-02"
    assert item.where == "snapshots/2025/agreements.yaml:7"  # the `ended` line
    assert "expired" in item.what and "as_of 2026-02" in item.what
    assert "Diplomatic Bluebook 2027" in item.look_for and "2026 snapshot" in item.look_for
    assert "new-start" not in ids(due.watch(real, date(2026, 1, 15)))


def test_nothing_is_due_on_the_real_snapshots_own_as_of(real):
    as_of = real.snapshots["2025"].as_of
    for day in dates.interval(as_of):  # every day the as_of 2026-02 may mean
        assert due.watch(real, day).items == [], day
    assert due.watch(real, dates.end(as_of) + timedelta(days=1)).items  # and the day after, New START is


def test_the_readme_session_on_2026_11_30(real):
    report = due.watch(real, date(2026, 11, 30))
    assert report.year == "2025" and report.as_of == "2026-02"
    assert ids(report, "due.end") == ["new-start"]
    # signed 2025-03 and 2025-08, none in force a year on; statements and programmes never are
    assert ids(report, "due.in-force")[0] == "kgz-tjk-border-treaty"
    assert "jpn-uzb-fm-strategic-dialogue-communique-1" not in ids(report)
    assert "arm-aze-peace-joint-declaration" not in ids(report)
    assert not ids(report, "due.edition")  # the next edition is not due before 2027-06-29
    assert report.next is not None and report.next.since == date(2027, 1, 1)


def test_the_readme_shows_the_real_output(real):
    from bluebook.reports.due import due_text

    session = "$ .venv/bin/bluebook due --on 2026-11-30\n" + due_text(due.watch(real, date(2026, 11, 30))) + "\n```"
    assert session in (REPO / "README.md").read_text(encoding="utf-8")


# --- fixture projects ----------------------------------------------------------------------------


def test_signed_agreement_without_entry_into_force_after_the_threshold(tmp_path):
    root = build_project(tmp_path / "p", SIGNED)
    # signed 2025-03: due SIGNED_TO_IN_FORCE (12) months after the end of that month
    assert "kgz-tjk-border-treaty" not in ids(watch(root, "2026-03-31"))
    report = watch(root, "2026-04-01")
    item = next(i for i in report.items if i.id == "kgz-tjk-border-treaty")
    assert item.rule == "due.in-force" and item.since == date(2026, 4, 1)
    assert item.where == "snapshots/2025/agreements.yaml:19"  # the `signed` line
    assert "signed 2025-03" in item.what and "in_force" in item.look_for
    # a communique and a programme are signed but never enter into force
    late = watch(root, "2030-01-01")
    assert "jpn-uzb-fm-strategic-dialogue-communique-1" not in ids(late)
    assert "jpn-kgz-mfa-cooperation-programme-2026-2027" not in ids(late)


def test_signed_agreement_in_force_is_not_due(tmp_path):
    root = build_project(tmp_path / "p", SIGNED)
    path = root / "snapshots/2025/agreements.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "  status: signed\n  signed: 2025-03\n", "  status: in_force\n  signed: 2025-03\n  in_force: 2025-12\n"
        ),
        encoding="utf-8",
    )
    assert "kgz-tjk-border-treaty" not in ids(watch(root, "2027-01-01"))


def test_nothing_is_due_on_the_fixture_as_of(tmp_path):
    root = build_project(tmp_path / "p", SIGNED)
    assert watch(root, "2026-02-28").items == []
    assert watch(root, "2026-02-01").items == []


def test_an_invitation_is_due_after_its_threshold(tmp_path):
    root = build_project(tmp_path / "p")
    rel = "snapshots/2025/memberships.yaml"
    # test-only variants: Viet Nam invited in 2025-10 (instead of becoming a partner in 2025-06)
    edit(root, rel, "status: partner\n  since: 2025-06", "status: invited\n  since: 2025-10")
    assert "brics.vnm" not in ids(watch(root, "2026-04-30"))
    item = next(i for i in watch(root, "2026-05-01").items if i.id == "brics.vnm")
    assert item.rule == "due.invitation" and item.since == date(2026, 5, 1)  # 2025-10 + 6 months
    assert "Viet Nam" in item.look_for and "BRICS" in item.look_for
    # invited in 2025-06: undecided by 2026-01-01, before the as_of 2026-02, which saw it still invited,
    # so it did not come due since the as_of and is never listed
    edit(root, rel, "status: invited\n  since: 2025-10", "status: invited\n  since: 2025-06")
    assert "brics.vnm" not in ids(watch(root, "2030-01-01"))


def test_an_open_status_with_an_end_at_the_edge(tmp_path):
    root = build_project(tmp_path / "p")
    # a test-only variant: Armenia's frozen CSTO status recorded to end in 2026-02, status unchanged
    edit(root, "snapshots/2025/memberships.yaml", "  since: 2024\n", "  since: 2024\n  until: 2026-02\n", -1)
    assert "csto.arm" not in ids(watch(root, "2026-02-28"))
    item = next(i for i in watch(root, "2026-03-01").items if i.id == "csto.arm")
    assert item.rule == "due.end" and "still frozen" in item.what and "set its status" in item.look_for


def test_the_next_edition_is_due_16_months_after_as_of(tmp_path):
    root = build_project(tmp_path / "p")
    assert not ids(watch(root, "2027-06-28"), "due.edition")
    item = next(i for i in watch(root, "2027-06-29").items if i.rule == "due.edition")
    assert item.id == "2025" and item.table == "snapshot" and item.where == "snapshots/2025/snapshot.yaml:2"
    assert "no snapshot for 2026" in item.what and "bluebook new-year 2026" in item.look_for


def test_carried_facts_keep_the_as_of_they_were_read_at(tmp_path):
    """After `bluebook new-year 2026` the 2026 scaffold (as_of 2026-12-31) is the latest snapshot;
    its carried facts were read at 2025's as_of, so what came due since then still shows."""
    root = build_project(tmp_path / "p", SIGNED)
    new_year(root, "2026")
    report = watch(root, "2026-11-30")
    assert report.year == "2026"
    item = next(i for i in report.items if i.id == "kgz-tjk-border-treaty")
    assert item.since == date(2026, 4, 1) and "carried from 2025" in item.what
    assert item.file == "snapshots/2026/agreements.yaml"


def test_a_later_holder_of_the_office_makes_a_carried_term_due(tmp_path):
    root = build_project(tmp_path / "p")
    new_year(root, "2026")
    # test-only records: a fictional person recorded as prime minister in 2026
    with open(root / "snapshots/entities.yaml", "a", encoding="utf-8") as fh:
        fh.write("- id: person.example-successor\n  kind: person\n  name_en: Example Successor\n  country: JPN\n")
    (root / "snapshots/2026/officeholders.yaml").write_text(
        (root / "snapshots/2026/officeholders.yaml").read_text(encoding="utf-8")
        + "- id: jpn.prime-minister.example-successor\n  office: JPN.prime_minister\n"
        "  person: person.example-successor\n  attested: 2026-06\n  basis: inferred\n"
        "  source: bluebook-2026-ch2-s6\n  note: test only\n",
        encoding="utf-8",
    )
    assert "jpn.prime-minister.takaichi-sanae" not in ids(watch(root, "2026-05-31"))
    item = next(i for i in watch(root, "2026-06-01").items if i.id == "jpn.prime-minister.takaichi-sanae")
    assert item.rule == "due.succession" and item.since == date(2026, 6, 1)
    assert "Example Successor" in item.what and "snapshots/2026/officeholders.yaml" in item.what
    assert "until" in item.look_for


def test_an_unreadable_latest_snapshot_is_an_error_not_an_empty_list(tmp_path):
    root = build_project(tmp_path / "p", FIXTURES / "contracts" / "load.yaml-syntax")
    with pytest.raises(UnreadableInput, match="load.yaml-syntax"):
        watch(root, "2026-11-30")


def test_an_as_of_that_is_no_date_is_an_error(tmp_path):
    root = build_project(tmp_path / "p")
    edit(root, "snapshots/2025/snapshot.yaml", "as_of: 2026-02", "as_of: soon")
    with pytest.raises(UnreadableInput, match="as_of 'soon' is not a date"):
        watch(root, "2026-11-30")


def test_thresholds_each_say_why_and_the_readme_documents_them():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for threshold in due.THRESHOLDS:
        assert len(threshold.why) > 80, threshold.name
        assert f"| {threshold.name} | {threshold.months} months |" in readme, threshold.name
    for rule in due.RULES:
        assert f"`{rule}`" in readme, rule


def test_dates_at_the_far_end_of_the_calendar_do_not_crash(tmp_path):
    root = build_project(tmp_path / "p")
    edit(root, "snapshots/2025/snapshot.yaml", "as_of: 2026-02", "as_of: 9999-12")
    report = watch(root, "9999-12-31")
    assert all(i.since <= date(9999, 12, 31) for i in report.items)


def test_add_months_clamps_to_the_month_end():
    assert due.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert due.add_months(date(2025, 3, 31), 12) == date(2026, 3, 31)
    assert due.add_months(date(2026, 2, 28), 16) == date(2027, 6, 28)


# --- the command line ----------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_text_json_and_exit_codes(tmp_path, capsys):
    root = build_project(tmp_path / "p", SIGNED)
    code, out, _ = run(capsys, "--root", str(root), "due", "--on", "2026-04-01")
    assert code == 0  # due facts are information
    assert "since 2026-03-01  due.end" in out and "snapshots/2025/agreements.yaml:7  new-start" in out
    assert "look for:" in out
    assert out.strip().endswith("next due on 2027-06-29 (due.edition 2025)")
    assert run(capsys, "--root", str(root), "due", "--on", "2026-04-01", "--strict")[0] == 1
    assert run(capsys, "--root", str(root), "due", "--on", "2026-02-15", "--strict")[0] == 0
    code, out, _ = run(capsys, "--root", str(root), "due", "--on", "2026-04-01", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["on"] == "2026-04-01" and doc["due"] == 2
    assert doc["by_rule"] == {"due.end": 1, "due.in-force": 1}
    assert doc["items"][1]["where"] == "snapshots/2025/agreements.yaml:19"
    assert doc["next"]["rule"] == "due.edition"


def test_cli_bad_date_is_a_usage_error(project, capsys):
    code, _, err = run(capsys, "--root", str(project), "due", "--on", "2026-02-30")
    assert code == 2 and "is not a day" in err


def test_cli_unreadable_snapshot_exits_1_with_the_load_problems(tmp_path, capsys):
    root = build_project(tmp_path / "p", FIXTURES / "contracts" / "load.yaml-syntax")
    code, out, err = run(capsys, "--root", str(root), "due", "--on", "2026-11-30")
    assert code == 1 and out == ""
    assert "cannot be read whole" in err and "snapshots/2025/memberships.yaml" in err and "load.yaml-syntax" in err


# --- the review ----------------------------------------------------------------------------------


def _review(root: Path, out: Path, on: str, strict_due: bool, name: str) -> steps.ReviewResult:
    """The review's steps that decide its outcome with due facts, fast: the load problems (the
    fixtures pass every other contract: `bluebook check` on them holds) and the watch, written and
    judged as run_review does (which adds Pandera, grounding and the GX suites: seconds)."""
    project, sides = steps.open_review(root)
    violations = list(project.problems)
    report = steps.watch_due(project, date.fromisoformat(on))
    return steps.write_reports(out, name, project, sides, violations, [], False, report, strict_due)


def test_review_due_items_are_warnings_unless_strict_due(tmp_path):
    root = build_project(tmp_path / "p", SIGNED)
    result = _review(root, tmp_path / "reports", "2026-04-01", False, "run-1")
    assert not result.errors and result.due is not None and len(result.due.items) == 2
    assert not result.failed()
    assert result.failed(strict_due=True)
    assert "2 facts due on 2026-04-01" in result.failure_message()
    folder = tmp_path / "reports" / "latest"
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# bluebook review: passed") and "## Due on 2026-04-01" in summary
    assert "warnings: they never fail the run" in summary
    assert json.loads((folder / "due.json").read_text(encoding="utf-8"))["due"] == 2
    assert "kgz-tjk-border-treaty" in (folder / "due.txt").read_text(encoding="utf-8")

    strict = _review(root, tmp_path / "reports", "2026-04-01", True, "run-2")
    assert strict.failed(strict_due=True)
    summary = (tmp_path / "reports" / "latest" / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# bluebook review: FAILED") and "they fail the run (strict_due)" in summary
    index = (tmp_path / "reports" / "latest" / "index.html").read_text(encoding="utf-8")
    assert 'href="due.txt"' in index and 'class="verdict failed"' in index

    quiet = _review(root, tmp_path / "reports", "2026-02-15", True, "run-3")
    assert not quiet.failed(strict_due=True)


def test_run_review_runs_the_watch_at_the_date_it_is_given(tmp_path, monkeypatch):
    monkeypatch.setattr(steps, "run_suites", lambda *args, **kwargs: [])  # no GX: every other contract runs
    root = build_project(tmp_path / "p", SIGNED)
    result = steps.run_review(root, out=tmp_path / "reports", name="run-1", on=date(2026, 4, 1), strict_due=True)
    assert not result.errors and result.failed(strict_due=True) and not result.failed()
    assert ids(result.due) == ["new-start", "kgz-tjk-border-treaty"]
    assert (result.run_dir / "due.json").is_file() and "due.txt" in result.files
    unwatched = steps.run_review(root, out=tmp_path / "reports", name="run-2")  # no date: no watch
    assert unwatched.due is None and not (unwatched.run_dir / "due.txt").exists()


def test_review_with_an_unreadable_snapshot_says_the_watch_did_not_run(tmp_path):
    root = build_project(tmp_path / "p", FIXTURES / "contracts" / "load.yaml-syntax")
    result = _review(root, tmp_path / "reports", "2026-11-30", False, "run-1")
    assert result.failed()  # the check fails on the same file
    assert result.due is not None and result.due.items == [] and "cannot be read whole" in result.due.unreadable
    assert result.due.failed
    assert "the due watch did not run" in (tmp_path / "reports/latest/due.txt").read_text(encoding="utf-8")


def test_the_flow_publishes_the_due_table(tmp_path, monkeypatch):
    import bluebook.flows.review as flow_module

    root = build_project(tmp_path / "p", SIGNED)
    result = _review(root, tmp_path / "reports", "2026-04-01", False, "run-1")
    published = []
    monkeypatch.setattr(flow_module, "create_table_artifact", lambda **kw: published.append(kw))
    flow_module.publish_due.fn(result)
    assert len(published) == 1 and published[0]["key"] == "bluebook-due"
    rows = published[0]["table"]
    assert [r["id"] for r in rows] == ["new-start", "kgz-tjk-border-treaty"]
    assert rows[0]["since"] == "2026-03-01" and rows[0]["rule"] == "due.end"


def test_the_flow_and_its_deployments_take_on_and_strict_due():
    import inspect

    from bluebook.flows.review import review

    params = inspect.signature(review.fn).parameters
    assert params["on"].default is None and params["strict_due"].default is False
    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    for deployment in config["deployments"]:
        if deployment["entrypoint"] == "flows/review.py:review":
            assert deployment["parameters"]["on"] is None  # a string key: YAML 1.1 reads a bare `on` as True
            assert deployment["parameters"]["strict_due"] is False
