"""Every Pandera row rule (ROW_CHECKS) and the column checks, on both sides of their boundary:
the bad case names the exact code, id, line and message; the good case next to it raises nothing."""

from __future__ import annotations

import pytest
from rulekit import brief, record, records, valid

from bluebook import vocabulary
from bluebook.contracts.schema import validate_table
from bluebook.schemas.common import ROW_CHECKS

NEEDS_SINCE = [s.name for s in vocabulary.MEMBERSHIPS.statuses if s.needs == "since"]


def check(table: str, *rows: dict):
    return validate_table(table, records(*rows), {"file": f"{table}.yaml", "year": "2025"})


# (rule, table, changes to the valid record, expected message or None when the record is good).
# Each rule has at least one case on each side of its boundary.
# A table, one case a line; ruff format would split every item.
# fmt: off
ROW_CASES = [
    # memberships / officeholders: since ≤ until, as intervals (2025 may precede 2025-01)
    ("since_before_until", "memberships", dict(since="2025-06", until="2025-06"), None),
    ("since_before_until", "memberships", dict(since="2025", until="2025-01"), None),
    ("since_before_until", "memberships", dict(since="2025-06-02", until="2025-06-01"),
     "since 2025-06-02 is after until 2025-06-01"),
    ("since_before_until", "memberships", dict(since="2025-02", until="2025-01"), "since 2025-02 is after until 2025-01"),
    ("since_before_until", "officeholders", dict(since="2025-10-21", until="2025-10-21"), None),
    ("since_before_until", "officeholders", dict(since="2025-10-22", until="2025-10-21"),
     "since 2025-10-22 is after until 2025-10-21"),
    # a status that is a change of an earlier state needs since
    *[("status_has_date", "memberships", dict(status=s), f"status '{s}' needs 'since' (the date it began or ended)")
      for s in NEEDS_SINCE],
    *[("status_has_date", "memberships", dict(status=s, since="2024"), None) for s in NEEDS_SINCE],
    *[("status_has_date", "memberships", dict(status=s), None) for s in ("member", "observer", "candidate")],
    # agreements: signed ≤ in_force ≤ ended, and signed ≤ ended
    ("signed_before_in_force", "agreements", dict(signed="2010-04-08", in_force="2010-04-08"), None),
    ("signed_before_in_force", "agreements", dict(signed="2011", in_force="2011-02-05"), None),
    ("signed_before_in_force", "agreements", dict(signed="2011-02-06", in_force="2011-02-05"),
     "signed 2011-02-06 is after in_force 2011-02-05"),
    ("in_force_before_ended", "agreements", dict(in_force="2011-02-05", ended="2011-02-05", status="expired"), None),
    ("in_force_before_ended", "agreements", dict(in_force="2011-02-06", ended="2011-02-05", status="expired"),
     "ended 2011-02-05 is before it was signed or entered into force"),
    ("in_force_before_ended", "agreements", dict(signed="2011-02-06", ended="2011-02-05", status="terminated"),
     "ended 2011-02-05 is before it was signed or entered into force"),
    ("in_force_before_ended", "agreements", dict(signed="2011-02-05", ended="2011-02-05", status="terminated"), None),
    # a closed agreement needs the date it ended; signed needs signed
    *[("status_has_date", "agreements", dict(status=s), f"status '{s}' needs '{c}' (the date it began or ended)")
      for s, c in (("expired", "ended"), ("terminated", "ended"), ("signed", "signed"), ("adopted", "adopted"),
                   ("issued", "issued"))],
    *[("status_has_date", "agreements", dict(status=s, **{c: "2025-03"}), None)
      for s, c in (("expired", "ended"), ("terminated", "ended"), ("signed", "signed"), ("adopted", "adopted"),
                   ("issued", "issued"))],
    *[("status_has_date", "agreements", dict(status=s), None)
      for s in ("negotiating", "consultations_agreed", "in_force", "suspended")],
    ("status_has_date", "agreements", dict(status="expired", signed="2025"), "status 'expired' needs 'ended' "
     "(the date it began or ended)"),  # another date is not the one it needs
    # officeholders: attested lies within the term; a term has a date
    ("attested_within_term", "officeholders", dict(since="2025-10-21", attested="2025-10-21"), None),
    ("attested_within_term", "officeholders", dict(since="2025-10-21", attested="2025-10"), None),
    ("attested_within_term", "officeholders", dict(since="2025-10-21", attested="2025-10-20"),
     "attested 2025-10-20 lies outside the term 2025-10-21–(missing)"),
    ("attested_within_term", "officeholders", dict(since="2024-10", until="2025-10-21", attested="2025-10-21"), None),
    ("attested_within_term", "officeholders", dict(since="2024-10", until="2025-10-21", attested="2025-10-22"),
     "attested 2025-10-22 lies outside the term 2024-10–2025-10-21"),
    ("term_has_date", "officeholders", dict(since=None), "a term needs 'since' or 'attested'"),
    ("term_has_date", "officeholders", dict(since=None, attested="2025-12"), None),
    ("term_has_date", "officeholders", dict(since=None, until="2025"), "a term needs 'since' or 'attested'"),
    # events: date ≤ end_date
    ("date_before_end_date", "events", dict(date="2025-12-20", end_date="2025-12-20"), None),
    ("date_before_end_date", "events", dict(date="2025-12-21", end_date="2025-12-20"),
     "date 2025-12-21 is after end_date 2025-12-20"),
    # indicators: the metric registry fixes unit, range and baseline
    ("metric_registered", "indicators", dict(metric="trade.totl"), "metric 'trade.totl' is not in the registry"),
    ("unit_of_metric", "indicators", dict(unit="USD"), "unit 'USD' is not the unit of trade.total (JPY)"),
    ("value_in_metric_range", "indicators", dict(value=1e15), None),
    ("value_in_metric_range", "indicators", dict(value=1e15 + 1), "value 1000000000000001.0 of trade.total is outside 0…1e+15"),
    ("value_in_metric_range", "indicators", dict(value=2e15), "value 2000000000000000.0 of trade.total is outside 0…1e+15"),
    ("value_in_metric_range", "indicators", dict(value=0), None),
    ("value_in_metric_range", "indicators", dict(value=-1), "value -1 of trade.total is outside 0…1e+15"),
    ("value_in_metric_range", "indicators", dict(metric="trade.total.change", unit="percent", baseline_period="2024",
                                                 value=-100), None),
    ("value_in_metric_range", "indicators", dict(metric="trade.total.change", unit="percent", baseline_period="2024",
                                                 value=-100.5), "value -100.5 of trade.total.change is outside -100…1000"),
    ("value_in_metric_range", "indicators", dict(metric="trade.total.change", unit="percent", baseline_period="2024",
                                                 value=1000), None),
    ("value_in_metric_range", "indicators", dict(metric="trade.total.change", unit="percent", baseline_period="2024",
                                                 value=1000.5), "value 1000.5 of trade.total.change is outside -100…1000"),
    ("baseline_of_change", "indicators", dict(metric="trade.total.change", unit="percent", value=-50.5),
     "trade.total.change is a change and needs baseline_period"),
    ("baseline_of_change", "indicators", dict(baseline_period="2024"), "trade.total is a level and takes no baseline_period"),
    ("baseline_of_change", "indicators", dict(metric="trade.total.change", unit="percent", value=-50.5,
                                              baseline_period="2024"), None),
    # every fact table: basis against evidence and note
    ("stated_has_evidence", "memberships", dict(basis="stated"), "a stated fact has no evidence"),
    ("stated_has_evidence", "memberships", dict(basis="stated", evidence="同年6月には"), None),
    ("cited_has_no_evidence", "events", dict(evidence="a quote that cannot be checked"),
     "a cited fact carries evidence, which cannot be verified"),
    ("cited_has_no_evidence", "events", dict(note="words go here"), None),
    ("inferred_has_note", "agreements", dict(basis="inferred"), "an inferred fact has no note saying how it was derived"),
    ("inferred_has_note", "agreements", dict(basis="inferred", note="from the 2024 record"), None),
    ("inferred_has_note", "indicators", dict(basis="inferred", evidence="約1兆1,951億円", note="sum of two figures"), None),
    # registries
    ("id_fits_kind", "entities", dict(kind="person"), "id 'RUS' does not fit kind 'person'"),
    ("id_fits_kind", "entities", dict(id="csto", kind="organization"), "id 'csto' does not fit kind 'organization'"),
    ("id_fits_kind", "entities", dict(id="CSTO", kind="organization"), None),
    ("id_fits_kind", "entities", dict(id="person.takaichi-sanae", kind="person", country="JPN"), None),
    ("id_fits_kind", "entities", dict(id="territory.crimea", kind="territory"), None),
    ("id_fits_kind", "entities", dict(id="other.rosneft", kind="other"), None),
    ("id_fits_kind", "entities", dict(id="other.rosneft", kind="territory"), "id 'other.rosneft' does not fit kind 'territory'"),
    ("country_in_iso3166", "entities", dict(id="UZK"), "'UZK' is not an ISO 3166-1 alpha-3 country code"),
    ("country_in_iso3166", "entities", dict(id="UZB"), None),
    ("country_in_iso3166", "entities", dict(id="UZK", kind="organization"), None),
    ("person_country_in_iso3166", "entities", dict(id="person.a-b", kind="person", country="XXX"),
     "country 'XXX' is not an ISO 3166-1 alpha-3 code"),
    ("person_country_in_iso3166", "entities", dict(id="person.a-b", kind="person", country="JPN"), None),
    ("held_text_has_sha256", "sources", dict(path="text.md"), "a held source (path) needs its sha256"),
    ("held_text_has_sha256", "sources", dict(path="text.md", sha256="0" * 64), None),
    ("source_has_url_or_path", "sources", dict(url=None), "a source needs a url or a path"),
    ("source_has_url_or_path", "sources", dict(url=None, path="text.md", sha256="0" * 64), None),
]
# fmt: on


