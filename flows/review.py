"""The scheduled review: validate every year (concurrently), check across years, diff each
successive pair, write the reports, publish Prefect artifacts, and end Failed when a contract is
broken. Run it with `python flows/review.py` (or `make review`); deploy it with prefect.yaml."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Completed, Failed, State

from bluebook import review as steps
from bluebook.data.cache import Cache
from bluebook.data.project import Project
from bluebook.due import TOKYO, DueReport, parse_on
from bluebook.errors import UsageError
from bluebook.flows.tasks import (
    check_across,
    check_registries,
    diff_pair,
    run_suites,
    shared,
    validate_year,
    watch_due,
)
from bluebook.reports.due import due_rows, due_summary
from bluebook.reports.escaping import md_escape as md
from bluebook.reports.index import pictures_markdown
from bluebook.reports.violations import verdict, violation_rows
from bluebook.text import visible
from bluebook.violations import Violation

REPO = Path(__file__).resolve().parent.parent


def _root(root: str | None) -> Path:
    return Path(root).resolve() if root else REPO


def _run_name() -> str:
    params = flow_run.parameters or {}
    years = params.get("years") or ["all"]
    return f"review-{'-'.join(map(str, years))}" + ("-strict" if params.get("strict") else "")


@task(name="write-reports", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def write_reports(
    out: Path,
    name: str,
    project: Project,
    sides: list[str],
    violations: list[Violation],
    pairs: list[steps.PairDiff],
    strict: bool,
    due: DueReport | None = None,
    strict_due: bool = False,
) -> steps.ReviewResult:
    return steps.write_reports(out, name, project, sides, violations, pairs, strict, due, strict_due)


@task(name="publish-due", cache_policy=NO_CACHE)
def publish_due(result: steps.ReviewResult) -> None:
    """The due watch as a table under a stable key, so its versions accumulate week after week."""
    if result.due is None:
        return
    create_table_artifact(table=due_rows(result.due), key="bluebook-due", description=visible(due_summary(result.due)))


@task(name="publish-artifacts", cache_policy=NO_CACHE)
def publish(result: steps.ReviewResult, strict: bool, strict_due: bool = False) -> None:
    """One artifact per report, under stable keys so that versions accumulate run after run."""
    for pair in result.pairs:
        key = steps.artifact_key("bluebook-changes", pair.base, pair.head)
        create_markdown_artifact(
            markdown=pair.render("md"), key=key, description=f"What changed from {pair.base} to {pair.head}"
        )
        html_path = result.files[f"{pair.stem}.html"]
        create_link_artifact(
            link=html_path.resolve().as_uri(),
            link_text=f"{pair.base} → {pair.head} (HTML)",
            key=steps.artifact_key("bluebook-html", pair.base, pair.head),
            description="Self-contained HTML change report",
        )
    create_table_artifact(
        table=violation_rows(result.violations),
        key="bluebook-violations",
        description="Broken contracts of this review",
    )
    create_markdown_artifact(
        markdown=steps.render_summary(
            result.years, result.violations, result.pairs, result.facts, strict, result.due, strict_due
        ),
        key="bluebook-review-summary",
        description="Summary of this review",
    )
    create_link_artifact(
        link=result.files["index.html"].resolve().as_uri(),
        link_text="Review index (HTML)",
        key="bluebook-index",
        description="Verdict, contracts by layer, links to every report",
    )
    if result.pairs:  # the last pair's report spans every year reviewed
        over = result.pairs[-1].report["over_years"]
        create_markdown_artifact(
            markdown=pictures_markdown(over),
            key="bluebook-over-the-years",
            description="Memberships, office terms, indicators and events over all years",
        )
        grid = [
            {
                "organization": md(g["name"]),
                "member": md(r["name"]),
                **{
                    y: (c["status"] + (" ⚠" if c["step_back"] else "")) if c else ""
                    for y, c in zip(g["years"], r["cells"])
                },
            }
            for g in over["memberships"]
            for r in g["rows"]
        ]
        if grid:
            create_table_artifact(
                table=grid,
                key="bluebook-membership-grid",
                description="Each member's status per organization and year (⚠: a step back)",
            )


def validate_years(project: Project, workers: int) -> list:
    """One validate-year task per year: in this flow's threads (workers=0), or in the worker
    processes of a temporary local Dask cluster, each task given only its year's part of the
    opened project (`Project.only`), so that a worker receives one year, not seventy."""
    if workers <= 0:
        return [validate_year.submit(shared(project), y) for y in project.years]
    from prefect_dask import DaskTaskRunner

    runner = DaskTaskRunner(
        cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
    )
    with runner:
        # The project goes as it is (one year of it, for Prefect to walk): outside a flow's own
        # submit, a quote() or opaque() reaches the task as its wrapper, not the project.
        futures = [runner.submit(validate_year, {"project": project.only([y]), "year": y}) for y in project.years]
        return [_Done(f.result()) for f in futures]


class _Done:
    """A result already in hand, with the `.result()` of the futures it stands beside."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


