"""The words reports use for fields, kinds of change and bases, so that a sentence says exactly
what the record says and no code leaks into it. A status's words and verb are the domain
vocabulary's (`bluebook/vocabulary.py`)."""

from __future__ import annotations

from bluebook import vocabulary

# How a field is named in "the … changed from … to …".
FIELD_WORDS = {
    "status": "status",
    "since": "start date",
    "until": "end date",
    "attested": "date on which the source names the holder in office",
    "signed": "date of signing",
    "adopted": "date of adoption",
    "issued": "date of issue",
    "in_force": "date of entry into force",
    "ended": "end date",
    "title_en": "English title",
    "title_ja": "Japanese title",
    "kind": "kind",
    "parties": "parties",
    "participants": "participants",
    "date": "date",
    "end_date": "end date",
    "place": "place",
    "country": "country",
    "office": "office",
    "person": "person",
    "organization": "organization",
    "member": "member",
    "imposer": "imposing party",
    "target": "target",
    "action": "action",
    "metric": "metric",
    "subject": "subject",
    "counterpart": "counterpart",
    "period": "period",
    "value": "value",
    "unit": "unit",
    "baseline_period": "baseline period",
    "qualifier": "qualifier",
    "basis": "basis",
    "source": "source",
    "section": "section",
    "evidence": "quote",
    "note": "note",
    "unquoted": "fields the quote does not carry",
}
# Columns whose values are entity references (shown by name).
REFERENCE_FIELDS = frozenset(vocabulary.REFERENCE_COLUMNS)

KIND_TITLES = {
    "added": "added",
    "succeeded": "succeeded",
    "status_changed": "status changed",
    "ended": "ended",
    "revised": "revised",
    "retired": "retired",
    "silent_drop": "silent drops",
    "provenance": "provenance only",
    "carried": "carried, awaiting the new edition",
}

BASIS_WORDS = {
    "stated": "stated: quoted from the held text, the quote verified",
    "cited": "cited: from a source named by URL, not held",
    "inferred": "inferred by the curator (the note says how)",
}


def status_state(table: str, status) -> str:
    """'in_force' → 'in force'; an unknown status is shown as it is."""
    s = vocabulary.status(table, status)
    return s.words if s else str(status).replace("_", " ")


def status_verb(table: str, status) -> str:
    s = vocabulary.status(table, status)
    return s.verb if s else f"is {str(status).replace('_', ' ')} in"


def status_date_column(table: str, status) -> str | None:
    """The date column that dates a status (no date is claimed for a status that has none)."""
    s = vocabulary.status(table, status)
    if s is None:
        return None
    return s.needs or (s.name if s.name in vocabulary.DATE_COLUMNS else None)


def field_words(name: str) -> str:
    return FIELD_WORDS.get(name, name.replace("_", " "))
