"""Property: the diff classifies each change by what happened to the record, over every table, every
status, open and ended facts (until, ended, withdrawal, terminal statuses), provenance-only edits,
reordered sets, drops and additions. Deterministic (derandomized); pure Python, no files."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from bluebook.changes.diff import diff_snapshots
from bluebook.schemas.agreements import STATUSES as AGREEMENT_STATUSES
from bluebook.schemas.memberships import STATUSES as MEMBERSHIP_STATUSES

TABLES = ("memberships", "agreements", "officeholders", "measures", "events", "indicators")
PROV = {"basis": "cited", "source": "s"}
# Under mutation testing (mutmut sets MUTANT_UNDER_TEST) each mutant runs the same first examples, fewer.
BUDGET = 40 if os.environ.get("MUTANT_UNDER_TEST") else 300
DATES = st.sampled_from(["2020", "2021-06", "2022-02-03", "2024-12-31"])


def optional(strategy):
    return st.one_of(st.none(), strategy)


def drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


RECORDS = {
    "memberships": st.builds(
        lambda s, since, until: drop_none(
            dict(organization="BRICS", member="VNM", status=s, since=since, until=until, **PROV)
        ),
        st.sampled_from(MEMBERSHIP_STATUSES),
        optional(DATES),
        optional(DATES),
    ),
    "agreements": st.builds(
        lambda s, ended, parties: drop_none(
            dict(title_en="T", kind="treaty", parties=parties, status=s, ended=ended, **PROV)
        ),
        st.sampled_from(AGREEMENT_STATUSES),
        optional(DATES),
        st.lists(st.sampled_from(["RUS", "USA", "JPN", "CHN"]), min_size=2, max_size=4, unique=True),
    ),
    "officeholders": st.builds(
        lambda since, until, attested: drop_none(
            dict(person="person.a-b", since=since, until=until, attested=attested, **PROV)
        ),
        optional(DATES),
        optional(DATES),
        optional(DATES),
    ),
    "measures": st.builds(
        lambda action: dict(
            imposer="JPN", target="RUS", kind="sanctions", action=action, date="2022", title_en="T", **PROV
        ),
        st.sampled_from(["imposed", "tightened", "eased", "lifted"]),
    ),
    "events": st.builds(
        lambda parts: dict(date="2025", kind="summit", title_en="T", participants=parts, **PROV),
        st.lists(st.sampled_from(["RUS", "USA", "JPN", "CHN"]), min_size=2, max_size=4, unique=True),
    ),
    "indicators": st.builds(
        lambda v: dict(metric="trade.total", subject="JPN", period="2025", value=v, unit="JPY", **PROV),
        st.integers(0, 10**12),
    ),
}


def ended(table: str, r: dict) -> bool:
    """The domain's meaning of 'this fact has ended', written out here apart from the code."""
    if table == "memberships":
        return "until" in r or r["status"] == "withdrawn"
    if table == "agreements":
        return "ended" in r or r["status"] in ("expired", "terminated")
    if table == "officeholders":
        return "until" in r
    return False


def operation(table: str, r: dict, op: str, pick: int):
    """(the record after `op`, the kind of change expected), or None when `op` does not apply."""
    after = dict(r)
    state = table in ("memberships", "agreements", "officeholders", "measures")
    if op == "same":
        return after, None
    if op == "provenance":
        after["note"] = "read again"
        return after, "provenance"
    if op == "reorder":
        column = {"agreements": "parties", "events": "participants"}.get(table)
        if not column:
            return None
        after[column] = list(reversed(r[column]))
        return after, None
    if op == "end":
        column = {"memberships": "until", "agreements": "ended", "officeholders": "until"}.get(table)
        if not column or ended(table, r):
            return None
        after[column] = "2025"
        return after, "ended"
    if op == "terminal":
        terminal = {"memberships": ["withdrawn"], "agreements": ["expired", "terminated"]}.get(table)
        if not terminal or ended(table, r):
            return None
        after["status"] = terminal[pick % len(terminal)]
        return after, "ended"
    if op == "status":
        statuses = {"memberships": MEMBERSHIP_STATUSES, "agreements": AGREEMENT_STATUSES}.get(table)
        if not statuses:
            return None
        others = [s for s in statuses if s != r["status"] and s not in ("withdrawn", "expired", "terminated")]
        after["status"] = others[pick % len(others)]
        return after, "ended" if state and not ended(table, r) and ended(table, after) else "status_changed"
    if op == "revise":
        column = {
            "memberships": "since",
            "agreements": "title_en",
            "officeholders": "attested",
            "measures": "title_en",
            "events": "title_en",
            "indicators": "value",
        }[table]
        after[column] = after.get(column, 0) + 1 if column == "value" else f"{after.get(column, '')}9"
        if column in ("since", "attested"):
            after[column] = "2019"
            if r.get(column) == "2019":
                return None
        return after, "revised"
    raise AssertionError(op)


