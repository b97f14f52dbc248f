"""GX Data Docs that are safe and work offline.

- Escaping: GX's page templates (`*.j2`) are not autoescaped, and a plain string in a content block
  (an unexpected value, a fact's id) is inserted as HTML: a `title_en` of `<script>…` runs.
  `EscapingPageView` / `EscapingIndexPageView` (set as the site's views by `site_config`) escape
  every plain string content block; GX's own markup comes as structured blocks and is unchanged.
- Offline: the pages load Bootstrap, jQuery, bootstrap-table, Font Awesome … from CDNs. The copies
  in `vendor/` (from the npm registry, pinned: `scripts/vendor_data_docs_assets.py`, VENDOR.json)
  are copied into the site, and `make_offline` points every page at them (relative paths), drops
  the chart libraries no page of ours uses, uses GX's bundled logo instead of a remote one, and
  corrects GX's relative links into static/ (its favicon link is one level short).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView
from jinja2 import pass_context
from markupsafe import escape

from bluebook.text import visible

VENDOR = Path(__file__).resolve().parent / "vendor"
SITE_VENDOR = Path("static") / "vendor"

# Every stylesheet or script GX's templates load from a CDN → its vendored file (None: dropped,
# no page of ours draws a chart). A test fails when the installed GX references one not listed.
# A table, one URL and its file an entry; ruff format would join them past the line length.
# fmt: off
CDN: dict[str, str | None] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js-1.12.9/dist/umd/popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap-4.3.1/dist/js/bootstrap.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap-4.3.1/dist/css/bootstrap.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table-1.19.1/dist/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css":
        "bootstrap-table-1.19.1/dist/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table-1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table-1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table-1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker-1.9.0/dist/js/bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker-1.9.0/dist/css/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css":
        "fortawesome-fontawesome-free-6.6.0/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "forevolve-bootstrap-dark-1.1.0/dist/css/bootstrap-prefers-dark.min.css",
    "https://cdn.jsdelivr.net/npm/vega@5": None,
    "https://cdn.jsdelivr.net/npm/vega-lite@5": None,
    "https://cdn.jsdelivr.net/npm/vega-embed@6": None,
}
# fmt: on
GX_ASSETS = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"

_SCRIPT = re.compile(r'<script\s+src="(?P<url>https?://[^"]+)"[^>]*>\s*</script>')
_LINK = re.compile(r'<link\s[^>]*href="(?P<url>https?://[^"]+)"[^>]*>')
_LOGO = re.compile(re.escape(GX_ASSETS) + r'logo-long\.png[^"]*')
# GX's own relative links into static/ (its favicon link is one level short on validation pages).
_STATIC = re.compile(r'(?P<attr>src|href)="(?:\./|(?:\.\./)+)static/')
_CSS_LOGO = re.compile(r"url\('" + re.escape(GX_ASSETS) + r"[^']*'\)")
# A resource a page would fetch (not a link the reader may follow).
REMOTE_RESOURCE = re.compile(r'(?:<script[^>]*\ssrc|<link[^>]*\shref|<img[^>]*\ssrc)="https?://|url\([\'"]?https?://')


def _escaped(value) -> str:
    """A plain str (GX's bootstrap tables print their rows as a Python repr inside a script:
    a Markup object would show as `Markup('…')`)."""
    return str(escape(visible(value)))


class _Escaping:
    """A plain string content block is data: escape it (GX renders its own markup from
    structured blocks, which pass through as before)."""

    @pass_context  # as GX's own filter: Jinja passes the template context first
    def render_content_block(
        self, jinja_context, content_block, index=None, content_block_id=None, render_to_markdown: bool = False
    ):
        if isinstance(content_block, str) and not render_to_markdown:
            return _escaped(content_block)
        if isinstance(content_block, list) and not render_to_markdown:
            content_block = [_escaped(x) if isinstance(x, str) else x for x in content_block]
        # A mixin: the GX page view after it in the MRO has the method, which mypy cannot see here.
        return super().render_content_block(  # type: ignore[misc]
            jinja_context, content_block, index, content_block_id, render_to_markdown
        )


class EscapingPageView(_Escaping, DefaultJinjaPageView):
    """GX's page view with data escaped."""


class EscapingIndexPageView(_Escaping, DefaultJinjaIndexPageView):
    """GX's index page view with data escaped."""


def site_config(base_directory: str = "uncommitted/data_docs/local_site/") -> dict:
    """A Data Docs site whose pages render through the escaping views."""
    view = {"module_name": __name__, "class_name": "EscapingPageView"}
    return {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": base_directory},
        "site_index_builder": {
            "class_name": "DefaultSiteIndexBuilder",
            "view": {"module_name": __name__, "class_name": "EscapingIndexPageView"},
        },
        "site_section_builders": {
            "expectations": {"view": view},
            "validations": {"view": view},
            "profiling": {"view": view},
        },
    }


def make_offline(site: Path) -> None:
    """Copy the vendored assets into `site` and point every page at them."""
    manifest = json.loads((VENDOR / "VENDOR.json").read_text(encoding="utf-8"))
    for entry in manifest:
        shutil.copytree(VENDOR / entry["folder"], site / SITE_VENDOR / entry["folder"], dirs_exist_ok=True)
    for page in site.rglob("*.html"):
        prefix = Path(os.path.relpath(site, page.parent)).as_posix()
        page.write_text(_offline_page(page.read_text(encoding="utf-8"), prefix), encoding="utf-8")


def _offline_page(text: str, prefix: str) -> str:
    """One page with its CDN references pointed at the vendored copies (`prefix`: the site root,
    relative to the page)."""
    text = _SCRIPT.sub(lambda m: _local(m, prefix, '<script src="{}"></script>'), text)
    text = _LINK.sub(lambda m: _local(m, prefix, '<link rel="stylesheet" href="{}">'), text)
    text = _LOGO.sub(f"{prefix}/static/images/logo-long.png", text)
    text = _STATIC.sub(lambda m: f'{m.group("attr")}="{prefix}/static/', text)
    return _CSS_LOGO.sub("none", text)


def _local(m: re.Match, prefix: str, tag: str) -> str:
    url = m.group("url")
    if url not in CDN:
        return m.group(0)  # not one we know (a test names it); left for the reader to see
    target = CDN[url]
    return "" if target is None else tag.format(f"{prefix}/{(SITE_VENDOR / target).as_posix()}")


def remote_resources(site: Path) -> dict[str, list[str]]:
    """Pages that would still fetch something from the network, with what (empty: none)."""
    out: dict[str, list[str]] = {}
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        found = [text[m.start() : m.start() + 120] for m in REMOTE_RESOURCE.finditer(text)]
        if found:
            out[str(page.relative_to(site))] = found
    return out
