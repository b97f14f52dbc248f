"""The review: validate every year, check across years, diff each successive pair, write all
reports into a run folder that appears whole or not at all. Plain functions: the Prefect flow in
flows/review.py runs them as tasks; `run_review` runs them in a row (no Prefect)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from bluebook.changes.diff import SnapshotDiff
from bluebook.changes.sides import Side, SideError, diff_sides, load_side, parse_side
from bluebook.contracts import check as contracts
from bluebook.contracts.check import (
    YearCheck,
    check_across,
    check_registries,
    check_year,
    merge_violations,
    unreadable_inputs,
)
from bluebook.contracts.grounding import Grounding
from bluebook.data.cache import Cache
from bluebook.data.files import child, safe_name, switch_link, write_atomic
from bluebook.data.project import Layout, Project, open_project
from bluebook.due import DueReport, latest_year, watch
from bluebook.errors import UnreadableInput
from bluebook.reports.changes import RENDERERS, change_report, render_change_report, report_sides, report_stem
from bluebook.reports.due import due_json, due_markdown, due_summary, due_text
from bluebook.reports.escaping import md_escape as md
from bluebook.reports.index import render_index, review_index
from bluebook.reports.junit import checked_files
from bluebook.reports.violations import check_summary, violations_json, violations_junit, violations_text
from bluebook.text import visible
from bluebook.violations import ERROR, WARNING, Violation


@dataclass
class PairDiff:
    base: str
    head: str
    diff: SnapshotDiff
    base_side: Side
    head_side: Side
    sides: list[Side] = field(default_factory=list)  # the years the report's pictures span
    _report: dict | None = field(default=None, repr=False, compare=False)

    @property
    def stem(self) -> str:
        return report_stem(self.base, self.head)

    @property
    def report(self) -> dict:
        """The change report's view-model (built once, rendered in every format)."""
        if self._report is None:
            self._report = change_report(self.diff, self.base_side, self.head_side, self.sides or None)
        return self._report

    def render(self, fmt: str) -> str:
        return render_change_report(self.report, fmt)


def run_failed(violations: list[Violation], strict: bool, due: DueReport | None, strict_due: bool) -> bool:
    """A review fails on an error; with `strict` on a warning too; with `strict_due` on a due fact."""
    return bool(
        any(v.severity == ERROR for v in violations)
        or (strict and violations)
        or (strict_due and due is not None and due.failed)
    )


@dataclass
class ReviewResult:
    run_dir: Path
    years: list[str]
    violations: list[Violation]
    pairs: list[PairDiff]
    facts: int
    files: dict[str, Path] = field(default_factory=dict)
    due: DueReport | None = None  # the due watch at the run date (None: not watched)

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == ERROR]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == WARNING]

    def failed(self, strict: bool = False, strict_due: bool = False) -> bool:
        return run_failed(self.violations, strict, self.due, strict_due)

    def failure_message(self) -> str:
        """What broke, in one line: the codes and the first few facts (or what is due, when only
        the due watch failed the run)."""
        if not (self.errors or self.warnings) and self.due and self.due.failed:
            return visible(f"{due_summary(self.due)}; see {self.run_dir / 'due.txt'}")
        broken = self.errors or self.warnings
        codes = sorted({v.code for v in broken})
        first = ", ".join(f"{v.year or '-'}/{v.table or '-'}/{v.id or v.where}" for v in broken[:5])
        more = f" and {len(broken) - 5} more" if len(broken) > 5 else ""
        return visible(
            f"{len(broken)} broken contract(s): {', '.join(codes)} ({first}{more}); see {self.run_dir / 'check.txt'}"
        )


def open_review(root: Path, years: list[str] | None = None, cache: Cache | None = None) -> tuple[Project, list[str]]:
    """The project opened once for a review, and the review's sides in order: every year of the
    working tree by default; a side may also be YEAR@REV (diffed from git, not validated). With a
    `cache`, what was computed before from byte-identical inputs is not computed again."""
    layout = Layout(root)
    available = layout.years()
    sides = sorted(years or available)
    for side in sides:
        parse_side(side)  # a misspelt side is a usage error before any work
    plain = sorted({s for s in sides if "@" not in s})
    missing = [y for y in plain if y not in available]
    if missing:
        raise SideError(f"no snapshot for {', '.join(missing)} under {visible(layout.snapshots)}")
    return open_project(root, plain, cache=cache), sides


def validate_year(project: Project, year: str) -> YearCheck:
    """Every contract of one year that needs no other year (no GX: the suites run once for all)."""
    return check_year(project, year)


def diff_pair(project: Project, base: str, head: str) -> PairDiff:
    b, h = load_side(project, base), load_side(project, head)
    return PairDiff(base, head, diff_sides(b, h), b, h, report_sides(project, b, h))


def run_suites(
    project: Project, registries: list[Violation], checks: list[YearCheck], data_docs: Path | None
) -> list[Violation]:
    """The GX suites once over every validated year, with the Data Docs of that very run."""
    grounding = Grounding.joined(c.grounding for c in checks)
    return contracts.run_suites(project, grounding, unreadable_inputs(project, registries), data_docs)


