"""The time rules (no date after as_of in any date column; one open status per organization and
member; one open term per office; a withdrawal is not an open status) and every branch of the
snapshot.yaml check, each on both sides of its boundary."""

from __future__ import annotations

import pytest
from rulekit import brief, project, record, records, snapshot, valid

from bluebook import vocabulary
from bluebook.contracts.meta import check_snapshot_meta
from bluebook.contracts.time import check_time

# Every date column of every table, with a record in which it may stand (and what else it needs).
DATE_COLUMNS = [
    ("memberships", "since", {}),
    ("memberships", "until", {"since": "2020"}),
    ("agreements", "signed", {}),
    ("agreements", "adopted", {}),
    ("agreements", "issued", {}),
    ("agreements", "in_force", {}),
    ("agreements", "ended", {"status": "expired"}),
    ("officeholders", "since", {}),
    ("officeholders", "until", {}),
    ("officeholders", "attested", {}),
    ("measures", "date", {}),
    ("events", "date", {}),
    ("events", "end_date", {"date": "2025-12-20"}),
    ("indicators", "period", {}),
    ("indicators", "baseline_period", {}),
]


def test_the_list_covers_every_date_column_of_every_table():
    listed = {(t, c) for t, c, _ in DATE_COLUMNS}
    assert listed == {
        (t, c) for t, cols in vocabulary.FACT_TABLES.items() for c in cols if c in vocabulary.DATE_COLUMNS
    }


@pytest.mark.parametrize(("table", "column", "extra"), DATE_COLUMNS, ids=[f"{t}.{c}" for t, c, _ in DATE_COLUMNS])
@pytest.mark.parametrize(
    ("as_of", "value", "after"),
    [
        ("2026-02", "2026-02-28", False),  # the last day of the as_of month is not after it
        ("2026-02", "2026-02", False),
        ("2026-02", "2026", False),  # a year that begins before as_of ends may hold
        ("2026-02", "2026-03-01", True),
        ("2026-02", "2026-03", True),
        ("2025-12-31", "2025-12-31", False),
        ("2025-12-31", "2026-01-01", True),
        ("2025-12-31", "2026", True),
    ],
)
def test_no_date_after_as_of_in_any_column(table, column, extra, as_of, value, after):
    data = valid(table, **extra, **{column: value})
    snap = snapshot(as_of=as_of, **{table: [record(data, 7)]})
    found = check_time(snap)
    if not after:
        assert found == []
        return
    assert brief(found) == [("time.after-as-of", data["id"], record(data, 7).line_of(column))]
    assert found[0].message == f"{column} {value} lies after as_of {as_of}"
    assert found[0].hint == (
        "a snapshot describes the world up to as_of; move the fact to a later year or correct the date"
    )
    assert found[0].file == f"snapshots/2025/{table}.yaml" and found[0].year == "2025" and found[0].table == table


def test_every_late_date_of_a_record_is_reported():
    data = valid("events", date="2026-03", end_date="2026-04")
    found = check_time(snapshot(as_of="2026-02", events=[record(data, 1)]))
    assert sorted(v.message for v in found) == [
        "date 2026-03 lies after as_of 2026-02",
        "end_date 2026-04 lies after as_of 2026-02",
    ]


@pytest.mark.parametrize("as_of", [None, "soon", "2026-02-30"])
def test_no_as_of_check_without_a_real_as_of(as_of):
    data = valid("memberships", since="2099")
    assert check_time(snapshot(as_of=as_of, memberships=[data])) == []


def test_a_bad_date_value_is_left_to_the_schema():
    assert check_time(snapshot(as_of="2025", memberships=[valid("memberships", since="2099-13")])) == []


# --- overlaps -----------------------------------------------------------------------------------------


