"""A content-addressed cache of what the loader and the contracts compute from files: each entry is
keyed by the sha256 of every input it was computed from (file bytes, registries, held texts,
suites) and by the code version, so an entry is used only when every input is byte-identical.

Two seams use it: `load_table_cached` (what the loader finds in one file: open_project reads every
file and hashes it, and parses only those it has no entry for) and `Cache.remember` (a contract's
result over the opened project, keyed by what that contract reads: bluebook.contracts.check).

The folder (`.bluebook-cache/` in the project root, or $BLUEBOOK_CACHE_DIR) is not trusted: anyone
who can write it could try to make a broken contract look kept. So entries are JSON, never pickle
(reading one cannot run code); each carries an HMAC-SHA256 over its kind, its key and its bytes,
under a secret key that only this user can read, kept outside every checkout
(`~/.local/state/bluebook/cache-secret`, or $XDG_STATE_HOME/bluebook/…, or the file
$BLUEBOOK_CACHE_SECRET_FILE names; mode 0600, refused when it is anyone else's or readable by others
— then a new secret makes every old entry invalid) or that CI passes in $BLUEBOOK_CACHE_SECRET. The
secret is never in the cache folder: a pull request can ship a folder (files git ignores can still be
committed), and with a secret of its own in it, entries it forged would verify; and every entry's shape is checked before it is used. An entry
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
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from bluebook.data.files import write_atomic
from bluebook.data.load import (
    MAX_FILE_BYTES,
    DeferredFile,
    LoadedFile,
    decode,
    parse_mapping,
    parse_table,
    read_bytes,
)
from bluebook.text import visible
from bluebook.violations import ERROR, WARNING, Severity, Violation

T = TypeVar("T")
FOLDER = ".bluebook-cache"
SECRET_ENV = "BLUEBOOK_CACHE_SECRET"
DIR_ENV = "BLUEBOOK_CACHE_DIR"
SECRET_FILE_ENV = "BLUEBOOK_CACHE_SECRET_FILE"
_PACKAGE = Path(__file__).resolve().parent.parent  # bluebook/ (schemas/ and flows/ are installed into it)
_LIBRARIES = ("pyyaml", "pandas", "pandera", "deepdiff", "pycountry", "jinja2", "kanjize", "orjson")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the code that computes cached results: every module of bluebook (its schemas,
    vocabulary, contracts and report templates) and the versions of the libraries whose behaviour
    they depend on (GX's is part of the suites' keys)."""
    import importlib.metadata as metadata

    h = hashlib.sha256(sys.version.encode())
    roots = [_PACKAGE] + [Path(p) for p in _extra_package_dirs()]
    for root in roots:
        for path in sorted([*root.rglob("*.py"), *root.glob("reports/templates/*")]):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none".encode())
    return h.hexdigest()


def _extra_package_dirs() -> list[str]:
    """Where bluebook.schemas lives (outside bluebook/ in an editable install). The flows compute no
    cached result."""
    import importlib.util

    out = []
    for name in ("bluebook.schemas",):
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            out += [p for p in spec.submodule_search_locations if not Path(p).resolve().is_relative_to(_PACKAGE)]
    return out


def default_secret_file() -> Path:
    """Where this user's cache secret lives: outside any checkout (see the module's docstring)."""
    named = os.environ.get(SECRET_FILE_ENV)
    if named:
        return Path(named)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "bluebook" / "cache-secret"


