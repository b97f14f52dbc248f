"""How a value from the data lands in a report: one function per format, each applied by the
report templates to every value they print (Jinja2 `finalize`), so a template cannot forget one.

- `visible`: characters that change how text *looks* without being seen (control characters,
  bidi overrides, line and paragraph separators, private-use and unassigned code points) are
  shown as `␍` (a control picture) or `⟨U+202E⟩`, never passed through raw.
- `md_escape`: a value becomes inline Markdown text that can start no block (no line break), no
  table cell (`|`), no HTML (`<`, `&` as entities), no emphasis, code, link, autolink or math.
- `json_text`: JSON with the same characters as `\\uXXXX` escapes (lossless: `json.loads`
  gives the value back).
HTML escaping itself is Jinja2's autoescape (markupsafe) after `visible`.
"""

from __future__ import annotations

import json
import re
import unicodedata

# Unicode categories never shown raw: control, format (bidi overrides, zero-width marks), line and
# paragraph separators, surrogates, private use, unassigned.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def is_hidden(ch: str) -> bool:
    """A character that must not reach a report raw."""
    return unicodedata.category(ch) in _HIDDEN_CATEGORIES


def _shown(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"⟨U+{code:04X}⟩"


def _ranges(exclude: str) -> str:
    """A regex character class of every hidden code point (as ranges: compiles in milliseconds)."""
    parts, start = [], None
    for code in range(0x110001):
        hidden = code < 0x110000 and is_hidden(chr(code)) and chr(code) not in exclude
        if hidden and start is None:
            start = code
        elif not hidden and start is not None:
            parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(code - 1)) if code - 1 > start else ""))
            start = None
    return "[" + "".join(parts) + "]"


# Newlines and tabs may stay in a value shown as HTML or plain text (they forge nothing there).
_HIDDEN_RE = re.compile(_ranges(exclude="\n\t"))


def visible(value) -> str:
    """The value as text with every hidden character made visible (newlines and tabs kept)."""
    text = value if isinstance(value, str) else str(value)
    return _HIDDEN_RE.sub(lambda m: _shown(m.group(0)), text)


# Characters that start inline Markdown constructs (CommonMark and GitHub's extensions): escaped
# with a backslash, which CommonMark defines for every ASCII punctuation character.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~$!])")
_MD_SCHEME = re.compile(r":(?=/)")  # `https://…`: GitHub links a bare URL
_MD_WWW = re.compile(r"(?i)\b(www)\.")
# What would start a block where a value begins a line (a list item's text is such a place):
# a bullet, an ordered-list number.
_MD_BLOCK_START = re.compile(r"^(?:([-+])|(\d{1,9})([.)]))")


def md_escape(value) -> str:
    """A value as inline Markdown text: one line, no markup, no link (`https\\://…`, `www\\.`,
    `a＠b`), no HTML (`&lt;script&gt;`)."""
    # Spaces at either end could open an indented code block or end the line with a hard break.
    text = visible(value).replace("\n", " ").replace("\t", " ").strip(" ")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_BLOCK_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text)
    text = _MD_SCHEME.sub(r"\\:", text)
    # GitHub links `name@host.tld` whatever is escaped around it; the full-width ＠ shows the same.
    text = text.replace("@", "\uff20")
    return _MD_WWW.sub(r"\1\\.", text)


# json.dumps escapes C0 controls (newline, tab) itself; these are the rest.
_JSON_HIDDEN_RE = _HIDDEN_RE


def _json_escape(m: re.Match) -> str:
    code = ord(m.group(0))
    if code > 0xFFFF:  # a surrogate pair, as JSON spells a code point beyond the BMP
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(data, indent: int | None = 2) -> str:
    """JSON of `data`, readable (non-ASCII letters kept) but with every hidden character escaped.
    Such characters can only occur inside JSON strings, where `\\uXXXX` means the same."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=False, allow_nan=False)
    return _JSON_HIDDEN_RE.sub(_json_escape, text)
