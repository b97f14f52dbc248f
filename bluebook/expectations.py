"""Great Expectations: the dataset contracts of `expectations/*.json` (GX 1.x suites), run over
the frames of every checked year (`bluebook/views.py`), each failed expectation turned into
violations that name the failing facts. GX takes 4–9 s to import, so it is imported only inside
the functions that run it; `bluebook check --no-expectations` never imports it."""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bluebook import views
from bluebook.contracts import Grounding
from bluebook.project import Layout, Project
from bluebook.violations import ERROR, WARNING, Violation, violation

# GX severity → violation severity. GX also knows `info`; a suite here must say critical or warning.
SEVERITIES = {"critical": ERROR, "warning": WARNING}
DATA_DOCS_MARKER = ".bluebook-data-docs"  # marks a folder write_data_docs may replace
# One GX run at a time per process: the review flow validates years in threads, and GX's context
# and the warning/log settings below are process-wide (the work is CPU-bound: nothing is lost).
_GX_LOCK = threading.RLock()


class DataDocsError(Exception):
    """The Data Docs folder cannot be written (it holds something else)."""


@dataclass
class Suite:
    """One suite file as read (GX not needed to read it)."""

    name: str
    rel: str
    data: dict
    lines: list[int] = field(default_factory=list)  # line of each expectation in the file

    @property
    def expectations(self) -> list[dict]:
        return self.data["expectations"]

    def key(self, n: int) -> str:
        """`<suite>/<n>-<type>`: how tests and messages name one expectation."""
        return f"{self.name}/{n}-{self.expectations[n]['type']}"


def read_suites(layout: Layout) -> tuple[dict[str, Suite], list[Violation]]:
    """Every `expectations/*.json`, checked for what GX does not check: the file name is the suite
    name and a table or view, and each expectation has a severity and a one-line `meta.why`."""
    folder = layout.expectations
    out: list[Violation] = []
    suites: dict[str, Suite] = {}
    if not folder.is_dir():
        return {}, [violation("load.missing-file", f"{layout.rel(folder)}/ does not exist, so no suite can run",
                              "restore the Great Expectations suites (git checkout expectations/)",
                              file=layout.rel(folder))]
    for path in sorted(folder.glob("*.json")):
        rel = layout.rel(path)
        problem, data, lines = _parse_suite(path)
        if problem is None and path.stem not in views.SUITE_NAMES:
            problem = (f"suite '{path.stem}' is neither a table nor a view, so nothing would run it; "
                       f"suites: {', '.join(views.SUITE_NAMES)}")
        if problem:
            out.append(violation("expect.suite-invalid", problem,
                                 "fix the suite: GX 1.x JSON with name, expectations [{type, kwargs, meta: {why}, "
                                 "severity: critical|warning}], meta", file=rel, line=lines[0] if lines else 0))
            continue
        suites[path.stem] = Suite(path.stem, rel, data, lines)
    for name in views.SUITE_NAMES:
        if name not in suites and not any(v.file == f"{layout.rel(folder)}/{name}.json" for v in out):
            out.append(violation("load.missing-file", f"{layout.rel(folder)}/{name}.json does not exist, so the "
                                 f"{name} contracts never run", "restore the suite (git checkout expectations/)",
                                 file=f"{layout.rel(folder)}/{name}.json"))
    return suites, out


