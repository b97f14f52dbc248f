"""The `bluebook` command line: parse arguments, call the library, print, exit 0/1/2/3 (see
bluebook/errors.py). Everything printed from data goes through bluebook.text.visible."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bluebook.errors import EXIT_CONTRACT, EXIT_INTERNAL, EXIT_OK, BluebookError, UsageError
from bluebook.text import visible


def _root(args) -> Path:
    return Path(args.root or os.environ.get("BLUEBOOK_ROOT") or ".").resolve()


MAX_FILE_BYTES = 1 << 20  # bluebook.data.load.MAX_FILE_BYTES (not imported: --help stays fast)


def _cache(args, root: Path):
    """The project's cache (.bluebook-cache/, or $BLUEBOOK_CACHE_DIR), or None with --no-cache."""
    if getattr(args, "no_cache", False):
        return None
    from bluebook.data.cache import Cache

    return Cache.for_project(root)


def _open(args, years: list[str] | None = None):
    """The project of this command, opened once (every file read once) and passed down."""
    from bluebook.data.project import open_project

    root = _root(args)
    return open_project(
        root,
        _years(root, years or []),
        cache=_cache(args, root),
        max_bytes=getattr(args, "max_file_bytes", MAX_FILE_BYTES),
    )


def _open_registries(args):
    """The project with no year opened (both sides of a diff come from git)."""
    from bluebook.data.project import open_project

    root = _root(args)
    _years(root, [])
    return open_project(root, [], cache=_cache(args, root), max_bytes=getattr(args, "max_file_bytes", MAX_FILE_BYTES))


def _years(root: Path, requested: list[str]) -> list[str]:
    from bluebook.data.project import Layout

    available = Layout(root).years()
    if not available:
        raise UsageError(f"no snapshots under {visible(root / 'snapshots')}; run from the project root or pass --root")
    unknown = [y for y in requested if y not in available]
    if unknown:
        raise UsageError(f"unknown year {', '.join(map(visible, unknown))}; snapshots exist for {', '.join(available)}")
    return sorted(set(requested)) if requested else available


def _writable(path: Path, folder: bool) -> Path:
    """Refuse, before any work is done, an output that cannot be written: a file where a folder is
    wanted or the reverse, a path under a file, or a folder this user cannot write in."""
    if folder and path.exists() and not path.is_dir():
        raise UsageError(f"{visible(path)} is a file; give a folder")
    if not folder and path.is_dir():
        raise UsageError(f"{visible(path)} is a folder; give a file name")
    existing = path if folder and path.is_dir() else path.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"cannot write {visible(path)}: {visible(existing)} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {visible(path)}: no permission to write in {visible(existing)}")
    return path


