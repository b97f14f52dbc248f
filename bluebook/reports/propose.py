"""`bluebook propose YEAR`: for each body sentence of the held text that no fact of the year cites,
the candidate records the reader finds in it — table, date, entities, figures, status — with the
quote filled in, as YAML a curator pastes into the snapshot and then checks. Nothing is invented:
what the reader cannot tell (an English title, a kind, which entity imposes and which is targeted)
is left as a comment naming the field, so `bluebook check` asks for it until it is written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bluebook import vocabulary
from bluebook.contracts.fields import gazetteer, reviewed_year
from bluebook.data.canonical import dump_table
from bluebook.data.heldtext import HeldText, Paragraph, content_length, split_quote
from bluebook.data.load import Record
from bluebook.data.project import Project, Snapshot
from bluebook.errors import UnreadableInput
from bluebook.reader import Reading, read
from bluebook.reader.text import normalize_mapped, shown
from bluebook.violations import ERROR

MAX_QUOTE = 300  # the longest evidence the schema allows

# Agreement words → kind (longest first), for a candidate agreement.
AGREEMENT_KINDS = (
    ("交換公文", "exchange_of_notes"),
    ("共同声明", "joint_statement"),
    ("プレスリリース", "joint_statement"),
    ("コミュニケ", "communique"),
    ("共同宣言", "declaration"),
    ("宣言", "declaration"),
    ("プログラム", "programme"),
    ("覚書", "memorandum"),
    ("租税条約", "convention"),
    ("条約", "treaty"),
    ("協定", "agreement"),
    ("書簡", "exchange_of_notes"),
)
# Nouns without which a status word does not make a measure (連携強化 strengthens cooperation, not sanctions).
MEASURE_NOUNS = ("制裁", "措置", "禁輸", "禁止", "関税", "プライス・キャップ", "制限", "輸出管理")
STATUS_DATE = {
    "signed": "signed",
    "adopted": "adopted",
    "issued": "issued",
    "in_force": "in_force",
    "expired": "ended",
    "terminated": "ended",
}


@dataclass
class Sentence:
    """A sentence of a body paragraph: its place and its text as the source gives it."""

    paragraph: Paragraph
    number: int  # 1-based within the paragraph
    norm: tuple[int, int]  # span in the paragraph's normalized text
    text: str  # the sentence as quoted: ruby marks and line breaks dropped, characters as in the source


@dataclass
class Proposal:
    sentence: Sentence
    reading: Reading
    records: list[tuple[str, dict, list[str]]] = field(default_factory=list)  # (table, record, comments)


def sentences(p: Paragraph) -> list[Sentence]:
    """The sentences of a paragraph, split after each 。 (a closing bracket stays with its sentence)."""
    mapped = normalize_mapped(p.raw)
    out, start = [], 0
    for m in re.finditer(r"。[」）)]?", mapped.norm):
        out.append((start, m.end()))
        start = m.end()
    if start < len(mapped.norm):
        out.append((start, len(mapped.norm)))
    result = []
    for i, (s, e) in enumerate(out, 1):
        raw_s, raw_e = mapped.raw_span(s, e)
        result.append(Sentence(p, i, (s, e), shown(p.raw[raw_s:raw_e])))
    return result


def cited_spans(snapshot: Snapshot, text: HeldText, source_id: str) -> dict[int, list[tuple[int, int]]]:
    """Per paragraph, the spans of its normalized text that the year's quotes cover."""
    out: dict[int, list[tuple[int, int]]] = {}
    for table in vocabulary.FACT_TABLE_NAMES:
        for rec in snapshot.records(table):
            evidence = rec.data.get("evidence")
            if rec.data.get("source") != source_id or not isinstance(evidence, str):
                continue
            parts = split_quote(evidence)
            for p in text.locate(evidence):
                pos = 0
                for part in parts:
                    i = p.text.find(part, pos)
                    if i < 0:
                        break
                    out.setdefault(p.number, []).append((i, i + len(part)))
                    pos = i + len(part)
    return out


