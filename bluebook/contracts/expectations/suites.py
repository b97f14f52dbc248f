"""The suite files of `expectations/` (GX 1.x JSON), read and checked for what GX does not check,
without importing GX."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from bluebook.contracts.expectations import views
from bluebook.data.project import Layout
from bluebook.violations import ERROR, WARNING, Violation, violation

# GX severity → violation severity. GX also knows `info`; a suite here must say critical or warning.
SEVERITIES = {"critical": ERROR, "warning": WARNING}


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

    def line(self, n: int) -> int:
        """The line of expectation `n` in the file (0 when the file has no such line)."""
        return self.lines[n] if 0 <= n < len(self.lines) else 0


def read_suites(layout: Layout) -> tuple[dict[str, Suite], list[Violation]]:
    """Every `expectations/*.json`, checked for what GX does not check: the file name is the suite
    name and a table or view, and each expectation has a severity and a one-line `meta.why`."""
    folder = layout.expectations
    out: list[Violation] = []
    suites: dict[str, Suite] = {}
    if not folder.is_dir():
        return {}, [
            violation(
                "load.missing-file",
                f"{layout.rel(folder)}/ does not exist, so no suite can run",
                "restore the Great Expectations suites (git checkout expectations/)",
                file=layout.rel(folder),
            )
        ]
    for path in sorted(folder.glob("*.json")):
        rel = layout.rel(path)
        problem, data, lines = _parse_suite(path)
        if problem is None and path.stem not in views.SUITE_NAMES:
            problem = (
                f"suite '{path.stem}' is neither a table nor a view, so nothing would run it; "
                f"suites: {', '.join(views.SUITE_NAMES)}"
            )
        if problem:
            out.append(
                violation(
                    "expect.suite-invalid",
                    problem,
                    "fix the suite: GX 1.x JSON with name, expectations [{type, kwargs, meta: {why}, "
                    "severity: critical|warning}], meta",
                    file=rel,
                    line=lines[0] if lines else 0,
                )
            )
            continue
        suites[path.stem] = Suite(path.stem, rel, data, lines)
    for name in views.SUITE_NAMES:
        if name not in suites and not any(v.file == f"{layout.rel(folder)}/{name}.json" for v in out):
            out.append(
                violation(
                    "load.missing-file",
                    f"{layout.rel(folder)}/{name}.json does not exist, so the {name} contracts never run",
                    "restore the suite (git checkout expectations/)",
                    file=f"{layout.rel(folder)}/{name}.json",
                )
            )
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
            return (
                (f"expectation {n} ({exp.get('type')}) has severity {exp.get('severity')!r}; use critical or warning"),
                {},
                lines,
            )
        why = (exp.get("meta") or {}).get("why")
        if not isinstance(why, str) or not why.strip() or "\n" in why:
            return f"expectation {n} ({exp.get('type')}) has no one-line meta.why", {}, lines
    return None, data, lines
