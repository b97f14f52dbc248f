"""Reference and grounding rules, each on both sides: an entity of the right and the wrong kind, a
source held and not held, a section that is a heading and one that is not, a quote found, found
elsewhere, and not found, a held text that matches its sha256 and one that does not."""

from __future__ import annotations

import pytest
from rulekit import ENTITIES, HELD_NAME, SOURCES, brief, project, record, snapshot, valid, with_held_text

from bluebook import vocabulary
from bluebook.contracts.grounding import Grounding, check_sources, ground_snapshot
from bluebook.contracts.references import check_references

QUOTE = "同年6月にはベトナムのパートナー国入りを公表した"


def check_grounding(project, snapshot, grounding: Grounding):
    """ground_snapshot's violations, with what it found added to `grounding`."""
    result = ground_snapshot(project, snapshot)
    grounding.found.update(result.found)
    return result.violations


STATED = dict(basis="stated", source="held-src", evidence=QUOTE)


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return with_held_text(tmp_path_factory.mktemp("refs"))


def refs(root, table: str, **changes):
    data = valid(table, **changes)
    rec = record(data, 3)
    snap = snapshot(**{table: [rec]})
    return check_references(project(root, snap), snap), rec


# (table, changes, column of the violation, code, message) — None for a good case.
# A table, one case a line; ruff format would split every item.
# fmt: off
REFERENCE_CASES = [
    ("memberships", {}, None, None, None),
    ("memberships", dict(member="territory.crimea"), None, None, None),
    ("memberships", dict(member="CSTO"), None, None, None),
    ("memberships", dict(member="XXX"), "member", "ref.unknown-entity", "member 'XXX' is not in snapshots/entities.yaml"),
    ("memberships", dict(organization="VNM"), "organization", "ref.entity-kind",
     "organization 'VNM' is a country; organization takes organization"),
    ("memberships", dict(member="person.takaichi-sanae"), "member", "ref.entity-kind",
     "member 'person.takaichi-sanae' is a person; member takes country or organization or territory"),
    ("agreements", dict(parties=["RUS", "person.takaichi-sanae", "CSTO"]), None, None, None),
    ("agreements", dict(parties=["RUS", "XXX"]), "parties", "ref.unknown-entity",
     "parties 'XXX' is not in snapshots/entities.yaml"),
    ("officeholders", {}, None, None, None),
    ("officeholders", dict(person="person.nobody-known"), "person", "ref.unknown-entity",
     "person 'person.nobody-known' is not in snapshots/entities.yaml"),
    ("officeholders", dict(person="territory.crimea"), "person", "ref.entity-kind",
     "person 'territory.crimea' is a territory; person takes person"),
    ("officeholders", dict(office="CSTO.secretary_general"), None, None, None),
    ("officeholders", dict(office="XXX.president"), "office", "ref.unknown-entity",
     "office 'XXX' is not in snapshots/entities.yaml"),
    ("officeholders", dict(office="person.takaichi-sanae"), "office", "ref.unknown-entity",
     "office 'person' is not in snapshots/entities.yaml"),
    ("measures", dict(imposer="territory.crimea", target="person.takaichi-sanae"), None, None, None),
    ("measures", dict(imposer="EU"), "imposer", "ref.unknown-entity", "imposer 'EU' is not in snapshots/entities.yaml"),
    ("measures", dict(target="XXX"), "target", "ref.unknown-entity", "target 'XXX' is not in snapshots/entities.yaml"),
    ("events", dict(country="JPN"), None, None, None),
    ("events", dict(country="CSTO"), "country", "ref.entity-kind", "country 'CSTO' is a organization; country takes country"),
    ("events", dict(participants=["JPN", "XXX"]), "participants", "ref.unknown-entity",
     "participants 'XXX' is not in snapshots/entities.yaml"),
    ("indicators", dict(subject="CSTO", counterpart="person.takaichi-sanae"), None, None, None),
    ("indicators", dict(subject="XXX"), "subject", "ref.unknown-entity", "subject 'XXX' is not in snapshots/entities.yaml"),
    ("indicators", dict(counterpart="XXX"), "counterpart", "ref.unknown-entity",
     "counterpart 'XXX' is not in snapshots/entities.yaml"),
    # sources
    ("memberships", dict(source="nowhere"), "source", "ref.unknown-source", "source 'nowhere' is not in sources/sources.yaml"),
    ("memberships", STATED, None, None, None),
    ("memberships", dict(basis="stated", evidence=QUOTE), "source", "ref.source-not-held",
     "a stated fact with evidence names 'cited-src', whose text is not held"),
    ("memberships", dict(basis="inferred", note="n", evidence=QUOTE), "source", "ref.source-not-held",
     "a inferred fact with evidence names 'cited-src', whose text is not held"),
    ("memberships", dict(basis="inferred", note="n", source="held-src", evidence=QUOTE), None, None, None),
    ("memberships", dict(basis="stated"), "source", "ref.source-not-held",
     "a stated fact with evidence names 'cited-src', whose text is not held"),  # even with no quote yet
    ("officeholders", dict(office=None), None, None, None),  # the schema says office is required
    ("memberships", dict(source="no-url-src"), "source", "ref.source-no-url",
     "a cited fact names 'no-url-src', which has no url"),
    ("memberships", dict(basis="inferred", note="n", source="no-url-src"), None, None, None),
    # sections of a held source
    ("memberships", dict(STATED, section="イ ロシア外政"), None, None, None),
    ("memberships", dict(STATED, section="イ　ロシア外政"), None, None, None),  # full-width space: normalized
    ("memberships", dict(STATED, section="#### イ ロシア外政"), "section", "ref.unknown-section",
     "section '#### イ ロシア外政' is not a heading of held-src"),
    ("memberships", dict(STATED, section="ロシア外政"), "section", "ref.unknown-section",
     "section 'ロシア外政' is not a heading of held-src"),
    ("memberships", dict(section="anything at all"), None, None, None),  # a cited source has no headings to check
]
# fmt: on


