"""The report pages a reviewer opens: the change report's evidence, pictures and self-containment,
Markdown that a value cannot forge, the review's index page, and `history --format html`."""

from __future__ import annotations

import os
import re
from pathlib import Path

import cmarkgfm
from conftest import REPO
from test_property_reports import _elements, _sides

from bluebook import review as steps
from bluebook.changes.sides import diff_sides
from bluebook.cli import main
from bluebook.reports.changes import change_report, render_change_report

GOLDEN = REPO / "tests" / "golden"


def _li(page: str, fact_id: str) -> str:
    """The list item of one change in an HTML change report."""
    m = re.search(
        r'<li class="change[^"]*"[^>]*>(?:(?!</li>).)*?<code>' + re.escape(fact_id) + r"</code>.*?</li>", page, re.S
    )
    assert m, f"no change {fact_id} in the page"
    return m.group(0)


def test_change_report_is_one_file_that_fetches_nothing():
    page = (GOLDEN / "changes-2024-2025.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    tags = _elements(page).tags
    assert not [t for t, attrs in tags if t in ("link", "img", "iframe", "object", "embed")]
    assert not [t for t, attrs in tags if t == "script" and "src" in attrs]
    assert sum(t == "script" for t, _ in tags) == 1


def test_every_change_opens_to_its_evidence():
    page = (GOLDEN / "changes-2024-2025.html").read_text(encoding="utf-8")
    vnm = _li(page, "brics.vnm")
    assert (
        "<details" in vnm
        and (
            '<blockquote class="quote" lang="ja">「BRICSパートナー国」という新たなカテゴリーが創設され…'
            "同年6月にはベトナムのパートナー国入りを公表した</blockquote>"
        )
        in vnm
    )
    assert "イ ロシア外政" in vnm and "外交青書2026" in vnm and "stated: quoted from the held text" in vnm
    # A revision shows the fields before and after, in words.
    putin = _li(page, "rus.president.putin-vladimir")
    assert "<td>date on which the source names the holder in office</td><td>none</td><td>2025</td>" in putin
    # A warning shows with its hint; a cited source links to its URL.
    sau = _li(page, "brics.sau")
    assert "year.status-reverted" in sau and "hint: sources disagree or a record is wrong" in sau
    assert 'href="https://www.mofa.go.jp/mofaj/gaiko/bluebook/2024/html/chapter2_06_01.html"' in sau


def test_the_brics_grid_shows_every_year_and_the_disagreement():
    page = (GOLDEN / "changes-2024-2025.html").read_text(encoding="utf-8")
    grid = re.search(r'<figure class="grid" data-organization="BRICS">.*?</figure>', page, re.S).group(0)
    cells = dict(
        ((m, y), s) for m, y, s in re.findall(r'data-member="([A-Z]{3})" data-year="(\d{4})" data-status="(\w+)"', grid)
    )
    partners_2025 = {m for (m, y), s in cells.items() if y == "2025" and s == "partner"}
    assert partners_2025 == {"BLR", "BOL", "CUB", "KAZ", "MYS", "NGA", "THA", "UGA", "UZB", "VNM"}
    assert (cells[("SAU", "2023")], cells[("SAU", "2024")], cells[("SAU", "2025")]) == ("invited", "member", "invited")
    assert re.search(r'class="cell st-invited step-back" data-member="SAU" data-year="2025"', grid)
    assert ("IDN", "2023") not in cells and cells[("IDN", "2025")] == "member"


def test_a_line_break_or_a_url_in_a_value_forges_nothing_in_markdown():
    base, head = _sides()
    head.tables["agreements"]["new-start"]["title_en"] = "Russia\r| forged | row |\n- forged item https://evil.example"
    md = render_change_report(change_report(diff_sides(base, head), base, head), "md")
    line = next(x for x in md.splitlines() if "forged" in x)
    assert line.startswith("- Russia\\\\x0d\\| forged \\| row \\|") and "https\\://evil.example" in line
    html = cmarkgfm.github_flavored_markdown_to_html(md)
    plain = render_change_report(change_report(diff_sides(*_sides()), *_sides()), "md")
    plain_html = cmarkgfm.github_flavored_markdown_to_html(plain)
    assert "<a " not in html
    for tag in ("<li>", "<tr>", "<td>", "<hr"):
        assert html.count(tag) == plain_html.count(tag), tag


def test_the_review_index_links_every_report_and_the_previous_run(project: Path, tmp_path: Path):
    out = tmp_path / "reports"
    first = steps.run_review(project, out=out, name="run-1", data_docs=False)
    assert (first.run_dir / "index.html").is_file() and first.files["index.html"].name == "index.html"
    second = steps.run_review(project, out=out, name="run-2", data_docs=False)
    page = (out / "latest" / "index.html").read_text(encoding="utf-8")
    assert (out / "latest").resolve() == second.run_dir.resolve()
    assert '<span class="verdict passed">passed</span>' in page
    assert 'href="changes-2024-2025.html"' in page and 'href="changes-2024-2025.md"' in page
    assert 'href="../data-docs/index.html"' in page and 'href="check.txt"' in page and 'href="junit.xml"' in page
    # A browser resolves the link against reports/latest/ as written (not through the symlink).
    assert 'href="../runs/run-1/index.html"' in page
    assert Path(os.path.normpath(out / "latest" / "../runs/run-1/index.html")).is_file()
    assert "no previous run" in (first.run_dir / "index.html").read_text(encoding="utf-8")
    for layer in ("load", "schema", "references", "grounding", "time", "dataset (Great Expectations)", "across years"):
        assert f"<td>{layer} <span" in page


def test_a_failed_review_index_says_so_and_counts_by_layer(tmp_path: Path):
    from conftest import FIXTURES, build_project

    root = build_project(tmp_path / "p", FIXTURES / "contracts" / "schema.enum")
    result = steps.run_review(root, out=tmp_path / "reports", name="run-1", data_docs=False)
    page = (result.run_dir / "index.html").read_text(encoding="utf-8")
    assert '<span class="verdict failed">failed</span>' in page
    assert re.search(r"<td>schema <span class=\"kind\">schema\.\*</span></td><td>1</td>", page)
    assert "<code>schema.enum</code>" in page and "brics.vnm" in page


def test_history_of_an_entity_as_html(capsys):
    assert main(["--root", str(REPO), "history", "KAZ", "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!doctype html>") and "History of Kazakhstan" in page
    assert "Kazakhstan in BRICS" in page and "partner since 2025-01" in page
    grid = re.search(r'<figure class="grid" data-organization="BRICS">.*?</figure>', page, re.S).group(0)
    assert re.findall(r'data-member="(\w+)" data-year="2025" data-status="(\w+)"', grid) == [("KAZ", "partner")]
    assert sum(t == "script" for t, _ in _elements(page).tags) == 1


def test_the_history_page_shows_the_evidence_as_the_change_report_does(capsys):
    """One macro draws a record's source in both pages: the history page also says which fields the
    quote does not carry (it had its own copy of the panel, without them)."""
    assert main(["--root", str(REPO), "history", "2025-05.chn-rus-summit", "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert "<dt>not in the quote</dt><dd>participants=person.xi-jinping, participants=person.putin-vladimir" in page
    assert '<blockquote class="quote" lang="ja">' in page
