"""Flows without a server: the tasks' logic through .fn(), prefect.yaml's entrypoints, and the run
folder that appears whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO, build_project

from bluebook import review as steps


def test_every_entrypoint_resolves_to_a_flow():
    from prefect.flows import Flow, load_flow_from_entrypoint

    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    names = set()
    for deployment in config["deployments"]:
        flow = load_flow_from_entrypoint(str(REPO / deployment["entrypoint"]))
        assert isinstance(flow, Flow), deployment["entrypoint"]
        assert deployment["work_pool"]["name"] == "bluebook-process"
        names.add(deployment["name"])
    assert {"review-weekly", "review-on-demand", "diff", "validate"} <= names
    weekly = next(d for d in config["deployments"] if d["name"] == "review-weekly")
    assert weekly["schedules"] == [{"cron": "0 6 * * 1", "timezone": "Asia/Tokyo", "active": True}]
    text = (REPO / "prefect.yaml").read_text(encoding="utf-8")
    assert "{{" not in text and "TODO" not in text and "<" not in text  # no placeholders


@pytest.mark.gx
def test_tasks_run_without_a_server(project: Path, tmp_path: Path):
    from prefect.logging import disable_run_logger

    from bluebook.flows.review import write_reports
    from bluebook.flows.tasks import check_across, check_registries, diff_pair, validate_year

    opened, sides = steps.open_review(project)
    with disable_run_logger():
        registries = check_registries.fn(opened)
        checks = [validate_year.fn(opened, y) for y in sides]
        across = check_across.fn(opened)
        pair = diff_pair.fn(opened, "2024", "2025")
        violations = registries + [v for c in checks for v in c.violations] + across
        result = write_reports.fn(tmp_path / "reports", "run-1", opened, sides, violations, [pair], False)
    assert not result.failed()
    assert "Viet Nam became a partner of BRICS (2025-06)" in pair.render("md")
    latest = tmp_path / "reports" / "latest"
    assert latest.is_symlink() and (latest / "changes-2024-2025.html").is_file()
    assert (latest / "summary.md").read_text(encoding="utf-8").startswith("# bluebook review: passed")


@pytest.mark.gx
def test_broken_data_fails_with_the_contracts_named(tmp_path: Path):
    root = build_project(tmp_path / "p", FIXTURES / "contracts" / "schema.enum")
    result = steps.run_review(root, out=tmp_path / "reports", name="run-1")
    assert result.failed()
    assert "schema.enum" in result.failure_message() and "brics.vnm" in result.failure_message()


@pytest.mark.gx
def test_a_failed_run_leaves_no_half_report_and_keeps_the_earlier_one(project: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "reports"
    first = steps.run_review(project, out=out, name="run-1")
    assert (out / "latest").resolve() == first.run_dir.resolve()

    def crash(*args, **kwargs):
        raise RuntimeError("killed while rendering")

    monkeypatch.setattr(steps.PairDiff, "render", crash)
    with pytest.raises(RuntimeError):
        steps.run_review(project, out=out, name="run-2")
    assert not (out / "runs" / "run-2").exists()
    assert not any(p.name.endswith(".partial") for p in (out / "runs").iterdir())
    assert (out / "latest").resolve() == first.run_dir.resolve()
    assert sorted(os.listdir(first.run_dir)) == sorted(os.listdir(out / "latest"))
