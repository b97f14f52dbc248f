"""Read snapshot, entity and source files: strict YAML, every value a string, every record located.

Nothing here raises for bad data: each problem becomes a Violation and the loader keeps going with
what it could read, so `bluebook check` can report everything at once.
"""

from __future__ import annotations

import difflib
import math
import re
import threading
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bluebook import vocabulary
from bluebook.text import codepoint, first_unsafe, visible
from bluebook.violations import Violation, violation

MAX_FILE_BYTES = 1 << 20  # 1 MiB: a table of a thousand facts is about 400 KB

ComposeLoader: type[yaml.CBaseLoader] | type[yaml.BaseLoader]
try:  # libyaml composes about 5x faster; the result is the same
    ComposeLoader = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    ComposeLoader = yaml.BaseLoader


NONE_REFUSED: frozenset[str] = frozenset()


@dataclass(slots=True)  # slots: a million records of a large snapshot, each a third smaller
class Record:
    """One mapping of a YAML file: its values (strings, numbers after typing, lists) and lines."""

    data: dict
    line: int
    key_lines: Mapping[str, int] = field(default_factory=dict)  # a dict, or the fast reader's KeyLines
    # Keys present in the file whose value the loader refused (empty, or of the wrong shape): the
    # loader reported them, so the schema does not report them again as missing. One shared empty
    # set for the records with none.
    refused: AbstractSet[str] = NONE_REFUSED

    @property
    def id(self) -> str:
        value = self.data.get("id")
        return value if isinstance(value, str) else ""

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@dataclass
class LoadedFile:
    """One data file as read once: its records, whether it could be read whole, and its text (kept
    for the canonical-form check, so no file is read twice)."""

    rel: str
    table: str  # the table, "entities", "sources" or "snapshot"
    records: list[Record]
    ok: bool  # False when the file could not be read as a whole (syntax, encoding, size, shape)
    text: str | None = None
    canonical: bool = False  # True when the fast reader proved the text canonical (no dump to compare)
    digest: str = ""  # sha256 of the bytes read, when a cache asked for it (bluebook.data.cache)

    @property
    def count(self) -> int:
        """How many records the file holds."""
        return len(self.records)


class DeferredFile(LoadedFile):
    """A file read (its text is here) whose records are parsed when first used: the cache said what
    the loader finds in it (ok, canonical, how many records, its violations), so a check whose
    results are all cached never parses it. The records are those `parse_table` gives the text."""

    def __init__(
        self,
        rel: str,
        table: str,
        ok: bool,
        text: str | None,
        canonical: bool,
        digest: str,
        count: int,
        plain: list | None = None,
        raw: bytes | None = None,
    ):
        self._records: list[Record] | None = None
        self._count = count
        self._plain = plain  # the records as the cache holds them ([data, line, key_lines, refused]), if it does
        # The file's bytes, decoded when its text is first asked for: the cache knows these bytes
        # (its entry was written after they decoded), so a run whose results are cached decodes none.
        self._raw = raw
        self._text: str | None = text
        self._lock = threading.RLock()  # reentrant: parsing the records reads the text
        super().__init__(rel, table, None, ok, text, canonical, digest)  # type: ignore[arg-type]

    @property
    def text(self) -> str | None:
        if self._text is None and self._raw is not None:
            with self._lock:
                if self._text is None and self._raw is not None:
                    self._text = self._raw.decode("utf-8").removeprefix("\ufeff")
                    self._raw = None
        return self._text

    @text.setter
    def text(self, value: str | None) -> None:
        self._text = value

    @property
    def records(self) -> list[Record]:
        if self._records is None:
            with self._lock:  # the review's year tasks run in threads
                if self._records is None:
                    if self._plain is not None:
                        self._records = [
                            Record(d, line, lines, frozenset(refused) or NONE_REFUSED)
                            for d, line, lines, refused in self._plain
                        ]
                        self._plain = None
                    else:
                        self._records = parse_table(self.text or "", self.rel, self.table)[0].records
        return self._records

    @records.setter
    def records(self, value: list[Record] | None) -> None:
        self._records = value

    @property
    def count(self) -> int:
        return self._count if self._records is None else len(self._records)

    @property
    def parsed(self) -> bool:
        return self._records is not None

    def __getstate__(self) -> dict:  # sent to a worker process: without the lock
        return {k: v for k, v in self.__dict__.items() if k != "_lock"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()  # reentrant: parsing the records reads the text


def inside(folder: Path, path: Path) -> bool:
    """True when `path`, with every symbolic link resolved, lies inside `folder` (resolved too)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def read_bytes(
    path: Path, rel: str, max_bytes: int = MAX_FILE_BYTES, within: Path | None = None
) -> tuple[bytes | None, list[Violation]]:
    """The file's bytes, or None and a violation when it is missing, too large, or (with `within`)
    resolves outside that folder through `..` or a symbolic link."""
    if within is not None and not inside(within, path):
        return None, [
            violation(
                "load.outside-folder",
                f"{rel} leads outside {within.name}/ (through '..' or a symbolic link)",
                f"keep the file itself inside {within.name}/; data may not point elsewhere",
                file=rel,
            )
        ]
    if not path.is_file():
        return None, [
            violation(
                "load.missing-file", f"{rel} does not exist", "create it, or remove the reference to it", file=rel
            )
        ]
    size = path.stat().st_size
    if size > max_bytes:
        return None, [
            violation(
                "load.too-large",
                f"{rel} is {size:,} bytes; the limit is {max_bytes:,}",
                "split the table or raise MAX_FILE_BYTES if the data really is this large",
                file=rel,
            )
        ]
    return path.read_bytes(), []


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Violation]]:
    """UTF-8 text without a byte-order mark, or None and a violation naming the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            violation(
                "load.not-utf8",
                f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not UTF-8",
                "save the file as UTF-8 (Japanese text included)",
                file=rel,
                line=line,
            )
        ]
    return text.removeprefix("\ufeff"), []


