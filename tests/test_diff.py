"""The diff: alignment by id, each change class, order-free fields, escaping, revisions via git."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path

from conftest import edit
from hypothesis import given, settings
from hypothesis import strategies as st

from bluebook.changes.diff import diff_snapshots
from bluebook.changes.sides import Side, load_side
from bluebook.contracts.across_years import transition_violations
from bluebook.data.project import open_project
from bluebook.reports.changes import changes_html, changes_json, changes_markdown

ENTITIES = {
    "VNM": {"kind": "country", "name_en": "Viet Nam"},
    "RUS": {"kind": "country", "name_en": "Russia"},
    "USA": {"kind": "country", "name_en": "United States"},
    "JPN": {"kind": "country", "name_en": "Japan"},
    "BRICS": {"kind": "organization", "name_en": "BRICS"},
    "CSTO": {"kind": "organization", "name_en": "CSTO"},
    "ARM": {"kind": "country", "name_en": "Armenia"},
    "person.ishiba-shigeru": {"kind": "person", "name_en": "Ishiba Shigeru"},
    "person.takaichi-sanae": {"kind": "person", "name_en": "Takaichi Sanae"},
}
PROV = {"basis": "stated", "source": "s", "evidence": "quote"}


def side(year: str, **tables) -> Side:
    full = {t: {} for t in ("memberships", "agreements", "officeholders", "measures", "events", "indicators")}
    full.update(tables)
    return Side(year, year, None, full, ENTITIES, {})


def run(base: Side, head: Side):
    return diff_snapshots(
        base.tables, head.tables, base_label=base.label, head_label=head.label, base_year=base.year, head_year=head.year
    )


def kinds(d) -> dict[str, str]:
    return {c.id: c.kind for c in d.changes}


VNM = {"organization": "BRICS", "member": "VNM", "status": "partner", "since": "2025-06", **PROV}
START = {"title_en": "New START", "kind": "treaty", "parties": ["RUS", "USA"], "status": "suspended", **PROV}
ISHIBA = {"office": "JPN.prime_minister", "person": "person.ishiba-shigeru", "since": "2024-10", **PROV}
TAKAICHI = {"office": "JPN.prime_minister", "person": "person.takaichi-sanae", "attested": "2025-12", **PROV}


def test_added_with_domain_sentence():
    d = run(side("2024"), side("2025", memberships={"brics.vnm": VNM}))
    assert kinds(d) == {"brics.vnm": "added"}
    assert "Viet Nam became a partner of BRICS (2025-06)" in changes_markdown(d, side("2024"), side("2025"))


def test_status_change_to_terminal_is_ended_and_says_both_statuses():
    after = dict(START, status="expired", ended="2026-02")
    base, head = side("2024", agreements={"new-start": START}), side("2025", agreements={"new-start": after})
    d = run(base, head)
    assert kinds(d) == {"new-start": "ended"}
    assert "New START: expired (2026-02); before: suspended" in changes_markdown(d, base, head)


def test_status_changed():
    base = side("2023", memberships={"csto.arm": dict(VNM, organization="CSTO", member="ARM", status="member")})
    head = side(
        "2024", memberships={"csto.arm": dict(VNM, organization="CSTO", member="ARM", status="frozen", since="2024")}
    )
    assert kinds(run(base, head)) == {"csto.arm": "status_changed"}


def test_succession_pairs_the_ended_and_the_new_term():
    base = side("2024", officeholders={"jpn.pm.ishiba": ISHIBA})
    head = side("2025", officeholders={"jpn.pm.ishiba": dict(ISHIBA, until="2025"), "jpn.pm.takaichi": TAKAICHI})
    d = run(base, head)
    assert kinds(d) == {"jpn.pm.takaichi": "succeeded"}
    assert d.changes[0].related == ["jpn.pm.ishiba"]
    assert "Prime Minister of Japan: Ishiba Shigeru → Takaichi Sanae (2025)" in changes_markdown(d, base, head)


def test_retired_and_silent_drop():
    ended = dict(VNM, status="withdrawn")
    d = run(side("2024", memberships={"a": ended, "b": VNM}), side("2025"))
    assert kinds(d) == {"a": "retired", "b": "silent_drop"}
    violations = transition_violations(d, side("2024"), side("2025"))
    assert [v.code for v in violations] == ["year.silent-drop"]


def test_revised_and_provenance_only_are_apart():
    base = side("2024", memberships={"a": VNM, "b": VNM})
    head = side("2025", memberships={"a": dict(VNM, since="2025-07"), "b": dict(VNM, evidence="another quote")})
    d = run(base, head)
    assert kinds(d) == {"a": "revised", "b": "provenance"}
    assert d.summary()["provenance"] == 1 and d.summary()["revised"] == 1
    [rewritten] = transition_violations(d, base, head)
    assert (
        rewritten.code == "year.since-rewritten" and "2025-06" in rewritten.message and "2025-07" in rewritten.message
    )


def test_parties_are_order_free():
    base = side("2024", agreements={"x": START})
    head = side("2025", agreements={"x": dict(START, parties=["USA", "RUS"])})
    assert run(base, head).changes == []


def test_events_are_listed_not_changed():
    event = {
        "date": "2025-08",
        "kind": "summit",
        "title_en": "US–Russia summit",
        "participants": ["USA", "RUS"],
        **PROV,
    }
    d = run(side("2024"), side("2025", events={"e": event}))
    assert d.changes == [] and [e["id"] for e in d.events] == ["e"]
    d = run(side("2024", events={"e": event}), side("2025"))
    assert d.changes == []  # last year's events are not dropped facts


def test_illegal_transitions():
    expired = dict(START, status="expired", ended="2026-02")
    d = run(
        side("2025", agreements={"x": expired}),
        side("2026", agreements={"x": dict(START, status="in_force", in_force="2026")}),
    )
    assert [v.code for v in transition_violations(d, side("2025"), side("2026"))] == ["year.illegal-transition"]
    withdrawn = dict(VNM, status="withdrawn", since="2024")
    rejoined_late = dict(VNM, status="member", since="2025-03")
    rejoined_undated = dict(VNM, status="member", since="2024")
    for after, expected in ((rejoined_late, []), (rejoined_undated, ["year.illegal-transition"])):
        d = run(side("2024", memberships={"v": withdrawn}), side("2025", memberships={"v": after}))
        assert [v.code for v in transition_violations(d, side("2024"), side("2025"))] == expected


def test_indicator_restated():
    ind = {
        "metric": "trade.total",
        "subject": "JPN",
        "counterpart": "RUS",
        "period": "2021",
        "value": 2413900000000,
        "unit": "JPY",
        **PROV,
    }
    d = run(side("2024", indicators={"t": ind}), side("2025", indicators={"t": dict(ind, value=2400000000000)}))
    [v] = transition_violations(d, side("2024"), side("2025"))
    assert v.code == "year.indicator-restated" and "2413900000000" in v.message


def test_data_values_are_escaped():
    evil = dict(START, title_en="A | B `code` <script>alert(1)</script> [x](http://e)")
    base, head = side("2024"), side("2025", agreements={"x": evil})
    d = run(base, head)
    md = changes_markdown(d, base, head)
    line = next(row for row in md.splitlines() if "alert" in row)
    assert "<script>" not in md and "\\|" in line and "\\`" in line and "\\[x\\]" in line
    page = changes_html(d, base, head)
    assert page.count("<script") == 1 and "<script>alert" not in page and "&lt;script&gt;alert(1)" in page
    assert '"title_en": "A | B `code` <script>' in changes_json(d, base, head)  # JSON keeps the data as it is


# --- properties ------------------------------------------------------------------------------------

record = st.fixed_dictionaries(
    {
        "organization": st.sampled_from(["BRICS", "CSTO"]),
        "member": st.sampled_from(["VNM", "ARM", "RUS"]),
        "status": st.sampled_from(["member", "partner", "observer"]),
        "since": st.sampled_from(["2023", "2024-05"]),
        "basis": st.just("stated"),
        "source": st.just("s"),
        "evidence": st.text(min_size=4, max_size=8),
    }
)
tables = st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), record, max_size=12)


@settings(max_examples=200, deadline=None)
@given(tables)
def test_diff_of_a_snapshot_with_itself_is_empty(memberships):
    s = side("2025", memberships=memberships)
    d = run(s, side("2025", memberships=copy.deepcopy(memberships)))
    assert d.changes == [] and d.unchanged == len(memberships)


@settings(max_examples=200, deadline=None)
@given(tables, st.data())
def test_diff_lists_exactly_the_mutated_keys(memberships, data):
    head = copy.deepcopy(memberships)
    ids = sorted(memberships)
    changed = set()
    for rid in data.draw(st.lists(st.sampled_from(ids), unique=True), label="mutated") if ids else []:
        action = data.draw(st.sampled_from(["status", "since", "evidence", "delete"]), label=rid)
        if action == "delete":
            del head[rid]
        else:
            head[rid][action] = head[rid][action] + "x"
        changed.add(rid)
    added = data.draw(st.sets(st.from_regex(r"[A-Z]{2}", fullmatch=True), max_size=3), label="added")
    for rid in added:
        head[rid] = dict(VNM)
    d = run(side("2024", memberships=memberships), side("2025", memberships=head))
    assert {c.id for c in d.changes} == changed | added
    assert d.unchanged == len(memberships) - len(changed)


# --- revisions ---------------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True, capture_output=True
    )


def test_diff_against_a_git_revision(project: Path):
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "one")
    edit(project, "snapshots/2025/memberships.yaml", "status: partner", "status: member", -1)
    git(project, "commit", "-qam", "two")
    (project / "snapshots/2025/memberships.yaml").write_text("[]\n", encoding="utf-8")  # the work tree is not read
    opened = open_project(project, [])
    base, head = load_side(opened, "2025@HEAD~1"), load_side(opened, "2025@HEAD")
    d = run(base, head)
    assert kinds(d) == {"brics.vnm": "status_changed"}
    assert "Viet Nam became a member of BRICS (2025-06); before: partner" in changes_markdown(d, base, head)


def test_unknown_revision_is_a_clear_error(project: Path, capsys):
    from bluebook.cli import main

    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "one")
    assert main(["--root", str(project), "diff", "2025@nope", "2025"]) == 2
    assert "'nope' is not a revision" in capsys.readouterr().err
