"""Diff classification (every kind, set columns, numbers) and the across-years rules read from it
(silent drop, illegal transitions, a status stepping back a stage, since rewritten, indicator
restated), each on both sides of its boundary, with the exact code, id and line."""

from __future__ import annotations

import pytest
from rulekit import project, snapshot, valid

from bluebook import vocabulary
from bluebook.changes.diff import KINDS, diff_snapshots
from bluebook.changes.sides import Side
from bluebook.contracts.across_years import transition_violations
from bluebook.violations import Location

TABLES = ("memberships", "agreements", "officeholders", "measures", "events", "indicators")


def side(year: str, **tables: dict[str, dict]) -> Side:
    full = {t: {} for t in TABLES}
    full.update(tables)
    lines = {
        (t, rid): Location(f"snapshots/{year}/{t}.yaml", 10 * n + 1)
        for t in full
        for n, rid in enumerate(sorted(full[t]))
    }
    return Side(year, year, None, full, {}, lines)


def diff(base: Side, head: Side):
    return diff_snapshots(
        base.tables, head.tables, base_label=base.label, head_label=head.label, base_year=base.year, head_year=head.year
    )


def kinds(d) -> dict[str, str]:
    return {c.id: c.kind for c in d.changes}


def one(table: str, before: dict | None, after: dict | None, rid: str = "x"):
    base = side("2024", **{table: {rid: before}} if before is not None else {})
    head = side("2025", **{table: {rid: after}} if after is not None else {})
    d = diff(base, head)
    return d, transition_violations(d, base, head)


def rec(table: str, **changes) -> dict:
    data = valid(table, **changes)
    del data["id"]
    return data


# --- classification -----------------------------------------------------------------------------------

# A table, one case a line; ruff format would split every item.
# fmt: off
CLASSIFY = [
    # (table, before changes, after changes, kind)
    ("memberships", {}, {}, None),
    ("memberships", {}, dict(note="read again"), "provenance"),
    ("memberships", {}, dict(basis="inferred", note="n"), "provenance"),
    ("memberships", {}, dict(source="other-src"), "provenance"),
    ("memberships", {}, dict(section="イ ロシア外政"), "provenance"),
    ("memberships", {}, dict(until="2025-06"), "ended"),
    ("memberships", {}, dict(status="withdrawn", since="2025"), "ended"),
    ("memberships", {}, dict(status="frozen", since="2025"), "status_changed"),
    ("memberships", {}, dict(status="suspended", since="2025"), "status_changed"),
    ("memberships", {}, dict(since="2020"), "revised"),
    ("memberships", dict(until="2024"), dict(until="2024-05"), "revised"),  # ended already: not ended again
    ("memberships", dict(status="withdrawn", since="2024"), dict(status="member", since="2025"), "status_changed"),
    ("agreements", {}, dict(ended="2026-02"), "ended"),
    ("agreements", {}, dict(status="expired", ended="2026-02"), "ended"),
    ("agreements", {}, dict(status="terminated", ended="2026-02"), "ended"),
    ("agreements", dict(status="suspended"), dict(status="in_force"), "status_changed"),
    ("agreements", dict(status="expired", ended="2026"), dict(status="terminated", ended="2026"), "status_changed"),
    ("agreements", {}, dict(parties=["USA", "RUS"]), None),  # a set: order is no change
    ("agreements", {}, dict(parties=["RUS", "USA", "JPN"]), "revised"),
    ("agreements", {}, dict(title_en="New START treaty"), "revised"),
    ("officeholders", {}, dict(until="2025-10-21"), "ended"),
    ("officeholders", {}, dict(attested="2025-12"), "revised"),
    ("measures", {}, dict(action="lifted"), "revised"),  # a measure has no end column or terminal status
    ("events", {}, dict(participants=["KAZ", "JPN"]), None),
    ("events", {}, dict(title_en="Another summit"), "revised"),
    ("indicators", {}, dict(value=1195100000000.0), None),  # 4 and 4.0 are one value
    ("indicators", {}, dict(value=1195100000001), "revised"),
]
# fmt: on


@pytest.mark.parametrize(
    ("table", "before", "after", "kind"), CLASSIFY, ids=[f"{c[0]}-{c[3] or 'same'}-{n}" for n, c in enumerate(CLASSIFY)]
)
def test_classification(table, before, after, kind):
    d, _ = one(table, rec(table, **before), rec(table, **{**before, **after}))
    assert kinds(d) == ({"x": kind} if kind else {})
    assert d.unchanged == (0 if kind else 1) and d.compared == 1


