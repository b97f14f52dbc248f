"""The real data: every contract holds on all years, and the 2025 snapshot covers its source."""

from __future__ import annotations

import pytest
from conftest import REPO, check

from bluebook.data.project import open_project
from bluebook.reports.coverage import coverage


def test_real_data_breaks_no_contract_outside_the_suites():
    result = check(REPO, expectations=False)
    errors = [f"{v.where} {v.code} {v.id}: {v.message}" for v in result.violations if v.severity == "error"]
    assert not errors, "\n".join(errors[:20])
    assert result.years == ["2023", "2024", "2025"]
    assert {v.code for v in result.violations} <= {"year.status-reverted"}


@pytest.mark.gx
def test_real_data_breaks_no_contract():
    result = check(REPO)
    errors = [f"{v.where} {v.code} {v.id}: {v.message}" for v in result.violations if v.severity == "error"]
    assert not errors, "\n".join(errors[:20])
    assert result.years == ["2023", "2024", "2025"]
    # the warnings there are on purpose and each names its reason
    assert {v.code for v in result.violations} <= {"year.status-reverted", "expect.expect_column_values_to_be_in_set"}


def test_2025_body_paragraphs_are_covered():
    report = coverage(open_project(REPO, ["2025"]), "2025")
    uncited, total = report.share_uncited_of("body")
    assert total > 60 and uncited / total <= 0.10, [p.preview() for p in report.uncited if p.kind == "body"]
