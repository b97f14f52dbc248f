"""Writing files and folders so that a reader never sees half of one: a temporary file or folder
beside the target, then one rename (or one symlink switch) puts it in place."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


def safe_name(text: str, limit: int = 80) -> str:
    """A part of a file name made from any text (a year, `2025@HEAD~1`, a revision a user typed):
    ASCII letters, digits, '.' and '-' kept, anything else '_' — so no '/', no '..' path step and
    no leading '.', whatever the text holds."""
    name = "".join(ch if ch in _NAME_CHARS else "_" for ch in text)[:limit].replace("..", "__")
    return "_" + name[1:] if name.startswith(".") else name or "_"


def child(folder: Path, name: str) -> Path:
    """`folder / name`, refusing a name that is not one plain file name: every path built from data
    or a revision goes through here or `safe_name`, so none leaves its folder."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise ValueError(f"{name!r} is not a plain file name")
    return folder / name


# The umask, read once: reading it means setting it, which in a process with threads (the review's
# tasks) would for that moment give every folder another thread makes mode 0777.
_UMASK = os.umask(0)
os.umask(_UMASK)


def _default_mode() -> int:
    return 0o666 & ~_UMASK


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace `path` whole. The file keeps its permissions (a new one gets the usual 0666 less the
    umask, not the 0600 of a temporary file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = _default_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def switch_link(link: Path, target: Path) -> None:
    """Point the symbolic link `link` at `target` (stored relative to the link's folder) in one
    atomic step: a reader sees the old target or the new one, never neither."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    tmp.symlink_to(os.path.relpath(target, link.parent), target_is_directory=True)
    try:
        os.replace(tmp, link)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def versions_of(link: Path) -> Path:
    """The hidden folder holding the published versions behind `link`."""
    return link.with_name(f".{link.name}.versions")


def staging_folder(link: Path) -> Path:
    """A new, empty folder to build the next version of `link` in (never one that exists)."""
    versions = versions_of(link)
    versions.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{time.strftime('%Y%m%dT%H%M%S')}-", suffix=".partial", dir=versions))


def publish_folder(staging: Path, link: Path) -> Path:
    """Make the finished folder `staging` (from `staging_folder`) what `link` shows, atomically, and
    remove the versions it replaces. A folder at `link` from before this scheme is moved aside
    first (one rename), never deleted in place."""
    versions = versions_of(link)
    final = staging.with_name(staging.name.removesuffix(".partial"))
    os.replace(staging, final)
    if link.is_dir() and not link.is_symlink():
        os.replace(link, versions / f"{time.strftime('%Y%m%dT%H%M%S')}-earlier-{os.getpid()}")
    switch_link(link, final)
    for old in versions.iterdir():
        if old != final and not old.name.endswith(".partial"):
            shutil.rmtree(old, ignore_errors=True)
    return link