def test_every_kind_is_classified_somewhere():
    classified = {c[3] for c in CLASSIFY} | {"added", "retired", "silent_drop", "succeeded"}
    # carried: a fact `bluebook new-year` copied forward unconfirmed (tests/test_new_year.py)
    assert classified - {None} == set(KINDS) - {"carried"}


def test_field_changes_carry_deepdiff_paths_and_actions():
    d, _ = one(
        "memberships", rec("memberships", since="2020"), rec("memberships", since="2021", until="2025", note="n")
    )
    [c] = d.changes
    assert [(f.field, f.old, f.new, f.path, f.action) for f in c.fields] == [
        ("since", "2020", "2021", "root['since']", "values_changed"),
        ("until", None, "2025", "root['until']", "dictionary_item_added"),
    ]
    assert [(f.field, f.action) for f in c.provenance] == [("note", "dictionary_item_added")]


def test_a_set_column_change_is_shown_as_sorted_lists():
    d, _ = one("agreements", rec("agreements", parties=["USA", "RUS"]), rec("agreements", parties=["RUS", "JPN"]))
    [f] = d.changes[0].fields
    assert (f.field, f.old, f.new) == ("parties", ["RUS", "USA"], ["JPN", "RUS"])


@pytest.mark.parametrize(
    ("table", "before", "kind"),
    [
        ("memberships", {}, "silent_drop"),
        ("memberships", dict(until="2024"), "retired"),
        ("memberships", dict(status="withdrawn", since="2024"), "retired"),
        ("memberships", dict(status="frozen", since="2024"), "silent_drop"),
        ("agreements", {}, "silent_drop"),
        ("agreements", dict(status="expired", ended="2024"), "retired"),
        ("agreements", dict(status="terminated", ended="2024"), "retired"),
        ("agreements", dict(ended="2024"), "retired"),
        ("officeholders", {}, "silent_drop"),
        ("officeholders", dict(until="2024"), "retired"),
        ("measures", {}, "silent_drop"),
        ("events", {}, None),  # occurrences and series are per year: leaving is not dropping
        ("indicators", {}, None),
    ],
)
def test_a_record_that_leaves(table, before, kind):
    d, found = one(table, rec(table, **before), None)
    assert kinds(d) == ({"x": kind} if kind else {})
    if kind == "silent_drop":
        assert [(v.code, v.id, v.table, v.year) for v in found] == [("year.silent-drop", "x", table, "2025")]
        assert found[0].message == f"x is open in 2024 (snapshots/2024/{table}.yaml:1) and missing from 2025"
        end = "ended" if table == "agreements" else "until"
        assert f"with {end}/status and a source" in found[0].hint
    else:
        assert found == []


def test_a_silent_drop_is_located_in_the_head_file_of_the_project(tmp_path):
    base = side("2024", memberships={"x": rec("memberships")})
    head = side("2025")
    p = project(tmp_path, snapshot("2025"))
    [v] = transition_violations(diff(base, head), base, head, p)
    assert (v.file, v.line) == ("snapshots/2025/memberships.yaml", 0)


@pytest.mark.parametrize("table", ["memberships", "agreements", "officeholders", "measures", "indicators"])
def test_a_new_record_is_added(table):
    d, found = one(table, None, rec(table))
    assert kinds(d) == {"x": "added"} and found == []


def test_a_new_event_is_listed_not_a_change():
    d, _ = one("events", None, rec("events"))
    assert d.changes == [] and [e["id"] for e in d.events] == ["x"] and d.summary()["events"] == 1


def test_of_kind_selects_one_kind():
    base = side("2024", memberships={"a": rec("memberships"), "b": rec("memberships")})
    head = side("2025", memberships={"a": rec("memberships", until="2025"), "c": rec("memberships")})
    d = diff(base, head)
    assert [c.id for c in d.of_kind("ended")] == ["a"] and [c.id for c in d.of_kind("added")] == ["c"]
    assert [c.id for c in d.of_kind("silent_drop")] == ["b"] and d.of_kind("revised") == []
    [ended] = d.of_kind("ended")
    assert (ended.value("until"), ended.value("until", "before"), ended.value("status", "before")) == (
        "2025",
        None,
        "member",
    )
    assert d.of_kind("silent_drop")[0].value("status") is None


