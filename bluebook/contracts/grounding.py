"""Grounding: each held source lies inside sources/ and matches its sha256, and every quote is found
in its held source (in its section when one is named), long and specific enough to prove
something. Returns violations and the paragraphs each quote was found in; never raises for bad
data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from bluebook import vocabulary
from bluebook.data.heldtext import content_length, normalize, split_quote
from bluebook.data.load import decode
from bluebook.data.project import Project, Snapshot
from bluebook.text import visible
from bluebook.violations import Violation, violation

# A quote proves something only with enough letters or digits after normalization: "の", "ロシアの"
# or "<sup>(3)</sup>の" are found everywhere. The shortest real quotes have 8 (`上海協力機構 (10)`).
MIN_QUOTE_CONTENT = 8

FactKey = tuple[str, str, str]  # (year, table, id)
# An input of the grounding-rate view besides the table files: when a held text cannot be used
# (missing, outside sources/, not its sha256), no quote is verified and the rate says nothing.
HELD_TEXTS = "(held texts)"


@dataclass
class Grounding:
    """What grounding found: the violations, and the paragraphs of its held source each verified
    quote lies in (for coverage and the grounding-rate view)."""

    violations: list[Violation] = field(default_factory=list)
    found: dict[FactKey, list[int]] = field(default_factory=dict)

    @classmethod
    def joined(cls, parts: Iterable[Grounding]) -> Grounding:
        """What several years' grounding found, together (their violations are each year's own)."""
        return cls(found={key: numbers for part in parts for key, numbers in part.found.items()})


def check_sources(project: Project) -> list[Violation]:
    """Each held source lies inside sources/, can be read, is UTF-8 and matches its sha256."""
    out = []
    for src in project.sources.records:
        rel = src.data.get("path")
        if not isinstance(rel, str):
            continue
        shown = visible(project.layout.rel(project.layout.sources_dir / rel))
        where: dict[str, Any] = dict(file=project.sources.rel, line=src.line_of("path"), table="sources", id=src.id)
        raw, problems = project.held_bytes(src)
        if raw is not None:
            # the held text's own line, named with it (the violation stands at its sources.yaml entry)
            problems = [replace(x, message=f"{shown} line {x.line}: {x.message}") for x in decode(raw, shown)[1]]
        if raw is None or problems:
            out += [violation(x.code, x.message, x.hint, **where) for x in problems]
            continue
        actual = project.held_digest(src)
        if src.data.get("sha256") and actual != src.data["sha256"]:
            out.append(
                violation(
                    "ground.sha256-mismatch",
                    f"{shown} has sha256 {actual[:12]}…, the manifest says {visible(str(src.data['sha256'])[:12])}…",
                    "never edit a held text; restore it (git checkout) or, for a new edition, update "
                    "sha256 and re-check every quote",
                    **{**where, "line": src.line_of("sha256")},
                )
            )
    return out


def ground_snapshot(project: Project, snapshot: Snapshot) -> Grounding:
    """Every quote (of a stated fact, or the premise of an inferred one) is found in its held
    source, in its section when one is named, in exactly one paragraph."""
    result = Grounding()
    out = result.violations
    for table in vocabulary.FACT_TABLE_NAMES:
        for rec in snapshot.records(table):
            evidence = rec.data.get("evidence")
            source = project.source_index.get(rec.data.get("source"))  # type: ignore[arg-type]
            if not isinstance(evidence, str) or source is None:
                continue
            if not source.data.get("path"):
                continue  # reported as ref.source-not-held
            text = project.held_text(source)
            where = snapshot.where(table, rec, "evidence")
            if text is None:
                continue  # reported by check_sources (missing, outside sources/, or not its sha256)
            fragments = split_quote(evidence)
            if content_length(fragments) < MIN_QUOTE_CONTENT:
                out.append(
                    violation(
                        "ground.evidence-too-short",
                        f"the quote has {content_length(fragments)} letters or digits after normalization "
                        f"(ruby, footnote marks and spaces removed); a quote needs at least {MIN_QUOTE_CONTENT}",
                        "quote enough of the sentence to say what the fact states",
                        **where,
                    )
                )
                continue
            section = rec.data.get("section") if isinstance(rec.data.get("section"), str) else None
            if section and normalize(section) not in text.section_names:
                section = None  # reported once, as ref.unknown-section
            found = text.locate(evidence, section)
            if len(found) > 1:
                out.append(
                    violation(
                        "ground.evidence-ambiguous",
                        f"the quote occurs in {len(found)} paragraphs of {source.id} (lines "
                        f"{', '.join(str(p.line) for p in found[:5])}), so it does not say which one states the fact",
                        "quote more of the sentence, or join it to a distinctive fragment with '…'",
                        **where,
                    )
                )
                continue
            if found:
                result.found[(snapshot.year, table, rec.id)] = [p.number for p in found]
                continue
            anywhere = text.locate(evidence) if section else []
            if anywhere:
                result.found[(snapshot.year, table, rec.id)] = [p.number for p in anywhere]
                out.append(
                    violation(
                        "ground.evidence-outside-section",
                        f"the evidence is in '{anywhere[0].section}' (line {anywhere[0].line}), not in '{visible(section)}'",
                        f"set section: {anywhere[0].section}",
                        **where,
                    )
                )
            else:
                out.append(
                    violation(
                        "ground.evidence-not-found",
                        f"evidence not found in {source.id}: '{visible(evidence[:40])}"
                        f"{'…' if len(evidence) > 40 else ''}'",
                        visible(text.closest(evidence)) + "; quote the source verbatim",
                        **where,
                    )
                )
    return result
