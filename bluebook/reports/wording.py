"""The words reports use for statuses, fields and changes, so that a sentence says exactly what
the record says ("is named as … (in 2025-09)", "entered into force") and no code leaks into it.

These tables are the report wording of the domain vocabulary; they move into
`bluebook/vocabulary.py` when that module holds the meaning of each status."""

from __future__ import annotations

# Per table and status: (the state in words, the verb phrase for reaching it).
STATUS_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "memberships": {
        "member": ("a member", "became a member of"),
        "associate": ("an associate member", "became an associate member of"),
        "partner": ("a partner", "became a partner of"),
        "observer": ("an observer", "became an observer of"),
        "candidate": ("a candidate", "became a candidate for"),
        "invited": ("invited to join", "was invited to join"),
        "suspended": ("suspended", "suspended its participation in"),
        "frozen": ("frozen", "froze its participation in"),
        "withdrawn": ("withdrawn", "withdrew from"),
    },
    "agreements": {
        "negotiating": ("under negotiation", "is under negotiation"),
        "signed": ("signed", "was signed"),
        "in_force": ("in force", "entered into force"),
        "suspended": ("suspended", "was suspended"),
        "expired": ("expired", "expired"),
        "terminated": ("terminated", "was terminated"),
    },
}
# The date column that dates an agreement's status (no date is claimed for the others).
AGREEMENT_STATUS_DATE = {"signed": "signed", "in_force": "in_force", "expired": "ended", "terminated": "ended"}

MEASURE_ACTIONS = {"imposed": "imposed", "tightened": "tightened", "eased": "eased", "lifted": "lifted"}

# How a field is named in "the … changed from … to …".
FIELD_WORDS = {
    "status": "status", "since": "start date", "until": "end date",
    "attested": "date on which the source names the holder in office",
    "signed": "date of signing", "in_force": "date of entry into force", "ended": "end date",
    "title_en": "English title", "title_ja": "Japanese title", "kind": "kind", "parties": "parties",
    "participants": "participants", "date": "date", "end_date": "end date", "place": "place",
    "country": "country", "office": "office", "person": "person", "organization": "organization",
    "member": "member", "imposer": "imposing party", "target": "target", "action": "action",
    "metric": "metric", "subject": "subject", "counterpart": "counterpart", "period": "period",
    "value": "value", "unit": "unit", "baseline_period": "baseline period", "qualifier": "qualifier",
    "basis": "basis", "source": "source", "section": "section", "evidence": "quote", "note": "note",
    "unquoted": "fields the quote does not carry",
}
# Columns whose values are entity references (shown by name).
REFERENCE_FIELDS = frozenset({"organization", "member", "parties", "person", "imposer", "target", "participants",
                              "country", "subject", "counterpart"})

KIND_TITLES = {
    "added": "added", "succeeded": "succeeded", "status_changed": "status changed", "ended": "ended",
    "revised": "revised", "retired": "retired", "silent_drop": "silent drops", "provenance": "provenance only",
}

BASIS_WORDS = {
    "stated": "stated: quoted from the held text, the quote verified",
    "cited": "cited: from a source named by URL, not held",
    "inferred": "inferred by the curator (the note says how)",
}


def status_state(table: str, status) -> str:
    """'in_force' → 'in force'; an unknown status is shown as it is."""
    return STATUS_WORDS.get(table, {}).get(status, (str(status).replace("_", " "), ""))[0]


def status_verb(table: str, status) -> str:
    words = STATUS_WORDS.get(table, {}).get(status)
    return words[1] if words else f"is {str(status).replace('_', ' ')} in"


def field_words(name: str) -> str:
    return FIELD_WORDS.get(name, name.replace("_", " "))
