"""Violations: the one report shape every contract layer returns and every renderer reads."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How a broken contract counts: an error fails CI and the flow run, a warning fails them only
    with --strict."""

    ERROR = "error"
    WARNING = "warning"


ERROR, WARNING = Severity.ERROR, Severity.WARNING


# Contract layers in the order data flows, by the first part of a violation's code: (prefix, name
# in JUnit and `check --junit`, title in the review's index). Every code's prefix is one of them.
LAYERS: tuple[tuple[str, str, str], ...] = (
    ("load", "load", "load"),
    ("schema", "schema", "schema"),
    ("ref", "references", "references"),
    ("ground", "grounding", "grounding"),
    ("time", "time", "time"),
    ("snapshot", "snapshot", "snapshot metadata"),
    ("expect", "expectations", "dataset (Great Expectations)"),
    ("year", "across-years", "across years"),
    ("carried", "carried", "carried facts"),
)

# Every code the project can emit, with its default severity and what it means. A test requires a
# bad fixture for each of them (tests/fixtures/contracts/<code>/); `expect.*` codes come from the
# Great Expectations suites and are listed from expectations/*.json.
CODES: dict[str, tuple[Severity, str]] = {
    # load: the file is not data we can read
    "load.missing-file": (ERROR, "a snapshot, table, entity or source file is missing"),
    "load.too-large": (ERROR, "a file is larger than the size limit"),
    "load.not-utf8": (ERROR, "a file holds bytes that are not UTF-8"),
    "load.yaml-syntax": (ERROR, "a file is not valid YAML"),
    "load.alias": (ERROR, "a file uses YAML anchors or aliases"),
    "load.shape": (ERROR, "a file or record does not have the shape of a table"),
    "load.duplicate-key": (ERROR, "a record repeats a key"),
    "load.unknown-key": (ERROR, "a record has a key its table does not know"),
    "load.empty-value": (ERROR, "a key is present with no value"),
    "load.empty-file": (ERROR, "a table file holds no document (an empty table is written `[]`)"),
    "load.tag": (ERROR, "a file uses an explicit YAML tag"),
    "load.control-character": (ERROR, "a value holds a control, format, bidi or separator character"),
    "load.outside-folder": (ERROR, "a data file leads outside its folder (through '..' or a symbolic link)"),
    "load.unknown-file": (ERROR, "a file or folder in snapshots/ that no table or year reads"),
    "load.not-canonical": (WARNING, "a file is not in the canonical form `bluebook fmt` writes"),
    # schema: one table at a time (Pandera)
    "schema.required": (ERROR, "a required column is missing"),
    "schema.type": (ERROR, "a value has the wrong type"),
    "schema.enum": (ERROR, "a value is not one of the allowed values"),
    "schema.format": (ERROR, "a value does not have the required format"),
    "schema.date": (ERROR, "a date is not a real partial date"),
    "schema.range": (ERROR, "a value or length is out of range"),
    "schema.duplicate-id": (ERROR, "an id is used twice in a table"),
    "schema.date-order": (ERROR, "dates of one record are in the wrong order"),
    "schema.status-needs-date": (ERROR, "a status is given without the date it needs"),
    "schema.basis": (ERROR, "evidence or note does not fit the basis"),
    "schema.unit": (ERROR, "an indicator's unit is not the unit of its metric"),
    "schema.baseline": (ERROR, "a change metric has no baseline period, or a level metric has one"),
    # references: across tables and files
    "ref.unknown-entity": (ERROR, "a reference names no entity in entities.yaml"),
    "ref.entity-kind": (ERROR, "a reference names an entity of the wrong kind"),
    "ref.unknown-country": (ERROR, "a country entity is not an ISO 3166-1 alpha-3 code"),
    "ref.unknown-source": (ERROR, "a fact names a source that sources.yaml lacks"),
    "ref.source-not-held": (ERROR, "a stated fact names a source whose text is not held"),
    "ref.source-no-url": (ERROR, "a cited fact names a source with no URL"),
    "ref.unknown-section": (ERROR, "a section is not a heading of the held source"),
    "ref.unknown-metric": (ERROR, "an indicator names a metric the registry lacks"),
    "ref.source-not-listed": (ERROR, "a fact names a source its snapshot.yaml does not list"),
    "ref.id-in-two-tables": (ERROR, "one id names facts in two tables of a year"),
    # grounding: quotes against held texts
    "ground.evidence-not-found": (ERROR, "a stated fact's evidence is not in its source text"),
    "ground.evidence-outside-section": (ERROR, "the evidence is in the source, but not in the section named"),
    "ground.sha256-mismatch": (ERROR, "a held source text does not match its sha256"),
    "ground.evidence-too-short": (ERROR, "a quote has too few letters or digits to prove anything"),
    "ground.evidence-ambiguous": (ERROR, "a quote occurs in more than one paragraph of its source"),
    # field grounding: what a stated fact's quote says, read by bluebook.reader
    "ground.field-date": (ERROR, "a date of a stated fact is not the date its quote (or paragraph) gives"),
    "ground.field-figure": (ERROR, "a figure of a stated fact differs from its quote (value, unit or qualifier)"),
    "ground.field-entity": (ERROR, "an entity a stated fact names is not named in its quote"),
    "ground.field-status": (ERROR, "a status of a stated fact is not what its quote says"),
    "ground.field-office": (ERROR, "an office holder is not named with that office's title in the quote"),
    "ground.field-unquoted": (ERROR, "an `unquoted` declaration is malformed, or has no note"),
    "ground.field-unquoted-verified": (WARNING, "a field declared `unquoted` is in fact carried by the quote"),
    # time
    "time.after-as-of": (ERROR, "a date lies after the snapshot's as_of"),
    "time.overlapping-status": (ERROR, "two statuses of one (organization, member) are open at once"),
    "time.overlapping-term": (ERROR, "two terms of one office are open at once"),
    # snapshot metadata
    "snapshot.meta": (ERROR, "snapshot.yaml does not describe its folder"),
    # a fact `bluebook new-year` carried forward that the curator has not confirmed yet
    "carried.unconfirmed": (WARNING, "a fact carried forward from the previous year awaits the new edition"),
    # Great Expectations suites (expectations/*.json); a failed expectation is `expect.<its type>`
    "expect.suite-invalid": (ERROR, "a suite file cannot be loaded as a GX 1.x suite of a table or view"),
    "expect.not-evaluated": (ERROR, "an expectation raised an error instead of returning a result"),
    # across years (successive snapshots)
    "year.silent-drop": (ERROR, "an open state fact of one year is missing from the next"),
    "year.illegal-transition": (ERROR, "a status moves in a way time does not allow (expired → in_force)"),
    "year.status-reverted": (WARNING, "a membership moves back a stage (member → invited) without a later date"),
    "year.since-rewritten": (WARNING, "a fact's `since` differs between years with the same status"),
    "year.indicator-restated": (WARNING, "an indicator's value differs between years"),
}


@dataclass(frozen=True)
class Location:
    """Where a record stands: a file, a line, and the git revision it was read at (None: the
    working tree)."""

    file: str
    line: int = 0
    rev: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} (at {self.rev})" if self.rev else where


@dataclass(frozen=True, order=True)
class Violation:
    """One broken contract, located as precisely as the layer that found it can."""

    file: str = ""
    line: int = 0
    code: str = ""
    severity: Severity = ERROR
    message: str = ""
    hint: str = ""
    year: str = ""
    table: str = ""
    id: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def where(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_dict(self) -> dict:
        d = asdict(self)
        d["where"] = self.where
        if not d["extra"]:
            del d["extra"]
        return d


def violation(code: str, message: str, hint: str = "", *, severity: Severity | None = None, **where) -> Violation:
    """Build a violation with the code's default severity (codes outside CODES must give one)."""
    if severity is None:
        severity = CODES[code][0]
    return Violation(code=code, severity=severity, message=message, hint=hint, **where)


def report_order(v: Violation) -> tuple:
    """The order of every report: file, line, code, fact id, message."""
    return (v.file, v.line, v.code, v.id, v.message)