def test_summary_counts_every_kind():
    base = side("2024", memberships={"a": rec("memberships"), "b": rec("memberships"), "c": rec("memberships")})
    head = side(
        "2025",
        memberships={
            "a": rec("memberships", until="2025"),
            "b": rec("memberships", note="n"),
            "d": rec("memberships"),
            "e": rec("memberships"),
        },
    )
    assert diff(base, head).summary() == {
        "added": 2,
        "succeeded": 0,
        "status_changed": 0,
        "ended": 1,
        "revised": 0,
        "retired": 0,
        "silent_drop": 1,
        "provenance": 1,
        "carried": 0,
        "events": 0,
    }


# --- succession --------------------------------------------------------------------------------------

PM = dict(office="JPN.prime_minister")


def term(person: str, **changes) -> dict:
    return rec("officeholders", **{**PM, "person": person, **changes})


@pytest.mark.parametrize(
    ("base_terms", "head_terms", "expected", "related"),
    [
        # the outgoing term ends and a new one begins: succeeded, named by the incoming id
        (
            {"ishiba": term("person.ishiba-shigeru", since="2024-10")},
            {
                "ishiba": term("person.ishiba-shigeru", since="2024-10", until="2025-10"),
                "takaichi": term("person.takaichi-sanae", since="2025-10"),
            },
            {"takaichi": "succeeded"},
            ["ishiba"],
        ),
        # the ended term leaves (retired) and a new one begins: succeeded too
        (
            {"ishiba": term("person.ishiba-shigeru", since="2024-10", until="2025-10")},
            {"takaichi": term("person.takaichi-sanae", since="2025-10")},
            {"takaichi": "succeeded"},
            ["ishiba"],
        ),
        # a new term in another office is no succession
        (
            {"ishiba": term("person.ishiba-shigeru", since="2024-10")},
            {
                "ishiba": term("person.ishiba-shigeru", since="2024-10", until="2025-10"),
                "fm": term("person.motegi-toshimitsu", office="JPN.foreign_minister", since="2025-10"),
            },
            {"ishiba": "ended", "fm": "added"},
            None,
        ),
        # a new term with no outgoing one is added
        ({}, {"takaichi": term("person.takaichi-sanae", since="2025-10")}, {"takaichi": "added"}, None),
        # an open term that vanishes is never a succession
        (
            {"ishiba": term("person.ishiba-shigeru", since="2024-10")},
            {"takaichi": term("person.takaichi-sanae", since="2025-10")},
            {"ishiba": "silent_drop", "takaichi": "added"},
            None,
        ),
    ],
)
def test_succession(base_terms, head_terms, expected, related):
    d = diff(side("2024", officeholders=base_terms), side("2025", officeholders=head_terms))
    assert kinds(d) == expected
    if related:
        [c] = d.changes
        assert c.related == related and c.before["person"] == "person.ishiba-shigeru"
        assert c.after["person"] == "person.takaichi-sanae"


def test_two_successions_in_one_office_pair_in_date_order():
    base = {"a": term("person.a-a", since="2020"), "b": term("person.b-b", since="2021")}
    head = {
        "a": term("person.a-a", since="2020", until="2021"),
        "b": term("person.b-b", since="2021", until="2022"),
        "c": term("person.c-c", since="2022"),
        "d": term("person.d-d", since="2021"),
    }
    d = diff(side("2024", officeholders=base), side("2025", officeholders=head))
    assert sorted((c.id, c.kind, tuple(c.related)) for c in d.changes) == [
        ("c", "succeeded", ("b",)),
        ("d", "succeeded", ("a",)),
    ]


# --- across years --------------------------------------------------------------------------------------