@pytest.mark.parametrize(
    ("table", "changes", "column", "code", "message"),
    REFERENCE_CASES,
    ids=[f"{c[0]}-{c[3] or 'good'}-{n}" for n, c in enumerate(REFERENCE_CASES)],
)
def test_reference_rule_boundary(root, table, changes, column, code, message):
    found, rec = refs(root, table, **changes)
    if code is None:
        assert found == [], [(v.code, v.message) for v in found]
        return
    assert brief(found) == [(code, rec.id, rec.line_of(column))], [(v.code, v.message) for v in found]
    assert found[0].message == message
    assert found[0].hint == HINTS[code].format(ref=message.split("'")[1])
    assert found[0].file == f"snapshots/2025/{table}.yaml" and found[0].year == "2025" and found[0].table == table


HINTS = {
    "ref.unknown-entity": "add '{ref}' to snapshots/entities.yaml (kind, name_en, name_ja), or correct the code",
    "ref.entity-kind": "reference an entity of the right kind",
    "ref.unknown-source": "add the source to sources/sources.yaml or correct the id",
    "ref.source-not-held": "make the fact cited (the quote cannot be verified), or vendor the text into sources/",
    "ref.source-no-url": "add the document's URL to sources/sources.yaml",
    "ref.unknown-section": "copy the heading as the source writes it, without '#' (e.g. 'イ ロシア外政')",
}


def test_every_reference_column_has_a_bad_case():
    bad = {(c[0], c[2]) for c in REFERENCE_CASES if c[3]}
    assert {(t, col) for t, table in vocabulary.TABLES.items() for col in table.references} | {
        ("officeholders", "office")
    } <= bad


def test_each_bad_reference_of_a_list_is_reported(root):
    found, rec = refs(root, "agreements", parties=["XXX", "RUS", "YYY"])
    assert [v.message for v in found] == [
        "parties 'XXX' is not in snapshots/entities.yaml",
        "parties 'YYY' is not in snapshots/entities.yaml",
    ]


def test_an_office_held_by_an_entity_of_the_wrong_kind(root):
    entities = [{"id": "KRM", "kind": "territory", "name_en": "a territory with a code"}, *ENTITIES]
    data = valid("officeholders", office="KRM.governor")
    snap = snapshot(officeholders=[record(data, 3)])
    found = check_references(project(root, snap, entities=entities), snap)
    assert [(v.code, v.line, v.message) for v in found] == [
        ("ref.entity-kind", 4, "office 'KRM' is a territory; office takes country or organization")
    ]


# --- grounding --------------------------------------------------------------------------------------


def ground(root, **changes):
    data = valid("memberships", **{**STATED, **changes})
    rec = record(data, 3)
    snap = snapshot(memberships=[rec])
    grounding = Grounding()
    return check_grounding(project(root, snap), snap, grounding), rec, grounding


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        ({}, None, None),
        (dict(section="イ ロシア外政"), None, None),  # the footnote belongs to the section of its mark
        (dict(evidence="同年6月には…パートナー国入りを公表した"), None, None),
        (
            dict(evidence="同年7月にはベトナムのパートナー国入りを公表した"),
            "ground.evidence-not-found",
            "evidence not found in held-src: '同年7月にはベトナムのパートナー国入りを公表した'",
        ),
        (
            dict(evidence="パートナー国入りを公表した…同年6月には"),
            "ground.evidence-not-found",
            "evidence not found in held-src: 'パートナー国入りを公表した…同年6月には'",
        ),
        (
            dict(section="ア ロシア内政"),
            "ground.evidence-outside-section",
            "the evidence is in 'イ ロシア外政' (line 76), not in 'ア ロシア内政'",
        ),
        (dict(section="no such heading"), None, None),  # reported once, as ref.unknown-section
        (dict(basis="inferred", note="n"), None, None),  # an inferred fact's premise is grounded too
        (
            dict(basis="inferred", note="n", evidence="同年7月にはベトナムが加盟した"),
            "ground.evidence-not-found",
            "evidence not found in held-src: '同年7月にはベトナムが加盟した'",
        ),
        (
            dict(evidence="同年7月には"),
            "ground.evidence-too-short",
            "the quote has 6 letters or digits after normalization (ruby, footnote marks and spaces removed); a quote "
            "needs at least 8",
        ),
    ],
)
def test_grounding_rule_boundary(root, changes, code, message):
    found, rec, grounding = ground(root, **changes)
    if code is None:
        assert found == []
        assert grounding.found == {
            ("2025", "memberships", "brics.vnm"): [grounding.found[("2025", "memberships", "brics.vnm")][0]]
        }
        return
    assert brief(found) == [(code, "brics.vnm", rec.line_of("evidence"))]
    assert found[0].message == message and found[0].hint