@pytest.mark.parametrize(
    ("rule", "table", "changes", "message"),
    ROW_CASES,
    ids=[f"{c[0]}-{'bad' if c[3] else 'good'}-{n}" for n, c in enumerate(ROW_CASES)],
)
def test_row_rule_boundary(rule, table, changes, message):
    data = valid(table, **changes)
    found = check(table, data)
    if message is None:
        assert found == [], [(v.code, v.message) for v in found]
        return
    code, _, hint = ROW_CHECKS[rule]
    assert brief(found) == [(code, data["id"], 1)], [(v.code, v.message) for v in found]
    assert found[0].message == message
    assert found[0].hint and "{" not in found[0].hint and "?" not in found[0].hint.replace("?'", "")
    assert found[0].table == table and found[0].file == f"{table}.yaml" and found[0].year == "2025"


def test_every_row_rule_has_a_bad_and_a_good_case():
    bad = {c[0] for c in ROW_CASES if c[3]}
    good = {c[0] for c in ROW_CASES if not c[3]}
    assert bad == set(ROW_CHECKS), sorted(set(ROW_CHECKS) ^ bad)
    assert good == set(ROW_CHECKS) - {"metric_registered", "unit_of_metric"}, sorted(set(ROW_CHECKS) - good)
    # the valid indicator is the good side of those two (a registered metric in its own unit)
    assert check("indicators", valid("indicators")) == []


