"""The reports as a reviewer opens them: headless Chromium (Debian's `chromium`, driven by the
`playwright` package) with every request that is not a local file blocked and recorded.

- The review of the real data: the index, both change reports and a Data Docs page load with no
  console error and no request leaving the machine; the BRICS grid shows the 2025 partners; an
  evidence panel opens and shows the quote; the filters hide and show changes. Screenshots for a
  human are written to reports/screenshots/.
- A snapshot whose values carry script: its change report and Data Docs load and no script runs.

Chromium comes from `make test` (it installs Debian's package when missing and it can). Where it
is missing the test is skipped, except in CI (`CI` set), where it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, build_project

from bluebook import review as steps

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("BLUEBOOK_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]
SCREENSHOTS = REPO / "reports" / "screenshots"
EVIL = (
    'ロシア<script>document.title="X";window.pwned=1</script><img src=x onerror="document.title=\'Y\';window.pwned=1">'
)


def _need_chromium() -> None:
    missing = [] if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK) else [f"{CHROMIUM} (Debian's chromium)"]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (uv sync)")
    if missing:
        message = f"the browser test needs {' and '.join(missing)}: run `make test` as root on Debian, or apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class Browser:
    """One Chromium for the module; each page records console errors and every non-file request."""

    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)

    def open(self, url: str, viewport=(1280, 900)):
        context = self.browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, service_workers="block"
        )
        page = context.new_page()
        page.errors, page.outside = [], []
        page.on("console", lambda m: page.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(f"page error: {e}"))
        page.on(
            "request", lambda r: None if r.url.startswith(("file:", "data:", "about:")) else page.outside.append(r.url)
        )

        def block(route):
            if route.request.url.startswith(("file:", "data:", "about:")):
                route.continue_()
            else:
                route.abort()

        context.route("**/*", block)
        page.goto(url)
        page.wait_for_load_state("load")
        return page

    def close(self):
        self.browser.close()
        self._pw.stop()


@pytest.fixture(scope="module")
def browser():
    _need_chromium()
    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="module")
def review(tmp_path_factory) -> Path:
    """The review of the real data, with its Data Docs, as `make review` writes them."""
    out = tmp_path_factory.mktemp("review") / "reports"
    steps.run_review(REPO, out=out, name="browser")  # with the Data Docs of its GX run
    assert (out / "data-docs" / "index.html").is_file()
    return out


def _clean(page) -> None:
    assert page.errors == [], page.errors
    assert page.outside == [], f"requests left the machine: {page.outside}"


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))
    assert (SCREENSHOTS / name).stat().st_size > 10_000


def test_the_index_links_the_reports(browser, review):
    page = browser.open((review / "latest" / "index.html").as_uri())
    assert page.locator("h1 .verdict").inner_text() in ("passed", "failed")
    links = page.locator("#change-reports a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert {"changes-2023-2024.html", "changes-2024-2025.html"} <= set(links)
    _shot(page, "index.png")
    _clean(page)


def test_the_change_report_shows_evidence_and_the_brics_grid(browser, review):
    from playwright.sync_api import expect

    page = browser.open((review / "latest" / "changes-2024-2025.html").as_uri())
    partners = page.locator('figure[data-organization="BRICS"] g[data-year="2025"][data-status="partner"]')
    assert set(partners.evaluate_all("els => els.map(e => e.dataset.member)")) == {
        "BLR",
        "BOL",
        "CUB",
        "KAZ",
        "MYS",
        "NGA",
        "THA",
        "UGA",
        "UZB",
        "VNM",
    }
    assert (
        page.locator('figure[data-organization="BRICS"] g.step-back[data-member="SAU"][data-year="2025"]').count() == 1
    )
    item = page.locator("li.change", has=page.locator("code", has_text=re.compile(r"^brics\.vnm$")))
    quote = item.locator("blockquote.quote").first
    assert not quote.is_visible()  # closed until the reviewer opens it
    item.locator("summary").click()
    assert quote.is_visible() and "同年6月にはベトナムのパートナー国入りを公表した" in quote.inner_text()
    assert "外交青書2026" in item.locator(".source").first.inner_text()
    item.scroll_into_view_if_needed()
    _shot(page, "changes-2024-2025.png")
    # The filters: hide what was added, and the change is hidden; show all again.
    page.locator('form.filters input[name="kind"][value="added"]').uncheck()
    expect(item).to_be_hidden()
    page.locator("form.filters button[type=reset]").click()
    expect(item).to_be_visible()  # (the page's CSP allows no eval: no wait_for_function)
    assert page.locator("li.change[hidden]").count() == 0
    page.locator("#over-the-years").scroll_into_view_if_needed()
    _shot(page, "changes-2024-2025-over-the-years.png")
    _clean(page)


def test_the_earlier_change_report(browser, review):
    page = browser.open((review / "latest" / "changes-2023-2024.html").as_uri())
    assert page.locator("li.change").count() > 20
    assert (
        page.locator('figure[data-organization="BRICS"] g[data-year="2024"][data-member="SAU"]').get_attribute(
            "data-status"
        )
        == "member"
    )
    _shot(page, "changes-2023-2024.png")
    _clean(page)


def test_the_data_docs_show_their_results_offline(browser, review):
    docs = review / "data-docs"
    page = browser.open((docs / "index.html").as_uri())
    assert page.evaluate("typeof window.jQuery === 'function' && typeof jQuery.fn.bootstrapTable === 'function'")
    page.wait_for_selector("table tbody tr td")
    assert page.locator("table tbody tr").count() > 5  # the validation results list, filled by bootstrap-table
    _clean(page)
    validation = next(docs.glob("validations/memberships/**/*.html"))
    page = browser.open(validation.as_uri())
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar')).position") == "sticky"  # Bootstrap's CSS
    # The status icons' font loads from the vendored webfonts.
    assert page.evaluate("""async () => (await document.fonts.load('900 12px "Font Awesome 6 Free"')).length""") > 0
    _shot(page, "data-docs-memberships.png")
    _clean(page)


@pytest.fixture(scope="module")
def evil(tmp_path_factory) -> Path:
    """A two-year project whose values carry script, reviewed with its Data Docs."""
    root = build_project(tmp_path_factory.mktemp("evil") / "p")
    for year in ("2024", "2025"):
        path = root / "snapshots" / year / "events.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(
                r"^  title_en: .*$", "  title_en: " + json.dumps(EVIL, ensure_ascii=False), text, count=1, flags=re.M
            ),
            encoding="utf-8",
        )
        path = root / "snapshots" / year / "agreements.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(
                r"^  title_en: .*$",
                "  title_en: " + json.dumps(f"{EVIL} {year}", ensure_ascii=False),
                text,
                count=1,
                flags=re.M,
            ),
            encoding="utf-8",
        )
    out = root / "reports"
    steps.run_review(root, out=out, name="evil")  # with the Data Docs of its GX run
    yield out
    shutil.rmtree(root, ignore_errors=True)


def test_no_script_from_the_data_runs_in_the_change_report(browser, evil):
    page = browser.open((evil / "latest" / "changes-2024-2025.html").as_uri())
    assert page.locator("text=document.title=").count() > 0  # the value is shown, as text
    assert page.title() == "Changes 2024 → 2025" and page.evaluate("window.pwned === undefined")
    _clean(page)


def test_no_script_from_the_data_runs_in_the_data_docs(browser, evil):
    pages = [p for p in (evil / "data-docs").glob("validations/**/*.html") if "document.title=" in p.read_text("utf-8")]
    assert pages, "a page should list the failing title"
    for path in pages:
        page = browser.open(path.as_uri())
        assert page.title() == "Data documentation compiled by Great Expectations"
        assert page.evaluate("window.pwned === undefined")
        _clean(page)
