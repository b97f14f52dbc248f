"""GX Data Docs of one run of every suite, written into a folder that is replaced whole."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from bluebook.contracts.expectations.runner import Runner, quiet, targets_to_run
from bluebook.contracts.expectations.suites import read_suites
from bluebook.contracts.grounding import Grounding
from bluebook.data.files import publish_folder, staging_folder, versions_of
from bluebook.data.project import Project
from bluebook.errors import UsageError
from bluebook.violations import ERROR

DATA_DOCS_MARKER = ".bluebook-data-docs"  # marks a folder write_data_docs may replace

class DataDocsError(UsageError):
    """The Data Docs folder cannot be written (it holds something else)."""

def check_data_docs_dir(out_dir: Path) -> None:
    """Raise DataDocsError unless `out_dir` is missing, empty, or an earlier run's Data Docs (the
    only folders write_data_docs replaces)."""
    if out_dir.is_symlink():
        target = out_dir.resolve()
        if target.parent != versions_of(out_dir).resolve():
            raise DataDocsError(f"{out_dir} is a link to {target}, not to earlier Data Docs; choose another folder")
        return
    foreign = out_dir.exists() and (not out_dir.is_dir() or (
        any(out_dir.iterdir()) and not (out_dir / DATA_DOCS_MARKER).exists()))
    if foreign:
        raise DataDocsError(f"{out_dir} exists and holds files that are not Data Docs; choose an empty folder")


def write_data_docs(project: Project, grounding: Grounding, out_dir: Path, unreadable: Iterable[str] = ()) -> Path:
    """Render GX Data Docs of one run of every suite and publish them at `out_dir` (a link to the
    latest version, switched atomically: a killed run leaves the previous pages whole); returns the
    index page."""
    out_dir = Path(out_dir)
    check_data_docs_dir(out_dir)
    suites, _ = read_suites(project.layout)
    targets = targets_to_run(project, grounding, unreadable)
    staging = staging_folder(out_dir)
    try:
        with tempfile.TemporaryDirectory(prefix="bluebook-gx-") as tmp, quiet():
            runner = Runner(suites.values(), root=Path(tmp))
            for target in targets:
                with contextlib.suppress(Exception):  # check reports it; the pages show what did run
                    runner.validate(target)
            runner.context.build_data_docs()
            site = Path(tmp) / "gx" / "uncommitted" / "data_docs" / "local_site"
            shutil.copytree(site, staging, dirs_exist_ok=True)
        _prune_static(staging)
        (staging / DATA_DOCS_MARKER).write_text("written by bluebook; replaced on every run\n", encoding="utf-8")
        publish_folder(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
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
