"""Field grounding on the real data: every field of a stated fact is what its quote says. A reviewer's
mistakes — a day, a month, a year, a figure, a percentage, a participant, a member, a status, an
office holder changed with the quote left as it is — are each caught, naming the fact; the facts
left alone pass."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from conftest import CONTRACTS_DIR, GOOD, REPO, build_project, check

from bluebook.contracts import grounding as ground
from bluebook.contracts.fields import check_fields, read_fields
from bluebook.data.project import open_project

FIELD_CODES = sorted(p.name for p in CONTRACTS_DIR.iterdir() if p.name.startswith("ground.field-"))


@pytest.fixture(scope="module")
def real():
    """The real project, loaded once, with the grounding of 2025 (which paragraph each quote is in)."""
    project = open_project(REPO, ["2025"])
    assert not project.problems
    snapshot = project.snapshots["2025"]
    grounding = ground.ground_snapshot(project, snapshot)
    assert grounding.violations == []
    return project, snapshot, grounding


def test_the_real_2025_facts_say_what_their_quotes_say(real):
    project, snapshot, grounding = real
    report = read_fields(project, snapshot, grounding)
    assert report.violations == []
    outcomes = [c.outcome for c in report.checks]
    assert len(outcomes) > 1000
    assert outcomes.count("verified") / len(outcomes) >= 0.95
    assert "unsupported" not in outcomes


# (table, fact id, field, new value, what the error must say). One change at a time, quote unchanged.
# A table, one mutation a line; ruff format would split every item.
# fmt: off
MUTATIONS = [
    ("events", "2025-08.iwaya-mirziyoyev-call", "date", "2025-08-30", "date 2025-08-30, but the quote says 8月27日 (2025-08-27)"),
    ("events", "2025-08.iwaya-mirziyoyev-call", "date", "2025-09-27", "date 2025-09-27, but the quote says 8月27日 (2025-08-27)"),
    ("events", "2025-12.chn-rus-joint-bomber-flight", "date", "2024-12-09", "but the quote says 12月9日 (2025-12-09)"),
    ("events", "2025-08.iwaya-mirziyoyev-call", "participants",
     ["JPN", "UZB", "person.iwaya-takeshi", "person.tokayev-kassym-jomart"], "participants person.tokayev-kassym-jomart"),
    ("events", "2025-05.rus-ukr-direct-talks-istanbul", "country", "CHN", "country CHN, but the quote does not name CHN"),
    ("indicators", "trade.jpn-rus.total.2025", "value", 1_295_100_000_000, "but the quote says 約1兆1,951億円"),
    ("indicators", "trade.jpn-rus.total.change.2025", "value", -45.5, "value -45.5 percent, but the quote says 50.5%の減少"),
    ("indicators", "tariff.usa-ind.additional_rate.2025", "value", 20, "value 20 percent, but the quote says 25%"),
    ("indicators", "count.lukashenko.presidential_election_wins.2025", "value", 6, "value 6 count, but the quote says 7選目 (7 count)"),
    ("indicators", "count.united-russia.elected_operation_participants.2025", "qualifier", "over",
     "which is at_least, not over"),
    ("memberships", "brics.tha", "member", "IDN", "member IDN, but the quote does not name IDN"),
    ("memberships", "brics.vnm", "status", "member", "status member, but the quote says パートナー国 (membership partner)"),
    ("memberships", "csto.arm", "status", "withdrawn", "status withdrawn, but the quote says 参加凍結"),
    ("memberships", "sco.irn", "since", "2022", "since 2022, but the quote says 2023年 (2023)"),
    ("agreements", "kgz-tjk-border-treaty", "status", "in_force", "status in_force, but the quote says 署名 (agreement signed)"),
    ("agreements", "jpn-kgz-tax-agreement", "parties", ["JPN", "TJK"], "does not name TJK (タジキスタン); it names CAJAD, JPN, KGZ, person.japarov-sadyr"),
    ("agreements", "new-start", "ended", "2026-03", "ended 2026-03, but the quote says 2026年2月 (2026-02)"),
    ("officeholders", "uzb.foreign-minister.saidov-bakhtiyor", "person", "person.iwaya-takeshi",
     "office UZB.foreign_minister, but the quote names 岩屋外務大臣"),
    ("officeholders", "uzb.foreign-minister.saidov-bakhtiyor", "person", "person.tokayev-kassym-jomart",
     "person person.tokayev-kassym-jomart, but the quote does not name"),
    ("officeholders", "jpn.prime-minister.takaichi-sanae", "office", "JPN.foreign_minister",
     "office JPN.foreign_minister, but the quote names 高市総理大臣"),
    ("officeholders", "kaz.president.tokayev-kassym-jomart", "attested", "2025-12-21", "attested 2025-12-21, but the quote says 12月20日 (2025-12-20)"),
    ("measures", "usa-ind-secondary-tariff-2025-08", "date", "2025-07", "date 2025-07, but the quote says 8月 (2025-08)"),
    ("measures", "jpn-rus-crude-oil-price-cap-lowering-2025-09", "action", "lifted", "action lifted, but the quote says 引下げ (measure tightened)"),
    ("measures", "jpn-rus-crude-oil-price-cap-lowering-2025-09", "imposer", "USA", "imposer USA, but the quote does not name USA (米国); it names JPN, RUS"),
]
# fmt: on


def test_the_mutations_touch_at_least_twelve_facts_of_every_table():
    assert len({m[1] for m in MUTATIONS}) >= 12
    assert {m[0] for m in MUTATIONS} == {
        "events",
        "indicators",
        "memberships",
        "agreements",
        "officeholders",
        "measures",
    }


# A value outside its column's vocabulary is one mistake, reported once: by the schema (an unknown
# status or action) or the references (an unknown entity), not again as a field its quote lacks.
OUT_OF_VOCABULARY = [
    ("memberships", "brics.vnm", "status", "partnr"),
    ("measures", "jpn-rus-crude-oil-price-cap-lowering-2025-09", "action", "imposd"),
    ("memberships", "brics.tha", "member", "THX"),
    (
        "events",
        "2025-08.iwaya-mirziyoyev-call",
        "participants",
        ["JPN", "UZB", "person.iwaya-takeshi", "person.nobody"],
    ),
]


@pytest.mark.parametrize(
    ("table", "fact", "field", "value"), OUT_OF_VOCABULARY, ids=[f"{m[1]}.{m[2]}" for m in OUT_OF_VOCABULARY]
)
def test_a_value_outside_the_vocabulary_is_left_to_the_schema_and_references(real, table, fact, field, value):
    assert fields_with(real, table, fact, field, value) == []


def fields_with(real, table: str, fact: str, field: str, value):
    """The field contract's findings with one field of one real fact changed (and restored after)."""
    project, snapshot, grounding = real
    record = snapshot.by_id(table)[fact]
    before = copy.deepcopy(record.data)
    record.data[field] = value
    try:
        return check_fields(project, snapshot, grounding)
    finally:
        record.data.clear()
        record.data.update(before)