def _write(path: Path, text: str | bytes) -> None:
    from bluebook.data.files import write_atomic

    try:
        write_atomic(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write {visible(path)}: {exc.strerror or exc}") from exc


def cmd_check(args) -> int:
    from bluebook.contracts.check import run_check
    from bluebook.reports.junit import checked_files, layers_run
    from bluebook.reports.violations import check_summary, violations_json, violations_junit, violations_text

    junit = _writable(Path(args.junit), folder=False) if args.junit else None
    if args.baseline is not None:
        return _check_baseline(args, junit)
    docs = _writable(Path(args.data_docs), folder=True) if args.data_docs else None
    if docs:
        from bluebook.contracts.expectations.data_docs import check_data_docs_dir

        if args.no_expectations:
            raise UsageError("--data-docs renders the suites' results; it cannot go with --no-expectations")
        check_data_docs_dir(docs)
    project = _open(args, args.years)
    try:
        result = run_check(project, expectations=not args.no_expectations, data_docs=docs, jobs=args.jobs)
    except OSError as exc:  # only the Data Docs are written during the check
        if docs is None:
            raise
        raise UsageError(f"cannot write the Data Docs into {visible(docs)}: {exc.strerror or exc}") from exc
    facts = result.fact_count
    if args.format == "json":
        print(violations_json(result.violations, result.years, facts))
    elif args.format == "github":
        from bluebook.reports.github import violations_github

        print(
            violations_github(
                result.violations,
                check_summary(result.violations, result.years, facts),
                prefix=_repo_prefix(project.layout.root),
            )
        )
    else:
        print(violations_text(result.violations, result.years, facts, limit=args.limit))
    sys.stdout.flush()
    if junit:
        _write(
            junit,
            violations_junit(
                result.violations,
                result.years,
                checked_files(project),
                layers=layers_run(not args.no_expectations),
                strict=args.strict,
            ),
        )
    if docs:
        print(f"Data Docs: {visible(docs / 'index.html')}", file=sys.stderr)
    return result.exit_code(args.strict)


def _check_baseline(args, junit: Path | None) -> int:
    """`check --baseline REV`: only the violations the change since REV introduced (and fixed)."""
    from bluebook.contracts.baseline import run_baseline
    from bluebook.reports.baseline import baseline_github, baseline_json, baseline_text
    from bluebook.reports.junit import checked_files, layers_run
    from bluebook.reports.violations import violations_junit

    if args.data_docs:
        raise UsageError("--data-docs renders one run; it cannot go with --baseline")
    project = _open(args, args.years)
    result = run_baseline(project, args.baseline, expectations=not args.no_expectations, jobs=args.jobs)
    if args.format == "json":
        print(baseline_json(result))
    elif args.format == "github":
        print(baseline_github(result, prefix=_repo_prefix(project.layout.root)))
    else:
        print(baseline_text(result, limit=args.limit))
    sys.stdout.flush()
    if junit:  # the gate's verdict: what the change introduced
        _write(
            junit,
            violations_junit(
                result.new,
                result.head.years,
                checked_files(project),
                layers=layers_run(not args.no_expectations),
                strict=args.strict,
            ),
        )
    return result.exit_code(args.strict)


def _repo_prefix(root: Path) -> str:
    """Where the project root lies in the checkout GitHub annotates ($GITHUB_WORKSPACE, else the
    current folder), e.g. `data/`; empty when it is the checkout itself or lies elsewhere."""
    base = Path(os.environ.get("GITHUB_WORKSPACE") or ".").resolve()
    try:
        rel = root.resolve().relative_to(base).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel + "/"


def cmd_fmt(args) -> int:
    from bluebook.data.fmt import format_project

    root = _root(args)
    _years(root, [])  # refuses a folder that is no project, instead of finding "all files canonical"
    report = format_project(root, check_only=args.check)
    for line in report.lines:
        print(visible(line))
    return EXIT_CONTRACT if (report.refused or (args.check and report.changed)) else EXIT_OK


def _of_held_source(args, make):
    """`make(project, year, source)` for `coverage` and `propose`: the year opened alone; no usable
    held text is a usage error (exit 2), a year that cannot be read whole exits 1."""
    project = _open(args, [args.year])
    try:
        return make(project, args.year, args.source)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def cmd_coverage(args) -> int:
    from bluebook.reports.coverage import coverage, render_coverage

    report = _of_held_source(args, coverage)
    print(visible(render_coverage(report, show_cited=args.all), keep_newlines=True))
    return EXIT_OK


def cmd_propose(args) -> int:
    from bluebook.reports.propose import propose_year

    print(visible(_of_held_source(args, propose_year), keep_newlines=True), end="")
    return EXIT_OK


def cmd_diff(args) -> int:
    from bluebook.changes.sides import parse_side
    from bluebook.data.project import Layout
    from bluebook.reports.changes import RENDERERS, diff_reports, picture_years, report_stem

    out = _writable(Path(args.out), folder=True) if args.out else None
    sides = [parse_side(side) for side in (args.base, args.head)]
    plain = {year for year, rev in sides if rev is None}
    # The pictures of the report span the working tree's years up to the later side's (at most
    # PICTURE_YEARS of them): only those are opened.
    earlier = set(picture_years(Layout(_root(args)).years(), max(year for year, _ in sides)))
    years = sorted(plain | earlier)
    project = _open(args, years) if years else _open_registries(args)
    reports = diff_reports(project, args.base, args.head, list(RENDERERS) if out else [args.format])
    sys.stdout.flush()
    sys.stdout.buffer.write(reports[args.format])  # UTF-8 as rendered: a large report is never a string
    sys.stdout.buffer.flush()
    if out:
        from bluebook.data.files import child

        stem = report_stem(args.base, args.head)  # a side's label is the text that names it
        for fmt in RENDERERS:
            _write(child(out, f"{stem}.{fmt}"), reports[fmt])
        print(f"wrote {visible(out / stem)}.{{md,json,html}}", file=sys.stderr)
    return EXIT_OK


def cmd_history(args) -> int:
    from bluebook.reports.history import history, history_page, render_history
    from bluebook.text import json_text

    h = history(_open(args), args.query)
    if args.format == "json":
        print(
            json_text(
                {
                    "query": h.query,
                    "matched": h.matched,
                    "entity": h.entity,
                    "years": h.years,
                    "timelines": [t.__dict__ for t in h.timelines],
                },
                indent=2,
            )
        )
    elif args.format == "html":
        print(history_page(h), end="")
    else:
        print(visible(render_history(h), keep_newlines=True), end="")
    return EXIT_OK


def cmd_new_year(args) -> int:
    from bluebook.data.new_year import NewYearError, new_year

    root = _root(args)
    try:
        result = new_year(root, args.year)
    except NewYearError as exc:
        raise UsageError(str(exc)) from exc
    per_table = ", ".join(f"{n} {t}" for t, n in result.carried.items())
    print(
        f"created snapshots/{result.year}/ with {result.total} open facts carried from {result.previous} "
        f"({per_table}); each is marked `carried: {result.previous}`"
    )
    left = sum(result.left.values())
    if left:
        print(f"not carried: {left} facts that ended in {result.previous}")
    print(
        f"next: fill in as_of, edition and sources in snapshots/{result.year}/snapshot.yaml, then confirm or end "
        f"each carried fact; `bluebook check {result.year}` lists those still unconfirmed"
    )
    return EXIT_OK


def _on(text: str):
    """--on DATE for argparse: a bad date is a usage error (exit 2)."""
    from bluebook.due import parse_on

    try:
        return parse_on(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def cmd_due(args) -> int:
    from datetime import datetime

    from bluebook.due import TOKYO, watch
    from bluebook.reports.due import due_json, due_text

    on = args.on or datetime.now(TOKYO).date()  # the one place `due` reads the clock
    report = watch(_open(args), on)
    print(due_json(report) if args.format == "json" else due_text(report))
    return EXIT_CONTRACT if args.strict and report.items else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bluebook",
        description="Validate and diff year-by-year facts from Japan's Diplomatic Bluebook.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  bluebook check 2025\n  bluebook diff 2024 2025\n  bluebook new-year 2026\n"
        "  bluebook due --on 2026-11-30",
    )
    parser.add_argument("--root", help="project root (default: $BLUEBOOK_ROOT or the current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str, example: str, func):
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(func=func)
        return p

    def reads(p: argparse.ArgumentParser, size_limit: bool = False) -> None:
        """Options of every command that opens the project."""
        p.add_argument(
            "--no-cache",
            action="store_true",
            help="parse every file and run every contract again; neither read nor write .bluebook-cache/",
        )
        if size_limit:
            p.add_argument(
                "--max-file-bytes",
                type=int,
                default=MAX_FILE_BYTES,
                metavar="N",
                help=f"refuse data files larger than N bytes (default {MAX_FILE_BYTES:,})",
            )

    p = add(
        "check",
        "check every data contract of the given years (all years when none are given)",
        "bluebook check 2025 --format json\n  bluebook check --data-docs reports/data-docs\n"
        "  bluebook check --baseline origin/main --format github",
        cmd_check,
    )
    p.add_argument("years", nargs="*", metavar="YEAR")
    p.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="github: one ::error/::warning workflow command per violation (GitHub Actions annotations)",
    )
    p.add_argument(
        "--baseline",
        "--since",
        dest="baseline",
        metavar="REV",
        help="report only what changed since the git revision REV: the violations the change introduced "
        "(exit 1 for a new error) and those it fixed",
    )
    p.add_argument("--junit", metavar="FILE", help="also write JUnit XML for CI")
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    p.add_argument("--limit", type=int, default=10, help="violations shown per file in text output (0: all)")
    p.add_argument(
        "--no-expectations",
        action="store_true",
        help="skip the Great Expectations suites (and GX's import of several seconds), e.g. to time the other layers",
    )
    p.add_argument(
        "--data-docs",
        metavar="DIR",
        help="also render GX Data Docs of this run into DIR (replacing the previous run's)",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        metavar="N",
        help="check the years in N worker processes (default 1; a year whose results are cached needs no worker)",
    )
    reads(p, size_limit=True)

    p = add(
        "fmt",
        "rewrite the YAML files in canonical form (key order, quoting, flow lists)",
        "bluebook fmt --check",
        cmd_fmt,
    )
    p.add_argument("--check", action="store_true", help="only report files that are not canonical (exit 1)")

    p = add(
        "diff",
        "report what changed between two snapshots (a year, or a year at a git revision)",
        "bluebook diff 2024 2025 --format md --out reports",
        cmd_diff,
    )
    p.add_argument("base", metavar="BASE", help="YEAR or YEAR@REV, e.g. 2024 or 2025@HEAD~1")
    p.add_argument("head", metavar="HEAD", help="YEAR or YEAR@REV")
    p.add_argument("--format", choices=["md", "json", "html"], default="md", help="what to print")
    p.add_argument("--out", metavar="DIR", help="also write the report in all three formats into DIR")
    reads(p, size_limit=True)

    p = add(
        "history",
        "the timeline of one fact, or of every fact about one entity, across years",
        "bluebook history BRICS\n  bluebook history KAZ --format html > kaz.html",
        cmd_history,
    )
    p.add_argument("query", metavar="ID-OR-ENTITY", help="a fact id (new-start) or an entity (BRICS, VNM, Viet Nam)")
    p.add_argument(
        "--format",
        choices=["text", "json", "html"],
        default="text",
        help="html: one self-contained page with the pictures over the years",
    )
    reads(p)

    p = add(
        "new-year",
        "start the next year's snapshot: carry every open fact of the year before, marked unconfirmed",
        "bluebook new-year 2026",
        cmd_new_year,
    )
    p.add_argument("year", metavar="YEAR", help="the new year; snapshots/YEAR-1 must exist and snapshots/YEAR must not")

    p = add(
        "due",
        "list the facts of the latest snapshot whose recorded or implied dates have passed since its "
        "as_of: what to confirm before the next edition",
        "bluebook due --on 2026-11-30",
        cmd_due,
    )
    p.add_argument(
        "--on", type=_on, metavar="DATE", help="the day to watch at, YYYY-MM-DD (default: today in Asia/Tokyo)"
    )
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when any fact is due (by default due facts are information: exit 0)",
    )
    reads(p)

    p = add(
        "coverage",
        "list the paragraphs of a held source that no stated fact of the year cites, and the "
        "share of stated fields the reader verified in their quotes",
        "bluebook coverage 2025",
        cmd_coverage,
    )
    p.add_argument("year", metavar="YEAR")
    p.add_argument("--source", default=None, help="source id (default: the year's held source)")
    p.add_argument("--all", action="store_true", help="also list the cited paragraphs with their facts")
    reads(p)

    p = add(
        "propose",
        "draft candidate records (YAML) for the body sentences of a held source that no fact cites",
        "bluebook propose 2025 > proposals.yaml",
        cmd_propose,
    )
    p.add_argument("year", metavar="YEAR")
    p.add_argument("--source", default=None, help="source id (default: the year's held source)")
    reads(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return args.func(args)
    except BluebookError as exc:
        print(f"bluebook {args.command}: {visible(exc)}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `bluebook check | head`
        return EXIT_OK
    except Exception as exc:  # a bug: one line, its own exit code, never confused with broken data
        if os.environ.get("BLUEBOOK_DEBUG"):
            raise
        print(
            f"bluebook {args.command}: internal error: {type(exc).__name__}: {visible(exc)} — a bug in bluebook, "
            "not a problem with the data; please report it with the command you ran "
            "(BLUEBOOK_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