def uncited_sentences(snapshot: Snapshot, text: HeldText, source_id: str) -> list[Sentence]:
    """Body sentences that no quote of the year touches."""
    covered = cited_spans(snapshot, text, source_id)
    out = []
    for p in text.paragraphs:
        if p.kind != "body":
            continue
        spans = covered.get(p.number, [])
        for s in sentences(p):
            if content_length(split_quote(s.text)) >= 8 and not any(a < s.norm[1] and s.norm[0] < b for a, b in spans):
                out.append(s)
    return out


def propose(project: Project, year: str, source: Record, text: HeldText) -> list[Proposal]:
    snapshot = project.snapshots[year]
    names = gazetteer(project)
    reviewed = reviewed_year(source, snapshot)
    out = []
    for s in uncited_sentences(snapshot, text, source.id):
        quote = s.text if len(s.text) <= MAX_QUOTE else _trim(s.text)
        reading = read(quote, s.paragraph.raw, s.paragraph.section, reviewed, names)
        proposal = Proposal(s, reading)
        proposal.records = _candidates(year, source.id, s, quote, reading, reviewed, project)
        out.append(proposal)
    return out


def _trim(text: str) -> str:
    """A quote of at most MAX_QUOTE characters, cut after a comma where one is near the end."""
    cut = text.rfind("、", 0, MAX_QUOTE)
    return text[: cut + 1 if cut > MAX_QUOTE // 2 else MAX_QUOTE]


def _provenance(source_id: str, s: Sentence, quote: str) -> dict[str, object]:
    return {"basis": "stated", "source": source_id, "section": s.paragraph.section, "evidence": quote}


def _candidates(
    year: str, source_id: str, s: Sentence, quote: str, reading: Reading, reviewed: int, project: Project
) -> list[tuple[str, dict, list[str]]]:
    kinds = {e: (r.data.get("kind") or "") for e, r in project.entity_index.items()}
    named = list(dict.fromkeys(e for n in reading.names for e in n.entities))
    orgs = [e for e in named if kinds.get(e) == "organization"]
    countries = [e for e in named if kinds.get(e) == "country"]
    dates = [d for d in reading.dates]
    first = dates[0].value if dates else str(reviewed)
    stem = f"{first[:7] if len(first) >= 7 else first}.proposed-p{s.paragraph.number}-s{s.number}"
    found = "; ".join(m.describe() for m in reading.mentions()) or "nothing"
    prov = _provenance(source_id, s, quote)
    out: list[tuple[str, dict, list[str]]] = []

    def statuses(domain: str) -> list[str]:
        return list(dict.fromkeys(x.value for x in reading.statuses if x.domain == domain and not x.negated))

    for status in statuses("membership"):
        if not orgs or not countries:
            break
        for member in countries:
            rec: dict[str, object] = {
                "id": f"{orgs[0].lower()}.{member.lower()}.proposed",
                "organization": orgs[0],
                "member": member,
                "status": status,
            }
            if dates:
                rec["since"] = first
            out.append(("memberships", {**rec, **prov}, ["check member and status against the quote"]))
    agreement_kind = next((k for word, k in AGREEMENT_KINDS if word in quote), None)
    for status in statuses("agreement") if agreement_kind else []:
        if status == "negotiating":
            continue
        kind = agreement_kind
        title = re.search(r"「([^」]+)」", quote)
        rec = {"id": f"{stem}.agreement", "kind": kind, "parties": countries or ["?"], "status": status}
        if title:
            rec["title_ja"] = title.group(1)
        if dates and status in STATUS_DATE:
            rec[STATUS_DATE[status]] = first
        out.append(("agreements", {**rec, **prov}, ["to fill in: title_en" + ("" if title else ", title_ja")]))
        break
    for action in statuses("measure") if any(n in quote for n in MEASURE_NOUNS) else []:
        if action == "extended":
            continue
        rec = {"id": f"{stem}.measure", "action": action, "date": first}
        out.append(
            (
                "measures",
                {**rec, **prov},
                [
                    f"to fill in: imposer and target (the quote names {', '.join(named) or 'no entity'}), "
                    "kind (sanctions, asset_freeze, export_ban, import_ban, price_cap, tariff, other), title_en"
                ],
            )
        )
        break
    for f in reading.figures:
        if f.kind not in ("amount", "percent"):
            continue
        value = int(f.value) if float(f.value).is_integer() else f.value
        rec = {"id": f"{stem}.indicator", "period": first[:4], "value": value, "unit": f.unit}
        if f.qualifier:
            rec["qualifier"] = f.qualifier
        out.append(
            (
                "indicators",
                {**rec, **prov},
                [
                    f"to fill in: metric (bluebook/schemas/metrics.py), subject and counterpart (the quote names "
                    f"{', '.join(named) or 'no entity'}); the figure is {f.describe()}"
                ],
            )
        )
    if not out:
        rec = {"id": f"{stem}", "date": first}
        if dates and dates[0].end:
            rec["end_date"] = dates[0].end
        rec["participants"] = named or ["?"]
        out.append(
            (
                "events",
                {**rec, **prov},
                [
                    "to fill in: kind (summit, meeting, visit, call, talks, election, exercise, test, announcement, "
                    "law, incident, conference, other), title_en"
                ],
            )
        )
    for _, _, comments in out:
        comments.append(f"the reader found: {found}")
        if not dates:
            comments.append(f"the sentence gives no date: {first} is the year the text reviews")
    return out


def render_proposals(proposals: list[Proposal], year: str, source_id: str) -> str:
    """The proposals as YAML with comments, grouped by the table file they go into."""
    lines = [
        f"# Candidate records for the {len(proposals)} body sentences of {source_id} that no fact of {year} cites.",
        f"# Paste each into snapshots/{year}/<table>.yaml, fill in what the comments ask, rename the id,",
        f"# then run `bluebook check {year}`: the quote is verified and every field read from it.",
    ]
    by_table: dict[str, list[str]] = {}
    for p in proposals:
        where = (
            f"¶{p.sentence.paragraph.number} line {p.sentence.paragraph.line} [{p.sentence.paragraph.section}] "
            f"sentence {p.sentence.number}"
        )
        for table, record, comments in p.records:
            text = dump_table([{k: v for k, v in record.items() if k in vocabulary.columns(table)}], table)
            block = [f"# {where}"] + text.rstrip("\n").split("\n") + [f"  # {c}" for c in comments]
            by_table.setdefault(table, []).append("\n".join(block))
    for table in vocabulary.FACT_TABLE_NAMES:
        if table in by_table:
            lines += ["", f"# --- {table}.yaml ---"] + by_table[table]
    return "\n".join(lines) + "\n"


def held_source(project: Project, year: str, source_id: str | None = None) -> tuple[Record, HeldText]:
    """The source whose held text `coverage` and `propose` read for a year (its first held source
    unless `source_id` is given), and that text. Raises UnreadableInput when the year's files cannot
    be read whole (what they cite would show as uncited, and be proposed again), ValueError when
    there is no usable held text."""
    errors = [v for v in project.problems if v.severity == ERROR and v.year in ("", year)]
    if errors:
        raise UnreadableInput(f"the {year} snapshot", errors)
    snapshot = project.snapshots[year]
    sources = project.source_index
    if source_id is None:  # the year's first held source
        listed = snapshot.meta.data.get("sources", []) if snapshot.meta else []
        held = [s for s in listed if s in sources and sources[s].data.get("path")]
        source_id = held[0] if held else ""
    source = sources.get(source_id)
    text = project.held_text(source) if source is not None and source.data.get("path") else None
    if source is None or text is None:
        raise ValueError(
            f"no held source text for {year} ({source_id or 'none listed'}), or it does not match "
            "its sha256 (`bluebook check` says which)"
        )
    return source, text


def propose_year(project: Project, year: str, source_id: str | None = None) -> str:
    """The proposals for a year as YAML (the year's first held source unless `source_id` is given);
    ValueError when the year has no usable held source text, UnreadableInput when the year's files
    cannot be read whole (the facts of a file that failed to load would be proposed again)."""
    source, text = held_source(project, year, source_id)
    return render_proposals(propose(project, year, source, text), year, source.id)
