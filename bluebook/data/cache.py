"""A content-addressed cache of what the check computes from files: each entry is keyed by the
sha256 of every input it was computed from (file bytes, registries, held texts, suites) and by the
code version, so an entry is used only when every input is byte-identical.

The folder (`.bluebook-cache/` in the project root, or $BLUEBOOK_CACHE_DIR) is not trusted: anyone
who can write it could try to make a broken contract look kept. So entries are JSON, never pickle
(reading one cannot run code); each carries an HMAC-SHA256 over its kind, its key and its bytes,
under a secret key that only this user can read (`<folder>/secret`, mode 0600, refused when it is
anyone else's or readable by others — then a new secret makes every old entry invalid) or that CI
passes in $BLUEBOOK_CACHE_SECRET; and every entry's shape is checked before it is used. An entry
that is missing, truncated, corrupt, forged, moved to another key or of the wrong shape is a miss:
it is recomputed and written again (atomically: a reader never sees half of one).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from bluebook.data.files import write_atomic

FOLDER = ".bluebook-cache"
SECRET_ENV = "BLUEBOOK_CACHE_SECRET"
DIR_ENV = "BLUEBOOK_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent.parent  # bluebook/ (schemas/ and flows/ are installed into it)
_LIBRARIES = ("pyyaml", "pandas", "pandera", "deepdiff", "pycountry")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the code that computes cached results: every module of bluebook (its schemas,
    vocabulary and contracts) and the versions of the libraries whose behaviour they depend on."""
    import importlib.metadata as metadata
    import sys

    h = hashlib.sha256(sys.version.encode())
    roots = [_PACKAGE] + [Path(p) for p in _extra_package_dirs()]
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none".encode())
    return h.hexdigest()


def _extra_package_dirs() -> list[str]:
    """Where bluebook.schemas and bluebook.flows live (outside bluebook/ in an editable install)."""
    import importlib.util

    out = []
    for name in ("bluebook.schemas",):
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            out += [p for p in spec.submodule_search_locations if not Path(p).resolve().is_relative_to(_PACKAGE)]
    return out


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes; 'missing' (or 'not-a-file') when there is none to read."""
    try:
        if not path.is_file():
            return "not-a-file" if path.exists() else "missing"
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError as exc:
        return f"unreadable:{exc.errno}"


def key_of(*parts: object) -> str:
    """A cache key: the sha256 of the parts (strings, numbers, lists of them) in order."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=True, separators=(",", ":")).encode()).hexdigest()


