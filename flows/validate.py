"""On-demand validation: every contract of the given years, as a Prefect run with a violations
table artifact; Failed when an error-level contract is broken."""

from __future__ import annotations

import sys
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from prefect.states import Completed, Failed, State

from bluebook import review as steps
from bluebook.flows.tasks import check_across, check_registries, run_suites, shared, validate_year
from bluebook.reports.violations import verdict, violation_rows
from bluebook.text import visible

REPO = Path(__file__).resolve().parent.parent


@flow(name="validate", flow_run_name="validate {years}")
def validate(years: list[str] | None = None, strict: bool = False, root: str | None = None) -> State:
    """Check every contract of `years` (all when empty), the GX suites included; the project is
    opened once and handed to every task."""
    project, _ = steps.open_review(Path(root).resolve() if root else REPO, years)
    handed = shared(project)
    registries = check_registries.submit(handed)
    checks = [validate_year.submit(handed, y) for y in project.years]
    across = check_across.submit(handed)
    suites = run_suites.submit(handed, shared(registries.result()), shared([c.result() for c in checks]), None)
    violations = steps.merge_violations(
        registries.result(), *(c.result().violations for c in checks), across.result(), suites.result()
    )
    create_table_artifact(
        table=violation_rows(violations),
        key="bluebook-violations",
        description="Broken contracts",
    )
    failing = [v for v in violations if v.severity == "error" or strict]
    get_run_logger().info("%d violation(s), %d failing", len(violations), len(failing))
    if failing:
        return Failed(
            message=visible(f"{len(failing)} broken contract(s): " + ", ".join(sorted({v.code for v in failing})))
        )
    return Completed(message=visible(verdict(violations)))  # warnings, when not strict, are named here


if __name__ == "__main__":
    state = validate(years=sys.argv[1:] or None, return_state=True)
    print(visible(f"validate: {state.name}: {state.message}"))
    sys.exit(0 if state.is_completed() else 1)
