"""`bluebook check`: every contract layer over an opened project, collected into one result.

The layers are plain functions over one `Project` (opened once by the caller): the registries
(`check_registries`), each year (`check_year`: schema, snapshot metadata, references, grounding,
time), across years, the Great Expectations suites (once for all years) and canonical form.
`run_check` runs them in a row; the review flow runs the same functions as Prefect tasks.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

from bluebook import vocabulary
from bluebook.contracts import inputs
from bluebook.contracts.carried import check_carried
from bluebook.contracts.fields import check_fields
from bluebook.contracts.grounding import HELD_TEXTS, Grounding, check_sources, ground_snapshot
from bluebook.contracts.meta import check_canonical, check_snapshot_meta
from bluebook.contracts.references import check_references
from bluebook.contracts.time import check_time
from bluebook.data.bulk import without_cyclic_gc
from bluebook.data.cache import is_violations, violations_from_plain, violations_to_plain
from bluebook.data.project import Project
from bluebook.violations import ERROR, WARNING, Violation, report_order

T = TypeVar("T")


@dataclass
class YearCheck:
    """The contracts of one year that need no other year: its load problems, schema, metadata,
    references, grounding, field grounding, time, carried facts and canonical form."""

    year: str
    violations: list[Violation]
    grounding: Grounding  # its `found` (its violations are among the year's)
    facts: int


# Pandera (and pandas) are imported on the first schema validation, so a check whose results are all
# cached imports neither. The import holds a lock: a lazy import from two of the review's task
# threads at once once failed on a half-imported module.
_PANDERA = threading.Lock()


def validate_table(table: str, records: list, where: dict[str, Any]) -> list[Violation]:
    """The table's Pandera model over its records (bluebook.contracts.schema.validate_table)."""
    with _PANDERA:
        from bluebook.contracts.schema import validate_table as validate
    return validate(table, records, where)


@dataclass
class Remembered(Generic[T]):
    """One layer's result over the opened project, computed, or read from the project's cache when
    every input named in `parts` (bluebook.contracts.inputs) and the code are byte-identical to a
    run that computed it."""

    project: Project
    parts: list
    compute: Callable[[], T]
    encode: Callable[[T], object]
    decode: Callable[[Any], T]
    valid: Callable[[object], bool]

    def cached(self) -> T | None:
        """The result from the cache, or None (no cache, no entry, or an entry that is not ours)."""
        cache = self.project.cache
        if cache is None:
            return None
        hit = cache.get(self.parts[0], cache.key(self.parts[0], self.parts), self.valid)
        return None if hit is None else self.decode(hit)

    def value(self) -> T:
        if self.project.cache is None:
            return self.compute()
        return self.project.cache.remember(
            self.parts[0], self.parts, self.compute, self.encode, self.decode, self.valid
        )


def _violations(project: Project, parts: list, compute: Callable[[], list[Violation]]) -> Remembered[list[Violation]]:
    return Remembered(project, parts, compute, violations_to_plain, violations_from_plain, is_violations)


def check_registries(project: Project) -> list[Violation]:
    """The registries once: their load problems (and those of no year), their schemas, each held
    source inside sources/ and matching its sha256, and their canonical form."""

    def compute() -> list[Violation]:
        out = [v for v in project.problems if not v.year]
        out += validate_table("entities", project.entities.records, {"file": project.entities.rel})
        out += validate_table("sources", project.sources.records, {"file": project.sources.rel})
        out += check_sources(project)
        out += check_canonical(project, [project.entities, project.sources])
        return out

    return _violations(project, inputs.registry_layer(project), compute).value()


def check_year(project: Project, year: str) -> YearCheck:
    """Every contract of one year that needs no other year; cached by the year's files, its load
    problems, the registries and the held texts."""
    return _year(project, year).value()


