"""`bluebook check`: every contract layer over an opened project, collected into one result.

The layers are plain functions over one `Project` (opened once by the caller): the registries
(`check_registries`), each year (`check_year`: schema, snapshot metadata, references, grounding,
time), across years, the Great Expectations suites (once for all years) and canonical form.
`run_check` runs them in a row; the review flow runs the same functions as Prefect tasks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bluebook import vocabulary
from bluebook.contracts.carried import check_carried
from bluebook.contracts.fields import check_fields
from bluebook.contracts.grounding import HELD_TEXTS, Grounding, check_sources, ground_snapshot
from bluebook.contracts.meta import check_canonical, check_snapshot_meta
from bluebook.contracts.references import check_references
from bluebook.contracts.schema import validate_table  # Pandera at import: see below
from bluebook.contracts.time import check_time
from bluebook.data.project import Project
from bluebook.violations import ERROR, WARNING, Violation


@dataclass
class YearCheck:
    """The contracts of one year that need no other year: its load problems, schema, metadata,
    references, grounding, field grounding, time, carried facts and canonical form."""

    year: str
    violations: list[Violation]
    grounding: Grounding
    facts: int
    files: list[str]


# Pandera is imported with this module, not lazily: every check validates with it, and a lazy import
# from two of the review's task threads at once once failed on a half-imported module.


def check_registries(project: Project) -> list[Violation]:
    """The registries once: their load problems (and those of no year), their schemas, each held
    source inside sources/ and matching its sha256, and their canonical form."""
    out = [v for v in project.problems if not v.year]
    out += validate_table("entities", project.entities.records, {"file": project.entities.rel})
    out += validate_table("sources", project.sources.records, {"file": project.sources.rel})
    out += check_sources(project)
    out += check_canonical(project, [project.entities, project.sources])
    return out


def check_year(project: Project, year: str) -> YearCheck:
    snap = project.snapshots[year]
    out = [v for v in project.problems if v.year == year]
    for table in vocabulary.FACT_TABLE_NAMES:
        out += validate_table(table, snap.records(table), {"file": snap.file(table), "year": year})
    out += check_snapshot_meta(project, snap)
    out += check_references(project, snap)
    grounding = ground_snapshot(project, snap)
    out += grounding.violations
    out += check_fields(project, snap, grounding)
    out += check_time(snap)
    out += check_carried(snap)
    out += check_canonical(project, snap.files)
    return YearCheck(year, out, grounding, snap.fact_count, [f.rel for f in snap.files])


def unreadable_inputs(project: Project, registry_violations: Iterable[Violation]) -> frozenset[str]:
    """Inputs a layer must leave out because they could not be read whole: the project's unreadable
    files, and the held texts when one of them cannot be used."""
    held_broken = any(v.severity == ERROR and v.table == "sources" and v.code.startswith(("load.", "ground."))
                      for v in registry_violations)
    return project.unreadable | ({HELD_TEXTS} if held_broken else frozenset())


def check_across(project: Project) -> list[Violation]:
    """The contracts between successive years (silent drops, transitions, restatements)."""
    if len(project.snapshots) < 2:
        return []
    from bluebook.contracts.across_years import check_across_years

    return check_across_years(project, project.unreadable)


def run_suites(project: Project, grounding: Grounding, unreadable: frozenset[str],
               data_docs: Path | None = None) -> list[Violation]:
    """The Great Expectations suites, once over every year (imports GX); with `data_docs`, the
    Data Docs of this very run are published there."""
    from bluebook.contracts.expectations.runner import run_expectations

    return run_expectations(project, grounding, unreadable, data_docs)


@dataclass
class CheckResult:
    project: Project
    violations: list[Violation]
    grounding: Grounding = field(default_factory=Grounding)

    @property
    def years(self) -> list[str]:
        return self.project.years

    @cached_property
    def errors(self) -> int:
        return sum(v.severity == ERROR for v in self.violations)

    @cached_property
    def warnings(self) -> int:
        return sum(v.severity == WARNING for v in self.violations)

    def exit_code(self, strict: bool = False) -> int:
        return 1 if self.errors or (strict and self.warnings) else 0

    @property
    def fact_count(self) -> int:
        return self.project.fact_count


def run_check(project: Project, *, expectations: bool = True, across: bool = True,
              data_docs: Path | None = None) -> CheckResult:
    """Every contract over an opened project; never raises for bad data. `across=False` leaves out
    the contracts between successive years."""
    out = check_registries(project)
    unreadable = unreadable_inputs(project, out)
    grounding = Grounding()
    for year in project.snapshots:
        result = check_year(project, year)
        out += result.violations
        grounding.found.update(result.grounding.found)
    if across:
        out += check_across(project)
    if expectations:
        out += run_suites(project, grounding, unreadable, data_docs)
    return CheckResult(project, merge_violations(out), grounding)


def merge_violations(*groups: Iterable[Violation]) -> list[Violation]:
    """One list in report order (file, line, code, id), without repeats."""
    return sorted({v for group in groups for v in group}, key=lambda v: (v.file, v.line, v.code, v.id, v.message))
