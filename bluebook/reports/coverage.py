"""`bluebook coverage YEAR`: which paragraphs of a held source no stated fact of the year cites."""

from __future__ import annotations

from dataclasses import dataclass, field

from bluebook import vocabulary
from bluebook.contracts import grounding as ground
from bluebook.contracts.fields import KINDS, FieldReport, read_fields
from bluebook.data.heldtext import Paragraph
from bluebook.data.project import Project
from bluebook.reports.propose import held_source, uncited_sentences
from bluebook.violations import Violation

# Paragraph kinds that carry statements; headings are not paragraphs and captions are set aside.
COUNTED_KINDS = ("body", "footnote", "note")


@dataclass
class Coverage:
    year: str
    source: str
    paragraphs: list[Paragraph]
    cited_by: dict[int, list[str]] = field(default_factory=dict)  # paragraph number → fact ids
    problems: list[Violation] = field(default_factory=list)
    fields: FieldReport = field(default_factory=FieldReport)  # each field of a stated fact: verified, declared or not
    uncited_sentences: int = 0  # body sentences no fact cites (`bluebook propose` drafts records for them)

    def field_shares(self) -> dict[tuple[str, str], dict[str, int]]:
        """(table, kind) → counts of verified, declared and unsupported fields of stated facts."""
        out: dict[tuple[str, str], dict[str, int]] = {}
        for c in self.fields.checks:
            counts = out.setdefault((c.table, c.kind), {"verified": 0, "declared": 0, "unsupported": 0})
            counts[c.outcome] += 1
        return out

    @property
    def counted(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.kind in COUNTED_KINDS]

    @property
    def uncited(self) -> list[Paragraph]:
        return [p for p in self.counted if not self.cited_by.get(p.number)]

    @property
    def share_uncited(self) -> float:
        return len(self.uncited) / len(self.counted) if self.counted else 0.0

    def share_uncited_of(self, kind: str) -> tuple[int, int]:
        """(uncited, all) paragraphs of one kind: body paragraphs are the running text."""
        of_kind = [p for p in self.counted if p.kind == kind]
        return sum(1 for p in of_kind if not self.cited_by.get(p.number)), len(of_kind)


def coverage(project: Project, year: str, source_id: str | None = None) -> Coverage:
    """Which paragraphs of a held source the verified quotes of the year's facts lie in."""
    source, text = held_source(project, year, source_id)
    source_id = source.id
    snapshot = project.snapshots[year]
    grounding = ground.ground_snapshot(project, snapshot)
    report = Coverage(
        year,
        source_id,
        text.paragraphs,
        problems=grounding.violations,
        fields=read_fields(project, snapshot, grounding),
    )
    report.uncited_sentences = len(uncited_sentences(snapshot, text, source_id))
    for table in vocabulary.FACT_TABLE_NAMES:
        for rec in snapshot.records(table):
            if rec.data.get("source") != source_id:
                continue
            for number in grounding.found.get((year, table, rec.id), []):
                report.cited_by.setdefault(number, []).append(f"{table}:{rec.id}")
    return report


def render_coverage(report: Coverage, show_cited: bool = False) -> str:
    lines = [f"coverage of {report.source} by the {report.year} snapshot"]
    for p in report.counted:
        facts = report.cited_by.get(p.number, [])
        if facts and not show_cited:
            continue
        mark = f"{len(facts):>3} facts" if facts else "  UNCITED"
        lines.append(f"  ¶{p.number:<3} line {p.line:<4} {p.kind:<8} {mark}  [{p.section}] {p.preview(50)}")
    n, u = len(report.counted), len(report.uncited)
    per_kind = []
    for kind in COUNTED_KINDS:
        k_uncited, k_all = report.share_uncited_of(kind)
        if k_all:
            per_kind.append(f"{kind} {k_uncited} of {k_all} uncited ({k_uncited / k_all:.0%})")
    lines.append(
        f"{n - u} of {n} paragraphs cited; {u} uncited ({report.share_uncited:.0%}): "
        + "; ".join(per_kind)
        + f"; captions set aside: {sum(p.kind == 'caption' for p in report.paragraphs)}"
    )
    if report.problems:
        lines.append(f"note: {len(report.problems)} grounding problem(s); run `bluebook check {report.year}`")
    lines += render_field_shares(report)
    lines.append(
        f"{report.uncited_sentences} body sentences are cited by no fact: `bluebook propose {report.year}` "
        "drafts candidate records for them"
    )
    return "\n".join(lines)


def render_field_shares(report: Coverage) -> list[str]:
    """Per table and field kind, the fields of stated facts the reader verified in their quotes,
    those declared `unquoted` (with a note) and those unsupported."""
    shares = report.field_shares()
    lines = [
        "",
        f"fields of stated facts read from their quotes ({report.year}):",
        f"  {'table':<14} {'kind':<7} {'verified':>14} {'declared':>14} {'unsupported':>14}",
    ]
    totals = {"verified": 0, "declared": 0, "unsupported": 0}

    def cell(n: int, of: int) -> str:
        return f"{n} ({n / of:.0%})" if of else "0"

    for table in vocabulary.FACT_TABLE_NAMES:
        for kind in KINDS:
            counts = shares.get((table, kind))
            if not counts:
                continue
            n = sum(counts.values())
            for k in totals:
                totals[k] += counts[k]
            lines.append(
                f"  {table:<14} {kind:<7} {cell(counts['verified'], n):>14} {cell(counts['declared'], n):>14} "
                f"{cell(counts['unsupported'], n):>14}"
            )
    n = sum(totals.values())
    lines.append(
        f"  {'all':<14} {'':<7} {cell(totals['verified'], n):>14} {cell(totals['declared'], n):>14} "
        f"{cell(totals['unsupported'], n):>14}"
    )
    return lines
