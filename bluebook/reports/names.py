"""How entities, offices and records are named in sentences: shared by the change report and
`bluebook history`."""

from __future__ import annotations

from bluebook import vocabulary
from bluebook.changes.sides import Side

TABLE_TITLES = {name: table.title for name, table in vocabulary.TABLES.items()}

OFFICE_TITLES = {
    "prime_minister": "Prime Minister",
    "foreign_minister": "Minister for Foreign Affairs",
    "president": "President",
}


class Names:
    """Entity names for sentences: countries and persons by name, organizations by code."""

    def __init__(self, *sides: Side):
        self.entities: dict[str, dict] = {}
        for side in sides:
            for eid, e in side.entities.items():
                self.entities.setdefault(eid, e)

    def __call__(self, ref) -> str:
        if not isinstance(ref, str):
            return "?"
        entity = self.entities.get(ref)
        if entity is None:
            return ref
        if entity.get("kind") == "organization":
            return ref
        return str(entity.get("name_en") or ref)

    def office(self, office) -> str:
        if not isinstance(office, str) or "." not in office:
            return str(office)
        holder, _, slug = office.partition(".")
        return f"{OFFICE_TITLES.get(slug) or _title(slug)} of {self(holder)}"

    def many(self, refs) -> str:
        return ", ".join(self(r) for r in refs) if isinstance(refs, list) else self(refs)


_SMALL_WORDS = {"of", "for", "to", "and", "the"}

_ACRONYMS = {"pm": "PM", "fm": "FM", "mfa": "MFA"}


def _title(slug: str) -> str:
    """deputy_chairman_cabinet → Deputy Chairman Cabinet; special_adviser_to_pm → Special Adviser to PM."""
    words = slug.split("_")
    return " ".join(_ACRONYMS.get(w) or (w if w in _SMALL_WORDS and i else w.capitalize()) for i, w in enumerate(words))


def label(table: str, record: dict | None, rid: str, names: Names) -> str:
    """How a record is named in a sentence."""
    r = record or {}
    if table == "memberships":
        return f"{names(r.get('member'))} in {names(r.get('organization'))}"
    if table == "officeholders":
        return f"{names(r.get('person'))} as {names.office(r.get('office'))}"
    if table == "indicators":
        pair = "–".join(names(x) for x in (r.get("subject"), r.get("counterpart")) if x)
        return f"{r.get('metric')} {pair} {r.get('period')}"
    return str(r.get("title_en") or rid)
