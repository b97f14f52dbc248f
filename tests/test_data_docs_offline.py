"""GX Data Docs: data is escaped in every page (a title carrying a script stays text), and the
pages fetch nothing from the network (every CDN asset GX references is vendored, pinned, and
matches VENDOR.json)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from bluebook.cli import main

SCRIPT_TITLE = 'ロシア<script>document.title="X"</script><img src=x onerror="document.title=\'Y\'">'


def _gx_templates() -> Path:
    import great_expectations

    return Path(great_expectations.__file__).parent / "render" / "view" / "templates"


def test_vendored_files_match_their_manifest():
    from bluebook.contracts.expectations.data_docs_offline import CDN, VENDOR

    manifest = json.loads((VENDOR / "VENDOR.json").read_text(encoding="utf-8"))
    listed = set()
    for entry in manifest:
        assert entry["integrity"].startswith("sha512-") and entry["license"] and entry["version"]
        for name, digest in entry["files"].items():
            path = VENDOR / entry["folder"] / name
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path
            listed.add(f"{entry['folder']}/{name}")
    assert {target for target in CDN.values() if target} <= listed


def test_every_cdn_asset_of_the_installed_gx_is_known():
    from bluebook.contracts.expectations.data_docs_offline import CDN

    referenced = set()
    for template in _gx_templates().glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        referenced |= set(re.findall(r'<script[^>]*\ssrc="(https?://[^"]+)"', text))
        referenced |= set(re.findall(r'<link[^>]*\shref="(https?://[^"]+)"', text))
    assert referenced, "GX's templates moved: find where the Data Docs load their assets"
    assert referenced <= set(CDN), f"GX loads assets not vendored: {sorted(referenced - set(CDN))}"


@pytest.fixture(scope="module")
def data_docs(tmp_path_factory) -> Path:
    """Data Docs of a project whose event title carries a script (and fails an expectation, so the
    value is shown in the page)."""
    from conftest import build_project

    root = build_project(tmp_path_factory.mktemp("p") / "p")
    path = root / "snapshots" / "2025" / "events.yaml"
    text = path.read_text(encoding="utf-8")
    first = re.search(r"^  title_en: .*$", text, re.M)
    path.write_text(
        text[: first.start()] + "  title_en: " + json.dumps(SCRIPT_TITLE, ensure_ascii=False) + text[first.end() :],
        encoding="utf-8",
    )
    out = root / "reports" / "data-docs"
    assert (
        main(["--root", str(root), "check", "2025", "--data-docs", str(out)]) == 0
    )  # the failed expectation is a warning
    return out


def test_a_script_in_the_data_stays_text_in_the_data_docs(data_docs: Path):
    pages = {p: p.read_text(encoding="utf-8") for p in data_docs.rglob("*.html")}
    shown = [p for p, text in pages.items() if "ロシア&lt;script&gt;document.title=" in text]
    assert shown, "the failing value should be listed (escaped) in the events page"
    for page, text in pages.items():
        assert "<script>document.title" not in text and "<img src=x" not in text, page
        assert "Markup(" not in text, page  # escaped values stay plain strings inside GX's table data


def test_the_data_docs_fetch_nothing(data_docs: Path):
    from bluebook.contracts.expectations.data_docs_offline import remote_resources

    assert remote_resources(data_docs) == {}
    index = (data_docs / "index.html").read_text(encoding="utf-8")
    assert '<script src="./static/vendor/jquery-3.7.1/dist/jquery.min.js"></script>' in index
    for ref in re.findall(r'(?:src|href)="(\.[^"]+)"', index):
        assert (data_docs / ref).is_file(), ref
    page = next(data_docs.glob("validations/**/*.html"))
    for ref in re.findall(r'(?:src|href)="(\.\./[^"]+static/[^"]+)"', page.read_text(encoding="utf-8")):
        assert (page.parent / ref).resolve().is_file(), ref