def test_row_rule_hints_name_the_metric_values():
    [v] = check("indicators", valid("indicators", unit="USD"))
    assert v.hint == "convert the value to JPY"
    [v] = check("memberships", valid("memberships", status="partner"))
    assert v.hint == "add since: YYYY[-MM[-DD]] from the source"
    [v] = check("agreements", valid("agreements", status="adopted"))
    assert v.hint == "add adopted: YYYY[-MM[-DD]] from the source"


def test_a_row_rule_is_reported_once_per_record_at_its_line():
    rows = [
        valid("memberships", id="a", status="partner"),
        valid("memberships", id="b"),
        valid("memberships", id="c", status="frozen"),
    ]
    found = check("memberships", *rows)
    assert brief(found) == [("schema.status-needs-date", "a", 1), ("schema.status-needs-date", "c", 13)]


# --- column checks ----------------------------------------------------------------------------------

# A table, one case a line; ruff format would split every item.
# fmt: off
COLUMN_CASES = [
    # (table, changes, column, expected code or None, exact message or None)
    ("memberships", dict(status="partnr", since="2025"), "status", "schema.enum",
     "status 'partnr' is not one of member, associate, partner, observer, candidate, invited, suspended, frozen, "
     "withdrawn"),
    ("memberships", dict(basis="state"), "basis", "schema.enum", "basis 'state' is not one of stated, cited, inferred"),
    ("memberships", dict(organization="brics"), "organization", "schema.format",
     "organization 'brics' is not an upper-case organization code (BRICS, CSTO)"),
    ("memberships", dict(id="BRICS.VNM"), "id", "schema.format",
     "id 'BRICS.VNM' is not lower-case words joined by '.', '-' or '_' (brics.vnm)"),
    ("memberships", dict(since="2025-02-30"), "since", "schema.date", "since '2025-02-30' is not a real partial date"),
    ("memberships", dict(since="2025-13"), "since", "schema.date", "since '2025-13' is not a real partial date"),
    ("memberships", dict(since="2025-00"), "since", "schema.date", "since '2025-00' is not a real partial date"),
    ("memberships", dict(since="2024-02-29"), "since", None, None),
    ("memberships", dict(since="2025-12"), "since", None, None),
    ("memberships", dict(since="25-06"), "since", "schema.date", "since '25-06' is not a real partial date"),
    ("memberships", dict(status=None), "status", "schema.required", "'status' is required"),
    ("memberships", dict(basis="stated", evidence="abc"), "evidence", "schema.range",
     "evidence has 3 characters, outside 4–300"),
    ("memberships", dict(basis="stated", evidence="abcd"), "evidence", None, None),
    ("memberships", dict(basis="stated", evidence="あ" * 300), "evidence", None, None),
    ("memberships", dict(basis="stated", evidence="あ" * 301), "evidence", "schema.range",
     "evidence has 301 characters, outside 4–300"),
    ("agreements", dict(title_en="A"), "title_en", "schema.range",
     "title_en has 1 characters, outside 2–200"),
    ("agreements", dict(title_en="AB"), "title_en", None, None),
    ("agreements", dict(parties=[]), "parties", "schema.type", "parties [] is not a list of entity references"),
    ("agreements", dict(parties=["RUS", "usa"]), "parties", "schema.type",
     "parties ['RUS', 'usa'] is not a list of entity references"),
    ("agreements", dict(parties=["RUS"]), "parties", None, None),
    ("events", dict(participants=["person.takaichi-sanae", "territory.crimea", "other.x", "G7"]), "participants",
     None, None),
    ("events", dict(country="Japan"), "country", "schema.format",
     "country 'Japan' is not an ISO 3166-1 alpha-3 code (RUS)"),
    ("indicators", dict(value="about 1.2 trillion"), "value", "schema.type",
     "value 'about 1.2 trillion' is not a plain finite number"),
    ("officeholders", dict(person="person.takaichi"), "person", "schema.format",
     "person 'person.takaichi' is not person.<family>-<given> (person.takaichi-sanae)"),
    ("officeholders", dict(office="JPN.PM"), "office", "schema.format",
     "office 'JPN.PM' is not <holder code>.<office> (JPN.prime_minister)"),
    ("measures", dict(action="lifted"), "action", None, None),
    ("measures", dict(action="relaxed"), "action", "schema.enum", "action 'relaxed' is not one of imposed, tightened, "
     "eased, lifted"),
    ("sources", dict(sha256="A" * 64, path="t.md"), "sha256", "schema.format",
     f"sha256 '{'A' * 64}' is not 64 lower-case hex digits"),
    ("sources", dict(url="ftp://example.org/x"), "url", "schema.format", "url 'ftp://example.org/x' is not an http(s) URL"),
]
# fmt: on