def read_text(
    path: Path, rel: str, max_bytes: int = MAX_FILE_BYTES, within: Path | None = None
) -> tuple[str | None, list[Violation]]:
    """The file's text, or None and a violation when it is missing, too large, not UTF-8, or (with
    `within`) resolves outside that folder through `..` or a symbolic link."""
    raw, out = read_bytes(path, rel, max_bytes, within)
    return (None, out) if raw is None else decode(raw, rel)


def _compose(text: str, rel: str) -> tuple[yaml.Node | None, list[Violation]]:
    try:
        return yaml.compose(text, Loader=ComposeLoader), []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        return None, [
            violation(
                "load.yaml-syntax",
                f"not valid YAML: {problem}",
                "fix the YAML syntax at that line (indentation, quotes, colons)",
                file=rel,
                line=line,
            )
        ]
    except yaml.YAMLError as exc:
        return None, [violation("load.yaml-syntax", f"not valid YAML: {exc}", "fix the YAML syntax", file=rel)]


# The only tags a data file's nodes may carry: the defaults a plain, untagged document resolves to.
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"})


def _refusals(root: yaml.Node, rel: str) -> list[Violation]:
    """Anchors/aliases and explicit tags, which data files may not use. Walks each node once, so a
    'billion laughs' document costs no more than its size."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            return [
                violation(
                    "load.alias",
                    "the file uses YAML anchors/aliases, which data files may not",
                    "write each value out in full",
                    file=rel,
                    line=line,
                )
            ]
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            return [
                violation(
                    "load.tag",
                    f"the file uses the YAML tag {visible(node.tag)!r}, which data files may not",
                    "remove the tag (data values are plain text, numbers and lists)",
                    file=rel,
                    line=line,
                )
            ]
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.extend((k, v))
    return []


# ASCII digits only (no `+`, no `_`, no full-width or other scripts' digits): a number as a person
# writes it in a data file, nothing Python would also accept.
_INT = re.compile(r"-?[0-9]+")
_FLOAT = re.compile(r"-?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?")


def parse_number(text: str) -> int | float | str:
    """An int or finite float from a plain scalar; the text itself when it is not a plain number,
    or when reading it as a float would change its meaning (`1e309` → inf, `1e-400` → 0.0): the
    schema then reports it as a type error with the value as written."""
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        number = float(text)
        mantissa = re.split("[eE]", text)[0]
        if not math.isfinite(number) or (number == 0.0 and mantissa.strip("-.0")):
            return text
        return number
    return text


def _control_characters(value: str, key: str, rel: str, line: int, rid: str, table: str) -> list[Violation]:
    at = first_unsafe(value)
    if at < 0:
        return []
    return [
        violation(
            "load.control-character",
            f"'{key}' holds {codepoint(value[at])} at character {at + 1}: {visible(value[:60])!r}",
            "delete it: values are one line of visible text (a control, format or bidi character can "
            "forge or hide what a reader sees)",
            file=rel,
            line=line,
            id=visible(rid),
            table=table,
        )
    ]


def _scalar_value(node: yaml.Node, key: str, rel: str, out: list[Violation], rid: str, table: str, key_line: int):
    """A plain value: a string (a number in number columns), or a list of strings in list columns.
    Anything else is reported and refused (None): a list or mapping where one value belongs, a
    plain value or mapping where a list belongs, a list of lists."""
    where: dict[str, Any] = dict(file=rel, line=key_line, id=visible(rid), table=table)
    is_list_column = key in vocabulary.LIST_COLUMNS
    if isinstance(node, yaml.ScalarNode):
        out += _control_characters(node.value, key, rel, node.start_mark.line + 1, rid, table)
        if node.value == "" and node.style not in ("'", '"'):
            out.append(
                violation(
                    "load.empty-value", f"'{key}' has no value", f"give '{key}' a value or remove the key", **where
                )
            )
            return None
        if is_list_column:
            out.append(
                violation(
                    "schema.type",
                    f"{key} is one value; {key} takes a list",
                    f"write {key} as a list: {key}: [A, B]",
                    **where,
                )
            )
            return None
        if key in vocabulary.NUMBER_COLUMNS:
            return parse_number(node.value)
        return node.value
    if isinstance(node, yaml.SequenceNode):
        if not is_list_column:
            out.append(
                violation(
                    "schema.type",
                    f"{key} is a list of {len(node.value)}; {key} takes one value",
                    f"write one value ({key}: A); a second value is a second record, or goes into note",
                    **where,
                )
            )
            return None
        items = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):
                out.append(
                    violation(
                        "schema.type",
                        f"{key} holds a list or mapping inside its list",
                        f"write {key} as a list of plain values: [A, B, C]",
                        **dict(where, line=item.start_mark.line + 1),
                    )
                )
                return None
            out += _control_characters(item.value, key, rel, item.start_mark.line + 1, rid, table)
            items.append(item.value)
        return items
    takes = "a list of plain values" if is_list_column else "one value"
    out.append(
        violation(
            "schema.type",
            f"{key} holds a mapping; {key} takes {takes}",
            "flatten it: one value per key, a list as [A, B]",
            **where,
        )
    )
    return None


def _mapping_record(
    node: yaml.MappingNode, allowed: tuple[str, ...], rel: str, table: str, out: list[Violation]
) -> Record:
    key_lines: dict[str, int] = {}
    record = Record(data={}, line=node.start_mark.line + 1, key_lines=key_lines)
    refused: set[str] = set()
    rid = ""
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == "id" and isinstance(v, yaml.ScalarNode):
            rid = v.value
    for knode, vnode in node.value:
        kline = knode.start_mark.line + 1
        if not isinstance(knode, yaml.ScalarNode):
            out.append(
                violation(
                    "load.shape",
                    "a key is not a plain string",
                    "use plain keys",
                    file=rel,
                    line=kline,
                    id=rid,
                    table=table,
                )
            )
            continue
        key = knode.value
        if first_unsafe(key) >= 0:
            out += _control_characters(key, "a key", rel, kline, rid, table)
            continue
        if key in key_lines:
            out.append(
                violation(
                    "load.duplicate-key",
                    f"key '{key}' appears twice in one record (first at line {key_lines[key]})",
                    "keep one of the two values",
                    file=rel,
                    line=kline,
                    id=rid,
                    table=table,
                )
            )
            continue
        key_lines[key] = kline
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
            out.append(
                violation(
                    "load.unknown-key",
                    f"unknown key '{key}' in {table}",
                    hint,
                    file=rel,
                    line=kline,
                    id=rid,
                    table=table,
                )
            )
            continue
        value = _scalar_value(vnode, key, rel, out, rid, table, kline)
        if value is None:
            refused.add(key)
        else:
            record.data[key] = value
    if refused:
        record.refused = refused
    return record


def load_table(
    path: Path, rel: str, table: str, max_bytes: int = MAX_FILE_BYTES, within: Path | None = None
) -> tuple[LoadedFile, list[Violation]]:
    """Read a table file (a YAML list of mappings) into located records."""
    text, out = read_text(path, rel, max_bytes, within)
    if text is None:
        return LoadedFile(rel, table, [], False), out
    return parse_table(text, rel, table)


# Files in canonical form are read by bluebook.data.fastload (about ten times faster, the same
# Records, no rule decided there); tests switch it off to compare.
FAST_READER = True


def parse_table(text: str, rel: str, table: str) -> tuple[LoadedFile, list[Violation]]:
    """Located records of a table file's text, by every rule of the loader."""
    if FAST_READER:
        from bluebook.data.fastload import read_canonical_table

        def number_value(node: yaml.ScalarNode, key: str):
            problems: list[Violation] = []
            return _scalar_value(node, key, rel, problems, "", table, node.start_mark.line + 1), problems

        fast = read_canonical_table(text, table, rel, number_value)
        if fast is not None:
            # A file proven canonical keeps no text: nothing reads it again (check and fmt skip it),
            # and a large snapshot's text is a third of what its records take.
            return LoadedFile(rel, table, fast[0], True, None if fast[1] else text, fast[1]), []
    root, out = _compose(text, rel)
    broken = LoadedFile(rel, table, [], False, text)
    if root is None:
        # An empty or comment-only file reads as no records: a table that lost its records by accident
        # looks the same, so an empty table must say so (`[]`).
        return broken, out or [
            violation(
                "load.empty-file",
                f"{rel} holds no YAML document (it is empty or only comments)",
                "write the records, or `[]` for a table that really has none this year",
                file=rel,
                line=1,
                table=table,
            )
        ]
    refused = _refusals(root, rel)
    if refused:
        return broken, refused
    if not isinstance(root, yaml.SequenceNode):
        return broken, [
            violation(
                "load.shape",
                f"{rel} must be a YAML list of records (- id: ...)",
                "start each record with '- '",
                file=rel,
                line=root.start_mark.line + 1,
                table=table,
            )
        ]
    allowed = vocabulary.columns(table)
    records = []
    for item in root.value:
        if not isinstance(item, yaml.MappingNode):
            out.append(
                violation(
                    "load.shape",
                    "a list item is not a record (key: value mapping)",
                    "each item must be '- id: ...' followed by its keys",
                    file=rel,
                    line=item.start_mark.line + 1,
                    table=table,
                )
            )
            continue
        records.append(_mapping_record(item, allowed, rel, table, out))
    return LoadedFile(rel, table, records, True, text), out


