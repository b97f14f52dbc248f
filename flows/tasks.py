"""Tasks shared by the flows: each calls one function of bluebook.review (no logic here).

Tasks take the project the flow opened once (`shared(project)`, i.e. `quote(project)`: Prefect then
does not walk its records to track inputs) and never cache (NO_CACHE: hashing a whole project per
call would cost more than the work, and a check must see the data as it is now)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TypeVar, cast

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

import bluebook.contracts.schema  # noqa: F401 - see below
from bluebook import review as steps
from bluebook.data.project import Project
from bluebook.due import DueReport
from bluebook.errors import BluebookError
from bluebook.reports.due import due_summary
from bluebook.text import visible
from bluebook.violations import Violation

# Pandera, and with it pandas, is imported once here, before any task runs. Tasks run in threads:
# two tasks importing pandas at once can see it half-made, and bluebook.changes.diff hides pandas
# from sys.modules for a moment while it imports DeepDiff when pandas is not loaded yet; a task
# importing Pandera in that moment failed the review ("module 'pandas' has no attribute 'core'",
# "cannot import name 'validate_table'"). With pandas loaded first, neither can happen.


T = TypeVar("T")


def shared(value: T) -> T:
    """A value to pass to tasks (the opened project, a task's result): `quote(value)`, which Prefect
    hands to the task as the value itself without walking everything inside it (the reports' nested
    dicts alone are 170,000 values: 3 s of a 7 s review). Typed as what the task receives; Prefect
    types it as `quote[...]`, which no task signature accepts."""
    return cast(T, quote(value))


@task(name="check-registries", cache_policy=NO_CACHE)
def check_registries(project: Project) -> list[Violation]:
    """entities.yaml and sources.yaml: load problems, schemas, held texts and their sha256."""
    return steps.check_registries(project)


@task(name="validate-year", task_run_name="validate {year}", cache_policy=NO_CACHE)
def validate_year(project: Project, year: str) -> steps.YearCheck:
    """Every contract of one year that needs no other (Pandera, metadata, references, grounding,
    time). No retries: a broken contract does not mend itself."""
    result = steps.validate_year(project, year)
    get_run_logger().info("%s: %d facts, %d violation(s)", year, result.facts, len(result.violations))
    return result


@task(name="check-across-years", cache_policy=NO_CACHE)
def check_across(project: Project) -> list[Violation]:
    return steps.check_across(project)


@task(name="run-suites", cache_policy=NO_CACHE)
def run_suites(
    project: Project, registries: list[Violation], checks: list[steps.YearCheck], data_docs: Path | None
) -> list[Violation]:
    """The Great Expectations suites once over every year (GX is imported here, in the one task
    that needs it), and the Data Docs of that run."""
    return steps.run_suites(project, registries, checks, data_docs)


def _not_a_usage_error(task, task_run, state) -> bool:
    """Retry I/O trouble, never a side that cannot be read (a usage error does not mend itself)."""
    return not isinstance(state.result(raise_on_failure=False), BluebookError)


@task(
    name="diff-pair",
    task_run_name="diff {base} → {head}",
    retries=2,
    retry_delay_seconds=2,
    cache_policy=NO_CACHE,
    retry_condition_fn=_not_a_usage_error,
)
def diff_pair(project: Project, base: str, head: str) -> steps.PairDiff:
    """Both sides from the opened project (git for YEAR@REV sides: I/O, so a retry can help)."""
    return steps.diff_pair(project, base, head)


@task(name="watch-due", task_run_name="due on {on}", cache_policy=NO_CACHE)
def watch_due(project: Project, on: date) -> DueReport:
    """The facts of the latest snapshot whose recorded or implied dates have passed by `on`."""
    report = steps.watch_due(project, on)
    if report.items or report.unreadable:
        get_run_logger().warning("%s", visible(due_summary(report)))
    return report
