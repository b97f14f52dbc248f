"""Grounding: each held source matches its sha256, and every quote is found in its held source (in
its section when one is named). Returns violations; never raises for bad data."""

from __future__ import annotations

from dataclasses import dataclass, field

from bluebook import vocabulary
from bluebook.data.heldtext import HeldText, content_length, load_held_text, normalize, sha256_of, split_quote
from bluebook.data.load import Record, inside, read_text
from bluebook.data.project import Project, Snapshot
from bluebook.text import visible
from bluebook.violations import Violation, violation

# A quote proves something only with enough letters or digits after normalization: "の", "ロシアの"
# or "<sup>(3)</sup>の" are found everywhere. The shortest real quotes have 8 (`上海協力機構 (10)`).
MIN_QUOTE_CONTENT = 8


def held_text(project: Project, source: Record) -> HeldText | None:
    """The source's held text, only when its path stays inside sources/ and its bytes match its
    sha256 (check_sources reports why not otherwise)."""
    rel, sha = source.data.get("path"), source.data.get("sha256")
    if not isinstance(rel, str) or not isinstance(sha, str):
        return None
    path = project.layout.sources_dir / rel
    if not inside(project.layout.sources_dir, path) or not path.is_file():
        return None
    return load_held_text(path, sha)


@dataclass
class Grounding:
    """Which paragraphs of which held source each stated fact was found in (for coverage)."""

    found: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)  # (year, table, id) → paragraphs

def check_sources(project: Project) -> list[Violation]:
    """Each held source exists and matches its sha256."""
    out = []
    for src in project.sources.records:
        rel = src.data.get("path")
        if not isinstance(rel, str):
            continue
        path = project.layout.sources_dir / rel
        where = dict(file=project.sources.rel, line=src.line_of("path"), table="sources", id=src.id)
        text, v = read_text(path, visible(project.layout.rel(path)), max_bytes=16 << 20,
                            within=project.layout.sources_dir)
        if text is None:
            out += [violation(x.code, x.message, x.hint, **where) for x in v]
            continue
        actual = sha256_of(path)
        if src.data.get("sha256") and actual != src.data["sha256"]:
            out.append(violation("ground.sha256-mismatch",
                                 f"{visible(project.layout.rel(path))} has sha256 {actual[:12]}…, the manifest says "
                                 f"{str(src.data['sha256'])[:12]}…",
                                 "never edit a held text; restore it (git checkout) or, for a new edition, update "
                                 "sha256 and re-check every quote", **{**where, "line": src.line_of("sha256")}))
    return out

def check_grounding(project: Project, snapshot: Snapshot, grounding: Grounding) -> list[Violation]:
    """Every quote (of a stated fact, or the premise of an inferred one) is found in its held
    source, in its section when one is named."""
    sources = project.source_index()
    out: list[Violation] = []
    for table in vocabulary.FACT_TABLE_NAMES:
        for rec in snapshot.records(table):
            evidence = rec.data.get("evidence")
            source = sources.get(rec.data.get("source"))
            if not isinstance(evidence, str) or source is None:
                continue
            if not source.data.get("path"):
                continue  # reported as ref.source-not-held
            text = held_text(project, source)
            where = snapshot.where(table, rec, "evidence")
            if text is None:
                continue  # reported by check_sources (missing, outside sources/, or not its sha256)
            fragments = split_quote(evidence)
            if content_length(fragments) < MIN_QUOTE_CONTENT:
                out.append(violation(
                    "ground.evidence-too-short",
                    f"the quote has {content_length(fragments)} letters or digits after normalization "
                    f"(ruby, footnote marks and spaces removed); a quote needs at least {MIN_QUOTE_CONTENT}",
                    "quote enough of the sentence to say what the fact states", **where))
                continue
            section = rec.data.get("section") if isinstance(rec.data.get("section"), str) else None
            if section and normalize(section) not in text.section_names:
                section = None  # reported once, as ref.unknown-section
            found = text.locate(evidence, section)
            if len(found) > 1:
                out.append(violation(
                    "ground.evidence-ambiguous",
                    f"the quote occurs in {len(found)} paragraphs of {source.id} (lines "
                    f"{', '.join(str(p.line) for p in found[:5])}), so it does not say which one states the fact",
                    "quote more of the sentence, or join it to a distinctive fragment with '…'", **where))
                continue
            if found:
                grounding.found[(snapshot.year, table, rec.id)] = [p.number for p in found]
                continue
            anywhere = text.locate(evidence) if section else []
            if anywhere:
                grounding.found[(snapshot.year, table, rec.id)] = [p.number for p in anywhere]
                out.append(violation(
                    "ground.evidence-outside-section",
                    f"the evidence is in '{anywhere[0].section}' (line {anywhere[0].line}), not in '{section}'",
                    f"set section: {anywhere[0].section}", **where))
            else:
                out.append(violation("ground.evidence-not-found",
                                     f"evidence not found in {source.id}: '{evidence[:40]}{'…' if len(evidence) > 40 else ''}'",
                                     text.closest(evidence) + "; quote the source verbatim", **where))
    return out
