"""The columnar filter of large diffs changes nothing: the same classified changes, unchanged and
compared counts as the record-by-record path, on generated pairs of snapshots."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bluebook.changes.diff import diff_snapshots

# Values that look alike to a careless compare: 4 and 4.0 (equal), '4' and 4 (not), lists in
# another order (equal in set columns only), a key present or missing.
VALUES = st.sampled_from(["member", "partner", "4", 4, 4.0, 4.5, 10**20, "", "RUS", "2025-06", "2025"])
LISTS = st.lists(st.sampled_from(["RUS", "USA", "JPN"]), max_size=3)
COLUMNS = {
    "memberships": ["status", "since", "until", "evidence", "note"],
    "agreements": ["status", "parties", "ended", "evidence"],
    "indicators": ["value", "period", "source"],
    "events": ["participants", "date"],
}


@st.composite
def record(draw, table):
    r = {}
    for col in COLUMNS[table]:
        if draw(st.booleans()):
            r[col] = draw(LISTS if col in ("parties", "participants") else VALUES)
    return r


@st.composite
def snapshot_pairs(draw):
    base, head = {}, {}
    for table in COLUMNS:
        ids = [f"{table[:3]}-{i}" for i in range(draw(st.integers(0, 12)))]
        base[table] = {i: {"id": i, **draw(record(table))} for i in ids if draw(st.integers(0, 5))}
        head[table] = {}
        for i in ids:
            choice = draw(st.integers(0, 5))
            if choice == 0:
                continue  # absent in head
            if choice <= 2 and i in base[table]:
                head[table][i] = dict(base[table][i])  # unchanged
            elif choice == 3 and i in base[table]:
                r = dict(base[table][i])  # the same values in other types or order
                r.update(
                    {
                        k: (
                            float(v)
                            if isinstance(v, int) and not isinstance(v, bool) and v < 2**53
                            else list(reversed(v))
                            if isinstance(v, list)
                            else v
                        )
                        for k, v in r.items()
                        if k != "id"
                    }
                )
                head[table][i] = r
            else:
                head[table][i] = {"id": i, **draw(record(table))}
    return base, head


@settings(max_examples=150, derandomize=True, deadline=None, database=None)
@given(pair=snapshot_pairs())
def test_columnar_and_record_by_record_agree(pair):
    base, head = pair
    labels = dict(base_label="2024", head_label="2025", base_year="2024", head_year="2025")
    by_record = diff_snapshots(base, head, columnar_min=10**9, **labels)
    by_column = diff_snapshots(base, head, columnar_min=0, **labels)
    assert by_column == by_record


def test_the_filter_passes_over_equal_records_only():
    from bluebook.changes.columnar import differing_ids

    base = {
        "a": {"id": "a", "value": 4},
        "b": {"id": "b", "value": 4},
        "c": {"id": "c", "parties": ["A", "B"]},
        "d": {"id": "d", "note": "x"},
    }
    head = {
        "a": {"id": "a", "value": 4.0},
        "b": {"id": "b", "value": "4"},
        "c": {"id": "c", "parties": ["B", "A"]},
        "d": {"id": "d"},
    }
    assert differing_ids(base, head, set(base), frozenset({"parties"})) == {"b", "d"}
    assert differing_ids(base, head, set(base), frozenset()) == {"b", "c", "d"}
