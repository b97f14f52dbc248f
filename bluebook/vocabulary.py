"""The domain vocabulary: every table, its columns in canonical order, and what each status means.

One place for meaning. The loader refuses unknown keys and types values from it, `fmt` orders keys
by it, the Pandera schemas take their enums and "a status needs its date" rules from it, the GX
suites' value sets are tested against it, and the diff, the contracts across years, the views, the
history and the reports read a status's stage, end, count and wording here. Adding a status is one
entry below (and a test then names every suite or fixture that must follow).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Columns every fact table ends with, in this order: the record's provenance, not its substance.
# `unquoted` lists the fields of a stated fact its quote does not carry (the note says whence they come).
# `carried` marks a fact that `bluebook new-year` carried forward from the year it names and that
# nobody has confirmed against the new edition yet (the curator deletes it on confirming the fact);
# `check` warns while it is there, and the change report lists such facts apart.
PROVENANCE = ("basis", "source", "section", "evidence", "note", "unquoted", "carried")
CARRIED = "carried"
BASES = ("stated", "cited", "inferred")


@dataclass(frozen=True)
class Status:
    """One value of a table's `status` column and what it means."""

    name: str
    words: str  # the state in words, for "A → B" sentences: "in force", "partner"
    verb: str  # how a fact that appears with this status reads: "entered into force", "became a partner of"
    stage: int | None = None  # order along the table's path (moving down a stage is a step back); None: off the path
    terminal: bool = False  # the fact has ended: it no longer holds and is not an open status
    counted: bool = False  # memberships: counted among an organization's members
    needs: str | None = None  # the date column the status cannot be placed in time without


@dataclass(frozen=True)
class Table:
    """One fact table: its columns, its kind of fact and, for state tables, its statuses."""

    name: str
    title: str  # heading in reports: "Office holders"
    kind: str  # state (holds until it ends), occurrence (happens once), series (a figure per period)
    columns: tuple[str, ...]  # own columns in canonical order (the provenance columns follow)
    references: dict[str, frozenset[str]] = field(default_factory=dict)  # column → entity kinds it may name
    statuses: tuple[Status, ...] = ()
    end_column: str | None = None  # once set, the state fact has ended

    def status(self, name: object) -> Status | None:
        return next((s for s in self.statuses if s.name == name), None)

    @property
    def status_names(self) -> list[str]:
        return [s.name for s in self.statuses]

    @property
    def all_columns(self) -> tuple[str, ...]:
        return self.columns + PROVENANCE


ENTITY_KINDS = ("country", "organization", "person", "territory", "other")
ANY_ENTITY = frozenset(ENTITY_KINDS)

# The declarations keep their layout (name, label and kind on one line); ruff format would split every item.
# fmt: off
MEMBERSHIPS = Table(
    "memberships", "Memberships", "state",
    ("id", "organization", "member", "status", "since", "until"),
    references={"organization": frozenset({"organization"}),
                "member": frozenset({"country", "organization", "territory"})},
    statuses=(
        Status("member", "member", "became a member of", stage=3, counted=True),
        # Why counted: the CIS counts Turkmenistan, an associate member since 2005, among its 10.
        Status("associate", "associate member", "became an associate member of", stage=2, counted=True,
               needs="since"),
        Status("partner", "partner", "became a partner of", stage=1, needs="since"),
        Status("observer", "observer", "became an observer of", stage=1),
        Status("candidate", "candidate", "became a candidate for", stage=0),
        Status("invited", "invited", "was invited to join", stage=0, needs="since"),
        # Why not counted: Uzbekistan suspended its CSTO membership in 2012 and is outside the 6.
        Status("suspended", "suspended", "suspended its participation in", needs="since"),
        # Why counted: Armenia froze its CSTO participation in 2024 but has not left; CSTO is still 6.
        Status("frozen", "frozen", "froze its participation in", counted=True, needs="since"),
        Status("withdrawn", "withdrawn", "withdrew from", terminal=True, needs="since"),
    ),
    end_column="until",
)

AGREEMENTS = Table(
    "agreements", "Agreements", "state",
    ("id", "title_en", "title_ja", "kind", "parties", "status", "signed", "adopted", "issued", "in_force", "ended"),
    references={"parties": ANY_ENTITY},
    statuses=(
        # 協議を開始することで一致: the parties agreed to start consultations; nothing is negotiated yet.
        Status("consultations_agreed", "consultations agreed", "consultations agreed", stage=0),
        Status("negotiating", "under negotiation", "under negotiation", stage=1),
        Status("signed", "signed", "signed", stage=2, needs="signed"),
        Status("adopted", "adopted", "adopted", stage=2, needs="adopted"),  # 採択: a joint statement, a declaration
        Status("issued", "issued", "issued", stage=2, needs="issued"),  # 発表: a press release, a statement
        Status("in_force", "in force", "entered into force", stage=3),
        Status("suspended", "suspended", "suspended"),
        Status("expired", "expired", "expired", terminal=True, needs="ended"),
        Status("terminated", "terminated", "terminated", terminal=True, needs="ended"),
    ),
    end_column="ended",
)
AGREEMENT_KINDS = ("treaty", "convention", "agreement", "declaration", "joint_statement", "communique",
                   "exchange_of_notes", "memorandum", "programme", "other")