# A table, one case a line; ruff format would split every item.
# fmt: off
TRANSITIONS = [
    # (table, before, after, expected codes)
    ("agreements", dict(status="expired", ended="2024"), dict(status="in_force", ended="2024"),
     ["year.illegal-transition"]),
    ("agreements", dict(status="terminated", ended="2024"), dict(status="signed", signed="2023", ended="2024"),
     ["year.illegal-transition"]),
    ("agreements", dict(status="expired", ended="2024"), dict(status="terminated", ended="2024"), []),
    ("agreements", dict(status="suspended"), dict(status="in_force"), []),
    ("agreements", dict(status="in_force"), dict(status="expired", ended="2025"), []),
    # withdrawn → back needs a since after the withdrawal
    ("memberships", dict(status="withdrawn", since="2024"), dict(status="member", since="2025-01"), []),
    ("memberships", dict(status="withdrawn", since="2024"), dict(status="member", since="2024-12"),
     ["year.illegal-transition"]),
    ("memberships", dict(status="withdrawn", since="2024"), dict(status="member", since="2024"),
     ["year.illegal-transition"]),
    ("memberships", dict(status="withdrawn", since="2024"), dict(status="member"), ["year.illegal-transition"]),
    ("memberships", dict(status="withdrawn", since="2024-12-31"), dict(status="member", since="2024-12-31"),
     ["year.illegal-transition"]),  # the same day is not after it
    ("memberships", dict(status="withdrawn", since="2024-12-31"), dict(status="member", since="2025-01-01"), []),
    ("memberships", dict(status="withdrawn", since="2024"), dict(status="withdrawn", since="2024", note="n"), []),
    ("memberships", dict(status="withdrawn", since="2024"), dict(status="withdrawn", since="2024-03"),
     ["year.since-rewritten"]),  # still withdrawn: no re-admission
    # an ended term does not open again
    ("officeholders", dict(until="2025-10"), dict(), ["year.illegal-transition"]),
    ("officeholders", dict(until="2025-10"), dict(until="2025-10-21"), []),
    # a membership stepping back a stage without a later since (stage order: strictly below)
    ("memberships", dict(status="member", since="2020"), dict(status="partner", since="2020"),
     ["year.status-reverted"]),
    ("memberships", dict(status="member", since="2020"), dict(status="associate", since="2020"),
     ["year.status-reverted"]),
    ("memberships", dict(status="partner", since="2020"), dict(status="invited", since="2020"),
     ["year.status-reverted"]),
    ("memberships", dict(status="partner", since="2020"), dict(status="observer", since="2020"), []),  # equal stage
    ("memberships", dict(status="observer", since="2020"), dict(status="partner", since="2020"), []),  # equal stage
    ("memberships", dict(status="invited", since="2020"), dict(status="candidate", since="2020"), []),  # equal stage
    ("memberships", dict(status="partner", since="2020"), dict(status="member", since="2020"), []),  # above
    ("memberships", dict(status="member", since="2020"), dict(status="partner", since="2021"), []),  # later since
    ("memberships", dict(status="member", since="2020"), dict(status="partner", since="2020-12"),
     ["year.status-reverted"]),  # not wholly later
    ("memberships", dict(status="member"), dict(status="partner", since="2021"), ["year.status-reverted"]),
    ("memberships", dict(status="member", since="2020"), dict(status="frozen", since="2024"), []),  # no stage
    # since rewritten with the same status — also on a change that ends the fact
    ("memberships", dict(since="2020"), dict(since="2021"), ["year.since-rewritten"]),
    ("memberships", dict(since="2020"), dict(since="2021", until="2025"), ["year.since-rewritten"]),
    ("memberships", dict(status="partner", since="2020"), dict(status="partner", since="2021", note="n"),
     ["year.since-rewritten"]),
    ("officeholders", dict(since="2024-10"), dict(since="2024-10-01", until="2025-10"), ["year.since-rewritten"]),
    ("memberships", dict(since="2020"), dict(since="2020", until="2025"), []),
    ("memberships", dict(), dict(since="2021"), []),  # a since added is no rewrite
    ("memberships", dict(since="2021"), dict(), []),
    ("memberships", dict(status="member", since="2020"), dict(status="frozen", since="2024"), []),  # a new status
    ("memberships", dict(since="2020"), dict(since="2020", note="n"), []),
    # indicators restated
    ("indicators", dict(value=2413900000000), dict(value=2400000000000), ["year.indicator-restated"]),
    ("indicators", dict(value=2413900000000), dict(value=2413900000000.0), []),
    ("indicators", dict(value=2413900000000), dict(value=2413900000000, note="n"), []),
    ("indicators", dict(value=5), dict(value=5, unit="count", metric="org.member_count"), []),
]
# fmt: on


