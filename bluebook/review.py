"""The review: validate every year, check across years, diff each successive pair, write all
reports into a run folder that appears whole or not at all. Plain functions: the Prefect flow in
flows/review.py runs them as tasks; `bluebook review` runs them in a row."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bluebook.changes.diff import SnapshotDiff
from bluebook.changes.sides import Side, diff_sides, load_side
from bluebook.contracts.check import run_across, run_check
from bluebook.data.files import child, safe_name, switch_link, write_atomic
from bluebook.data.project import Layout
from bluebook.reports.changes import RENDERERS, report_stem
from bluebook.reports.violations import check_summary, violations_json, violations_junit, violations_text
from bluebook.text import visible
from bluebook.violations import ERROR, WARNING, Violation


@dataclass
class YearCheck:
    year: str
    violations: list[Violation]
    facts: int
    files: list[str]


@dataclass
class PairDiff:
    base: str
    head: str
    diff: SnapshotDiff
    base_side: Side
    head_side: Side

    @property
    def stem(self) -> str:
        return report_stem(self.base, self.head)

    def render(self, fmt: str) -> str:
        return RENDERERS[fmt](self.diff, self.base_side, self.head_side)


@dataclass
class ReviewResult:
    run_dir: Path
    years: list[str]
    violations: list[Violation]
    pairs: list[PairDiff]
    facts: int
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == ERROR]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def failure_message(self) -> str:
        """What broke, in one line: the codes and the first few facts."""
        broken = self.errors or self.warnings
        codes = sorted({v.code for v in broken})
        first = ", ".join(f"{v.year or '-'}/{v.table or '-'}/{v.id or v.where}" for v in broken[:5])
        more = f" and {len(broken) - 5} more" if len(broken) > 5 else ""
        return visible(f"{len(broken)} broken contract(s): {', '.join(codes)} ({first}{more}); "
                       f"see {self.run_dir / 'check.txt'}")


def validate_year(root: Path, year: str) -> YearCheck:
    result = run_check(root, [year], across=False)
    snap = result.project.snapshots[year]
    return YearCheck(year, result.violations, result.fact_count, [snap.file(t) for t in snap.tables])


def check_across(root: Path, years: list[str]) -> list[Violation]:
    return run_across(root, years) if len(years) > 1 else []


def diff_pair(root: Path, base: str, head: str) -> PairDiff:
    b, h = load_side(root, base), load_side(root, head)
    return PairDiff(base, head, diff_sides(b, h), b, h)


def data_docs_of(root: Path, years: list[str], out_dir: Path) -> Path:
    """GX Data Docs of the suites over `years` into `out_dir` (only the latest run is kept)."""
    from bluebook.contracts.expectations.data_docs import write_check_data_docs

    return write_check_data_docs(run_check(root, years, across=False), out_dir)


def merge_violations(*groups: list[Violation]) -> list[Violation]:
    """One list, without the registry-level repeats each year's check reports."""
    merged = {v for group in groups for v in group}
    return sorted(merged, key=lambda v: (v.file, v.line, v.code, v.id, v.message))


def render_summary(years: list[str], violations: list[Violation], pairs: list[PairDiff], facts: int,
                   strict: bool) -> str:
    errors = sum(v.severity == ERROR for v in violations)
    warnings = sum(v.severity == WARNING for v in violations)
    verdict = "FAILED" if errors or (strict and warnings) else "passed"
    lines = [f"# bluebook review: {verdict}", "", f"- {check_summary(violations, years, facts)}"]
    if violations:
        codes: dict[str, int] = {}
        for v in violations:
            codes[f"{v.severity} {v.code}"] = codes.get(f"{v.severity} {v.code}", 0) + 1
        lines += [f"  - {n} × {code}" for code, n in sorted(codes.items())]
    for p in pairs:
        s = p.diff.summary()
        parts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in s.items() if n)
        lines.append(f"- {p.base} → {p.head}: {parts or 'no changes'} (changes-{p.base}-{p.head}.md)")
    return "\n".join(lines) + "\n"


class RunFolder:
    """Reports of one run: written into `runs/.<name>.partial`, renamed to `runs/<name>` when all
    are written, then `latest` is switched to it. A failed or killed run leaves a `.partial`
    folder and never touches an earlier run or `latest`."""

    def __init__(self, out: Path, name: str):
        self.out = out
        self.final = out / "runs" / name
        self.partial = out / "runs" / f".{name}.partial"
        if self.final.exists():
            raise FileExistsError(f"{self.final} exists already")
        self.partial.mkdir(parents=True, exist_ok=False)

    def write(self, name: str, text: str) -> Path:
        write_atomic(child(self.partial, name), text)
        return child(self.final, name)

    def commit(self) -> Path:
        os.replace(self.partial, self.final)
        switch_link(self.out / "latest", self.final)
        return self.final

    def abandon(self) -> None:
        shutil.rmtree(self.partial, ignore_errors=True)


def artifact_key(*parts: str) -> str:
    """A Prefect artifact key from any text: lowercase ASCII letters, digits and single dashes (the
    only characters keys allow), e.g. bluebook-changes-2025-head-1-2025."""
    text = "-".join(parts).lower()
    key = "".join(ch if "a" <= ch <= "z" or "0" <= ch <= "9" else "-" for ch in text)
    return "-".join(filter(None, key.split("-")))[:100]


def run_name(now: datetime | None = None, suffix: str = "") -> str:
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + (f"-{safe_name(suffix)}" if suffix else "")


def write_reports(out: Path, name: str, years: list[str], checks: list[YearCheck], across: list[Violation],
                  pairs: list[PairDiff], strict: bool) -> ReviewResult:
    """Write every report of the run, then publish the run folder as a whole."""
    violations = merge_violations(*(c.violations for c in checks), across)
    facts = sum(c.facts for c in checks)
    folder = RunFolder(out, name)
    files: dict[str, Path] = {}
    try:
        files["check.txt"] = folder.write("check.txt", violations_text(violations, years, facts, limit=0) + "\n")
        files["check.json"] = folder.write("check.json", violations_json(violations, years, facts) + "\n")
        checked = [f for c in checks for f in c.files]
        files["junit.xml"] = folder.write("junit.xml", violations_junit(violations, years, checked))
        for p in pairs:
            for fmt in RENDERERS:
                files[f"{p.stem}.{fmt}"] = folder.write(f"{p.stem}.{fmt}", p.render(fmt))
        files["summary.md"] = folder.write("summary.md", render_summary(years, violations, pairs, facts, strict))
        final = folder.commit()
    except BaseException:
        folder.abandon()
        raise
    return ReviewResult(final, years, violations, pairs, facts, files)


def run_review(root: Path, years: list[str] | None = None, strict: bool = False, out: Path | None = None,
               name: str | None = None) -> ReviewResult:
    """The whole review in a row (no Prefect)."""
    years = sorted(years or Layout(root).years())
    checks = [validate_year(root, y) for y in years]
    across = check_across(root, years)
    pairs = [diff_pair(root, a, b) for a, b in zip(years, years[1:])]
    return write_reports(out or Layout(root).reports, name or run_name(), years, checks, across, pairs, strict)