def _year(project: Project, year: str) -> Remembered[YearCheck]:
    snap = project.snapshots[year]

    def compute() -> YearCheck:
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
        return YearCheck(year, out, grounding, snap.fact_count)

    def encode(value: YearCheck) -> dict:
        return {
            "violations": violations_to_plain(value.violations),
            "found": [[t, i, numbers] for (_, t, i), numbers in value.grounding.found.items()],
        }

    def decode(value: dict) -> YearCheck:
        found = {(year, t, i): numbers for t, i, numbers in value["found"]}
        return YearCheck(year, violations_from_plain(value["violations"]), Grounding(found=found), snap.fact_count)

    def valid(value: object) -> bool:
        return (
            isinstance(value, dict)
            and is_violations(value.get("violations"))
            and isinstance(value.get("found"), list)
            and all(
                isinstance(f, list)
                and len(f) == 3
                and isinstance(f[0], str)
                and isinstance(f[1], str)
                and isinstance(f[2], list)
                and all(type(n) is int for n in f[2])
                for f in value["found"]
            )
        )

    return Remembered(project, inputs.year_layer(project, year), compute, encode, decode, valid)


def unreadable_inputs(project: Project, registry_violations: Iterable[Violation]) -> frozenset[str]:
    """Inputs a layer must leave out because they could not be read whole: the project's unreadable
    files, and the held texts when one of them cannot be used."""
    held_broken = any(
        v.severity == ERROR and v.table == "sources" and v.code.startswith(("load.", "ground."))
        for v in registry_violations
    )
    return project.unreadable | ({HELD_TEXTS} if held_broken else frozenset())


def check_across(project: Project) -> list[Violation]:
    """The contracts between successive years (silent drops, transitions, restatements)."""
    years = sorted(project.snapshots)
    return [v for older, newer in zip(years, years[1:]) for v in check_pair(project, older, newer)]


def check_pair(project: Project, older: str, newer: str) -> list[Violation]:
    """The contracts between two successive years; cached by both years' files and load problems
    and the registries."""
    return _pair(project, older, newer).value()


def _pair(project: Project, older: str, newer: str) -> Remembered[list[Violation]]:
    from bluebook.contracts.across_years import pair_violations

    unreadable = project.unreadable
    return _violations(
        project,
        inputs.pair_layer(project, older, newer, unreadable),
        lambda: pair_violations(project, older, newer, unreadable),
    )


def run_suites(
    project: Project, grounding: Grounding, unreadable: frozenset[str], data_docs: Path | None = None
) -> list[Violation]:
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


def run_check(
    project: Project, *, expectations: bool = True, across: bool = True, data_docs: Path | None = None, jobs: int = 1
) -> CheckResult:
    """Every contract over an opened project; never raises for bad data. `across=False` leaves out
    the contracts between successive years. With `jobs` > 1 the years and pairs whose results are
    not cached are computed by the same functions in that many worker processes."""
    out = check_registries(project)
    unreadable = unreadable_inputs(project, out)
    years = sorted(project.snapshots)
    pairs = list(zip(years, years[1:])) if across else []
    # With the cache, the workers also run their years' GX suites (the results go to the cache, where
    # run_suites finds them): GX's per-validation cost is most of a cold check with expectations.
    warm_suites = unreadable if expectations and data_docs is None and project.cache is not None else None
    with without_cyclic_gc():  # the records of every year are parsed and compared here
        done = in_workers(project, years, pairs, jobs, warm_suites) if jobs > 1 else {}
        checks = [done[year] if year in done else check_year(project, year) for year in project.snapshots]
        out += [v for c in checks for v in c.violations]
        for older, newer in pairs:
            out += done[(older, newer)] if (older, newer) in done else check_pair(project, older, newer)
    grounding = Grounding.joined(c.grounding for c in checks)
    if expectations:
        out += run_suites(project, grounding, unreadable, data_docs)
    return CheckResult(project, merge_violations(out), grounding)


# --- worker processes ------------------------------------------------------------------------------
# `check --jobs N`: the years and pairs whose results the cache does not hold are split into N runs
# of consecutive years, each computed by check_year and check_pair in a worker process. A worker is
# forked from this process while no other thread runs (the CLI): it shares the opened project, and a
# year's records are parsed in the worker that needs them. Otherwise (a process with threads, where
# fork is unsafe) a worker is spawned and given the part of the project it needs (Project.only).
# The results come back as values; the workers also write them to the cache.