def load_mapping(
    path: Path, rel: str, table: str, max_bytes: int = MAX_FILE_BYTES, within: Path | None = None
) -> tuple[LoadedFile, list[Violation]]:
    """Read a file that is one mapping (snapshot.yaml): a LoadedFile with that one record."""
    text, out = read_text(path, rel, max_bytes, within)
    if text is None:
        return LoadedFile(rel, table, [], False), out
    return parse_mapping(text, rel, table)


def parse_mapping(text: str, rel: str, table: str) -> tuple[LoadedFile, list[Violation]]:
    """The one located record of a mapping file's text (snapshot.yaml)."""
    root, out = _compose(text, rel)
    broken = LoadedFile(rel, table, [], False, text)
    if root is None:
        return broken, out or [
            violation(
                "load.shape", f"{rel} is empty", "write the snapshot's year, as_of, edition and sources", file=rel
            )
        ]
    refused = _refusals(root, rel)
    if refused:
        return broken, refused
    if not isinstance(root, yaml.MappingNode):
        return broken, [
            violation(
                "load.shape",
                f"{rel} must be a mapping of keys to values",
                f"keys: {', '.join(vocabulary.columns(table))}",
                file=rel,
                line=1,
            )
        ]
    record = _mapping_record(root, vocabulary.columns(table), rel, table, out)
    return LoadedFile(rel, table, [record], True, text), out
