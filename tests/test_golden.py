"""Golden change reports of the real data, in all three formats. They change only by an explicit
`make golden` (which runs `bluebook diff BASE HEAD --out tests/golden`), reviewed in the diff."""

from __future__ import annotations

import difflib

import pytest
from conftest import REPO

from bluebook.changes.sides import diff_sides, load_side
from bluebook.data.project import open_project
from bluebook.reports.changes import RENDERERS, change_report, render_change_report, report_sides

GOLDEN = REPO / "tests" / "golden"
PAIRS = [("2023", "2024"), ("2024", "2025")]


@pytest.fixture(scope="module")
def diffs():
    out = {}
    project = open_project(REPO)
    for base, head in PAIRS:
        b, h = load_side(project, base), load_side(project, head)
        out[(base, head)] = change_report(diff_sides(b, h), b, h, report_sides(project, b, h))
    return out


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p[0]}-{p[1]}")
def test_report_matches_golden(diffs, pair, fmt):
    path = GOLDEN / f"changes-{pair[0]}-{pair[1]}.{fmt}"
    assert path.exists(), f"{path} is missing: run `make golden` and review the files"
    expected = path.read_text(encoding="utf-8")
    actual = render_change_report(diffs[pair], fmt)
    if actual != expected:
        delta = "\n".join(
            list(difflib.unified_diff(expected.splitlines(), actual.splitlines(), str(path), "now", lineterm=""))[:60]
        )
        pytest.fail(
            f"the {fmt} report {pair[0]} → {pair[1]} differs from {path.name}; if the change is "
            f"intended, run `make golden` and review it:\n{delta}"
        )


def test_golden_reports_say_what_the_issue_promises():
    md = (GOLDEN / "changes-2024-2025.md").read_text(encoding="utf-8")
    assert "Viet Nam became a partner of BRICS (2025-06)" in md
    assert "New START: expired (2026-02); before: suspended" in md
    assert "Prime Minister of Japan: Ishiba Shigeru → Takaichi Sanae" in md
    # An attested holder is named in office at that date, no more (he has held it since 2018).
    assert "Nikol Pashinyan is named as Prime Minister of Armenia (in 2025-09)" in md
    # Statuses in words, never codes; a revision says which field changed from what to what.
    assert "Japan–Armenia tax convention: entered into force (2025-12); before: signed" in md
    assert "in\\_force" not in md and "attested (none)" not in md
    assert (
        "Vladimir Putin as President of Russia: the date on which the source names the holder in office "
        "set to 2025 (none before)"
    ) in md
    earlier = (GOLDEN / "changes-2023-2024.md").read_text(encoding="utf-8")
    assert "Belarus became a member of SCO (2024-07-04)" in earlier
    assert "Armenia froze its participation in CSTO (2024); before: member" in earlier
    assert "Prime Minister of Japan: Kishida Fumio → Ishiba Shigeru (2024-10-01)" in earlier
