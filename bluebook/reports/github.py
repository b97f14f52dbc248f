"""Violations as GitHub Actions workflow commands: one `::error` or `::warning` line per violation,
as ruff and mypy print them, so that a pull request shows each broken contract on its file and line.

Every value comes from data (a fact id, a quoted value in a message, a file name), so every value
is escaped as GitHub's workflow-command rules require: in the message `%`, CR and LF; in a property
also `:` and `,`. A value can therefore never end the command or start another one (`::add-mask::`,
`::stop-commands::`). Other control characters and the invisible direction marks that could make a
log line read as something else are shown as `\\xNN` / `\\uNNNN` by bluebook.text.visible (a CR too:
a value never carries a line break of its own into an annotation)."""

from __future__ import annotations

from bluebook.text import visible
from bluebook.violations import ERROR, Violation


def escape_data(text: str) -> str:
    """A workflow command's message: `%`, CR and LF as GitHub's toolkit escapes them."""
    return visible(text, keep_newlines=True).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file, title): the message's escapes, `:` and `,` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(v: Violation, prefix: str = "", level: str | None = None, title: str | None = None) -> str:
    """One workflow command for one violation. `prefix` is where the project root lies in the
    repository (e.g. `data/`), so that the file is the repository's path GitHub annotates."""
    level = level or ("error" if v.severity == ERROR else "warning")
    props = []
    if v.file:
        props.append(f"file={escape_property(prefix + v.file)}")
        if v.line:
            props.append(f"line={int(v.line)}")
    props.append(f"title={escape_property(title or v.code)}")
    text = f"{v.id}: {v.message}" if v.id else v.message
    if v.hint:
        text += "\n" + "\n".join(
            line if line.startswith(("-", "+", "@", " ", ".")) else f"hint: {line}" for line in v.hint.splitlines()
        )
    return f"::{level} {','.join(props)}::{escape_data(text)}"


def violations_github(violations: list[Violation], summary: str, prefix: str = "") -> str:
    """Every violation as one annotation, then the plain summary line."""
    lines = [annotation(v, prefix) for v in violations]
    lines.append(visible(summary))
    return "\n".join(lines)
