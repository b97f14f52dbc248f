"""GX Data Docs of one run of every suite, written into a folder that is replaced whole."""

from __future__ import annotations

import shutil
from pathlib import Path

from bluebook.data.files import publish_folder, staging_folder, versions_of
from bluebook.errors import UsageError

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
    foreign = out_dir.exists() and (
        not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / DATA_DOCS_MARKER).exists())
    )
    if foreign:
        raise DataDocsError(f"{out_dir} exists and holds files that are not Data Docs; choose an empty folder")


def publish_data_docs(runner, gx_root: Path, out_dir: Path) -> Path:
    """Build the Data Docs of the validations `runner` ran (a file context under `gx_root`) and
    publish them at `out_dir`, a link switched atomically to the new version: a killed run leaves
    the previous pages whole. Returns the index page."""
    out_dir = Path(out_dir)
    check_data_docs_dir(out_dir)
    from bluebook.contracts.expectations.data_docs_offline import make_offline, site_config

    runner.context.update_data_docs_site("local_site", site_config())  # data escaped in every page
    runner.context.build_data_docs()
    site = gx_root / "gx" / "uncommitted" / "data_docs" / "local_site"
    staging = staging_folder(out_dir)
    try:
        shutil.copytree(site, staging, dirs_exist_ok=True)
        _prune_static(staging)
        make_offline(staging)  # vendored CSS and scripts instead of CDNs
        (staging / DATA_DOCS_MARKER).write_text("written by bluebook; replaced on every run\n", encoding="utf-8")
        publish_folder(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir / "index.html"


def _prune_static(site: Path) -> None:
    """Drop the ~4 MB of walkthrough GIFs, logos and fonts GX copies into every site: the pages
    reference only the favicon and the logo (their CSS and scripts are vendored: data_docs_offline)."""
    static = site / "static"
    shutil.rmtree(static / "fonts", ignore_errors=True)
    for path in (static / "images").glob("*"):
        if path.name not in ("favicon.ico", "logo-long.png"):
            path.unlink()