@flow(name="review", flow_run_name=_run_name, log_prints=False)
def review(
    years: list[str] | None = None,
    strict: bool = False,
    out: str = "reports",
    root: str | None = None,
    on: str | None = None,
    strict_due: bool = False,
    cache: bool = True,
    workers: int = 0,
) -> State:
    """Validate every year, check across years, run the GX suites once, diff each successive pair,
    watch what has come due in the latest snapshot on `on` (YYYY-MM-DD; default today in
    Asia/Tokyo), write the reports and publish them; Failed when an error-level contract is broken
    (warnings too with strict; due facts too with strict_due, which are otherwise warnings). The
    project is opened once here and handed to every task.

    cache: reuse what was computed before from byte-identical inputs (.bluebook-cache/ in the
    project root). workers: 0 validates the years in threads of this process (the default); N > 0
    in N worker processes of a temporary local Dask cluster (prefect-dask), each year's task
    given that year's part of the opened project (needs a Prefect server: PREFECT_API_URL)."""
    logger = get_run_logger()
    try:
        on_day = parse_on(on) if on else datetime.now(TOKYO).date()
    except UsageError as exc:
        return Failed(message=visible(f"parameter on: {exc}"))
    if workers > 0 and not os.environ.get("PREFECT_API_URL"):
        # Dask's worker processes report their task runs to the API; a temporary server lives only
        # in this process, and each worker would start (and time out on) one of its own.
        return Failed(message="workers > 0 needs a Prefect server: start one (make server) and set PREFECT_API_URL")
    project, sides = steps.open_review(_root(root), years, Cache.for_project(_root(root)) if cache else None)
    if project.cache is not None:
        project.cache.secret()  # made once here, before tasks (or worker processes) race to make it
    handed = shared(project)
    out_dir = Path(out) if Path(out).is_absolute() else project.layout.root / out
    registries = check_registries.submit(handed)
    checks = validate_years(project, 0) if workers <= 0 else []
    across = check_across.submit(handed)
    pairs = [diff_pair.submit(handed, a, b) for a, b in zip(sides, sides[1:], strict=False)]
    docs = out_dir / "data-docs"
    due = watch_due.submit(handed, on_day) if project.snapshots else None
    if workers > 0:  # while the tasks above run in this flow's threads
        checks = validate_years(project, workers)
    suites = run_suites.submit(handed, shared(registries.result()), shared([c.result() for c in checks]), docs)
    violations = (
        registries.result() + [v for c in checks for v in c.result().violations] + across.result() + suites.result()
    )
    name = steps.run_name(suffix=str(flow_run.id or "local")[:8])
    result = write_reports(
        out_dir,
        name,
        handed,
        sides,
        shared(violations),
        shared([p.result() for p in pairs]),
        strict,
        shared(due.result() if due else None),
        strict_due,
    )
    publish(shared(result), strict, strict_due)
    publish_due(shared(result))
    create_link_artifact(
        link=(docs / "index.html").resolve().as_uri(),
        link_text="GX Data Docs of this review",
        key="bluebook-data-docs",
        description="Great Expectations Data Docs (latest run)",
    )
    logger.info("reports: %s (latest: %s); Data Docs: %s", result.run_dir, out_dir / "latest", docs)
    print(visible(f"reports written to {result.run_dir} ({out_dir / 'latest'} points to it)"))
    if result.failed(strict, strict_due):
        return Failed(message=result.failure_message())
    due_note = f"; {due_summary(result.due)}" if result.due else ""
    # Warnings (not strict) do not fail the run, but its state says them: "all contracts hold" is
    # said only when none was found.
    return Completed(
        message=visible(f"{len(project.years)} year(s), {result.facts} facts; {verdict(result.violations)}{due_note}")
    )


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Run the review flow in this process.")
    parser.add_argument("years", nargs="*")
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--out", default="reports")
    parser.add_argument("--on", default=None, help="the due watch's day, YYYY-MM-DD (default: today in Asia/Tokyo)")
    parser.add_argument("--strict-due", action="store_true", help="facts due fail the run")
    parser.add_argument("--no-cache", action="store_true", help="compute every result again (.bluebook-cache/)")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="validate the years in N worker processes of a local Dask cluster (default: threads)",
    )
    args = parser.parse_args()
    state = review(
        years=args.years or None,
        strict=args.strict,
        out=args.out,
        on=args.on,
        strict_due=args.strict_due,
        cache=not args.no_cache,
        workers=args.workers,
        return_state=True,
    )
    print(visible(f"review: {state.name}: {state.message}"))
    sys.exit(0 if state.is_completed() else 1)