class Cache:
    """Entries of JSON under `folder/<kind>/<key[:2]>/<key>`, each with its HMAC on the first line."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._secret: bytes | None = None
        self.hits = self.misses = self.rejected = 0

    @classmethod
    def for_project(cls, root: Path) -> Cache:
        return cls(Path(os.environ.get(DIR_ENV) or root / FOLDER))

    # --- the secret ------------------------------------------------------------------------------
    def secret(self) -> bytes:
        if self._secret is None:
            self._secret = self._read_secret()
        return self._secret

    def _read_secret(self) -> bytes:
        given = os.environ.get(SECRET_ENV)
        if given:
            return hashlib.sha256(given.encode()).digest()
        path = self.folder / "secret"
        try:
            st = path.lstat()
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077:
                data = path.read_bytes()
                if len(data) == 32:
                    return data
        except OSError:
            pass
        # none, or not ours alone: a new secret (every entry signed with the old one is then a miss)
        self.folder.mkdir(parents=True, exist_ok=True)
        data = secrets.token_bytes(32)
        tmp = self.folder / f".secret.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        return data

    def _mac(self, kind: str, key: str, body: bytes) -> str:
        return hmac.new(self.secret(), kind.encode() + b"\0" + key.encode() + b"\0" + body, hashlib.sha256).hexdigest()

    # --- entries ---------------------------------------------------------------------------------
    def path(self, kind: str, key: str) -> Path:
        if not (kind.isalnum() and len(key) == 64 and all(c in "0123456789abcdef" for c in key)):
            raise ValueError(f"bad cache address {kind}/{key}")
        return self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str, valid: Callable[[object], bool]) -> object | None:
        """The entry's value when it is present, signed by us for this kind and key, and of the
        shape `valid` accepts; None otherwise."""
        try:
            raw = self.path(kind, key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        mac, sep, body = raw.partition(b"\n")
        try:
            ok = sep and hmac.compare_digest(mac.decode("ascii"), self._mac(kind, key, body))
            value = json.loads(body) if ok else None
            ok = ok and valid(value)
        except (ValueError, UnicodeDecodeError, RecursionError):
            ok = False
        if not ok:
            self.rejected += 1
            return None
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value: object) -> None:
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=True).encode("utf-8")
        with contextlib.suppress(OSError):  # a cache that cannot be written misses next time
            write_atomic(self.path(kind, key), self._mac(kind, key, body).encode("ascii") + b"\n" + body)


# --- shapes --------------------------------------------------------------------------------------
# The cached values hold plain data: violations as dicts of their fields, records as their values
# and lines. These predicates accept exactly those shapes (and nothing an attacker could smuggle in
# that a renderer would not expect).

_VIOLATION_STR = ("file", "code", "severity", "message", "hint", "year", "table", "id")


def is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def _is_json_scalar(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def is_violation(value: object) -> bool:
    return (isinstance(value, dict) and set(value) <= set(_VIOLATION_STR) | {"line", "extra"}
            and all(isinstance(value.get(k, ""), str) for k in _VIOLATION_STR)
            and isinstance(value.get("line", 0), int) and not isinstance(value.get("line", 0), bool)
            and isinstance(value.get("extra", {}), dict)
            and all(isinstance(k, str) and _is_json_scalar(v) for k, v in value.get("extra", {}).items()))


def is_violations(value: object) -> bool:
    return isinstance(value, list) and all(is_violation(v) for v in value)


def _is_value(value: object) -> bool:
    if isinstance(value, list):
        return all(isinstance(x, str) for x in value)
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def is_record(value: object) -> bool:
    """[data, line, key_lines]: data maps keys to strings, numbers or lists of strings."""
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], dict)
            and isinstance(value[1], int) and isinstance(value[2], dict)
            and all(isinstance(k, str) and _is_value(v) for k, v in value[0].items())
            and all(isinstance(k, str) and isinstance(v, int) for k, v in value[2].items()))


def all_of(items: Iterable[object], check: Callable[[object], bool]) -> bool:
    return all(check(x) for x in items)


# --- records of a table file ------------------------------------------------------------------------

def _valid_records(value: object) -> bool:
    return (isinstance(value, dict) and isinstance(value.get("ok"), bool) and isinstance(value.get("canonical"), bool)
            and isinstance(value.get("records"), list) and all(is_record(r) for r in value["records"])
            and is_violations(value.get("load")))


# Records of larger files are not cached: the fast reader reads a canonical file about as fast as
# its records could be read back from JSON, and writing a million records costs a JSON text of
# hundreds of megabytes (the diff of two million-fact snapshots caches its reports instead).
RECORDS_MAX_BYTES = 16 << 20


def _too_large_to_cache(path: Path) -> bool:
    try:
        return path.stat().st_size > RECORDS_MAX_BYTES
    except OSError:
        return False


def load_table_cached(cache: Cache | None, path: Path, rel: str, table: str, max_bytes: int,
                      within: Path | None = None):
    """`load_table`, through the cache: the records and load violations of a file whose bytes (and
    the code, and the size limit) are those of a cached entry are read from it, others parsed and
    cached. Returns (LoadedFile, violations), exactly what `load_table` returns. A path that leads
    outside `within` is never looked up: the loader refuses it."""
    from bluebook.data.load import LoadedFile, Record, inside, load_table
    from bluebook.violations import Violation

    if cache is None or (within is not None and not inside(within, path)) or _too_large_to_cache(path):
        return load_table(path, rel, table, max_bytes, within)
    digest = file_digest(path)
    key = key_of("records", code_version(), max_bytes, rel, table, digest)
    hit = cache.get("records", key, _valid_records) if not digest.startswith(("missing", "not-a", "unread")) else None
    if hit is not None:
        return (LoadedFile(rel, [Record(d, line, lines) for d, line, lines in hit["records"]], hit["ok"],
                           hit["canonical"]), [Violation(**v) for v in hit["load"]])
    loaded, violations = load_table(path, rel, table, max_bytes, within)
    if file_digest(path) == digest:  # the file did not change while it was read
        cache.put("records", key, {"records": [[r.data, r.line, dict(r.key_lines)] for r in loaded.records],
                                   "ok": loaded.ok, "canonical": loaded.canonical,
                                   "load": [_plain_violation(v) for v in violations]})
    return loaded, violations


def _plain_violation(v) -> dict:
    from dataclasses import fields

    d = {f.name: getattr(v, f.name) for f in fields(v) if f.name != "extra"}
    if v.extra:
        d["extra"] = dict(v.extra)
    return d