def member(rid: str, **changes) -> dict:
    return valid("memberships", id=rid, **changes)


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        # one ends when the next begins: since equal to the previous until
        (dict(since="2020", until="2024-06"), dict(status="frozen", since="2024-06"), False),
        (dict(since="2020", until="2024-06-01"), dict(status="frozen", since="2024-06-01"), False),
        (dict(since="2020", until="2024-06"), dict(status="frozen", since="2024-06-30"), False),
        # the next begins before the previous ends
        (dict(since="2020", until="2024-06-01"), dict(status="frozen", since="2024-05-31"), True),
        (dict(since="2020", until="2024-06"), dict(status="frozen", since="2024-05"), True),
        # a year-only since holds for certain only from the year's end: no certain overlap
        (dict(since="2020", until="2024-06"), dict(status="frozen", since="2024"), False),
        # both open
        (dict(since="2020"), dict(status="frozen", since="2024"), True),
        (dict(), dict(status="observer"), True),
        (dict(since="2020"), dict(status="observer", until="2019"), False),
    ],
)
def test_one_open_status_per_organization_and_member(first, second, overlap):
    rows = records(
        member("csto.arm.a", organization="CSTO", member="ARM", **first),
        member("csto.arm.b", organization="CSTO", member="ARM", **second),
    )
    found = check_time(snapshot(memberships=rows))
    if not overlap:
        assert found == []
        return
    assert brief(found) == [("time.overlapping-status", "csto.arm.b", rows[1].line)]
    assert found[0].message == "csto.arm.a and csto.arm.b give CSTO/ARM two statuses at the same time"
    assert found[0].hint == "set 'until' on the earlier status, or merge the records"


def test_a_withdrawal_is_not_an_open_status():
    rows = [
        member("a", organization="CSTO", member="ARM", since="2020"),
        member("b", organization="CSTO", member="ARM", status="withdrawn", since="2024"),
    ]
    assert check_time(snapshot(memberships=rows)) == []
    rows[1]["status"] = "suspended"
    assert [v.code for v in check_time(snapshot(memberships=rows))] == ["time.overlapping-status"]


def test_other_pairs_do_not_overlap():
    rows = [
        member("a", organization="CSTO", member="ARM"),
        member("b", organization="CSTO", member="KAZ"),
        member("c", organization="BRICS", member="ARM"),
    ]
    assert check_time(snapshot(memberships=rows)) == []


def term(rid: str, **changes) -> dict:
    return valid("officeholders", id=rid, **changes)


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        (dict(since="2024-10-01", until="2025-10-21"), dict(since="2025-10-21"), False),
        (dict(since="2024-10-01", until="2025-10"), dict(since="2025-10-21"), False),
        (dict(since="2024-10-01", until="2025-10-21"), dict(since="2025-10-20"), True),
        (dict(since="2024-10-01"), dict(since="2025-10-21"), True),
        (dict(since=None, attested="2025-06"), dict(since=None, attested="2025-12"), True),
        (dict(since=None, attested="2025-06", until="2025-10"), dict(since=None, attested="2025-12"), False),
        (dict(since=None, attested="2025-06", until="2025-12-02"), dict(since=None, attested="2025-12"), True),
    ],
)
def test_one_open_term_per_office(first, second, overlap):
    rows = records(term("a", **first), term("b", person="person.x-y", **second))
    found = check_time(snapshot(officeholders=rows))
    if not overlap:
        assert found == []
        return
    assert brief(found) == [("time.overlapping-term", "b", rows[1].line)]
    assert found[0].message == "a and b are both open terms of JPN.prime_minister at the same time"
    assert found[0].hint == "set 'until' on the earlier term (inferred from the successor's attestation if need be)"
    assert (found[0].table, found[0].file, found[0].year) == (
        "officeholders",
        "snapshots/2025/officeholders.yaml",
        "2025",
    )


def test_the_order_of_the_records_does_not_matter():
    earlier, later = term("a", since="2024-10-01", until="2025-10-21"), term("b", since="2025-10-21")
    assert check_time(snapshot(officeholders=[later, earlier])) == []
    earlier["until"] = "2025-10-22"
    assert [v.id for v in check_time(snapshot(officeholders=[later, earlier]))] == ["a"]


def test_records_after_a_withdrawal_are_still_checked():
    rows = [
        member("w", organization="CSTO", member="UZB", status="withdrawn", since="2012"),
        member("a", organization="CSTO", member="ARM"),
        member("b", organization="CSTO", member="ARM"),
    ]
    assert [v.id for v in check_time(snapshot(memberships=rows))] == ["b"]


def test_terms_of_other_offices_do_not_overlap():
    rows = [term("a"), term("b", office="RUS.president", person="person.putin-vladimir")]
    assert check_time(snapshot(officeholders=rows)) == []


def test_a_term_with_a_bad_date_is_left_to_the_schema():
    rows = [term("a"), term("b", since="2025-13")]
    assert check_time(snapshot(officeholders=rows)) == []


