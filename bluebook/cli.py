"""The `bluebook` command line: parse arguments, call the library, print, exit 0/1/2."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_CONTRACT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A problem with how the command was called (exit 2)."""


def _root(args) -> Path:
    return Path(args.root or os.environ.get("BLUEBOOK_ROOT") or ".").resolve()


def _years(root: Path, requested: list[str]) -> list[str]:
    from bluebook.data.project import Layout

    available = Layout(root).years()
    if not available:
        raise UsageError(f"no snapshots under {root / 'snapshots'}; run from the project root or pass --root")
    unknown = [y for y in requested if y not in available]
    if unknown:
        raise UsageError(f"unknown year {', '.join(unknown)}; snapshots exist for {', '.join(available)}")
    return sorted(set(requested)) if requested else available


def cmd_check(args) -> int:
    from bluebook.contracts.check import run_check
    from bluebook.reports.violations import violations_json, violations_junit, violations_text

    root = _root(args)
    if args.data_docs:
        from bluebook.contracts.expectations.data_docs import DataDocsError, check_data_docs_dir

        if args.no_expectations:
            raise UsageError("--data-docs renders the suites' results; it cannot go with --no-expectations")
        try:
            check_data_docs_dir(Path(args.data_docs))
        except DataDocsError as exc:
            raise UsageError(str(exc)) from exc
    result = run_check(root, _years(root, args.years), expectations=not args.no_expectations)
    facts = result.fact_count
    if args.data_docs:
        from bluebook.contracts.expectations.data_docs import write_check_data_docs

        index = write_check_data_docs(result, Path(args.data_docs))
        print(f"Data Docs: {index}", file=sys.stderr)
    if args.junit:
        checked = [s.file(t) for s in result.project.snapshots.values() for t in s.tables]
        _write_atomic(Path(args.junit), violations_junit(result.violations, result.years, checked))
    if args.format == "json":
        print(violations_json(result.violations, result.years, facts))
    else:
        print(violations_text(result.violations, result.years, facts, limit=args.limit))
    return result.exit_code(args.strict)


def cmd_fmt(args) -> int:
    from bluebook.data.fmt import format_project

    root = _root(args)
    report = format_project(root, check_only=args.check)
    for line in report.lines:
        print(line)
    return EXIT_CONTRACT if (report.refused or (args.check and report.changed)) else EXIT_OK


def cmd_coverage(args) -> int:
    from bluebook.reports.coverage import coverage, render_coverage

    root = _root(args)
    years = _years(root, [args.year])
    try:
        report = coverage(root, years[0], args.source)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    print(render_coverage(report, show_cited=args.all))
    return EXIT_OK


def cmd_propose(args) -> int:
    from bluebook.reports.propose import propose_year

    root = _root(args)
    years = _years(root, [args.year])
    try:
        print(propose_year(root, years[0], args.source), end="")
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    return EXIT_OK


def cmd_diff(args) -> int:
    from bluebook.changes.sides import SideError, diff_sides, load_side
    from bluebook.reports.changes import RENDERERS

    root = _root(args)
    try:
        base, head = load_side(root, args.base), load_side(root, args.head)
    except SideError as exc:
        raise UsageError(str(exc)) from exc
    diff = diff_sides(base, head)
    if args.out:
        out = Path(args.out)
        stem = f"changes-{_slug(base.label)}-{_slug(head.label)}"
        for fmt, render in RENDERERS.items():
            _write_atomic(out / f"{stem}.{fmt}", render(diff, base, head))
        print(f"wrote {out / stem}.{{md,json,html}}", file=sys.stderr)
    print(RENDERERS[args.format](diff, base, head), end="")
    return EXIT_OK


def _slug(label: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-." else "_" for ch in label)


def cmd_history(args) -> int:
    import json

    from bluebook.reports.history import NotFound, history, render_history

    try:
        h = history(_root(args), args.query)
    except NotFound as exc:
        raise UsageError(str(exc)) from exc
    if args.format == "json":
        print(json.dumps({"query": h.query, "matched": h.matched, "entity": h.entity, "years": h.years,
                          "timelines": [t.__dict__ for t in h.timelines]}, ensure_ascii=False, indent=2))
    else:
        print(render_history(h), end="")
    return EXIT_OK


def _write_atomic(path: Path, text: str) -> None:
    from bluebook.data.files import write_atomic

    write_atomic(path, text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bluebook", description="Validate and diff year-by-year facts from Japan's Diplomatic Bluebook.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  bluebook check 2025\n  bluebook diff 2024 2025")
    parser.add_argument("--root", help="project root (default: $BLUEBOOK_ROOT or the current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str, example: str, func):
        p = sub.add_parser(name, help=help_text, description=help_text,
                           epilog=f"example:\n  {example}", formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=func)
        return p

    p = add("check", "check every data contract of the given years (all years when none are given)",
            "bluebook check 2025 --format json\n  bluebook check --data-docs reports/data-docs", cmd_check)
    p.add_argument("years", nargs="*", metavar="YEAR")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--junit", metavar="FILE", help="also write JUnit XML for CI")
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    p.add_argument("--limit", type=int, default=10, help="violations shown per file in text output (0: all)")
    p.add_argument("--no-expectations", action="store_true",
                   help="skip the Great Expectations suites (and GX's import of several seconds), "
                        "e.g. to time the other layers")
    p.add_argument("--data-docs", metavar="DIR",
                   help="also render GX Data Docs of this run into DIR (replacing the previous run's)")

    p = add("fmt", "rewrite the YAML files in canonical form (key order, quoting, flow lists)",
            "bluebook fmt --check", cmd_fmt)
    p.add_argument("--check", action="store_true", help="only report files that are not canonical (exit 1)")

    p = add("diff", "report what changed between two snapshots (a year, or a year at a git revision)",
            "bluebook diff 2024 2025 --format md --out reports", cmd_diff)
    p.add_argument("base", metavar="BASE", help="YEAR or YEAR@REV, e.g. 2024 or 2025@HEAD~1")
    p.add_argument("head", metavar="HEAD", help="YEAR or YEAR@REV")
    p.add_argument("--format", choices=["md", "json", "html"], default="md", help="what to print")
    p.add_argument("--out", metavar="DIR", help="also write the report in all three formats into DIR")

    p = add("history", "the timeline of one fact, or of every fact about one entity, across years",
            "bluebook history BRICS", cmd_history)
    p.add_argument("query", metavar="ID-OR-ENTITY", help="a fact id (new-start) or an entity (BRICS, VNM, Viet Nam)")
    p.add_argument("--format", choices=["text", "json"], default="text")

    p = add("coverage", "list the paragraphs of a held source that no stated fact of the year cites, and the "
            "share of stated fields the reader verified in their quotes",
            "bluebook coverage 2025", cmd_coverage)
    p.add_argument("year", metavar="YEAR")
    p.add_argument("--source", default=None, help="source id (default: the year's held source)")
    p.add_argument("--all", action="store_true", help="also list the cited paragraphs with their facts")

    p = add("propose", "draft candidate records (YAML) for the body sentences of a held source that no fact cites",
            "bluebook propose 2025 > proposals.yaml", cmd_propose)
    p.add_argument("year", metavar="YEAR")
    p.add_argument("--source", default=None, help="source id (default: the year's held source)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"bluebook {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `bluebook check | head`
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