@pytest.mark.parametrize(
    ("table", "fact", "field", "value", "said"), MUTATIONS, ids=[f"{m[1]}.{m[2]}={m[3]}" for m in MUTATIONS]
)
def test_a_changed_field_is_caught_and_the_rest_pass(real, table, fact, field, value, said):
    _, snapshot, _ = real
    assert snapshot.by_id(table)[fact].data["basis"] == "stated" and field != "evidence"
    found = fields_with(real, table, fact, field, value)
    assert found, f"{fact}: {field} {value} passed"
    assert {v.id for v in found} == {fact}, "only the changed fact may fail"
    assert all(v.code.startswith("ground.field-") and v.severity == "error" for v in found)
    assert any(said in v.message for v in found), [v.message for v in found]
    assert all(v.file == "snapshots/2025/" + table + ".yaml" and v.line > 0 for v in found)


def test_the_issues_example_fails_check_with_exit_1(tmp_path: Path):
    root = tmp_path / "p"
    for folder in ("snapshots", "sources", "expectations"):
        shutil.copytree(REPO / folder, root / folder)
    events = root / "snapshots/2025/events.yaml"
    text = events.read_text(encoding="utf-8")
    old = "- id: 2025-08.iwaya-mirziyoyev-call\n  date: 2025-08-27\n"
    assert old in text
    events.write_text(text.replace(old, old.replace("2025-08-27", "2025-09-27")), encoding="utf-8")
    result = check(root, expectations=False, across=False)
    assert result.exit_code() == 1
    (v,) = result.violations
    assert (v.code, v.id, v.table) == ("ground.field-date", "2025-08.iwaya-mirziyoyev-call", "events")
    assert v.message == "date 2025-09-27, but the quote says 8月27日 (2025-08-27)"
    assert "unquoted: [date]" in v.hint


@pytest.mark.parametrize("code", FIELD_CODES)
def test_the_good_variant_of_each_field_fixture_holds(code: str, tmp_path: Path):
    good = CONTRACTS_DIR / code / GOOD
    assert good.is_dir(), f"{code} needs a good variant in {GOOD}/"
    result = check(build_project(tmp_path / "p", good), expectations=False)
    assert result.violations == [], [f"{v.code} {v.message}" for v in result.violations]


@pytest.mark.parametrize(
    ("unquoted", "note", "basis", "message"),
    [
        (["title_en"], "n", "stated", "unquoted names 'title_en', which is not a field the reader checks in events"),
        (
            ["participants=CHN"],
            "n",
            "stated",
            "unquoted names 'participants=CHN', but CHN is not an item of participants",
        ),
        (["end_date"], "n", "stated", "unquoted names 'end_date', which the record does not have"),
        (["participants=JPN"], None, "stated", "there is no note"),
        (["participants=JPN"], "n", "inferred", "unquoted is for stated facts; this one is inferred"),
        ("date", "n", "stated", "unquoted must be a list of field names"),
    ],
)
def test_malformed_declarations(real, unquoted, note, basis, message):
    project, snapshot, grounding = real
    record = snapshot.by_id("events")["2025-08.iwaya-mirziyoyev-call"]
    before = copy.deepcopy(record.data)
    record.data.update(unquoted=unquoted, basis=basis)
    record.data.pop("note", None)
    if note:
        record.data["note"] = note
    try:
        found = check_fields(project, snapshot, grounding)
    finally:
        record.data.clear()
        record.data.update(before)
    assert found[0].code == "ground.field-unquoted" and message in found[0].message
    # a field declared although the quote carries it is also said, as a warning
    assert {v.code for v in found[1:]} <= {"ground.field-unquoted-verified"}


def test_a_declared_item_is_exempt_and_the_other_items_still_checked(real):
    project, snapshot, grounding = real
    record = snapshot.by_id("events")["2025-08.usa-rus-summit-alaska"]
    assert record.data["unquoted"] == ["participants=person.trump-donald", "participants=person.putin-vladimir"]
    before = copy.deepcopy(record.data)
    record.data["participants"] = before["participants"] + ["UKR"]
    try:
        found = check_fields(project, snapshot, grounding)
    finally:
        record.data.clear()
        record.data.update(before)
    assert [(v.code, v.id) for v in found] == [("ground.field-entity", "2025-08.usa-rus-summit-alaska")]
    assert found[0].message.startswith("participants UKR")