def test_three_open_terms_are_one_violation_that_counts_them():
    found = check_time(snapshot(officeholders=[term("a"), term("b"), term("c")]))
    assert [(v.id, v.message) for v in found] == [
        ("b", "a and b are both open terms of JPN.prime_minister at the same time (3 of its records overlap)")
    ]
    two = check_time(snapshot(officeholders=[term("a"), term("b")]))
    assert [v.message for v in two] == ["a and b are both open terms of JPN.prime_minister at the same time"]


# --- snapshot.yaml -----------------------------------------------------------------------------------

# note first: then no key stands on the record's own first line, and a wrong line shows
META = {
    "note": "n",
    "year": "2025",
    "as_of": "2026-02",
    "edition": "Diplomatic Bluebook 2026",
    "sources": ["cited-src"],
}


def meta_check(tmp_path, **changes):
    data = {k: v for k, v in dict(META, **changes).items() if v is not None}
    snap = snapshot(meta=data)
    return check_snapshot_meta(project(tmp_path, snap), snap), snap.meta


def test_a_snapshot_that_describes_its_folder_passes(tmp_path):
    assert meta_check(tmp_path)[0] == []
    assert meta_check(tmp_path, as_of="2025")[0] == []  # the year itself may be the cut-off
    assert meta_check(tmp_path, as_of="2025-12-31")[0] == []


AS_OF_HINT = "set as_of: the last day the snapshot describes (YYYY-MM-DD)"
LATE_HINT = "as_of is the end of the year or later (the edition's cut-off)"


@pytest.mark.parametrize(
    ("changes", "code", "key", "message", "hint"),
    [
        (dict(year="2024"), "snapshot.meta", "year", "year '2024' is not the folder's year 2025", "set year: 2025"),
        (dict(year=None), "snapshot.meta", None, "year None is not the folder's year 2025", "set year: 2025"),
        (dict(as_of="end of 2025"), "snapshot.meta", "as_of", "as_of 'end of 2025' is not a partial date", AS_OF_HINT),
        (dict(as_of=None), "snapshot.meta", None, "as_of None is not a partial date", AS_OF_HINT),
        (
            dict(as_of="2024-12-31"),
            "snapshot.meta",
            "as_of",
            "as_of 2024-12-31 is before the year 2025 ends",
            LATE_HINT,
        ),
        (dict(as_of="2024"), "snapshot.meta", "as_of", "as_of 2024 is before the year 2025 ends", LATE_HINT),
        (
            dict(edition=None),
            "snapshot.meta",
            None,
            "snapshot.yaml has no edition",
            'set edition: "Diplomatic Bluebook <year + 1>"',
        ),
        (
            dict(sources=None),
            "snapshot.meta",
            None,
            "snapshot.yaml lists no sources",
            "list the source ids the snapshot uses",
        ),
        (
            dict(sources=[]),
            "snapshot.meta",
            "sources",
            "snapshot.yaml lists no sources",
            "list the source ids the snapshot uses",
        ),
        (
            dict(sources=["cited-src", "nowhere"]),
            "ref.unknown-source",
            "sources",
            "snapshot source 'nowhere' is not in sources/sources.yaml",
            "add it to sources/sources.yaml",
        ),
    ],
)
def test_each_branch_of_the_snapshot_check(tmp_path, changes, code, key, message, hint):
    found, meta = meta_check(tmp_path, **changes)
    line = meta.line if code == "snapshot.meta" and key in (None, "sources") else meta.line_of(key)
    assert [(v.code, v.line, v.message, v.hint) for v in found] == [(code, line, message, hint)]
    assert (found[0].file, found[0].table, found[0].year) == ("snapshots/2025/snapshot.yaml", "snapshot", "2025")


def test_a_refused_value_is_not_reported_again(tmp_path):
    data = dict(META)
    del data["sources"], data["year"], data["as_of"], data["edition"]
    meta = record(data)
    meta.refused = {"sources", "year", "as_of", "edition"}
    snap = snapshot()
    snap.meta = meta
    assert check_snapshot_meta(project(tmp_path, snap), snap) == []


def test_no_snapshot_yaml_is_the_loader_s_report(tmp_path):
    snap = snapshot()
    snap.meta = None
    assert check_snapshot_meta(project(tmp_path, snap), snap) == []