def _parse_suite(path: Path) -> tuple[str | None, dict, list[int]]:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return f"not a JSON file: {exc}", {}, [getattr(exc, "lineno", 0)]
    lines = [i for i, line in enumerate(text.splitlines(), 1) if line.strip().startswith('"type"')]
    if not isinstance(data, dict) or not isinstance(data.get("expectations"), list):
        return "a suite is a JSON object with a list of expectations", {}, lines
    if data.get("name") != path.stem:
        return f"name '{data.get('name')}' is not the file's name '{path.stem}'", {}, lines
    for n, exp in enumerate(data["expectations"]):
        if not isinstance(exp, dict):
            return f"expectation {n} is not an object", {}, lines
        if exp.get("severity") not in SEVERITIES:
            return (f"expectation {n} ({exp.get('type')}) has severity {exp.get('severity')!r}; "
                    "use critical or warning"), {}, lines
        why = (exp.get("meta") or {}).get("why")
        if not isinstance(why, str) or not why.strip() or "\n" in why:
            return f"expectation {n} ({exp.get('type')}) has no one-line meta.why", {}, lines
    return None, data, lines


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
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
        if root is None:
            self.context = gx.get_context(mode="ephemeral")
        else:
            self.context = gx.get_context(mode="file", project_root_dir=str(root))
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.source = self.context.data_sources.add_pandas("bluebook")
        self.suites: dict[str, Suite] = {}
        self.definitions = {}
        self.index: dict[str, dict[str, int]] = {}  # suite → expectation id → position in the file
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
        except Exception as exc:  # noqa: BLE001 - any refusal by GX is reported, never raised
            n = exc.n if isinstance(exc, _Lost) else 0
            self.errors.append(violation("expect.suite-invalid", f"GX cannot load suite {suite.name}: "
                                         f"{_one_line(exc)}", "fix the expectation's type and kwargs (see the GX "
                                         "Expectation Gallery for 1.x names)", file=suite.rel,
                                         line=suite.lines[n] if n < len(suite.lines) else 0))
            return
        batch = self.source.add_dataframe_asset(name=suite.name).add_batch_definition_whole_dataframe("whole")
        self.definitions[suite.name] = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite))
        self.suites[suite.name] = suite
        self.index[suite.name] = {e.id: n for n, e in enumerate(gx_suite.expectations)}

    def validate(self, target: views.Target):
        """The GX validation result of one target (None when its suite could not be loaded)."""
        from great_expectations.core.run_identifier import RunIdentifier

        definition = self.definitions.get(target.suite)
        if definition is None:
            return None
        return definition.run(
            batch_parameters={"dataframe": target.frame},
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": target.keys},
            run_id=RunIdentifier(run_name=f"{target.suite} {target.year or 'registry'}"),
        )

    def run(self, target: views.Target) -> list[Violation]:
        """Violations of one target: failed expectations, and expectations that raised."""
        suite = self.suites.get(target.suite)
        try:
            result = self.validate(target)
        except Exception as exc:  # noqa: BLE001 - a suite that cannot run is reported, never passed
            return [violation("expect.not-evaluated", f"suite {target.suite} could not run on {_frame_name(target)}: "
                              f"{_one_line(exc)}", "fix the suite (its columns must be those of the table or view)",
                              file=suite.rel if suite else "", year=target.year, table=target.suite)]
        if result is None:
            return []
        out: list[Violation] = []
        rows = _rows_by_key(target)
        for res in result.results:
            n = self.index[target.suite].get(res.expectation_config.id, -1)
            if n < 0:  # GX answered for an expectation the file does not have: never pass it silently
                n, failure = 0, f"GX returned a result for an unknown expectation ({res.expectation_config.type})"
            else:
                failure = _exception(res.exception_info)
            if failure:
                out.append(violation(
                    "expect.not-evaluated",
                    f"{suite.key(n)} could not be evaluated on {_frame_name(target)}: {failure}",
                    "fix the expectation in the suite (its columns must be those of the table or view)",
                    file=suite.rel, line=suite.lines[n] if n < len(suite.lines) else 0, year=target.year,
                    table=target.suite, extra={"suite": suite.name, "expectation": n}))
            elif not res.success:
                out += _violations(target, suite, n, suite.expectations[n], res.result or {}, rows)
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


def _frame_name(target: views.Target) -> str:
    return f"{target.suite} {target.year}" if target.year else target.suite


def _rows_by_key(target: views.Target) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = {}
    for row in target.frame.to_dict("records"):
        out.setdefault(tuple(_plain(row.get(k)) for k in target.keys), []).append(row)
    return out


