"""Great Expectations: the dataset contracts of `expectations/*.json` (GX 1.x suites), run over
the frames of every checked year (`bluebook/views.py`), each failed expectation turned into
violations that name the failing facts. GX takes 4–9 s to import, so it is imported only inside
the functions that run it; `bluebook check --no-expectations` never imports it."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bluebook.contracts import inputs
from bluebook.contracts.expectations import views
from bluebook.contracts.expectations.messages import expectation_violations, frame_name, plain
from bluebook.contracts.expectations.suites import Suite, read_suites
from bluebook.contracts.grounding import HELD_TEXTS, Grounding
from bluebook.data.cache import is_violations, violations_from_plain, violations_to_plain
from bluebook.data.project import Project
from bluebook.violations import Violation, violation

if TYPE_CHECKING:  # GX is imported only when the suites run
    from great_expectations import ExpectationSuite, ValidationDefinition
    from great_expectations.core.batch_definition import BatchDefinition
    from great_expectations.data_context import AbstractDataContext

# One GX run at a time per process: the review flow validates years in threads, and GX's context
# and the warning/log settings below are process-wide (the work is CPU-bound: nothing is lost).
_GX_LOCK = threading.RLock()


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """One GX run at a time, with no analytics, progress bars, warnings or log lines: `check`
    prints only violations."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    logger = logging.getLogger("great_expectations")
    with _GX_LOCK:
        level, propagate = logger.level, logger.propagate
        logger.setLevel(logging.CRITICAL + 1)
        logger.propagate = False
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield
        finally:
            logger.setLevel(level)
            logger.propagate = propagate


