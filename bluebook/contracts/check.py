"""`bluebook check`: every contract layer over the chosen years, collected into one result."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bluebook import vocabulary
from bluebook.contracts import grounding as ground
from bluebook.contracts.fields import check_fields
from bluebook.contracts.meta import check_canonical, check_snapshot_meta
from bluebook.contracts.references import check_references
from bluebook.contracts.time import check_time
from bluebook.data.project import Project, load_project
from bluebook.violations import ERROR, WARNING, Violation


@dataclass
class CheckResult:
    project: Project
    years: list[str]
    violations: list[Violation]
    grounding: ground.Grounding

    @property
    def errors(self) -> int:
        return sum(v.severity == ERROR for v in self.violations)

    @property
    def warnings(self) -> int:
        return sum(v.severity == WARNING for v in self.violations)

    def exit_code(self, strict: bool = False) -> int:
        return 1 if self.errors or (strict and self.warnings) else 0

    @property
    def fact_count(self) -> int:
        return sum(s.fact_count for s in self.project.snapshots.values())


def run_check(root: Path, years: list[str] | None = None, *, expectations: bool = True,
              across: bool = True) -> CheckResult:
    """Load the project and run every contract; never raises for bad data. `across=False` leaves
    out the contracts between successive years (the review flow runs them as a task of their own)."""
    from bluebook.contracts.schema import validate_table  # Pandera: imported only where it runs

    project, out = load_project(root, years)
    unreadable = {v.file for v in out if v.severity == ERROR and v.file}
    out += validate_table("entities", project.entities.records, {"file": project.entities.rel})
    out += validate_table("sources", project.sources.records, {"file": project.sources.rel})
    source_problems = ground.check_sources(project)
    out += source_problems
    if any(v.severity == ERROR for v in source_problems):
        from bluebook.contracts.expectations.views import HELD_TEXTS

        unreadable.add(HELD_TEXTS)
    grounding = ground.Grounding()
    for year, snap in project.snapshots.items():
        for table in vocabulary.FACT_TABLE_NAMES:
            out += validate_table(table, snap.records(table), {"file": snap.file(table), "year": year})
        out += check_snapshot_meta(project, snap)
        out += check_references(project, snap)
        out += ground.check_grounding(project, snap, grounding)
        out += check_fields(project, snap, grounding)
        out += check_time(snap)
    if across and len(project.snapshots) > 1:
        from bluebook.contracts.across_years import check_across_years

        out += check_across_years(project, unreadable)
    if expectations:  # the Great Expectations suites over every year's tables and views (imports GX)
        from bluebook.contracts.expectations.runner import run_expectations

        out += run_expectations(project, grounding, unreadable)
    out += check_canonical(project, unreadable)
    return CheckResult(project, list(project.snapshots), sorted(set(out), key=_order), grounding)


def run_across(root: Path, years: list[str]) -> list[Violation]:
    """Only the contracts between successive years (silent drops, transitions, restatements)."""
    from bluebook.contracts.across_years import check_across_years

    project, problems = load_project(root, years)
    unreadable = {v.file for v in problems if v.severity == ERROR and v.file}
    return sorted(set(check_across_years(project, unreadable)), key=_order)


def _order(v: Violation):
    return (v.file, v.line, v.code, v.id, v.message)