def _plain(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _show(value) -> str:
    value = _plain(value)
    if value is None:
        return "(missing)"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _range(kwargs: dict) -> str:
    lo, hi = kwargs.get("min_value"), kwargs.get("max_value")
    if lo is not None and hi is not None:
        return f"between {lo:g} and {hi:g}"
    return f"at least {lo:g}" if lo is not None else f"at most {hi:g}"


def _listed(kwargs: dict) -> str:
    return ", ".join(map(str, kwargs.get("value_set", [])))


def _scope(exp: dict) -> str:
    scope = exp.get("meta", {}).get("scope")
    condition = exp["kwargs"].get("row_condition")
    return f" ({scope})" if scope else f" (where {condition})" if condition else ""


def _rule(exp: dict) -> str:
    """What the expectation requires of each row, in words."""
    t, k = exp["type"], exp["kwargs"]
    return {
        "expect_column_values_to_be_in_set": lambda: f"{k.get('column')} in {_listed(k)}",
        "expect_column_values_to_not_be_null": lambda: f"{k.get('column')} given",
        "expect_column_values_to_match_regex": lambda: f"{k.get('column')} matching {k.get('regex')}",
        "expect_column_values_to_not_match_regex": lambda: f"{k.get('column')} not matching {k.get('regex')}",
        "expect_column_values_to_be_between": lambda: f"{k.get('column')} {_range(k)}",
    }.get(t, lambda: t.removeprefix("expect_").replace("_", " "))()


def _row_message(exp: dict, entry: dict, row: dict, year: str) -> str:
    """One failing row in words: the suite's `meta.message` template when it has one, else by type."""
    template = exp.get("meta", {}).get("message")
    values = {k: _plain(v) for k, v in {**row, **entry}.items()}
    if template:
        try:
            return template.format_map({**{k: "(missing)" if v is None else v for k, v in values.items()},
                                        "year": year})
        except (KeyError, ValueError, TypeError, IndexError):
            pass
    t, k = exp["type"], exp["kwargs"]
    col = k.get("column")
    value = _show(values.get(col)) if col else ""
    scope = _scope(exp)
    if t == "expect_column_values_to_be_in_set":
        return f"{col} is {value}; expected one of {_listed(k)}{scope}"
    if t == "expect_column_values_to_not_be_null":
        return f"{col} is missing; it is required{scope}"
    meta = exp.get("meta", {})
    if t == "expect_column_values_to_match_regex":
        if meta.get("contains"):
            return f"{col} {value} contains no {meta['contains']}{scope}"
        return f"{col} {value} does not have the form {meta.get('form') or k.get('regex')}{scope}"
    if t == "expect_column_values_to_not_match_regex":
        if meta.get("contains"):
            return f"{col} {value} contains {meta['contains']}{scope}"
        return f"{col} {value} matches {k.get('regex')}, which it must not{scope}"
    if t == "expect_column_values_to_be_unique":
        return f"{col} {value} is used by more than one row{scope}"
    if t == "expect_compound_columns_to_be_unique":
        cols = k.get("column_list", [])
        shown = ", ".join(f"{c} {_show(values.get(c))}" for c in cols)
        return f"another record has the same {'/'.join(cols)} ({shown}){scope}"
    if t == "expect_column_pair_values_to_be_equal":
        a, b = k.get("column_A"), k.get("column_B")
        return f"{a} {_show(values.get(a))} differs from {b} {_show(values.get(b))}{scope}"
    if t == "expect_column_values_to_be_between":
        return f"{col} is {value}; expected {_range(k)}{scope}"
    return f"fails {t} ({', '.join(f'{c}={_show(values.get(c))}' for c in values)})"


def _violations(target: views.Target, suite: Suite, n: int, exp: dict, result: dict,
                rows: dict[tuple, list[dict]]) -> list[Violation]:
    code = f"expect.{exp['type']}"
    severity = SEVERITIES.get(exp.get("severity"), ERROR)
    hint = exp.get("meta", {}).get("why", "")
    extra = {"suite": suite.name, "expectation": n}
    common = dict(severity=severity, year=target.year, extra=extra)
    kwargs = exp["kwargs"]
    entries = result.get("unexpected_index_list")
    mostly = kwargs.get("mostly")
    if exp["type"] == "expect_table_row_count_to_be_between" or not isinstance(entries, list):
        where = target.locate({})
        observed = result.get("observed_value")
        if exp["type"] == "expect_table_row_count_to_be_between":
            message = f"{_frame_name(target)} has {observed} rows; expected {_range(kwargs)}"
        else:
            message = f"{suite.key(n)} failed on {_frame_name(target)} (observed {_show(observed)})"
        return [violation(code, message, hint, **where, **common)]
    if mostly is not None and mostly < 1:
        # A policy over the share of rows: one violation for the table, naming the first few rows.
        where = target.locate({})
        total = result.get("element_count") or 0
        missing = result.get("missing_count") or 0
        considered = max(total - missing, 0)
        bad = result.get("unexpected_count") or 0
        share = (considered - bad) / considered if considered else 1.0
        ids = [str(e.get(target.keys[0])) for e in entries]
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        message = (f"{share:.0%} of {considered} {_frame_name(target)} rows{_scope(exp)} have {_rule(exp)}; "
                   f"the policy is at least {mostly:.0%} (not: {shown})")
        return [violation(code, message, hint, **where, **common)]
    out = []
    column = kwargs.get("column") or kwargs.get("column_A")
    taken: dict[tuple, int] = {}
    for entry in entries:
        # The n-th failing entry with a key is taken as the n-th row with that key (keys repeat
        # only where an id or organization is duplicated, and then every such row fails).
        key = tuple(_plain(entry.get(k)) for k in target.keys)
        candidates = rows.get(key) or [entry]
        row = candidates[min(taken.get(key, 0), len(candidates) - 1)]
        taken[key] = taken.get(key, 0) + 1
        where = target.locate(row, column)
        out.append(violation(code, _row_message(exp, entry, row, target.year), hint, **where, **common))
    return out


def _targets(project: Project, grounding: Grounding, unreadable: Iterable[str]) -> list[views.Target]:
    skip = set(unreadable)
    # A frame built from a file that could not be read tells nothing: the load error is the report.
    return [t for t in views.all_targets(project, grounding) if not skip.intersection(t.inputs)]


def run_expectations(project: Project, grounding: Grounding, unreadable: Iterable[str] = ()) -> list[Violation]:
    """Run every suite over the registry and every loaded year (tables and views); violations of
    the failed expectations, of suites that cannot load and of expectations that cannot run."""
    suites, out = read_suites(project.layout)
    targets = _targets(project, grounding, unreadable)
    with _quiet():
        runner = Runner(suites.values())
        out += runner.errors
        for target in targets:
            out += runner.run(target)
    return out


def check_data_docs_dir(out_dir: Path) -> None:
    """Raise DataDocsError unless `out_dir` is missing, empty or an earlier run's Data Docs (the
    only folders write_data_docs replaces)."""
    foreign = out_dir.exists() and (not out_dir.is_dir() or (
        any(out_dir.iterdir()) and not (out_dir / DATA_DOCS_MARKER).exists()))
    if foreign:
        raise DataDocsError(f"{out_dir} exists and holds files that are not Data Docs; choose an empty folder")


def write_data_docs(project: Project, grounding: Grounding, out_dir: Path, unreadable: Iterable[str] = ()) -> Path:
    """Render GX Data Docs of one run of every suite into `out_dir` (replacing the previous run's),
    from a file context in a temporary folder; returns the index page."""
    out_dir = Path(out_dir)
    check_data_docs_dir(out_dir)
    suites, _ = read_suites(project.layout)
    targets = _targets(project, grounding, unreadable)
    with tempfile.TemporaryDirectory(prefix="bluebook-gx-") as tmp, _quiet():
        runner = Runner(suites.values(), root=Path(tmp))
        for target in targets:
            with contextlib.suppress(Exception):  # check reports it; the pages show what did run
                runner.validate(target)
        runner.context.build_data_docs()
        site = Path(tmp) / "gx" / "uncommitted" / "data_docs" / "local_site"
        staging = out_dir.with_name(out_dir.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(site, staging)
        _prune_static(staging)
        (staging / DATA_DOCS_MARKER).write_text("written by bluebook; replaced on every run\n", encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    return out_dir / "index.html"


def write_check_data_docs(result, out_dir: Path) -> Path:
    """Data Docs for a finished `run_check` (a `CheckResult`): the same project, grounding and
    unreadable files, so the pages show what the check saw."""
    unreadable = {v.file for v in result.violations if v.code.startswith("load.") and v.severity == ERROR and v.file}
    return write_data_docs(result.project, result.grounding, out_dir, unreadable)


def _prune_static(site: Path) -> None:
    """Drop the ~4 MB of walkthrough GIFs, logos and fonts GX copies into every site: the pages
    reference only the favicon (their CSS comes from CDNs)."""
    static = site / "static"
    shutil.rmtree(static / "fonts", ignore_errors=True)
    for path in (static / "images").glob("*"):
        if path.name != "favicon.ico":
            path.unlink()