def test_a_long_quote_not_found_is_cut_in_the_message(root):
    found, _, _ = ground(root, evidence="あ" * 41)
    assert found[0].message == f"evidence not found in held-src: '{'あ' * 40}…'"


def test_a_quote_of_a_source_not_held_is_not_grounded_here(root):
    found, _, grounding = ground(root, source="cited-src")  # ref.source-not-held says so
    assert found == [] and grounding.found == {}


def test_held_text_sha256(tmp_path):
    root = with_held_text(tmp_path)
    snap = snapshot()
    assert check_sources(project(root, snap)) == []
    wrong = [dict(s, sha256="0" * 64) if s["id"] == "held-src" else s for s in SOURCES]
    found = check_sources(project(root, snap, sources=wrong))
    assert [(v.code, v.id) for v in found] == [("ground.sha256-mismatch", "held-src")]
    assert found[0].message.startswith(f"sources/{HELD_NAME} has sha256 a67dafd13a6a…, the manifest says 000000000000…")
    assert found[0].line == project(root, snap, sources=wrong).sources.records[1].line_of("sha256")


def test_a_missing_held_text_is_a_missing_file(tmp_path):
    snap = snapshot()
    found = check_sources(project(tmp_path, snap))
    assert sorted({(v.code, v.id) for v in found}) == [
        ("load.missing-file", "held-src"),
        ("load.missing-file", "no-url-src"),
    ]
    assert found[0].file == "sources/sources.yaml" and found[0].table == "sources"
    held = project(tmp_path, snap).sources.records[1]
    assert (found[0].line, found[0].message) == (held.line_of("path"), f"sources/{HELD_NAME} does not exist")


def test_without_the_held_text_sections_and_quotes_are_left_to_the_missing_file(tmp_path):
    data = valid("memberships", **STATED, section="no such heading")
    snap = snapshot(memberships=[record(data, 3)])
    p = project(tmp_path, snap)  # no sources/ folder: the held text is missing
    assert check_references(p, snap) == []
    assert check_grounding(p, snap, Grounding()) == []
    assert {v.code for v in check_sources(p)} == {"load.missing-file"}


def test_grounding_goes_on_past_records_it_skips(root):
    rows = [
        record(valid("memberships", id="no-quote"), 1),
        record(valid("memberships", id="not-held", basis="inferred", note="n", evidence=QUOTE), 10),
        record(valid("memberships", id="unknown-source", **{**STATED, "source": "nowhere"}), 20),
        record(valid("memberships", id="text-gone", **{**STATED, "source": "gone-src"}), 25),
        record(valid("memberships", id="found", **STATED), 30),
        record(valid("memberships", id="wrong", **{**STATED, "evidence": "同年7月にはベトナムが加盟した"}), 40),
        record(valid("memberships", id="elsewhere", **STATED, section="ア ロシア内政"), 50),
    ]
    snap = snapshot(
        memberships=rows, events=[record(valid("events", **{**STATED, "evidence": "同年8月にはベトナムが加盟した"}), 3)]
    )
    grounding = Grounding()
    gone = dict(SOURCES[1], id="gone-src", path="gone.md")
    found = check_grounding(project(root, snap, sources=[*SOURCES, gone]), snap, grounding)
    assert [(v.code, v.table, v.id, v.line) for v in found] == [
        ("ground.evidence-not-found", "memberships", "wrong", rows[5].line_of("evidence")),
        ("ground.evidence-outside-section", "memberships", "elsewhere", rows[6].line_of("evidence")),
        ("ground.evidence-not-found", "events", "2025-12.summit", 3 + 7),
    ]
    assert found[1].hint == "set section: イ ロシア外政"
    assert found[0].hint.endswith("; quote the source verbatim") and len(found[0].hint) > len(
        "; quote the source verbatim"
    )
    assert set(grounding.found) == {("2025", "memberships", "found"), ("2025", "memberships", "elsewhere")}
    assert grounding.found[("2025", "memberships", "elsewhere")] == grounding.found[("2025", "memberships", "found")]
    assert all(isinstance(n, int) for n in grounding.found[("2025", "memberships", "found")])


def test_a_quote_of_exactly_forty_characters_is_shown_whole(root):
    found, _, _ = ground(root, evidence="あ" * 40)
    assert found[0].message == f"evidence not found in held-src: '{'あ' * 40}'"
