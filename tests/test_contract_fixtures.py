"""Every violation code has a bad fixture that triggers exactly that code; the good base triggers none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, SUITES, build_project, check

from bluebook.violations import CODES

CONTRACTS = FIXTURES / "contracts"
FIXTURE_CODES = sorted(p.name for p in CONTRACTS.iterdir() if p.is_dir())


def suite_codes() -> set[str]:
    """`expect.<type>` for every expectation type the suites of expectations/ use."""
    return {f"expect.{e['type']}" for path in SUITES.glob("*.json")
            for e in json.loads(path.read_text(encoding="utf-8"))["expectations"]}


def all_codes() -> set[str]:
    """Every code the project can emit."""
    return set(CODES) | suite_codes()


def test_good_base_triggers_nothing(project: Path):
    result = check(project)
    assert result.violations == []
    assert result.exit_code() == 0


def test_every_code_has_a_fixture():
    missing = all_codes() - set(FIXTURE_CODES)
    assert not missing, f"codes without a bad fixture in tests/fixtures/contracts/: {sorted(missing)}"


def test_every_fixture_names_a_code():
    assert set(FIXTURE_CODES) <= all_codes()


@pytest.mark.parametrize("code", FIXTURE_CODES)
def test_bad_fixture_triggers_exactly_its_code(code: str, tmp_path: Path):
    root = build_project(tmp_path / "p", CONTRACTS / code)
    result = check(root)
    codes = {v.code for v in result.violations}
    assert codes == {code}, "\n".join(f"{v.where} {v.code} {v.message}" for v in result.violations)
    for v in result.violations:
        assert v.message and v.hint, f"{v.code} needs a message and a hint"
        assert v.file, f"{v.code} must say which file"
    if code in CODES:
        expected_exit = 1 if CODES[code][0] == "error" else 0
    else:  # a suite's expectation: its severity (critical → error, warning → warning) decides
        expected_exit = 1 if any(v.severity == "error" for v in result.violations) else 0
    assert result.exit_code() == expected_exit
    assert result.exit_code(strict=True) == 1
