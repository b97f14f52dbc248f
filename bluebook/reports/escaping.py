"""How a value from the data lands in a report: one function per format, each applied by the
report templates to every value they print (Jinja2 `finalize`), so a template cannot forget one.

- `html_text`: the value with every unsafe character (control, bidi override, separator…) written
  as an escape by `bluebook.text.visible` (newlines kept: they forge nothing in HTML); Jinja2's
  autoescape (markupsafe) then escapes the markup.
- `md_escape`: a value becomes inline Markdown text that can start no block (no line break, list
  item or code block), no table cell (`|`), no HTML (`<`, `&` as entities), no emphasis, code,
  link, autolink or math.
- `json_text`: `bluebook.text.json_text` (unsafe characters as `\\uXXXX`; lossless); `json_bytes`
  the same in UTF-8, for reports too large to hold as text.
"""

from __future__ import annotations

import re

from bluebook.text import json_bytes, json_text, visible

__all__ = ["html_text", "json_bytes", "json_text", "md_escape"]


def html_text(value) -> str:
    return visible(value, keep_newlines=True)


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
    text = visible(str(value).replace("\n", " ").replace("\t", " ")).strip(" ")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_BLOCK_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text)
    text = _MD_SCHEME.sub(r"\\:", text)
    # GitHub links `name@host.tld` whatever is escaped around it; the full-width ＠ shows the same.
    text = text.replace("@", "\uff20")
    return _MD_WWW.sub(r"\1\\.", text)