def key_of(*parts: object) -> str:
    """A cache key: the sha256 of the parts (strings, numbers, lists of them) in order."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=True, separators=(",", ":")).encode()).hexdigest()


class Cache:
    """Entries of JSON under `folder/<kind>/<key[:2]>/<key>`, each with its HMAC on the first line."""

    def __init__(self, folder: Path, secret_file: Path | None = None):
        self.folder = folder
        self.secret_file = secret_file or default_secret_file()
        self._secret: bytes | None = None
        self.hits = self.misses = self.rejected = 0
        self.computed: Counter[str] = Counter()  # results computed (not read from an entry), by kind

    @classmethod
    def for_project(cls, root: Path) -> Cache:
        return cls(Path(os.environ.get(DIR_ENV) or root / FOLDER))

    def __getstate__(self) -> dict:  # sent to a worker process: without the secret (it reads its own)
        return {**self.__dict__, "_secret": None}

    @staticmethod
    def key(kind: str, parts: list) -> str:
        """The key of a result computed from `parts` (every input it reads) by this code."""
        return key_of(kind, code_version(), parts)

    def remember(
        self,
        kind: str,
        parts: list,
        compute: Callable[[], T],
        encode: Callable[[T], object],
        decode: Callable[[Any], T],
        valid: Callable[[object], bool],
    ) -> T:
        """`compute()`, or its value from the entry keyed by `parts` (every input it reads) and the
        code version; a computed value is written as `encode` gives it."""
        key = self.key(kind, parts)
        hit = self.get(kind, key, valid)
        if hit is not None:
            return decode(hit)
        value = compute()
        self.computed[kind] += 1
        self.put(kind, key, encode(value))
        return value

    # --- the secret ------------------------------------------------------------------------------
    def secret(self) -> bytes:
        if self._secret is None:
            self._secret = self._read_secret()
        return self._secret

    def _read_secret(self) -> bytes:
        given = os.environ.get(SECRET_ENV)
        if given:
            return hashlib.sha256(given.encode()).digest()
        path = self.secret_file
        try:
            st = path.lstat()
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077:
                data = path.read_bytes()
                if len(data) == 32:
                    return data
        except OSError:
            pass
        # none, or not ours alone: a new secret (every entry signed with the old one is then a miss)
        data = secrets.token_bytes(32)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
            os.replace(tmp, path)
        except OSError as exc:
            # A home folder that cannot be written (some CI containers): this process signs with a
            # secret of its own, so nothing it writes is trusted by a later run (always a miss).
            print(
                visible(
                    f"bluebook: the cache's secret cannot be kept at {path} ({exc.strerror}): results are "
                    f"not reused by later runs; set {SECRET_FILE_ENV} or {SECRET_ENV}"
                ),
                file=sys.stderr,
            )
        return data

    def _mac(self, kind: str, key: str, body: bytes | memoryview) -> str:
        mac = hmac.new(self.secret(), kind.encode() + b"\0" + key.encode() + b"\0", hashlib.sha256)
        mac.update(body)
        return mac.hexdigest()

    # --- entries ---------------------------------------------------------------------------------
    def path(self, kind: str, key: str) -> Path:
        if not (kind.isalnum() and len(key) == 64 and all(c in "0123456789abcdef" for c in key)):
            raise ValueError(f"bad cache address {kind}/{key}")
        return self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str, valid: Callable[[object], bool]) -> object | None:
        """The entry's value when it is present, signed by us for this kind and key, and of the
        shape `valid` accepts; None otherwise."""
        body = self._signed_body(kind, key)
        if body is None:
            return None
        try:
            value = json.loads(str(body, "utf-8"))
            ok = valid(value)
        except (ValueError, UnicodeDecodeError, RecursionError):
            ok = False
        if not ok:
            self.rejected += 1
            return None
        self.hits += 1
        return value

    def put(self, kind: str, key: str, value: object) -> None:
        self._put_body(kind, key, json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=True).encode())

    def remember_bodies(
        self, kind: str, parts: list, names: list[str], compute: Callable[[], dict[str, bytes]]
    ) -> dict[str, bytes]:
        """Bytes computed together (the renderings of one report in UTF-8), each kept as an entry of
        its own whose body is those bytes: nothing to parse or decode (a report of a million facts is
        hundreds of MB, which as a JSON string would be escaped and parsed again)."""
        keys = {name: self.key(kind, [*parts, name]) for name in names}
        found: dict[str, bytes] = {}
        for name, key in keys.items():
            body = self._signed_body(kind, key)
            if body is None:
                break
            found[name] = bytes(body)
        else:
            self.hits += 1
            return found
        bodies = compute()
        self.computed[kind] += 1
        for name, key in keys.items():
            self._put_body(kind, key, bodies[name])
        return bodies

    def _signed_body(self, kind: str, key: str) -> memoryview | None:
        """The body of the entry when it is present and signed by us for this kind and key."""
        try:
            raw = self.path(kind, key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        # The signature's line, then the body: sliced without copying the body (hundreds of MB for a
        # large report), which is hashed and decoded in place.
        end = raw.find(b"\n", 0, 80)
        body = memoryview(raw)[end + 1 :]
        try:
            ok = end > 0 and hmac.compare_digest(raw[:end].decode("ascii"), self._mac(kind, key, body))
        except UnicodeDecodeError:
            ok = False
        if not ok:
            self.rejected += 1
            return None
        return body

    def _put_body(self, kind: str, key: str, body: bytes) -> None:
        with contextlib.suppress(OSError):  # a cache that cannot be written misses next time
            write_atomic(self.path(kind, key), self._mac(kind, key, body).encode("ascii") + b"\n" + body)


# --- shapes ---------------------------------------------------------------------------------------
# The cached values hold plain data: violations as dicts of their fields, records as their values
# and lines. These predicates accept exactly those shapes (and nothing an attacker could smuggle in
# that a renderer would not expect).

_VIOLATION_STR = ("file", "code", "message", "hint", "year", "table", "id")


def is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_json_scalar(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def is_violation(value: object) -> bool:
    return (
        isinstance(value, dict)
        and set(value) <= {*_VIOLATION_STR, "severity", "line", "extra"}
        and all(isinstance(value.get(k, ""), str) for k in _VIOLATION_STR)
        and value.get("severity", ERROR) in (ERROR, WARNING)
        and _is_int(value.get("line", 0))
        and isinstance(value.get("extra", {}), dict)
        and all(isinstance(k, str) and _is_json_scalar(v) for k, v in value.get("extra", {}).items())
    )


def is_violations(value: object) -> bool:
    return isinstance(value, list) and all(is_violation(v) for v in value)


def to_plain(v: Violation) -> dict:
    d = {f.name: getattr(v, f.name) for f in fields(v) if f.name != "extra"}
    d["severity"] = str(v.severity)
    if v.extra:
        d["extra"] = dict(v.extra)
    return d


def from_plain(d: dict) -> Violation:
    return Violation(**{**d, "severity": Severity(d.get("severity", ERROR))})


def violations_to_plain(violations: list[Violation]) -> list[dict]:
    return [to_plain(v) for v in violations]


def violations_from_plain(plain: list[dict]) -> list[Violation]:
    return [from_plain(d) for d in plain]


def _is_value(value: object) -> bool:
    if isinstance(value, list):
        return all(isinstance(x, str) for x in value)
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def is_record(value: object) -> bool:
    """[data, line, key_lines, refused]: data maps keys to strings, numbers or lists of strings."""
    return (
        isinstance(value, list)
        and len(value) == 4
        and isinstance(value[0], dict)
        and _is_int(value[1])
        and isinstance(value[2], dict)
        and is_str_list(value[3])
        and all(isinstance(k, str) and _is_value(v) for k, v in value[0].items())
        and all(isinstance(k, str) and _is_int(v) for k, v in value[2].items())
    )


# --- what the loader finds in one table file -----------------------------------------------------

# Records are kept in an entry only for files the fast reader cannot read (comments, other quoting:
# libyaml reads those about seven times slower than JSON is read back) and only up to this size; a
# canonical file is parsed again from its text when its records are needed, as fast as JSON.
RECORDS_MAX_BYTES = 16 << 20


def _valid_file(value: object) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("ok"), bool)
        and isinstance(value.get("canonical"), bool)
        and _is_int(value.get("count"))
        and is_violations(value.get("load"))
        and (
            value.get("records") is None
            or (
                isinstance(value["records"], list)
                and len(value["records"]) == value["count"]
                and all(is_record(r) for r in value["records"])
            )
        )
    )


def read_file(path: Path, rel: str, max_bytes: int, within: Path | None) -> tuple[str | None, str, list[Violation]]:
    """(text, sha256 of its bytes, violations): `read_text` with the digest of what it read."""
    raw, out = read_bytes(path, rel, max_bytes, within)
    if raw is None:
        return None, "", out
    text, out = decode(raw, rel)
    return text, hashlib.sha256(raw).hexdigest(), out


def load_table_cached(
    cache: Cache, path: Path, rel: str, table: str, max_bytes: int = MAX_FILE_BYTES, within: Path | None = None
) -> tuple[LoadedFile, list[Violation]]:
    """`load_table` through the cache: the file is read (once, as always) and hashed; when an entry
    for its bytes (and the code) says what the loader finds in it, its records are parsed only when
    first used (a DeferredFile); otherwise it is parsed now and the entry written. Returns exactly
    what `load_table` returns."""
    raw, out = read_bytes(path, rel, max_bytes, within)
    if raw is None:
        return LoadedFile(rel, table, [], False, digest=""), out
    digest = hashlib.sha256(raw).hexdigest()
    key = key_of("file", code_version(), rel, table, digest)
    hit = cache.get("file", key, _valid_file)
    if isinstance(hit, dict):  # _valid_file accepts only dicts; written only for bytes that decoded
        return (
            DeferredFile(rel, table, hit["ok"], None, hit["canonical"], digest, hit["count"], hit.get("records"), raw),
            violations_from_plain(hit["load"]),
        )
    text, out = decode(raw, rel)
    if text is None:
        return LoadedFile(rel, table, [], False, digest=digest), out
    loaded, out = parse_table(text, rel, table)
    loaded.digest = digest
    cache.computed["file"] += 1
    keep = not loaded.canonical and len(text) <= RECORDS_MAX_BYTES
    cache.put(
        "file",
        key,
        {
            "ok": loaded.ok,
            "canonical": loaded.canonical,
            "count": len(loaded.records),
            "load": violations_to_plain(out),
            "records": [[r.data, r.line, dict(r.key_lines), sorted(r.refused)] for r in loaded.records]
            if keep
            else None,
        },
    )
    return loaded, out


def load_mapping_cached(
    path: Path, rel: str, table: str, max_bytes: int = MAX_FILE_BYTES, within: Path | None = None
) -> tuple[LoadedFile, list[Violation]]:
    """`load_mapping` with the digest of the bytes read (snapshot.yaml is small: always parsed)."""
    text, digest, out = read_file(path, rel, max_bytes, within)
    if text is None:
        return LoadedFile(rel, table, [], False, digest=digest), out
    loaded, out = parse_mapping(text, rel, table)
    loaded.digest = digest
    return loaded, out
