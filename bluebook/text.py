"""Characters that must never reach an output raw, and the one way to make text safe to show.

Values come from snapshot files, sources and revisions, which arrive in pull requests. A control
character (ESC, CR, NUL…), a bidi override, a zero-width or format character, or a line/paragraph
separator in a value could clear a terminal, forge a line of output, reorder what a reviewer reads
or break an XML file. The loader reports such characters as violations (`load.control-character`);
every renderer shows text through `visible()` (or `json_text()`), so even a value that was not
loaded through the loader (a message, a path, a revision name) reaches no output raw.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# Unicode categories that print nothing visible or change how the rest prints: controls (C0, DEL,
# C1), format characters (bidi controls, zero-width joiners, BOM, soft hyphen), line and paragraph
# separators, surrogates, and unassigned code points.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Cn"})


# Printable ASCII and the common Japanese blocks are safe; anything else is looked up.
_CANDIDATE = re.compile(r"[^\x20-\x7e\u3000-\u30ff\u4e00-\u9fff\uff01-\uff9f]")
# In json.dumps' output a raw newline is layout (it escapes those inside strings): not a candidate,
# so indented JSON is not looked at line by line (2 million lookups in a 57 MB report).
_JSON_CANDIDATE = re.compile(r"[^\n\x20-\x7e\u3000-\u30ff\u4e00-\u9fff\uff01-\uff9f]")


def unsafe_char(ch: str) -> bool:
    return unicodedata.category(ch) in UNSAFE_CATEGORIES


def first_unsafe(text: str) -> int:
    """Index of the first unsafe character of `text`, or -1."""
    for match in _CANDIDATE.finditer(text):
        if unsafe_char(match.group()):
            return match.start()
    return -1


def codepoint(ch: str) -> str:
    """U+001B ESCAPE: how a message names a character."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"


def _escape(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def _sub(match: re.Match[str]) -> str:
    ch = match.group()
    return _escape(ch) if unsafe_char(ch) else ch


def visible(value: Any, keep_newlines: bool = False) -> str:
    """`value` as text with every unsafe character written as an escape (`\\x1b`, `\\u202e`), so it
    shows as what it is and does nothing. `keep_newlines` lets `\\n` through (for multi-line
    output that the caller builds itself, never for a value)."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # no control, format, separator, surrogate or unassigned character: as it is
        return text
    if keep_newlines:
        return "\n".join(_CANDIDATE.sub(_sub, line) for line in text.split("\n"))
    return _CANDIDATE.sub(_sub, text)


def json_text(doc: Any, **kwargs: Any) -> str:
    """JSON with non-ASCII text kept readable but every unsafe character as a `\\uXXXX` escape
    (json.dumps escapes C0 controls only; C1 controls, bidi overrides and separators would pass).
    Indented by two, what `json_bytes` writes."""
    if kwargs == {"indent": 2}:
        return json_bytes(doc).decode("utf-8")
    return _JSON_CANDIDATE.sub(_json_sub, json.dumps(doc, ensure_ascii=False, **kwargs))


def json_bytes(doc: Any, newline: bool = False) -> bytes:
    """`json_text(doc, indent=2)` in UTF-8 (with a final newline if asked), made without the text:
    a report of a million facts is 600 MB of UTF-8 and would be 1.1 GB as a Python string.

    Written by orjson: the text json.dumps(indent=2, ensure_ascii=False) writes (the same escapes,
    separators and key order), 30 times faster, since json.dumps falls back to its pure-Python
    encoder whenever it indents (1.5 s of a 10 s diff of 100,000 facts). The differences: a float
    below 1e-4 is written without an exponent (0.00001, not 1e-05), the same number, and NaN or an
    infinity as null (json.dumps writes NaN, which is not JSON). What orjson refuses (an integer
    beyond 64 bits, a lone surrogate) goes to json.dumps."""
    import orjson

    options = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | (orjson.OPT_APPEND_NEWLINE if newline else 0)
    try:
        data = orjson.dumps(doc, option=options)
    except (TypeError, orjson.JSONEncodeError):
        text = json.dumps(doc, ensure_ascii=False, indent=2) + ("\n" if newline else "")
        return _JSON_CANDIDATE.sub(_json_sub, text).encode("utf-8", "surrogatepass")
    return _escaped_utf8(data)


def _escaped_utf8(data: bytes, chunk: int = 1 << 23) -> bytes:
    """UTF-8 JSON with every unsafe character as a `\\uXXXX` escape, looked at in pieces of about
    8 MB cut after a newline (always a character boundary): the same text as escaping all of it,
    without ever holding all of it as a string. Returns `data` itself when nothing is unsafe."""
    escaped: list[tuple[int, int, bytes]] = []  # (start, end, the piece escaped): only the pieces that change
    start = 0
    while start < len(data):
        end = data.find(b"\n", start + chunk) + 1 or len(data)
        text = data[start:end].decode("utf-8")
        if any(unsafe_char(m.group()) for m in _JSON_CANDIDATE.finditer(text)):
            escaped.append((start, end, _JSON_CANDIDATE.sub(_json_sub, text).encode("utf-8")))
        start = end
    if not escaped:
        return data
    out, at = [], 0
    for start, end, piece in escaped:
        out += [data[at:start], piece]
        at = end
    return b"".join([*out, data[at:]])


def _json_sub(match: re.Match[str]) -> str:
    ch = match.group()
    return "".join(f"\\u{u:04x}" for u in _utf16(ch)) if unsafe_char(ch) else ch


def _utf16(ch: str) -> list[int]:
    data = ch.encode("utf-16-be", "surrogatepass")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]