def watch_due(project: Project, on: date) -> DueReport:
    """The due watch of the latest snapshot at the run date. A snapshot that cannot be read whole
    fails the check of this very run; the watch then says it did not run (never an empty list)."""
    try:
        return watch(project, on)
    except UnreadableInput as exc:
        year = latest_year(project)
        snap = project.snapshots[year]
        edition = snap.meta.data.get("edition") if snap.meta else ""
        return DueReport(year, snap.as_of or "", str(edition or ""), on, unreadable=str(exc))


def render_summary(
    years: list[str],
    violations: list[Violation],
    pairs: list[PairDiff],
    facts: int,
    strict: bool,
    due: DueReport | None = None,
    strict_due: bool = False,
) -> str:
    verdict = "FAILED" if run_failed(violations, strict, due, strict_due) else "passed"
    lines = [f"# bluebook review: {verdict}", "", f"- {check_summary(violations, years, facts)}"]
    if violations:
        codes: dict[str, int] = {}
        for v in violations:
            codes[f"{v.severity} {v.code}"] = codes.get(f"{v.severity} {v.code}", 0) + 1
        lines += [f"  - {n} × {code}" for code, n in sorted(codes.items())]
    for p in pairs:
        s = p.diff.summary()
        parts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in s.items() if n)
        lines.append(f"- {md(p.base)} → {md(p.head)}: {parts or 'no changes'} ({md(p.stem)}.md)")
    if due is not None:
        lines += ["", due_markdown(due, strict_due).rstrip("\n")]
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

    def previous(self) -> str | None:
        """The run `latest` points to now (before this one is committed), if any."""
        link = self.out / "latest"
        if not link.is_symlink():
            return None
        target = Path(os.readlink(link))
        return target.name if target.parent == Path("runs") and (self.out / target).is_dir() else None


def artifact_key(*parts: str) -> str:
    """A Prefect artifact key from any text: lowercase ASCII letters, digits and single dashes (the
    only characters keys allow), e.g. bluebook-changes-2025-head-1-2025."""
    text = "-".join(parts).lower()
    key = "".join(ch if "a" <= ch <= "z" or "0" <= ch <= "9" else "-" for ch in text)
    return "-".join(filter(None, key.split("-")))[:100]


def run_name(now: datetime | None = None, suffix: str = "") -> str:
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + (f"-{safe_name(suffix)}" if suffix else "")


def write_reports(
    out: Path,
    name: str,
    project: Project,
    sides: list[str],
    violations: list[Violation],
    pairs: list[PairDiff],
    strict: bool,
    due: DueReport | None = None,
    strict_due: bool = False,
) -> ReviewResult:
    """Write every report of the run, then publish the run folder as a whole."""
    violations = merge_violations(violations)
    facts = project.fact_count
    folder = RunFolder(out, name)
    files: dict[str, Path] = {}
    try:
        files["check.txt"] = folder.write("check.txt", violations_text(violations, sides, facts, limit=0) + "\n")
        files["check.json"] = folder.write("check.json", violations_json(violations, sides, facts) + "\n")
        files["junit.xml"] = folder.write(
            "junit.xml", violations_junit(violations, sides, checked_files(project), strict=strict)
        )
        for p in pairs:
            for fmt in RENDERERS:
                files[f"{p.stem}.{fmt}"] = folder.write(f"{p.stem}.{fmt}", p.render(fmt))
        if due is not None:
            files["due.txt"] = folder.write("due.txt", due_text(due) + "\n")
            files["due.json"] = folder.write("due.json", due_json(due) + "\n")
        files["summary.md"] = folder.write(
            "summary.md", render_summary(sides, violations, pairs, facts, strict, due, strict_due)
        )
        failed = run_failed(violations, strict, due, strict_due)
        index = review_index(
            name=name,
            years=sides,
            facts=facts,
            violations=violations,
            failed=failed,
            strict=strict,
            pairs=[{"base": p.base, "head": p.head, "stem": p.stem, "summary": p.report["summary"]} for p in pairs],
            files=[*files, "index.html"],
            previous=folder.previous(),
        )
        files["index.html"] = folder.write("index.html", render_index(index))
        final = folder.commit()
    except BaseException:
        folder.abandon()
        raise
    return ReviewResult(final, sides, violations, pairs, facts, files, due)


def run_review(
    root: Path,
    years: list[str] | None = None,
    strict: bool = False,
    out: Path | None = None,
    name: str | None = None,
    data_docs: bool = True,
    on: date | None = None,
    strict_due: bool = False,
    cache: Cache | None = None,
) -> ReviewResult:
    """The whole review in a row (no Prefect): the same steps the flow runs as tasks. The due
    watch runs at `on` (the caller's today: nothing here reads the clock); None skips it."""
    project, sides = open_review(root, years, cache)
    registries = check_registries(project)
    checks = [validate_year(project, y) for y in project.years]
    across = check_across(project)
    out = out or project.layout.reports
    suites = run_suites(project, registries, checks, out / "data-docs" if data_docs else None)
    pairs = [diff_pair(project, a, b) for a, b in zip(sides, sides[1:], strict=False)]
    violations = registries + [v for c in checks for v in c.violations] + across + suites
    due = watch_due(project, on) if on is not None and project.snapshots else None
    return write_reports(out, name or run_name(), project, sides, violations, pairs, strict, due, strict_due)
