"""A project's files as they are at a git revision, written into a folder with git itself (no
checkout, no change to the working tree). Used by `bluebook diff 2025@REV …` and by
`bluebook check --baseline REV`.

A revision comes from a command line or a CI variable, so it is treated as hostile: it is resolved
to one commit (`git rev-parse --verify --end-of-options REV^{commit}`) and refused when it looks
like an option or holds control characters; from then on only the 40-hex commit id reaches git.
Files are listed with `git ls-tree` and read with `git cat-file --batch` (no `.gitattributes`
filters, no archive format to trust); every path is checked to lie under one of the requested
paths and inside the destination folder, and only regular files are written (a symlink or a
submodule at the revision is refused)."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bluebook.errors import UsageError
from bluebook.text import visible

MAX_EXPORT_BYTES = 256 << 20  # all files of one export together; a real project is a few MB
_MODES = {"100644", "100755"}  # regular files; 120000 symlink and 160000 submodule are refused


class RevisionError(UsageError):
    """The revision cannot be read: not a revision, not a git repository, a path missing at it,
    or an entry that is not a plain file (a usage error of the command: exit 2)."""


@dataclass(frozen=True)
class Export:
    rev: str  # as the user wrote it
    commit: str  # the 40-hex commit it resolved to
    paths: tuple[str, ...]  # the requested paths that exist at the commit


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "--literal-pathspecs", "-C", str(root), *args], input=stdin, capture_output=True)
    except FileNotFoundError as exc:
        raise RevisionError("git is not installed (or not on PATH); a revision is read with git") from exc


def check_rev_spelling(rev: str) -> None:
    """Refuse what cannot be a revision before git sees it: empty, an option, control characters."""
    if not rev:
        raise RevisionError("the revision is empty; give a branch, tag or commit (e.g. HEAD or origin/main)")
    if rev.startswith("-"):
        raise RevisionError(f"'{visible(rev)}' looks like an option, not a revision; give a branch, tag or commit")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F or ch.isspace() for ch in rev):
        raise RevisionError(f"'{visible(rev)}' holds whitespace or control characters; it is not a revision")


def resolve_commit(root: Path, rev: str) -> str:
    """The commit `rev` names, as 40 hex digits (RevisionError when it names none)."""
    check_rev_spelling(rev)
    done = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    commit = done.stdout.decode("ascii", errors="replace").strip()
    if done.returncode == 0 and len(commit) in (40, 64) and all(c in "0123456789abcdef" for c in commit):
        return commit
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise RevisionError(f"{visible(root)} is not in a git repository, so it has no revision '{visible(rev)}'")
    raise RevisionError(f"'{visible(rev)}' is not a revision of the git repository at {visible(root)}")


def _prefix(root: Path) -> tuple[Path, str]:
    """The repository's top folder, and where `root` lies in it ("" or "sub/dir/")."""
    top = _git(root, "rev-parse", "--show-toplevel")
    prefix = _git(root, "rev-parse", "--show-prefix")
    if top.returncode != 0 or prefix.returncode != 0:
        raise RevisionError(f"{visible(root)} is not in a git repository")
    return Path(top.stdout.decode().strip()), prefix.stdout.decode().strip()


def _safe_relative(name: str) -> PurePosixPath | None:
    """`name` as a relative path of plain parts, or None (absolute, empty, `.` or `..` parts,
    backslashes or control characters)."""
    parts = name.split("/")
    if not name or any(p in ("", ".", "..") for p in parts):
        return None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F or ch == "\\" for ch in name):
        return None
    return PurePosixPath(name)


def export_revision(root: Path, rev: str, dest: Path, required: Sequence[str], optional: Sequence[str] = ()) -> Export:
    """Write the files under `required` and `optional` (paths relative to the project root, a file
    or a folder) as they are at `rev` into `dest`, which must be an empty folder. A required path
    missing at the revision is a RevisionError; an optional one is left out."""
    commit = resolve_commit(root, rev)
    top, prefix = _prefix(root)
    wanted = [p.strip("/") for p in (*required, *optional)]
    done = _git(top, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--", *(prefix + p for p in wanted))
    if done.returncode != 0:
        raise RevisionError(
            f"git ls-tree {visible(rev)} failed: {visible(done.stderr.decode(errors='replace').strip())}"
        )
    entries: list[tuple[PurePosixPath, str]] = []
    found: set[str] = set()
    total = 0
    for raw in done.stdout.split(b"\0"):
        if not raw:
            continue
        meta, _, name_bytes = raw.partition(b"\t")
        mode, kind, obj, size = meta.decode("ascii", errors="replace").split()
        name = name_bytes.decode("utf-8", errors="replace")
        if not name.startswith(prefix):
            raise RevisionError(
                f"git listed '{visible(name)}' outside {visible(prefix) or 'the repository top'} at {visible(rev)}"
            )
        rel = _safe_relative(name[len(prefix) :])
        owner = next(
            (w for w in wanted if rel is not None and (rel.as_posix() == w or rel.as_posix().startswith(w + "/"))), None
        )
        if rel is None or owner is None:
            raise RevisionError(
                f"'{visible(name)}' at {visible(rev)} is not a path bluebook reads; refusing to write it"
            )
        if kind != "blob" or mode not in _MODES:
            what = {"120000": "a symbolic link", "160000": "a submodule"}.get(mode, f"a {kind} of mode {mode}")
            raise RevisionError(
                f"{visible(str(rel))} is {what} at {visible(rev)}; it cannot be read safely: bluebook reads only plain files"
            )
        total += int(size)
        if total > MAX_EXPORT_BYTES:
            raise RevisionError(
                f"the files at {visible(rev)} exceed {MAX_EXPORT_BYTES >> 20} MiB together; refusing to export them"
            )
        entries.append((rel, obj))
        found.add(owner)
    missing = [p for p in required if p.strip("/") not in found]
    if missing:
        raise RevisionError(f"{', '.join(missing)} {'does' if len(missing) == 1 else 'do'} not exist at {visible(rev)}")
    _write_blobs(top, rev, entries, dest)
    return Export(rev, commit, tuple(p for p in wanted if p in found))


def _write_blobs(top: Path, rev: str, entries: list[tuple[PurePosixPath, str]], dest: Path) -> None:
    base = dest.resolve()
    if not entries:
        return
    stdin = b"".join(obj.encode("ascii") + b"\n" for _, obj in entries)
    done = _git(top, "cat-file", "--batch", stdin=stdin)
    if done.returncode != 0:
        raise RevisionError(
            f"git cat-file at {visible(rev)} failed: {visible(done.stderr.decode(errors='replace').strip())}"
        )
    out, pos = done.stdout, 0
    for rel, obj in entries:
        header_end = out.index(b"\n", pos)
        got, kind, size = out[pos:header_end].decode("ascii").split(" ")
        if got != obj or kind != "blob":
            raise RevisionError(f"git cat-file returned {kind} {got} for {visible(str(rel))} at {visible(rev)}")
        start = header_end + 1
        data = out[start : start + int(size)]
        pos = start + int(size) + 1
        target = (base / rel).resolve()
        if not target.is_relative_to(base):
            raise RevisionError(f"{visible(str(rel))} at {visible(rev)} would be written outside {visible(base)}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as fh:  # never follow or overwrite what is already there
            fh.write(data)