@pytest.mark.parametrize(
    ("table", "before", "after", "codes"),
    TRANSITIONS,
    ids=[f"{c[0]}-{'-'.join(c[3]) or 'ok'}-{n}" for n, c in enumerate(TRANSITIONS)],
)
def test_transition_boundary(table, before, after, codes):
    d, found = one(table, rec(table, **before), rec(table, **after))
    assert [(v.code, v.id, v.file, v.line, v.year, v.table) for v in found] == [
        (code, "x", f"snapshots/2025/{table}.yaml", 1, "2025", table) for code in codes
    ], [v.message for v in found]
    for v in found:
        assert v.hint and v.message.startswith(f"{table} x: ")


STATUS_STEPS = [c for c in TRANSITIONS if c[0] == "memberships" and c[1].get("status") != c[2].get("status")]


@pytest.mark.parametrize(
    ("table", "before", "after", "codes"),
    STATUS_STEPS,
    ids=[f"{c[1].get('status')}-{c[2].get('status')}-{n}" for n, c in enumerate(STATUS_STEPS)],
)
def test_a_step_back_is_one_rule_for_the_contract_the_report_and_the_grid(table, before, after, codes):
    """The contract warns (year.status-reverted), the change report says "a step back" and the
    membership grid marks the head's cell for exactly the same status changes."""
    from bluebook.reports.changes import change_report
    from bluebook.reports.years import membership_grids

    b, a = rec(table, **before), rec(table, **after)
    base, head = side("2024", memberships={"x": b}), side("2025", memberships={"x": a})
    d = diff(base, head)
    warned = "year.status-reverted" in [v.code for v in transition_violations(d, base, head)]
    report = change_report(d, base, head)
    sentence = next(c["sentence"] for c in report["changes"] if c["id"] == "x")
    [grid] = membership_grids([base, head], lambda e: str(e))
    marked = grid["rows"][0]["cells"][-1]["step_back"]
    assert warned == ("year.status-reverted" in codes)
    assert ("a step back" in sentence) == warned, sentence
    assert marked == warned


def test_the_stage_order_is_pinned():
    stages = {s.name: s.stage for s in vocabulary.MEMBERSHIPS.statuses if s.stage is not None}
    assert stages == {"invited": 0, "candidate": 0, "observer": 1, "partner": 1, "associate": 2, "member": 3}


def test_transition_hints():
    def hints(table, before, after):
        return [v.hint for v in one(table, rec(table, **before), rec(table, **after))[1]]

    assert hints("agreements", dict(status="expired", ended="2024"), dict(status="in_force", ended="2024")) == [
        "a new agreement gets a new id; otherwise correct the status"
    ]
    assert hints("memberships", dict(status="withdrawn", since="2024"), dict(status="member")) == [
        "set since to the date of re-admission, from a source"
    ]
    assert hints("officeholders", dict(until="2025-10"), {}) == ["a new term gets a new record and id"]
    assert hints("memberships", dict(status="member"), dict(status="partner")) == [
        "sources disagree or a record is wrong: keep both readings with notes, or correct the status"
    ]
    assert hints("memberships", dict(since="2020"), dict(since="2021")) == [
        "keep since stable across years unless a source revises it (then say so in note)"
    ]
    assert hints("indicators", dict(value=1), dict(value=2)) == [
        "a restated figure needs a note naming the revising source"
    ]
    _, [drop] = one("memberships", rec("memberships"), None)
    assert drop.hint == (
        "carry the fact forward (bluebook new-year does), or end it in 2025 with until/status and a source"
    )


def test_every_change_is_read_past_drops_additions_and_provenance():
    base = side(
        "2024",
        memberships={"a": rec("memberships"), "b": rec("memberships", since="2020"), "c": rec("memberships")},
        agreements={"d": rec("agreements", status="expired", ended="2024")},
    )
    head = side(
        "2025",
        memberships={"b": rec("memberships", since="2021"), "c": rec("memberships", note="n"), "e": rec("memberships")},
        agreements={"d": rec("agreements", status="in_force", ended="2024")},
    )
    found = transition_violations(diff(base, head), base, head)
    assert sorted((v.code, v.id) for v in found) == [
        ("year.illegal-transition", "d"),
        ("year.silent-drop", "a"),
        ("year.since-rewritten", "b"),
    ]


def test_a_drop_of_a_record_whose_line_is_unknown():
    base = Side("2024", "2024", None, {t: {} for t in TABLES} | {"memberships": {"x": rec("memberships")}}, {}, {})
    head = side("2025")
    [v] = transition_violations(diff(base, head), base, head)
    assert v.message == "x is open in 2024 (?) and missing from 2025"


