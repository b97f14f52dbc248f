"""The template environments of every report page: HTML with Jinja2's autoescape, Markdown with
`md_escape`, both applied to every printed value by `finalize` (a template cannot forget it).
Templates live in `templates/` (package data)."""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from bluebook.reports.escaping import html_text, json_bytes, md_escape

__all__ = ["html", "json_bytes", "markdown", "script_hash"]


def _html_value(value):
    """Every value a template prints: markup the templates made stays; data is made visible and
    then escaped by autoescape."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return html_text(value)


def _md_value(value):
    if value is None:
        return ""
    return md_escape(value)


def _loader() -> PackageLoader:
    return PackageLoader("bluebook.reports", "templates")


@cache
def _html_env() -> Environment:
    env = Environment(
        loader=_loader(),
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=_html_value,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_hash"] = script_hash
    env.globals["include_text"] = loaded_text  # our own CSS and script, inlined (never data)
    return env


@cache
def _md_env() -> Environment:
    return Environment(
        loader=_loader(),
        autoescape=False,
        finalize=_md_value,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def script_hash(source: str) -> str:
    """The Content-Security-Policy source for one inline script (only that script may run)."""
    digest = hashlib.sha256(str(source).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def html(template: str, **context) -> str:
    """A page from an HTML template (autoescaped)."""
    return _html_env().get_template(template).render(**context)


def markdown(template: str, **context) -> str:
    """Markdown from a template; every printed value is inline text (`md_escape`)."""
    text = _md_env().get_template(template).render(**context)
    return text.rstrip() + "\n"


def loaded_text(name: str) -> str:
    """The raw text of a file in templates/ (the page's CSS and script, inlined)."""
    source, _, _ = _loader().get_source(_html_env(), name)
    return source