@pytest.mark.parametrize(
    ("table", "changes", "column", "code", "message"),
    COLUMN_CASES,
    ids=[f"{c[0]}-{c[2]}-{c[3] or 'good'}-{n}" for n, c in enumerate(COLUMN_CASES)],
)
def test_column_check_boundary(table, changes, column, code, message):
    data = valid(table, **changes)
    rec = record(data, 5)
    found = validate_table(table, [rec], {"file": "t.yaml"})
    if code is None:
        assert found == [], [(v.code, v.message) for v in found]
        return
    assert brief(found) == [(code, data["id"], rec.line_of(column))], [(v.code, v.message) for v in found]
    assert found[0].message == message
    assert found[0].hint


def test_a_unit_outside_the_list_is_also_not_the_metric_unit():
    found = validate_table("indicators", [record(valid("indicators", unit="yen"), 5)], {})
    assert brief(found) == [
        ("schema.unit", "trade.jpn-rus.total.2025", 5),
        ("schema.enum", "trade.jpn-rus.total.2025", 11),
    ]
    assert found[1].message == "unit 'yen' is not one of JPY, USD, RUB, percent, count, years, ratio"


def test_duplicate_id_names_both_records():
    found = check(
        "memberships",
        valid("memberships", id="a"),
        valid("memberships", id="b"),
        valid("memberships", id="a", member="ARM"),
    )
    assert brief(found) == [("schema.duplicate-id", "a", 1), ("schema.duplicate-id", "a", 13)]
    assert found[0].message == "id 'a' is used by more than one record of memberships"


def test_an_enum_typo_gets_a_suggestion_and_a_far_value_the_list():
    [close] = check("memberships", valid("memberships", status="partnr", since="2025"))
    assert close.hint == "did you mean 'partner'?"
    [far] = check("memberships", valid("memberships", status="xyz"))
    assert far.hint.startswith("use one of: member, associate")


def test_a_valid_record_of_every_table_passes():
    for table in (
        "memberships",
        "agreements",
        "officeholders",
        "measures",
        "events",
        "indicators",
        "entities",
        "sources",
    ):
        assert check(table, valid(table)) == [], table
