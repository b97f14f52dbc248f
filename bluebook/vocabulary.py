"""The data model: tables, their columns in canonical order, and what kind of value each holds.

The loader uses this to refuse unknown keys and to type values, `fmt` to order keys, and the
Pandera schemas in `schemas/` to know which columns exist. Enums and formats live in `schemas/`.
"""

from __future__ import annotations

# Columns every fact table ends with, in this order. `carried` marks a fact that `bluebook new-year`
# carried forward from the year it names and that nobody has confirmed against the new edition yet
# (the curator deletes it on confirming the fact); `check` warns while it is there.
PROVENANCE = ("basis", "source", "section", "evidence", "note", "carried")

FACT_TABLES: dict[str, tuple[str, ...]] = {
    "memberships": ("id", "organization", "member", "status", "since", "until"),
    "agreements": ("id", "title_en", "title_ja", "kind", "parties", "status", "signed", "adopted", "issued", "in_force",
                   "ended"),
    "officeholders": ("id", "office", "person", "since", "until", "attested"),
    "measures": ("id", "imposer", "target", "kind", "action", "date", "title_en"),
    "events": ("id", "date", "end_date", "kind", "title_en", "title_ja", "participants", "country", "place"),
    "indicators": (
        "id", "metric", "subject", "counterpart", "period", "value", "unit", "baseline_period", "qualifier",
    ),
}
FACT_TABLE_NAMES = tuple(FACT_TABLES)

# Tables whose facts are state (they hold until they end) as opposed to occurrences and series.
STATE_TABLES = ("memberships", "agreements", "officeholders", "measures")

REGISTRY_TABLES: dict[str, tuple[str, ...]] = {
    "entities": ("id", "kind", "name_en", "name_ja", "aliases_ja", "country", "note"),
    "sources": (
        "id", "title", "publisher", "edition", "language", "url", "path", "sha256", "license", "accessed", "checked",
        "note",
    ),
}
SNAPSHOT_KEYS = ("year", "as_of", "edition", "sources", "note")

LIST_COLUMNS = frozenset({"parties", "participants", "aliases_ja", "sources"})
NUMBER_COLUMNS = frozenset({"value"})
DATE_COLUMNS = frozenset(
    {"since", "until", "signed", "adopted", "issued", "in_force", "ended", "attested", "date", "end_date", "period",
     "baseline_period"}
)
# Columns that hold the record's provenance rather than its substance: a change in them alone is a
# provenance change in the diff, not a change of the fact.
PROVENANCE_COLUMNS = frozenset(PROVENANCE)
# The marker column of a carried, unconfirmed fact (its value: the year it was carried from).
CARRIED = "carried"


def columns(table: str) -> tuple[str, ...]:
    """All columns of a table in canonical order."""
    if table in FACT_TABLES:
        return FACT_TABLES[table] + PROVENANCE
    if table in REGISTRY_TABLES:
        return REGISTRY_TABLES[table]
    if table == "snapshot":
        return SNAPSHOT_KEYS
    raise KeyError(table)
