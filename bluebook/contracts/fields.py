"""Field grounding: a `stated` fact says what its quote says.

Grounding finds each quote in the held text; this layer reads it (`bluebook.reader`) and checks every
date, figure, entity reference and status of the record against what the quote states — or, for a
year, against the paragraph around the quote and the year the text reviews, and for an office holder's
country against what the office title implies (`岩屋外務大臣` → JPN). A field the quote does not carry
is declared in `unquoted: [field, …]` (or `field=item` for one item of a list), and the record's
`note` says where its value comes from. Returns violations; never raises for bad data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bluebook import vocabulary
from bluebook.contracts.grounding import Grounding
from bluebook.data.load import Record
from bluebook.data.project import Project, Snapshot
from bluebook.reader import Gazetteer, Reading, read
from bluebook.violations import Violation, violation

# The fields of each table the reader checks, and their kind.
FIELDS: dict[str, dict[str, str]] = {
    "memberships": {"organization": "entity", "member": "entity", "status": "status", "since": "date", "until": "date"},
    "agreements": {
        "parties": "entity",
        "status": "status",
        "signed": "date",
        "adopted": "date",
        "issued": "date",
        "in_force": "date",
        "ended": "date",
    },
    "officeholders": {"person": "entity", "office": "office", "since": "date", "until": "date", "attested": "date"},
    "measures": {"imposer": "entity", "target": "entity", "action": "status", "date": "date"},
    "events": {"participants": "entity", "country": "entity", "date": "date", "end_date": "date"},
    "indicators": {
        "subject": "entity",
        "counterpart": "entity",
        "value": "figure",
        "period": "date",
        "baseline_period": "date",
    },
}
KINDS = ("date", "figure", "entity", "status", "office")
# The reader's status words by the table whose status column they belong to.
STATUS_DOMAIN = {"memberships": "membership", "agreements": "agreement", "measures": "measure"}
# The values each status column allows (the vocabulary's statuses; the measures' actions).
_STATUS_VALUES = {
    table: frozenset(vocabulary.TABLES[table].status_names or vocabulary.MEASURE_ACTIONS) for table in STATUS_DOMAIN
}
VERIFIED, DECLARED, UNSUPPORTED = "verified", "declared", "unsupported"


@dataclass(frozen=True)
class FieldCheck:
    """The outcome for one field (or one item of a list field) of one stated fact."""

    year: str
    table: str
    id: str
    field: str
    item: str | None
    kind: str
    value: str
    outcome: str  # verified | declared | unsupported
    via: str = ""  # quote | paragraph | section (where the reader found it)
    said: str = ""  # what the quote says instead, for an unsupported field


@dataclass
class FieldReport:
    checks: list[FieldCheck] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


def check_fields(project: Project, snapshot: Snapshot, grounding: Grounding) -> list[Violation]:
    """Violations of field grounding in one snapshot (run after `check_grounding`, whose findings
    say in which paragraph each quote lies)."""
    return read_fields(project, snapshot, grounding).violations


_GAZETTEER: dict[int, tuple[object, Gazetteer]] = {}


def gazetteer(project: Project) -> Gazetteer:
    """The names of the project's entity registry, built once per loaded registry."""
    key = id(project.entities)
    cached = _GAZETTEER.get(key)
    if cached is None or cached[0] is not project.entities:
        cached = (project.entities, Gazetteer(r.data for r in project.entities.records))
        _GAZETTEER.clear()
        _GAZETTEER[key] = cached
    return cached[1]


def reviewed_year(source: Record, snapshot: Snapshot) -> int:
    """The year a held text reviews: the Diplomatic Bluebook of year N reviews year N-1; any other
    held text is read as reviewing the snapshot's year."""
    m = re.search(r"Bluebook\s+(\d{4})", str(source.data.get("edition", "")))
    return int(m.group(1)) - 1 if m else int(snapshot.year)


def read_fields(project: Project, snapshot: Snapshot, grounding: Grounding) -> FieldReport:
    report = FieldReport()
    names = gazetteer(project)
    sources = project.source_index
    entity_index = project.entity_index
    for table, fields in FIELDS.items():
        for rec in snapshot.records(table):
            declared = _declarations(rec, table, fields, snapshot, report)
            if rec.data.get("basis") != "stated" or not isinstance(rec.data.get("evidence"), str):
                continue
            found = grounding.found.get((snapshot.year, table, rec.id))
            source_id = rec.data.get("source")
            source = sources.get(source_id) if isinstance(source_id, str) else None
            text = project.held_text(source) if source is not None and source.data.get("path") else None
            if not found or source is None or text is None:
                continue  # not grounded: grounding (or the schema, for a malformed source) reports it
            paragraph = text.paragraphs[found[0] - 1]
            reading = read(
                rec.data["evidence"], paragraph.raw, paragraph.section, reviewed_year(source, snapshot), names
            )
            _check_record(snapshot, table, rec, fields, reading, declared, entity_index, report)
    return report


