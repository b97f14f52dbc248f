"""Tasks shared by the flows: each calls one function of bluebook.review (no logic here)."""

from __future__ import annotations

from pathlib import Path

from prefect import get_run_logger, task

from bluebook import review as steps


@task(name="validate-year", task_run_name="validate {year}")
def validate_year(root: Path, year: str, cache: bool = True) -> steps.YearCheck:
    """Every contract of one year (Pandera, references, grounding, time, GX suites). No retries:
    a broken contract does not mend itself."""
    result = steps.validate_year(root, year, cache)
    get_run_logger().info("%s: %d facts, %d violation(s)", year, result.facts, len(result.violations))
    return result


@task(name="check-across-years")
def check_across(root: Path, years: list[str]) -> list:
    return steps.check_across(root, years)


@task(name="diff-pair", task_run_name="diff {base} → {head}", retries=2, retry_delay_seconds=2)
def diff_pair(root: Path, base: str, head: str) -> steps.PairDiff:
    """Reads both snapshots (git for YEAR@REV sides): I/O, so a retry can help."""
    return steps.diff_pair(root, base, head)


def task_runner(workers: int):
    """Threads (the default, workers=0), or a temporary local Dask cluster of `workers` processes
    (prefect-dask) for a machine or cluster with more cores: the years are independent tasks."""
    if workers <= 0:
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner()
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None})