def test_transition_messages():
    def message(table, before, after):
        return [v.message for v in one(table, rec(table, **before), rec(table, **after))[1]]

    assert message("agreements", dict(status="expired", ended="2024"), dict(status="in_force", ended="2024")) == [
        "agreements x: expired in 2024 → in_force in 2025; an expired or terminated agreement does not come back "
        "into force"
    ]
    assert message("memberships", dict(status="withdrawn", since="2024"), dict(status="member", since="2024")) == [
        "memberships x: withdrawn (since 2024) in 2024 → member in 2025 without a since after the withdrawal"
    ]
    assert message("officeholders", dict(until="2025-10"), {}) == [
        "officeholders x: the term ended (2025-10) in 2024 and is open again in 2025"
    ]
    assert message(
        "memberships",
        dict(status="member", since="2020"),
        dict(status="partner", since="2020", note="the 2025 edition says partner"),
    ) == [
        "memberships x: member (since 2020) in 2024 → partner (since 2020) in 2025 "
        "(note: the 2025 edition says partner)"
    ]
    assert message("memberships", dict(since="2020"), dict(since="2021")) == [
        "memberships x: since 2020 in 2024, 2021 in 2025"
    ]
    assert message("indicators", dict(value=2413900000000), dict(value=2400000000000)) == [
        "indicators x: value 2413900000000 in 2024, 2400000000000 in 2025"
    ]


def test_transition_severities():
    from bluebook.violations import CODES

    assert {
        c: CODES[c][0]
        for c in (
            "year.silent-drop",
            "year.illegal-transition",
            "year.status-reverted",
            "year.since-rewritten",
            "year.indicator-restated",
        )
    } == {
        "year.silent-drop": "error",
        "year.illegal-transition": "error",
        "year.status-reverted": "warning",
        "year.since-rewritten": "warning",
        "year.indicator-restated": "warning",
    }


def test_deepdiff_never_hides_pandas_from_another_thread():
    """The review flow validates years (Pandera imports pandas) while it diffs: with a second thread
    alive, DeepDiff is imported plainly instead of with pandas hidden (which is process-wide)."""
    import subprocess
    import sys

    code = (
        "import sys, threading\n"
        "from bluebook.changes import diff\n"
        "stop = threading.Event(); t = threading.Thread(target=stop.wait); t.start()\n"
        "diff._deepdiff(); stop.set(); t.join()\n"
        "print('pandas' in sys.modules and sys.modules['pandas'] is not None)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


# --- across years over a project: pairs of successive years, and unreadable files left out ------------------


def test_across_years_pairs_each_year_with_the_next_and_skips_unreadable_files(tmp_path):
    from rulekit import record, snapshot

    from bluebook.contracts.across_years import check_across_years

    open_member = valid("memberships", id="m")
    open_measure = valid("measures", id="x")
    years = [
        snapshot("2023", memberships=[record(open_member, 4)], measures=[record(open_measure, 2)]),
        snapshot("2024", memberships=[record(open_member, 6)]),
        snapshot("2025"),
    ]
    p = project(tmp_path, *years)
    found = check_across_years(p)
    assert [(v.code, v.id, v.year, v.file, v.line) for v in found] == [
        ("year.silent-drop", "x", "2024", "snapshots/2024/measures.yaml", 0),
        ("year.silent-drop", "m", "2025", "snapshots/2025/memberships.yaml", 0),
    ]
    assert found[0].message == "x is open in 2023 (snapshots/2023/measures.yaml:2) and missing from 2024"
    # a table file that could not be read whole on either side: its records would all look dropped
    assert [v.id for v in check_across_years(p, {"snapshots/2025/memberships.yaml"})] == ["x"]
    assert [v.id for v in check_across_years(p, {"snapshots/2023/measures.yaml"})] == ["m"]
    assert check_across_years(project(tmp_path, years[0])) == []


def test_a_change_at_a_revision_is_located_by_its_line():
    base = side("2025", memberships={"x": rec("memberships", since="2020")})
    head = side("2025", memberships={"x": rec("memberships", since="2021")})
    head.lines = {("memberships", "x"): Location("snapshots/2025/memberships.yaml", 17, rev=":/fix: a typo")}
    [v] = transition_violations(diff(base, head), base, head)
    assert (v.file, v.line) == ("snapshots/2025/memberships.yaml", 17)