def _entries(rec: Record, field_name: str) -> list[str | None]:
    value = rec.data.get(field_name)
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [None] if value is not None else []


def _declarations(
    rec: Record, table: str, fields: dict[str, str], snapshot: Snapshot, report: FieldReport
) -> set[tuple[str, str | None]]:
    """The (field, item) pairs the record declares unquoted; a malformed declaration is a violation."""
    value = rec.data.get("unquoted")
    if value is None:
        return set()
    where = snapshot.where(table, rec, "unquoted")
    allowed = ", ".join(fields)

    def problem(message: str, hint: str) -> None:
        report.violations.append(violation("ground.field-unquoted", message, hint, **where))

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problem("unquoted must be a list of field names", f"write unquoted: [since] (fields of {table}: {allowed})")
        return set()
    if rec.data.get("basis") != "stated":
        problem(
            f"unquoted is for stated facts; this one is {rec.data.get('basis')}",
            "remove unquoted: the note of a cited or inferred fact already says whence it comes",
        )
        return set()
    if not isinstance(rec.data.get("note"), str):
        problem(
            "unquoted lists fields, but there is no note saying where their values come from",
            "add a note naming the source of each unquoted field (another paragraph, a cited source, …)",
        )
    out: set[tuple[str, str | None]] = set()
    for entry in value:
        name, _, item = entry.partition("=")
        if name not in fields:
            problem(
                f"unquoted names '{name}', which is not a field the reader checks in {table}", f"name one of: {allowed}"
            )
            continue
        present = rec.data.get(name)
        if present is None:
            problem(f"unquoted names '{name}', which the record does not have", f"remove '{entry}' from unquoted")
            continue
        if item:
            if not isinstance(present, list) or item not in present:
                problem(
                    f"unquoted names '{entry}', but {item} is not an item of {name}",
                    f"write {name}=<one of {', '.join(map(str, present)) if isinstance(present, list) else name}>",
                )
                continue
            out.add((name, item))
        elif isinstance(present, list):
            out.update((name, v) for v in present if isinstance(v, str))
        else:
            out.add((name, None))
    return out


def _check_record(
    snapshot: Snapshot,
    table: str,
    rec: Record,
    fields: dict[str, str],
    reading: Reading,
    declared: set[tuple[str, str | None]],
    entity_index: dict[str, Record],
    report: FieldReport,
) -> None:
    for name, kind in fields.items():
        for item in _entries(rec, name):
            value = item if item is not None else rec.data.get(name)
            if (
                not _readable(kind, value)
                or not _known(table, kind, value, entity_index)
                or (kind == "office" and not isinstance(rec.data.get("person"), str))
            ):
                continue  # a value of the wrong type or outside its vocabulary is the schema's (or the
                # references') to report, once
            via, said = _support(table, rec, name, kind, value, reading, entity_index)
            is_declared = (name, item) in declared
            outcome = DECLARED if is_declared else VERIFIED if via else UNSUPPORTED
            report.checks.append(
                FieldCheck(snapshot.year, table, rec.id, name, item, kind, _show(rec, name, value), outcome, via, said)
            )
            where = snapshot.where(table, rec, name)
            if is_declared and via:
                entry = f"{name}={item}" if item is not None else name
                report.violations.append(
                    violation(
                        "ground.field-unquoted-verified",
                        f"unquoted lists {entry}, but the quote carries it: {said or via}",
                        f"remove '{entry}' from unquoted (and the words on it from the note)",
                        **where,
                    )
                )
            elif outcome == UNSUPPORTED:
                entry = f"{name}={item}" if item is not None else name
                report.violations.append(
                    violation(
                        f"ground.field-{kind}",
                        f"{_show(rec, name, value, with_field=True)}, but {said}",
                        f"correct {name} from the quote, or declare it with unquoted: [{entry}] and say in the note "
                        "where the value comes from",
                        **where,
                    )
                )


def _readable(kind: str, value) -> bool:
    """A value the reader can be asked about: a number for a figure, a string for the rest."""
    if kind == "figure":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, str)


def _known(table: str, kind: str, value, entity_index: dict[str, Record]) -> bool:
    """A value its column allows: a status of the table's vocabulary, an entity of the registry (an
    unknown one is schema.enum's or ref.*'s to report)."""
    if kind == "status":
        return value in _STATUS_VALUES[table]
    if kind == "entity":
        return value in entity_index
    return True