class Runner:
    """A GX context holding every suite, with one validation definition per suite; `run` validates
    one target frame and returns its violations. Ephemeral unless `root` is given (a file context
    there, whose stores keep the results for Data Docs)."""

    def __init__(self, suites: Iterable[Suite], root: Path | None = None):
        import great_expectations as gx  # seconds: only here, when the suites run
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.gx = gx
        # Without Data Docs, a target is first asked only whether each expectation holds (BOOLEAN_ONLY,
        # 2-3x cheaper) and run again for its failing rows only when one fails; Data Docs show the
        # one full run of every target.
        self.quick = root is None
        self.context: AbstractDataContext
        if root is None:
            self.context = gx.get_context(mode="ephemeral")
        else:
            self.context = gx.get_context(mode="file", project_root_dir=str(root))
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.source = self.context.data_sources.add_pandas("bluebook")
        self.suites: dict[str, Suite] = {}
        self.definitions: dict[str, ValidationDefinition] = {}
        self.batches: dict[str, tuple[BatchDefinition, ExpectationSuite]] = {}
        self.index: dict[str, dict[str | None, int]] = {}  # suite → expectation id → position in the file
        self.errors: list[Violation] = []
        for suite in suites:
            self._add(suite)

    def _add(self, suite: Suite) -> None:
        gx = self.gx
        try:
            gx_suite = gx.ExpectationSuite(**suite.data)
            # GX logs and drops an expectation it cannot build (an unknown type) instead of raising.
            built = [e.expectation_type for e in gx_suite.expectations]
            wanted = [e.get("type") for e in suite.expectations]
            if built != wanted:
                n = next(i for i, t in enumerate(wanted) if i >= len(built) or built[i] != t)
                raise _Lost(n, f"GX could not build expectation {n} ({wanted[n]})")
            gx_suite = self.context.suites.add(gx_suite)
        except Exception as exc:
            n = exc.n if isinstance(exc, _Lost) else 0
            self.errors.append(
                violation(
                    "expect.suite-invalid",
                    f"GX cannot load suite {suite.name}: {_one_line(exc)}",
                    "fix the expectation's type and kwargs (see the GX Expectation Gallery for 1.x names)",
                    file=suite.rel,
                    line=suite.line(n),
                )
            )
            return
        batch = self.source.add_dataframe_asset(name=suite.name).add_batch_definition_whole_dataframe("whole")
        if self.quick:  # validated batch by batch (Batch.validate): no definition, no result stored
            self.batches[suite.name] = (batch, gx_suite)
        else:  # the results are kept in the context's store, for the Data Docs
            self.definitions[suite.name] = self.context.validation_definitions.add(
                gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite)
            )
        self.suites[suite.name] = suite
        self.index[suite.name] = {e.id: n for n, e in enumerate(gx_suite.expectations)}

    def validate(self, target: views.Target, detail: bool = True):
        """The GX validation result of one target (None when its suite could not be loaded): with
        every failing row (`detail`), or only whether each expectation holds. Without Data Docs the
        batch is validated as it is (nothing stored; a validation definition's run also serialises every
        result into the context's store: 0.61 s against 0.58 s for the 31 of the real data)."""
        from great_expectations.core.run_identifier import RunIdentifier

        result_format = (
            {"result_format": "COMPLETE", "unexpected_index_column_names": target.keys}
            if detail
            else {"result_format": "BOOLEAN_ONLY"}
        )
        if target.suite in self.batches:
            batch, gx_suite = self.batches[target.suite]
            return batch.get_batch(batch_parameters={"dataframe": target.frame}).validate(
                gx_suite, result_format=result_format
            )
        definition = self.definitions.get(target.suite)
        if definition is None:
            return None
        return definition.run(
            batch_parameters={"dataframe": target.frame},
            result_format=result_format,
            run_id=RunIdentifier(run_name=f"{target.suite} {target.year or 'registry'}"),
        )

    def run(self, target: views.Target) -> list[Violation]:
        """Violations of one target: failed expectations, and expectations that raised."""
        suite = self.suites.get(target.suite)
        try:
            # Most targets pass: asking only whether each expectation holds is 2-3x cheaper than
            # collecting failing rows; the rows are collected (the same run again) only on a failure.
            quick = self.validate(target, detail=False) if self.quick else None
            result = quick if quick is not None and quick.success else self.validate(target)
        except Exception as exc:
            return [
                violation(
                    "expect.not-evaluated",
                    f"suite {target.suite} could not run on {frame_name(target)}: {_one_line(exc)}",
                    "fix the suite (its columns must be those of the table or view)",
                    file=suite.rel if suite else "",
                    year=target.year,
                    table=target.suite,
                )
            ]
        if result is None or suite is None:  # a result means the suite loaded
            return []
        out: list[Violation] = []
        rows: dict | None = None  # the frame's rows by key, built for the first failing expectation
        for res in result.results:
            n = self.index[target.suite].get(res.expectation_config.id, -1)
            if n < 0:  # GX answered for an expectation the file does not have: never pass it silently
                n, failure = 0, f"GX returned a result for an unknown expectation ({res.expectation_config.type})"
            else:
                failure = _exception(res.exception_info)
            if failure:
                out.append(
                    violation(
                        "expect.not-evaluated",
                        f"{suite.key(n)} could not be evaluated on {frame_name(target)}: {failure}",
                        "fix the expectation in the suite (its columns must be those of the table or view)",
                        file=suite.rel,
                        line=suite.line(n),
                        year=target.year,
                        table=target.suite,
                        extra={"suite": suite.name, "expectation": n},
                    )
                )
            elif not res.success:
                rows = _rows_by_key(target) if rows is None else rows
                out += expectation_violations(target, suite, n, suite.expectations[n], res.result or {}, rows)
        return out


class _Lost(Exception):
    """GX dropped expectation `n` of a suite while building it."""

    def __init__(self, n: int, message: str):
        super().__init__(message)
        self.n = n


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:300] + ("…" if len(text) > 300 else "")


def _exception(info) -> str:
    """The message of an exception GX caught while evaluating (its shape differs by where it arose)."""
    if not isinstance(info, dict):
        return ""
    if "raised_exception" in info:
        return _one_line(Exception(info.get("exception_message") or "error")) if info["raised_exception"] else ""
    messages = [_exception(v) for v in info.values()]
    return "; ".join(dict.fromkeys(m for m in messages if m))


