"""A fast reader for table files in canonical form (what `bluebook fmt` writes): the same Records the
loader builds with libyaml, for the files where that is certain, and None for every other file.

It recognises, line by line, only the shape

    - key: value
      key: [item, item]

with plain, single-quoted or backslash-free double-quoted one-line values, every key known to the
table and none repeated, and no character outside printable Unicode. A file with anything else —
comments, blank lines, multi-line or escaped scalars, block lists, anchors, aliases, tags, flow
mappings, tabs, control characters, other line breaks, unknown or repeated keys, empty values, a
list where one value belongs or one value where a list does, a number the loader would object to —
returns None, and `load_table` reads it with libyaml and reports
what is wrong, as before. So no rule of the loader is decided here: in canonical files none of them
fires. tests/test_fastload.py asserts equal Records and violations with and without this reader, on
the real data and on fuzzed texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from yaml.error import Mark
from yaml.nodes import ScalarNode

from bluebook import vocabulary
from bluebook.text import unsafe_char

# What bluebook.text.first_unsafe looks up, but for line breaks (looked at apart, above).
_CANDIDATE = re.compile(r"[^\n\x20-\x7e\u3000-\u30ff\u4e00-\u9fff\uff01-\uff9f]")

# Printable characters only: no tab, no line break but "\n" (YAML also breaks lines at \r, \x85,
# \u2028 and \u2029), no BOM inside the text, no surrogates, no non-characters.
_OUTSIDE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")

# `- key: rest` starts a record, `  key: rest` continues it; rest starts with a non-space.
_LINE = re.compile(r"(- |  )([A-Za-z_][A-Za-z0-9_]*): (\S.*)\Z", re.S)
# A plain scalar that libyaml reads as exactly this text in block context: no indicator first (but
# '-', '?' or ':' before a non-space), no ': ' or ' #' inside, no ':' or white space last.
_PLAIN = re.compile(r"(?:[^\s\-?:,\[\]{}#&*!|>'\"%@`]|[-?:][^\s])(?:(?!: | #).)*(?<![\s:])\Z", re.S)
# A flow list of plain items without flow indicators, quotes, ':' or '#'.
_ITEM = r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^,\[\]{}#:'\"]*[^\s,\[\]{}#:'\"])?"
_FLOW = re.compile(rf"\[(?:{_ITEM}(?:, {_ITEM})*)?\]\Z")
# A value (or flow-list item) the canonical dumper writes plain, as exactly this text: words of
# letters, digits, kana, kanji and a few punctuation marks, single spaces between them.
_WORD = "A-Za-z0-9\u00c0-\u024f\u2010-\u2026\u3001-\u30ff\u3400-\u9fff\uff01-\uffef"
_EMITTED_PLAIN = re.compile(rf"[{_WORD}](?:[{_WORD}.\-_/()+,;'!?%&$=~<>]| (?! ))*(?<! )\Z")
_EMITTED_ITEM = re.compile(rf"[{_WORD}](?:[{_WORD}.\-_/()+;'!?%&$=~<>]| (?! ))*(?<! )\Z")
_SINGLE = re.compile(r"'((?:[^']|'')*)'\Z")
_DOUBLE = re.compile(r'"([^"\\]*)"\Z')


class KeyLines(Mapping):
    """The line of each key of a record read by the fast reader: its keys stand on consecutive
    lines from the record's first, so a tuple of the keys (shared by every record with the same
    keys) and that line say it all, in a tenth of the memory of a dict. Equal to the dict it stands
    for (==, keys, items, get)."""

    __slots__ = ("_keys", "_first")

    def __init__(self, keys: tuple[str, ...], first: int):
        self._keys, self._first = keys, first

    def __getitem__(self, key: str) -> int:
        try:
            return self._first + self._keys.index(key)
        except ValueError:
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return repr(dict(self))


def _unsafe(text: str) -> bool:
    """True when the text holds a character the loader reports (bluebook.text: control, format,
    bidi, separator, unassigned), line breaks aside."""
    return any(unsafe_char(m.group()) for m in _CANDIDATE.finditer(text))


def read_canonical_table(text: str, table: str, rel: str, number_value) -> tuple[list, bool] | None:
    """Records of a table file in the canonical subset, or None when the file is outside it; and
    whether the file is certainly the canonical text of those records (keys in the table's order,
    each value as the canonical dumper writes it), so that `check` need not dump it to compare.

    `number_value(node, key)` is the loader's own typing of a number column's scalar: it returns
    the value and the violations it found (any violation sends the file back to the loader)."""
    from bluebook.data.load import Record

    if not text.endswith("\n") or _OUTSIDE.search(text) or _unsafe(text):
        return None
    read = _LineReader(table, rel, number_value)
    seen = read.seen
    memo = seen.get
    canonical = True
    position = -1
    records: list[Record] = []
    data: dict | None = None
    share = read.share
    for n, raw in enumerate(text[:-1].split("\n"), 1):
        line = memo(raw)  # a line met before (`  status: member`) is read once per file
        if line is None:
            line = read(raw, n)
        if line is _OUTSIDE_SUBSET:
            return None
        start, key, at, value, as_emitted = line
        if start:
            if data is not None:  # its keys in the file's order: the order they were set in
                keys = tuple(data)
                records[-1].key_lines = KeyLines(share(keys, keys), records[-1].line)
            data = {}
            records.append(Record(data, n))
            position = -1
        elif data is None or key in data:
            return None
        if canonical and (at < position or not as_emitted):
            canonical = False
        position = at
        data[key] = list(value) if type(value) is tuple else value  # a list of its own for every record
    if data is None:
        return None
    keys = tuple(data)
    records[-1].key_lines = KeyLines(share(keys, keys), records[-1].line)
    return records, canonical


_OUTSIDE_SUBSET = ("outside",)  # what _LineReader gives a line the fast reader does not read


class _LineReader:
    """What one line of a table file says, independent of the lines around it: (starts a record,
    key, the key's position in the table's order, value, written as the canonical dumper writes
    it), or _OUTSIDE_SUBSET. Lines are remembered by their text (`seen`), up to MEMO lines a file:
    most lines of a snapshot repeat (statuses, sources, sections, notes), and reading one costs
    several regular expressions. A list value is remembered as a tuple (each record gets a list)."""

    MEMO = 1 << 16

    def __init__(self, table: str, rel: str, number_value):
        self.columns = vocabulary.columns(table)
        self.order = {c: i for i, c in enumerate(self.columns)}
        self.rel = rel
        self.number_value = number_value
        self.seen: dict[str, tuple] = {}
        self.shared: dict = {}  # one object for each repeated value and key tuple (a million records fit)
        self.share = self.shared.setdefault

    def __call__(self, raw: str, n: int) -> tuple:
        line = self._read(raw, n)
        if len(self.seen) < self.MEMO:
            self.seen[raw] = line
        return line

    def _read(self, raw: str, n: int) -> tuple:
        m = _LINE.match(raw)
        if m is None:
            return _OUTSIDE_SUBSET
        lead, key, rest = m.groups()
        at = self.order.get(key)
        if at is None:
            return _OUTSIDE_SUBSET
        key = self.columns[at]  # one key object for every record (a new string per line otherwise)
        share = self.share
        as_emitted = True
        first = rest[0]
        value: object
        if first == "[":
            if not _FLOW.match(rest):
                return _OUTSIDE_SUBSET
            items = tuple(share(v, v) for v in rest[1:-1].split(", ")) if rest != "[]" else ()
            as_emitted = all(_EMITTED_ITEM.match(v) for v in items)
            value = items
        elif first == "'":
            q = _SINGLE.match(rest)
            if q is None:
                return _OUTSIDE_SUBSET
            value = q.group(1).replace("''", "'")
            as_emitted = False
        elif first == '"':
            q = _DOUBLE.match(rest)
            if q is None:
                return _OUTSIDE_SUBSET
            value = q.group(1)
            as_emitted = False
        elif _PLAIN.match(rest):
            value = rest
            as_emitted = _EMITTED_PLAIN.match(rest) is not None
        else:
            return _OUTSIDE_SUBSET
        if (key in vocabulary.LIST_COLUMNS) != (type(value) is tuple):
            return _OUTSIDE_SUBSET  # one value where a list belongs, or a list where one value does: the loader says so
        if key in vocabulary.NUMBER_COLUMNS:
            style = first if first in "'\"" else None
            mark = Mark(self.rel, 0, n - 1, len(key) + 4, None, 0)
            value, problems = self.number_value(ScalarNode("tag:yaml.org,2002:str", value, mark, mark, style), key)
            if problems or value is None:
                return _OUTSIDE_SUBSET
            if isinstance(value, str) or (repr(value) if isinstance(value, float) else str(value)) != rest:
                as_emitted = False
        elif type(value) is str:
            value = share(value, value)
        return (lead == "- ", key, at, value, as_emitted)
