"""`bluebook check --baseline REV`: run the contracts on the working tree and on the project as it
is at a git revision, and keep only what the change between them introduced or fixed.

Violations are matched by what they are about, never by line: the code, the year, the table and
the fact id (for a violation about no fact, its file). Where one fact breaks one contract several
times, the violations are paired first by message, then in order; what is left over on the
working tree's side is new, what is left over on the revision's side is fixed."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bluebook.contracts.check import CheckResult, run_check
from bluebook.data.project import Layout, Project, open_project
from bluebook.data.revision import export_revision
from bluebook.violations import ERROR, WARNING, Violation, report_order

# What a project is at a revision: the data and the suites that judge it (the contract code itself
# is the working tree's, so a change to a schema shows as violations on one side only).
REQUIRED = ("snapshots", "sources")
OPTIONAL = ("expectations",)


@dataclass
class BaselineResult:
    rev: str
    commit: str
    head: CheckResult  # the working tree
    base_years: list[str]  # the years checked at the revision (those of the working tree it has)
    new: list[Violation]
    fixed: list[Violation]
    unchanged: int

    @property
    def new_errors(self) -> int:
        return sum(v.severity == ERROR for v in self.new)

    @property
    def new_warnings(self) -> int:
        return sum(v.severity == WARNING for v in self.new)

    def exit_code(self, strict: bool = False) -> int:
        """1 only for what the change introduced: a new error (a new warning too with strict)."""
        return 1 if self.new_errors or (strict and self.new_warnings) else 0


def match_key(v: Violation) -> tuple[str, str, str, str]:
    """What a violation is about, independent of where the line of its fact moved to."""
    return (v.code, v.year, v.table, v.id or v.file)


def compare(head: list[Violation], base: list[Violation]) -> tuple[list[Violation], list[Violation], int]:
    """(new, fixed, unchanged count) between the violations of the working tree and of the base."""
    base_by_key: dict[tuple, list[Violation]] = defaultdict(list)
    for v in base:
        base_by_key[match_key(v)].append(v)
    new: list[Violation] = []
    unchanged = 0
    head_by_key: dict[tuple, list[Violation]] = defaultdict(list)
    for v in head:
        head_by_key[match_key(v)].append(v)
    for key, items in head_by_key.items():
        olds = base_by_key.pop(key, [])
        rest = []
        for v in items:  # the same message first, so that a pair is the same finding where it can be
            same = next((i for i, o in enumerate(olds) if o.message == v.message), None)
            if same is None:
                rest.append(v)
            else:
                olds.pop(same)
                unchanged += 1
        paired = min(len(rest), len(olds))
        unchanged += paired
        new += rest[paired:]
        if olds[paired:]:
            base_by_key[key] = olds[paired:]
    fixed = [v for items in base_by_key.values() for v in items]
    return sorted(new, key=report_order), sorted(fixed, key=report_order), unchanged


def run_baseline(project: Project, rev: str, *, expectations: bool = True, jobs: int = 1) -> BaselineResult:
    """Check the opened project (the working tree) and the same years at `rev` (those it has), and
    compare. A RevisionError (a usage error) when `rev` cannot be read. The revision's project
    shares the working tree's cache: what is byte-identical at both is computed once."""
    head = run_check(project, expectations=expectations, jobs=jobs)
    with tempfile.TemporaryDirectory(prefix="bluebook-baseline-") as tmp:
        dest = Path(tmp)
        export = export_revision(project.layout.root, rev, dest, REQUIRED, OPTIONAL)
        base_years = [y for y in head.years if y in Layout(dest).years()]
        base_violations: list[Violation] = []
        if base_years:
            at_rev = open_project(dest, base_years, cache=project.cache, max_bytes=project.max_bytes)
            base_violations = run_check(at_rev, expectations=expectations, jobs=jobs).violations
    new, fixed, unchanged = compare(head.violations, base_violations)
    return BaselineResult(rev, export.commit, head, base_years, new, fixed, unchanged)