# Statements are adopted, issued or signed, and may be repudiated; they never enter into force, are
# suspended or expire, which are treaty states (the agreements suite checks it).
STATEMENT_KINDS = ("declaration", "joint_statement", "communique")
STATEMENT_STATUSES = ("consultations_agreed", "negotiating", "signed", "adopted", "issued", "terminated")

OFFICEHOLDERS = Table(
    "officeholders", "Office holders", "state",
    ("id", "office", "person", "since", "until", "attested"),
    references={"person": frozenset({"person"})},
    end_column="until",
)
# What can be done to a measure (its `action`): the schema's value set and the field contract's.
MEASURE_ACTIONS = ("imposed", "tightened", "eased", "lifted")
MEASURES = Table(
    "measures", "Measures", "state",
    ("id", "imposer", "target", "kind", "action", "date", "title_en"),
    references={"imposer": ANY_ENTITY, "target": ANY_ENTITY},
)
EVENTS = Table(
    "events", "Events", "occurrence",
    ("id", "date", "end_date", "kind", "title_en", "title_ja", "participants", "country", "place"),
    references={"participants": ANY_ENTITY, "country": frozenset({"country"})},
)
INDICATORS = Table(
    "indicators", "Indicators", "series",
    ("id", "metric", "subject", "counterpart", "period", "value", "unit", "baseline_period", "qualifier"),
    references={"subject": ANY_ENTITY, "counterpart": ANY_ENTITY},
)

TABLES: dict[str, Table] = {t.name: t for t in (MEMBERSHIPS, AGREEMENTS, OFFICEHOLDERS, MEASURES, EVENTS, INDICATORS)}
FACT_TABLES: dict[str, tuple[str, ...]] = {name: t.columns for name, t in TABLES.items()}
FACT_TABLE_NAMES = tuple(TABLES)
# Tables whose facts are state (they hold until they end) as opposed to occurrences and series.
STATE_TABLES = tuple(name for name, t in TABLES.items() if t.kind == "state")

REGISTRY_TABLES: dict[str, tuple[str, ...]] = {
    "entities": ("id", "kind", "name_en", "name_ja", "aliases_ja", "country", "note"),
    "sources": (
        "id", "title", "publisher", "edition", "language", "url", "path", "sha256", "license", "accessed", "checked",
        "note",
    ),
}
SNAPSHOT_KEYS = ("year", "as_of", "edition", "sources", "note")

# Columns holding a list of values (every other column holds one value).
LIST_COLUMNS = frozenset({"parties", "participants", "aliases_ja", "sources", "unquoted"})
# Order-free list columns: compared as sets, so [RUS, USA] and [USA, RUS] are the same fact.
SET_COLUMNS = frozenset({"parties", "participants", "aliases_ja", "sources", "unquoted"})
NUMBER_COLUMNS = frozenset({"value"})
DATE_COLUMNS = frozenset({"since", "until", "signed", "adopted", "issued", "in_force", "ended", "attested", "date",
                          "end_date", "period", "baseline_period"})
# fmt: on
# A change in these columns alone is a provenance change in the diff, not a change of the fact.
PROVENANCE_COLUMNS = frozenset(PROVENANCE)
# Columns that name entities, in any table (for `history` of an entity).
REFERENCE_COLUMNS = tuple(dict.fromkeys(c for t in TABLES.values() for c in t.references))


def columns(table: str) -> tuple[str, ...]:
    """All columns of a table in canonical order."""
    if table in TABLES:
        return TABLES[table].all_columns
    if table in REGISTRY_TABLES:
        return REGISTRY_TABLES[table]
    if table == "snapshot":
        return SNAPSHOT_KEYS
    raise KeyError(table)


def status(table: str, name: object) -> Status | None:
    """The meaning of a status of a table (None for a table without statuses or an unknown value)."""
    t = TABLES.get(table)
    return t.status(name) if t else None


def is_terminal(table: str, name: object) -> bool:
    s = status(table, name)
    return bool(s and s.terminal)


def stage(table: str, name: object) -> int | None:
    s = status(table, name)
    return s.stage if s else None


def counted_statuses(table: str = "memberships") -> tuple[str, ...]:
    return tuple(s.name for s in TABLES[table].statuses if s.counted)