OPS = ["same", "provenance", "reorder", "end", "terminal", "status", "revise", "drop", "add"]


@settings(max_examples=BUDGET, derandomize=True, deadline=None, database=None)
@given(st.data())
def test_each_change_is_classified_by_what_happened(data):
    base: dict[str, dict[str, dict]] = {t: {} for t in TABLES}
    head: dict[str, dict[str, dict]] = {t: {} for t in TABLES}
    expected: dict[tuple[str, str], str] = {}
    events_added: set[str] = set()
    unchanged = 0
    for n in range(data.draw(st.integers(1, 8), label="records")):
        table = data.draw(st.sampled_from(TABLES), label="table")
        rid = f"r{n}"
        record = data.draw(RECORDS[table], label="record")
        if table == "officeholders":
            record["office"] = f"X{n:02d}.office"  # one term per office: no succession here
        op = data.draw(st.sampled_from(OPS), label="op")
        if op == "add":
            head[table][rid] = record
            if table == "events":
                events_added.add(rid)
            else:
                expected[(table, rid)] = "added"
            continue
        base[table][rid] = record
        if op == "drop":
            if table in ("memberships", "agreements", "officeholders", "measures"):
                expected[(table, rid)] = "retired" if ended(table, record) else "silent_drop"
            continue
        done = operation(table, record, op, data.draw(st.integers(0, 10), label="pick"))
        if done is None:
            done = (dict(record), None)
        after, kind = done
        head[table][rid] = after
        if kind:
            expected[(table, rid)] = kind
        else:
            unchanged += 1
    d = diff_snapshots(base, head, base_label="2024", head_label="2025", base_year="2024", head_year="2025")
    assert {(c.table, c.id): c.kind for c in d.changes} == expected
    assert d.unchanged == unchanged
    assert {e["id"] for e in d.events} == events_added
    summary = d.summary()
    for kind in set(expected.values()):
        assert summary[kind] == list(expected.values()).count(kind)


@settings(max_examples=BUDGET // 3, derandomize=True, deadline=None, database=None)
@given(
    outgoing=st.lists(DATES, min_size=1, max_size=3),
    incoming=st.lists(DATES, min_size=1, max_size=3),
    retire=st.booleans(),
)
def test_terms_ending_and_beginning_in_one_office_pair_as_successions(outgoing, incoming, retire):
    base, head = {}, {}
    for n, since in enumerate(outgoing):
        term = {"office": "JPN.prime_minister", "person": f"person.out-{n}", "since": since, **PROV}
        if retire:
            base[f"out{n}"] = dict(term, until="2025")  # ended already; it leaves
        else:
            base[f"out{n}"] = term
            head[f"out{n}"] = dict(term, until="2025")  # it ends this year
    for n, since in enumerate(incoming):
        head[f"in{n}"] = {"office": "JPN.prime_minister", "person": f"person.in-{n}", "since": since, **PROV}
    d = diff_snapshots(
        {"officeholders": base},
        {"officeholders": head},
        base_label="a",
        head_label="b",
        base_year="2024",
        head_year="2025",
    )
    pairs = min(len(outgoing), len(incoming))
    kinds = [c.kind for c in d.changes]
    assert kinds.count("succeeded") == pairs
    assert kinds.count("added") == len(incoming) - pairs
    assert kinds.count("retired" if retire else "ended") == len(outgoing) - pairs
    related = [r for c in d.changes if c.kind == "succeeded" for r in c.related]
    assert len(related) == len(set(related)) == pairs and all(r.startswith("out") for r in related)
