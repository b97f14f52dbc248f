"""Every violation code has a bad fixture that triggers exactly that code, at the place and with the
message pinned in fixtures/contract-violations.json; the good base triggers none.

Fixtures of codes outside the GX layer run without the suites (fast tier); one shared GX run checks
that the suites add nothing to any of them. The `expect.*` fixtures run with the suites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, SUITES, build_project, check

from bluebook.data.project import Layout
from bluebook.violations import CODES

CONTRACTS = FIXTURES / "contracts"
FIXTURE_CODES = sorted(p.name for p in CONTRACTS.iterdir() if p.is_dir())
GX_CODES = [c for c in FIXTURE_CODES if c.startswith("expect.")]
OTHER_CODES = [c for c in FIXTURE_CODES if not c.startswith("expect.")]
# Reviewed by hand: where each fixture breaks, which fact, in which words, and the exit code.
PINNED = json.loads((FIXTURES / "contract-violations.json").read_text(encoding="utf-8"))


def suite_codes() -> set[str]:
    """`expect.<type>` for every expectation type the suites of expectations/ use."""
    return {
        f"expect.{e['type']}"
        for path in SUITES.glob("*.json")
        for e in json.loads(path.read_text(encoding="utf-8"))["expectations"]
    }


def all_codes() -> set[str]:
    """Every code the project can emit."""
    return set(CODES) | suite_codes()


def test_good_base_triggers_nothing(project: Path):
    result = check(project, expectations=False)
    assert result.violations == []
    assert result.exit_code() == 0 and result.exit_code(strict=True) == 0


def test_every_code_has_a_fixture():
    missing = all_codes() - set(FIXTURE_CODES)
    assert not missing, f"codes without a bad fixture in tests/fixtures/contracts/: {sorted(missing)}"


def test_every_fixture_names_a_code_and_is_pinned():
    assert set(FIXTURE_CODES) <= all_codes()
    assert set(PINNED) == set(FIXTURE_CODES)


def _assert_pinned(code: str, result) -> None:
    codes = {v.code for v in result.violations}
    assert codes == {code}, "\n".join(f"{v.where} {v.code} {v.message}" for v in result.violations)
    assert [[v.where, v.id, v.message] for v in result.violations] == PINNED[code]["violations"]
    for v in result.violations:
        assert v.hint.strip() and v.hint != v.message, f"{v.code} needs a hint that says how to fix it"
    assert result.exit_code() == PINNED[code]["exit"]
    if code in CODES:  # the pinned exit agrees with the code's severity
        assert PINNED[code]["exit"] == (1 if CODES[code][0] == "error" else 0)
    assert result.exit_code(strict=True) == 1


@pytest.mark.parametrize("code", OTHER_CODES)
def test_bad_fixture_triggers_exactly_its_code(code: str, tmp_path: Path):
    root = build_project(tmp_path / "p", CONTRACTS / code)
    _assert_pinned(code, check(root, expectations=False))


@pytest.mark.gx
@pytest.mark.parametrize("code", GX_CODES)
def test_bad_expectation_fixture_triggers_exactly_its_code(code: str, tmp_path: Path):
    root = build_project(tmp_path / "p", CONTRACTS / code)
    _assert_pinned(code, check(root))


@pytest.mark.gx
def test_the_suites_add_nothing_to_the_good_base_and_the_other_fixtures(tmp_path: Path):
    """One GX context for all of them: the same suites (expectations/) over each fixture's frames."""
    from bluebook.contracts.check import unreadable_inputs
    from bluebook.contracts.expectations import runner as gx
    from bluebook.contracts.expectations.suites import read_suites

    suites, problems = read_suites(Layout(REPO))
    assert problems == []
    found: dict[str, list[str]] = {}
    ran: dict[str, int] = {}
    base_frames: dict[tuple[str, str], object] = {}
    with gx.quiet():
        runner = gx.Runner(suites.values())
        assert runner.errors == []
        for code in ["(base)", *OTHER_CODES]:
            root = build_project(tmp_path / code, None if code == "(base)" else CONTRACTS / code)
            result = check(root, expectations=False)
            unreadable = unreadable_inputs(result.project, result.violations)  # as check leaves them out
            for target in gx.targets_to_run(result.project, result.grounding, unreadable):
                key = (target.suite, target.year)
                if code == "(base)":
                    base_frames[key] = target.frame
                elif key in base_frames and target.frame.equals(base_frames[key]):
                    continue  # the very frame the base passed: the fixture does not reach this suite
                ran[code] = ran.get(code, 0) + 1
                found[code] = found.get(code, []) + [f"{v.where} {v.code} {v.message}" for v in runner.run(target)]
    assert not any(found.values()), {c: v for c, v in found.items() if v}
    assert ran["(base)"] >= 20  # every table and view of both years, and the registry
    assert len(ran) > len(OTHER_CODES) // 2  # the suites really ran on the frames the fixtures change