def _show(rec: Record, name: str, value, with_field: bool = False) -> str:
    if name == "value":
        unit = rec.data.get("unit") or ""
        qualifier = rec.data.get("qualifier")
        shown = f"{value} {unit}".strip() + (f" ({qualifier})" if qualifier else "")
    else:
        shown = str(value)
    return f"{name} {shown}" if with_field else shown


def _support(
    table: str, rec: Record, name: str, kind: str, value, reading: Reading, entity_index: dict[str, Record]
) -> tuple[str, str]:
    """('quote' | 'paragraph' | 'section', what the reader found) when the value is supported;
    ('', what the quote says instead) when it is not."""
    if kind == "date":
        return _date_support(str(value), reading)
    if kind == "figure":
        return _figure_support(rec, value, reading)
    if kind == "entity":
        return _entity_support(str(value), reading, entity_index)
    if kind == "status":
        return _status_support(STATUS_DOMAIN[table], str(value), reading)
    if kind == "office":
        return _office_support(rec, str(value), reading)
    return "", "no reading"


def _within(point: str, value: str) -> bool:
    """The text's partial date `point` lies in the record's `value`, which is as precise or coarser
    (a record may say less than the text, never more)."""
    return point == value or (len(value) < len(point) and point.startswith(value + "-"))


def _date_support(value: str, reading: Reading) -> tuple[str, str]:
    for d in reading.dates:
        if any(_within(p, value) for p in d.points):
            return "quote", d.describe()
    context_years = reading.context.years() if reading.context else set()
    if len(value) == 4 and value in context_years:
        return "paragraph", f"the paragraph names {value}"
    if len(value) == 4 and not reading.dates and reading.year is not None and value == str(reading.year):
        return "section", f"the section reviews {value}"
    said = "; ".join(dict.fromkeys(d.describe() for d in reading.dates))
    if said:
        return "", f"the quote says {said}"
    years = ", ".join(sorted(context_years))
    return "", "the quote gives no date" + (f" (its paragraph names {years})" if years else "") + (
        f" and the section reviews {reading.year}" if reading.year else ""
    )


def _figure_support(rec: Record, value, reading: Reading) -> tuple[str, str]:
    if not isinstance(value, (int, float)):
        return "", "the value is not a number"
    unit = rec.data.get("unit")
    qualifier = rec.data.get("qualifier")
    change = rec.data.get("baseline_period") is not None  # a change metric: its value is a signed percentage
    near = []
    for f in reading.figures:
        if unit == "percent" and f.unit == "ratio" and change:  # 2倍 is +100 %
            expected, tolerance = (f.value - 1) * 100, f.tolerance * 100
        elif f.unit == unit:
            expected, tolerance = f.value, f.tolerance
        else:
            continue
        if abs(float(value) - expected) <= tolerance + 1e-9 * abs(expected):
            if (qualifier or None) == f.qualifier:
                return "quote", f.describe()
            near.append(f"{f.describe()}, which is {f.qualifier or 'exact'}, not {qualifier or 'exact'}")
        else:
            near.append(f.describe())
    if near:
        return "", "the quote says " + "; ".join(dict.fromkeys(near))
    shown = "; ".join(dict.fromkeys(f.describe() for f in reading.figures))
    return "", f"the quote says {shown}" if shown else "the quote gives no figure"


def _entity_support(ref: str, reading: Reading, entity_index: dict[str, Record]) -> tuple[str, str]:
    for n in reading.names:
        if ref in n.entities:
            return "quote", n.describe()
    named = sorted(reading.entity_ids())
    name_ja = entity_index[ref].data.get("name_ja") if ref in entity_index else None
    label = f"{ref} ({name_ja})" if name_ja else ref
    return "", (
        f"the quote does not name {label}; it names {', '.join(named)}"
        if named
        else f"the quote names no entity, not {label}"
    )


def _status_support(domain: str, value: str, reading: Reading) -> tuple[str, str]:
    words = [s for s in reading.statuses if s.domain == domain]
    for s in words:
        if s.value == value and not s.negated:
            return "quote", s.describe()
    if words:
        return "", "the quote says " + "; ".join(dict.fromkeys(s.describe() for s in words))
    return "", f"the quote has no {domain} status word"


def _office_support(rec: Record, office: str, reading: Reading) -> tuple[str, str]:
    holder, _, slug = office.partition(".")
    person = rec.data.get("person")
    titled = [n for n in reading.names if n.offices and person in n.entities]
    for n in titled:
        if slug in n.offices and n.office_country == holder:
            return "quote", n.describe()
    if titled:
        return "", "the quote names " + "; ".join(n.describe() for n in titled)
    others = [n for n in reading.names if n.offices]
    if others:
        return "", f"the quote names {person} with no office title; it names " + "; ".join(n.describe() for n in others)
    return "", f"the quote names no office holder with a title ({person} is not named with {slug})"