_MIN_UNITS = 4  # fewer years with work than this are done here: a worker would not pay for itself
_FORKED: Project | None = None  # the project a forked worker inherits


def in_workers(
    project: Project,
    years: list[str],
    pairs: list[tuple[str, str]],
    jobs: int,
    suites_unreadable: frozenset[str] | None = None,
) -> dict:
    """{year: YearCheck, (older, newer): violations} for every year and pair: from the cache, or
    computed in up to `jobs` worker processes (when fewer than _MIN_UNITS years have work, they are
    left to the caller). With `suites_unreadable` (the inputs that could not be read), each worker
    also runs the GX suites of the years it computed, into the cache."""
    global _FORKED
    done: dict = {}
    work: dict[str, list[str]] = {}
    for year in years:
        hit = _year(project, year).cached()
        if hit is None:
            work.setdefault(year, []).append("year")
        else:
            done[year] = hit
    for older, newer in pairs:
        pair_hit = _pair(project, older, newer).cached()
        if pair_hit is None:
            work.setdefault(newer, []).append("pair")
        else:
            done[(older, newer)] = pair_hit
    units = [y for y in years if y in work]
    if len(units) < _MIN_UNITS:
        return done
    if project.cache is not None:
        project.cache.secret()  # made once here: workers racing to make it would sign with different ones
    size = -(-len(units) // jobs)
    chunks = [{y: work[y] for y in units[i : i + size]} for i in range(0, len(units), size)]
    fork = _fork_safe()
    tasks: list[tuple[Project | None, dict[str, list[str]], frozenset[str] | None]]
    if fork:
        tasks = [(None, chunk, suites_unreadable) for chunk in chunks]
    else:
        tasks = [(project.only(_needed(years, chunk)), chunk, suites_unreadable) for chunk in chunks]
    _FORKED = project if fork else None
    try:
        with ProcessPoolExecutor(
            len(chunks), mp_context=multiprocessing.get_context("fork" if fork else "spawn")
        ) as pool:
            for part in pool.map(_work, tasks):
                done.update(part)
    finally:
        _FORKED = None
    return done


def _needed(years: list[str], chunk: dict[str, list[str]]) -> list[str]:
    """The years a run of years reads: its own, and the year before each of its pairs."""
    out = set(chunk)
    for year, needs in chunk.items():
        if "pair" in needs:
            out.add(years[years.index(year) - 1])
    return sorted(out)


def _work(task: tuple[Project | None, dict[str, list[str]], frozenset[str] | None]) -> dict:
    """In a worker: the year and pair results of one run of years (and their GX suites' results,
    written to the cache, when asked)."""
    given, chunk, suites_unreadable = task
    project = given or _FORKED
    assert project is not None, "a worker without a project"
    years = sorted(project.snapshots)
    out: dict = {}
    for year, needs in chunk.items():
        if "year" in needs:
            out[year] = check_year(project, year)
        if "pair" in needs:
            older = years[years.index(year) - 1]
            out[(older, year)] = check_pair(project, older, year)
    computed = [y for y in chunk if y in out]
    if suites_unreadable is not None and computed:
        run_suites_of(project, Grounding.joined(out[y].grounding for y in computed), suites_unreadable, computed)
    return out


def run_suites_of(project: Project, grounding: Grounding, unreadable: frozenset[str], years: list[str]) -> None:
    """The GX suites of these years only (not the registry's), into the project's cache."""
    from bluebook.contracts.expectations.runner import run_expectations

    run_expectations(project, grounding, unreadable, years=years, registry=False)


def _fork_safe() -> bool:
    """Forking copies only the calling thread: safe while no other thread runs (the CLI)."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def merge_violations(*groups: Iterable[Violation]) -> list[Violation]:
    """One list in report order (file, line, code, id), without repeats."""
    return sorted({v for group in groups for v in group}, key=report_order)
