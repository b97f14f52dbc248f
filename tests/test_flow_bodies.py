"""The flows' bodies run: `validate`, `diff` and the review's strict handling, as real Prefect flow
runs against one temporary server for this module (prefect_test_harness: about 10 s to start, so
the module is marked `prefect` and left out of `make test-fast`; the e2e test covers a real server,
workers and deployments)."""

from __future__ import annotations

import gc
import os
import warnings
from pathlib import Path

import pytest
from conftest import FIXTURES, build_project

pytestmark = [
    pytest.mark.prefect,
    pytest.mark.gx,
    # the harness's client leaves a socket to the garbage collector (Prefect 3.9)
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture(scope="module", autouse=True)
def prefect_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    saved = {k: os.environ.get(k) for k in ("PREFECT_HOME", "PREFECT_SERVER_ANALYTICS_ENABLED", "DO_NOT_TRACK")}
    os.environ.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    from prefect.testing.utilities import prefect_test_harness

    try:
        with prefect_test_harness(server_startup_timeout=180):  # minutes on a loaded machine
            yield
        with warnings.catch_warnings():  # collect the sockets the harness's clients leave, here and not
            warnings.simplefilter("ignore", ResourceWarning)  # in whichever test runs next
            gc.collect()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return build_project(tmp_path_factory.mktemp("good") / "p")


@pytest.fixture(scope="module")
def warned(tmp_path_factory) -> Path:
    """Only a warning (a file not in canonical form): passes, and fails with strict."""
    return build_project(tmp_path_factory.mktemp("warned") / "p", FIXTURES / "contracts" / "load.not-canonical")


def artifact(key: str):
    from prefect.artifacts import Artifact

    return Artifact.get(key)


def test_diff_flow_writes_the_reports_and_publishes_the_markdown(good: Path, tmp_path: Path):
    from bluebook.flows.diff import diff

    state = diff(base="2024", head="2025", out=str(tmp_path / "out"), root=str(good), return_state=True)
    assert state.is_completed(), state.message
    markdown = state.result()
    assert "Viet Nam became a partner of BRICS (2025-06)" in markdown
    assert "New START: expired (2026-02); before: suspended" in markdown
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "changes-2024-2025.html",
        "changes-2024-2025.json",
        "changes-2024-2025.md",
    ]
    assert (tmp_path / "out" / "changes-2024-2025.md").read_text(encoding="utf-8") == markdown
    published = artifact("bluebook-diff-2024-2025")
    assert published is not None and published.data == markdown


def test_diff_flow_of_an_unknown_year_fails(good: Path, tmp_path: Path):
    from bluebook.flows.diff import diff

    state = diff(base="1999", head="2025", out=str(tmp_path / "out"), root=str(good), return_state=True)
    assert state.is_failed() and "no snapshot for 1999" in state.message
    assert not (tmp_path / "out").exists()


def test_validate_flow_passes_fails_and_is_strict(good: Path, warned: Path, tmp_path: Path):
    from bluebook.flows.validate import validate

    state = validate(root=str(good), return_state=True)
    assert state.is_completed() and state.message == "all contracts hold"
    assert artifact("bluebook-violations").data  # the table says all contracts hold

    broken = build_project(tmp_path / "broken", FIXTURES / "contracts" / "schema.enum")
    state = validate(years=["2025"], root=str(broken), return_state=True)
    assert state.is_failed() and state.message == "1 broken contract(s): schema.enum"
    assert "brics.vnm" in artifact("bluebook-violations").data and "partnr" in artifact("bluebook-violations").data

    state = validate(root=str(warned), return_state=True)
    assert state.is_completed() and state.message == "0 errors, 1 warning in 1 file"  # not "all contracts hold"
    state = validate(root=str(warned), strict=True, return_state=True)
    assert state.is_failed() and state.message == "1 broken contract(s): load.not-canonical"


def test_review_flow_is_strict_only_when_asked(warned: Path, tmp_path: Path):
    from bluebook.flows.review import review

    state = review(root=str(warned), out=str(tmp_path / "lenient"), return_state=True)
    assert state.is_completed(), state.message
    assert "facts; 0 errors, 1 warning in 1 file" in state.message  # the warning is said, not "all contracts hold"
    assert (tmp_path / "lenient" / "latest" / "summary.md").is_file()

    state = review(root=str(warned), strict=True, out=str(tmp_path / "strict"), return_state=True)
    assert state.is_failed()
    assert state.message.startswith("1 broken contract(s): load.not-canonical (2025/memberships/")
    summary = (tmp_path / "strict" / "latest" / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# bluebook review: FAILED\n") and "1 × warning load.not-canonical" in summary
    assert artifact("bluebook-review-summary") is not None
