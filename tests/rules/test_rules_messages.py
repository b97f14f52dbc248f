"""The words of the schema layer: every kind of column check says how to fix it (the hint pinned),
a record that cannot be named still gives a violation, and a message never shows a raw `{name}`."""

from __future__ import annotations

import pytest
from rulekit import record, valid

from bluebook.contracts.schema import _column_violation, _row_violation, validate_table
from bluebook.schemas import MODELS


@pytest.mark.parametrize(
    ("table", "changes", "column", "message", "hint"),
    [
        ("memberships", dict(status="partnr", since="2025"), "status", None, "did you mean 'partner'?"),
        (
            "memberships",
            dict(status="zzz"),
            "status",
            None,
            "use one of: member, associate, partner, observer, candidate, invited, suspended, frozen, withdrawn",
        ),
        (
            "memberships",
            dict(organization="brics"),
            "organization",
            None,
            "write organization as an upper-case organization code (BRICS, CSTO)",
        ),
        (
            "memberships",
            dict(since="2025-02-30"),
            "since",
            None,
            "write YYYY, YYYY-MM or YYYY-MM-DD (a real day: no 2025-02-30)",
        ),
        (
            "memberships",
            dict(basis="stated", evidence="abc"),
            "evidence",
            None,
            "evidence: quote 4–300 characters; split a longer quote with '…'",
        ),
        ("memberships", dict(status=None), "status", None, "add 'status' to the record"),
        ("agreements", dict(parties=[]), "parties", None, "write parties as a list: [RUS, USA]"),
        (
            "indicators",
            dict(value="about 1.2 trillion"),
            "value",
            None,
            "write digits with an optional '-', '.' and exponent: 1195100000000, -50.5, 1.1951e12 (no '+', '_' or "
            "full-width digits; within the range a float holds)",
        ),
        # a format without a description in FORMATS is shown as its pattern
        (
            "sources",
            dict(path="/etc/passwd", sha256="0" * 64),
            "path",
            "path '/etc/passwd' is not ^[^/][^\\s]*\\Z",
            "write path as ^[^/][^\\s]*\\Z",
        ),
    ],
)
def test_column_check_hints(table, changes, column, message, hint):
    data = valid(table, **changes)
    rec = record(data, 3)
    [v] = validate_table(table, [rec], {})
    assert (v.hint, v.line) == (hint, rec.line_of(column))
    if message:
        assert v.message == message


def test_duplicate_id_hint():
    rows = [record(valid("memberships"), 1), record(valid("memberships", member="ARM"), 20)]
    found = validate_table("memberships", rows, {})
    assert [v.hint for v in found] == ["give each fact its own id (ids are stable across years)"] * 2


def test_a_column_violation_without_its_record():
    v = _column_violation("memberships", "status", "isin(['member'])", "x", None, MODELS["memberships"], {"file": "f"})
    assert (v.code, v.id, v.line, v.file, v.table) == ("schema.enum", "", 0, "f", "memberships")


def test_an_unmapped_column_check_names_itself():
    v = _column_violation(
        "indicators", "value", "greater_than(0)", -1, record(valid("indicators"), 4), MODELS["indicators"], {}
    )
    assert (v.code, v.message, v.hint, v.line) == (
        "schema.type",
        "value -1 fails greater_than(0)",
        "see schemas/ for the rule",
        9,
    )


def test_a_row_violation_without_its_record():
    v = _row_violation("memberships", "since_before_until", None, {"file": "f"})
    assert (v.code, v.id, v.line, v.message) == ("schema.date-order", "", 0, "since ? is after until ?")


def test_a_row_message_with_a_value_it_cannot_know_shows_a_question_mark():
    rec = record(valid("indicators", metric="trade.unknown", unit="USD"), 2)
    v = _row_violation("indicators", "unit_of_metric", rec, {})
    assert v.message == "unit 'USD' is not the unit of trade.unknown (?)" and v.hint == "convert the value to ?"
    v = _row_violation("memberships", "status_has_date", record(valid("memberships"), 1), {})
    assert v.message == "status 'member' needs '?' (the date it began or ended)"


def test_a_missing_value_is_shown_as_missing():
    rec = record(valid("officeholders", since="2025-10-21", attested="2025-10-20"), 1)
    [v] = validate_table("officeholders", [rec], {})
    assert v.message == "attested 2025-10-20 lies outside the term 2025-10-21–(missing)"
    import math

    from bluebook.contracts.schema import _show

    assert _show(None) == _show(math.nan) == "(missing)" and _show("a") == "'a'" and _show(1.5) == "1.5"