def _rows_by_key(target: views.Target) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = {}
    for row in target.frame.to_dict("records"):
        out.setdefault(tuple(plain(row.get(k)) for k in target.keys), []).append(row)
    return out


def targets_to_run(project: Project, grounding: Grounding, unreadable: Iterable[str]) -> list[views.Target]:
    skip = set(unreadable)
    # A frame built from a file that could not be read tells nothing: the load error is the report.
    return [t for t in views.all_targets(project, grounding) if not skip.intersection(t.inputs)]


def run_expectations(
    project: Project,
    grounding: Grounding,
    unreadable: Iterable[str] = (),
    data_docs: Path | None = None,
    years: Iterable[str] | None = None,
    registry: bool = True,
) -> list[Violation]:
    """Run every suite once over the registry and every loaded year (tables and views); violations
    of the failed expectations, of suites that cannot load and of expectations that cannot run.
    With `data_docs`, the runs are kept in a file context and published there as GX Data Docs: the
    pages show exactly the results this check reports.

    With the project's cache (and no Data Docs), the results of the registry's targets and of each
    year's are cached by what they are built from (bluebook.contracts.inputs) and the suites; GX is
    imported only when one of them must run. `years` and `registry=False` run a part of them (what a
    worker process of `check --jobs` computes for its years)."""
    suites, out = read_suites(project.layout)
    skip = frozenset(unreadable)
    cache = project.cache if data_docs is None else None
    signature = inputs.suites_signature(suites, out) if cache is not None else ""
    with quiet(), contextlib.ExitStack() as stack:
        gx_root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bluebook-gx-"))) if data_docs else None
        runner: Runner | None = None

        def ready() -> Runner:
            nonlocal runner
            if runner is None:
                runner = Runner(suites.values(), root=gx_root)
            return runner

        def group(parts: list, targets: Callable[[], list[views.Target]]) -> list[Violation]:
            def compute() -> list[Violation]:
                return [v for t in targets() if not skip.intersection(t.inputs) for v in ready().run(t)]

            if cache is None:
                return compute()
            return cache.remember(
                "suites",
                ["suites", signature, *parts],
                compute,
                violations_to_plain,
                violations_from_plain,
                is_violations,
            )

        if registry:
            out += group(
                ["registry", inputs.registries(project), sorted(skip & {project.entities.rel})],
                lambda: [views.entities_target(project)],
            )
        chosen = None if years is None else set(years)
        for year, snap in project.snapshots.items():
            if chosen is not None and year not in chosen:
                continue
            found = sorted([t, i, n] for (y, t, i), n in grounding.found.items() if y == year)
            relevant = sorted(skip & ({f.rel for f in snap.files} | {project.entities.rel, HELD_TEXTS}))
            out += group(
                [inputs.year_layer(project, year), found, relevant],
                partial(views.year_targets, project, snap, grounding),
            )
        out += _setup_errors(cache, signature, ready, runner)
        if data_docs is not None and gx_root is not None:
            from bluebook.contracts.expectations.data_docs import publish_data_docs

            publish_data_docs(ready(), gx_root, data_docs)
    return out


def _setup_errors(cache, signature: str, ready: Callable[[], Runner], runner: Runner | None) -> list[Violation]:
    """The suites GX could not load: known once a runner was made, otherwise from the cache (by the
    suites' signature) or, failing that, by making one."""
    if cache is None:
        return ready().errors
    if runner is not None:
        errors = runner.errors
        cache.put("suites", cache.key("suites", ["suites", signature, "setup"]), violations_to_plain(errors))
        return errors
    return cache.remember(
        "suites",
        ["suites", signature, "setup"],
        lambda: ready().errors,
        violations_to_plain,
        violations_from_plain,
        is_violations,
    )
