"""The gate holds against an attacker and a careless curator (issue 11): each reproduction ends in a
clear violation or usage error with the exit code DESIGN.md gives it, never a traceback, a silent
accept, a path outside its folder, a raw control character, or lost data."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import REPO, build_project, check, edit

from bluebook.changes.sides import Side
from bluebook.cli import main
from bluebook.contracts.time import check_time
from bluebook.data.files import child, safe_name
from bluebook.data.load import Record, load_table
from bluebook.data.project import LoadedFile, Snapshot, open_project
from bluebook.review import PairDiff, artifact_key, write_reports
from bluebook.text import first_unsafe, json_text

Y25 = Path("snapshots/2025")


def cli(capsys, root: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def codes(root: Path) -> set[str]:
    return {v.code for v in check(root, expectations=False).violations}


def no_unsafe(*texts: str) -> None:
    for text in texts:
        at = first_unsafe(text.replace("\n", " "))
        assert at < 0, f"raw {text[at]!r} in output: {text[max(0, at - 30) : at + 30]!r}"


# 1. Paths built from a revision stay inside the run folder; artifact keys are valid.


def test_a_revision_label_cannot_lead_a_report_outside_its_run_folder(tmp_path):
    evil = "2025@HEAD@{1.year.ago/../../../../../../tmp/x}"
    empty = {t: {} for t in ("memberships", "agreements", "officeholders", "measures", "events", "indicators")}
    base, head = Side("2024", "2024", None, empty, {}, {}), Side(evil, "2025", "HEAD@{…}", empty, {}, {})
    from bluebook.changes.sides import diff_sides

    pair = PairDiff("2024", evil, diff_sides(base, head), base, head)
    assert "/" not in pair.stem and ".." not in pair.stem
    result = write_reports(
        tmp_path / "reports", "run1", open_project(tmp_path, []), ["2024", evil], [], [pair], strict=False
    )
    written = {p.resolve() for p in (tmp_path / "reports").rglob("*") if p.is_file()}
    assert written and all(p.is_relative_to((tmp_path / "reports").resolve()) for p in written)
    assert all(p.parent == result.run_dir for p in result.files.values())
    key = artifact_key("bluebook-changes", "2024", evil)
    assert key == "bluebook-changes-2024-2025-head-1-year-ago-tmp-x"
    assert all(ch.islower() or ch.isdigit() or ch == "-" for ch in key)


@pytest.mark.parametrize("name", ["../x", "a/b", "..", ".", "", "a\\b", "a\0b"])
def test_child_refuses_anything_but_a_plain_name(tmp_path, name):
    with pytest.raises(ValueError):
        child(tmp_path, name)


@pytest.mark.parametrize("text", ["../../etc/passwd", "HEAD@{1.year.ago/../x}", ".hidden", "a\x1bb", "２０２５"])
def test_safe_name_is_one_ascii_file_name(text):
    name = safe_name(text)
    assert name and "/" not in name and ".." not in name and not name.startswith(".")
    assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in name)


# 2. A held source must stay inside sources/ and match its sha256 before any of its text is used.


def test_a_source_path_outside_sources_is_refused_and_never_read(tmp_path, capsys):
    root = build_project(tmp_path / "p")
    secret = tmp_path / "secret.md"
    secret.write_text("SECRET-TOKEN-1234567890 同年6月にはベトナムのパートナー国入りを公表した\n", encoding="utf-8")
    edit(root, "sources/sources.yaml", "path: diplomatic-bluebook-2026-ch2-s6.ja.md", "path: ../../secret.md")
    code, out, err = cli(capsys, root, "check", "--no-expectations")
    assert code == 1 and "load.outside-folder" in out and "sources/sources.yaml" in out
    assert "SECRET" not in out + err
    code, out, err = cli(capsys, root, "coverage", "2025")
    assert code == 2 and "SECRET" not in out + err


def test_a_tampered_held_text_is_not_used_or_shown(tmp_path, capsys):
    root = build_project(tmp_path / "p")
    held = root / "sources" / "diplomatic-bluebook-2026-ch2-s6.ja.md"
    held.write_text(held.read_text(encoding="utf-8") + "\nINJECTED-TEXT-ロシアの新しい主張である\n", encoding="utf-8")
    edit(
        root, "snapshots/2025/measures.yaml", "evidence: 9月には", "evidence: INJECTED-TEXT-ロシアの新しい主張…9月には"
    )
    code, out, _ = cli(capsys, root, "check", "--no-expectations", "--limit", "0")
    assert code == 1 and "ground.sha256-mismatch" in out
    assert "INJECTED" not in out.replace("evidence not found", "")  # no hint quotes the unchecked text


# 5. Control characters are violations, and never reach an output raw.


def test_control_characters_are_a_violation_and_never_printed_raw(tmp_path, capsys):
    root = build_project(tmp_path / "p")
    edit(
        root,
        "snapshots/2025/measures.yaml",
        "title_en: Japan lowers the price cap on Russian crude oil",
        'title_en: "Japan\\e[2J\\e]0;pwned\\a lowers the cap \\u202e"',
    )
    edit(root, "snapshots/2025/memberships.yaml", "- id: brics.vnm", '- id: "brics.vnm\\r\\n\\e[32mall contracts hold"')
    junit = tmp_path / "junit.xml"
    code, out, err = cli(capsys, root, "check", "--no-expectations", "--limit", "0", "--junit", str(junit))
    assert code == 1 and "load.control-character" in out and "U+001B" in out
    no_unsafe(out, err)
    ET.parse(junit)  # well-formed XML
    no_unsafe(junit.read_text(encoding="utf-8"))
    code, out, err = cli(capsys, root, "check", "--no-expectations", "--format", "json")
    assert json.loads(out)["errors"] >= 2
    no_unsafe(out)
    for argv in (["history", "jpn.rus.price-cap.2025-09"], ["diff", "2024", "2025"]):
        code, out, err = cli(capsys, root, *argv)
        no_unsafe(out, err)


# 6, 9. An empty table file, an unknown file or folder: never silently ignored.


def test_empty_or_comment_only_table_fails_the_check(tmp_path, capsys):
    root = build_project(tmp_path / "p")
    (root / Y25 / "measures.yaml").write_text("# nothing yet\n", encoding="utf-8")
    code, out, _ = cli(capsys, root, "check", "--no-expectations")
    assert code == 1 and "load.empty-file" in out and "`[]`" in out


@pytest.mark.parametrize(
    "entry", ["snapshots/2025/event.yaml", "snapshots/2025/notes.yaml", "snapshots/２０２６/", "snapshots/notes.yaml"]
)
def test_unknown_files_and_folders_are_reported(tmp_path, entry):
    root = build_project(tmp_path / "p")
    path = root / entry
    if entry.endswith("/"):
        path.mkdir()
    else:
        path.write_text("[]\n", encoding="utf-8")
    assert "load.unknown-file" in codes(root)


# 7. A quote padded to the minimum length proves nothing.


@pytest.mark.parametrize("quote", ["の　　　", "<sup>(3)</sup>の", "ロシアの", "ロ シ ア の"])
def test_padded_or_tiny_quotes_are_too_short(tmp_path, quote):
    root = build_project(tmp_path / "p")
    edit(
        root,
        "snapshots/2025/measures.yaml",
        "evidence: 9月には、日本は同志国と足並みをそろえる形で、ロシア産原油に係るプライス・キャップ制度の上限価格の引下げを実施した",
        f"evidence: '{quote}'",
    )
    assert "ground.evidence-too-short" in codes(root)


def test_a_quote_found_in_two_paragraphs_is_ambiguous(tmp_path):
    root = build_project(tmp_path / "p")
    edit(
        root,
        "snapshots/2025/memberships.yaml",
        "evidence: 「BRICSパートナー国」という新たなカテゴリーが創設され…同年6月にはベトナムのパートナー国入りを公表した",
        "evidence: 中央アジア・コーカサス諸国",
    )
    edit(root, "snapshots/2025/memberships.yaml", "  section: イ ロシア外政\n", "")
    assert "ground.evidence-ambiguous" in codes(root)


# 8. Only ASCII digits and no trailing newline in ids, dates and year folders.


@pytest.mark.parametrize(
    "old,new,code",
    [
        ("since: 2025-06", "since: ２０２５-０６", "schema.date"),
        ("since: 2025-06", "since: ٢٠٢٥-٠٦", "schema.date"),
        ("since: 2025-06", 'since: "2025-06\\n"', "schema.date"),
        ("- id: brics.vnm", '- id: "brics.vnm\\n"', "schema.format"),
        ("- id: brics.vnm", "- id: brics.vnｍ", "schema.format"),
    ],
)
def test_digits_and_ends_are_strict(tmp_path, old, new, code):
    root = build_project(tmp_path / "p")
    edit(root, "snapshots/2025/memberships.yaml", old, new)
    assert code in codes(root)


# 10. A YAML tag is refused, never dropped.


def test_a_yaml_tag_is_refused(tmp_path):
    root = build_project(tmp_path / "p")
    edit(root, "snapshots/2025/memberships.yaml", "status: frozen", "status: !!python/object/apply:os.system [id]")
    assert codes(root) == {"load.tag"}


# 11. Numbers mean what they say: no silent underflow, overflow, '+' or '_'.


@pytest.mark.parametrize("value", ["1e-400", "+1195100000000", "1_195_100_000_000", "1e309", "１１９５", "0x10"])
def test_values_that_are_not_plain_finite_numbers_are_type_errors(tmp_path, value):
    root = build_project(tmp_path / "p")
    edit(root, "snapshots/2025/indicators.yaml", "value: 1195100000000", f"value: {value}")
    result = check(root, expectations=False)
    found = [v for v in result.violations if v.code == "schema.type"]
    assert found and value in found[0].message and found[0].id == "trade.jpn-rus.total.2025"


# 12. One id, one fact: diff refuses repeated ids; one id in two tables is a violation.


def test_an_id_in_two_tables_is_reported_and_diff_refuses(tmp_path, capsys):
    root = build_project(tmp_path / "p")
    edit(root, "snapshots/2025/measures.yaml", "- id: jpn.rus.price-cap.2025-09", "- id: brics.vnm")
    assert "ref.id-in-two-tables" in codes(root)
    code, _, err = cli(capsys, root, "diff", "2024", "2025")
    assert code == 2 and "brics.vnm" in err and "two records" in err
    code, _, err = cli(capsys, root, "history", "brics.vnm")
    assert code == 2 and "two records" in err


# 13. A command whose input is unreadable says so.


def test_fmt_outside_a_project_is_a_usage_error(tmp_path, capsys):
    code, out, err = cli(capsys, tmp_path, "fmt", "--check")
    assert code == 2 and "no snapshots" in err and "canonical" not in out


def test_history_and_coverage_refuse_unreadable_files(tmp_path, capsys):
    root = build_project(tmp_path / "p")
    (root / Y25 / "memberships.yaml").write_text("- id: brics.vnm\n  status: [unclosed\n", encoding="utf-8")
    code, out, err = cli(capsys, root, "history", "brics.vnm")
    assert code == 1 and "cannot be read whole" in err and "memberships.yaml" in err and "not listed" not in out
    code, out, err = cli(capsys, root, "coverage", "2025")
    assert code == 1 and "cannot be read whole" in err and out == ""


# 14. as_of cannot switch off the time rules; a fact's source is one its snapshot lists.


@pytest.mark.parametrize("as_of", ["2099-01", "2024-12", "2025-06"])
def test_as_of_must_lie_at_the_end_of_the_year_or_in_the_next(tmp_path, as_of):
    root = build_project(tmp_path / "p")
    edit(root, "snapshots/2025/snapshot.yaml", "as_of: 2026-02", f"as_of: {as_of}")
    assert "snapshot.meta" in codes(root)


# 15. fmt never loses a comment, never changes a value's meaning, keeps the mode.


def test_fmt_refuses_a_commented_file_and_keeps_it_whole(tmp_path, capsys):
    root = build_project(tmp_path / "p")
    path = root / Y25 / "memberships.yaml"
    text = "# why these two\n" + path.read_text(encoding="utf-8").replace(
        "  status: partner\n", "  status: partner  # per footnote 3\n"
    ).replace("since: 2025-06", "since: '2025-06'")
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli(capsys, root, "fmt")
    assert code == 1 and "comments" in out and "lines 1, 5" in out
    assert path.read_text(encoding="utf-8") == text


def test_fmt_keeps_values_and_the_file_mode(tmp_path, capsys):
    root = build_project(tmp_path / "p")
    path = root / Y25 / "indicators.yaml"
    edit(root, "snapshots/2025/indicators.yaml", "value: 1195100000000", "value: '1e-400'")
    path.chmod(0o640)
    assert cli(capsys, root, "fmt")[0] == 0
    assert "value: 1e-400\n" in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


# 16. The Data Docs swap is atomic and leaves other folders alone (GX-free: the publishing step).


def test_publishing_a_folder_switches_atomically_and_keeps_foreign_folders(tmp_path):
    from bluebook.data.files import publish_folder, staging_folder

    link = tmp_path / "data-docs"
    foreign = tmp_path / "data-docs.new"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("keep me", encoding="utf-8")
    first = staging_folder(link)
    (first / "index.html").write_text("one", encoding="utf-8")
    publish_folder(first, link)
    second = staging_folder(link)
    (second / "index.html").write_text("two", encoding="utf-8")
    assert (link / "index.html").read_text(encoding="utf-8") == "one"  # a run in progress shows the last one whole
    publish_folder(second, link)
    assert (link / "index.html").read_text(encoding="utf-8") == "two"
    assert (foreign / "mine.txt").read_text(encoding="utf-8") == "keep me"
    versions = [p for p in link.resolve().parent.iterdir()]
    assert versions == [link.resolve()]


# 17, 18. Outputs that cannot be written are usage errors; a bug has its own exit code.


@pytest.mark.parametrize(
    "argv",
    [
        ["diff", "2024", "2025", "--out", "{file}"],
        ["diff", "2024", "2025", "--out", "{file}/under"],
        ["diff", "2024", "2025", "--out", "/proc/bluebook-out"],
        ["check", "--no-expectations", "--junit", "{dir}"],
        ["check", "--no-expectations", "--junit", "{file}/x.xml"],
        ["check", "--data-docs", "{file}"],
    ],
)
def test_unwritable_outputs_are_usage_errors(tmp_path, capsys, argv):
    root = build_project(tmp_path / "p")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    argv = [a.format(file=tmp_path / "afile", dir=tmp_path) for a in argv]
    code, _, err = cli(capsys, root, *argv)
    assert code == 2 and "Traceback" not in err and ("cannot write" in err or "is a f" in err), err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere; the permission case needs an ordinary user")
def test_unwritable_folder_is_a_usage_error(tmp_path, capsys):
    root = build_project(tmp_path / "p")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code, _, err = cli(capsys, root, "diff", "2024", "2025", "--out", str(locked / "out"))
    assert code == 2 and "no permission" in err


def test_an_internal_error_exits_3_with_one_line(tmp_path, capsys, monkeypatch):
    root = build_project(tmp_path / "p")
    monkeypatch.delenv("BLUEBOOK_DEBUG", raising=False)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("bluebook.contracts.check.run_check", broken)
    code, out, err = cli(capsys, root, "check")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "internal error: RuntimeError: boom" in err and "report" in err


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@x",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@x",
        },
    )


def test_a_revision_whose_snapshot_links_outside_is_refused(tmp_path, capsys):
    root = build_project(tmp_path / "p")
    table = root / Y25 / "measures.yaml"
    table.unlink()
    table.symlink_to("/etc/hostname")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "x")
    code, _, err = cli(capsys, root, "diff", "2025@HEAD", "2025")
    assert code == 2 and "cannot be read safely" in err and "Traceback" not in err


def test_git_missing_is_a_usage_error(tmp_path, capsys, monkeypatch):
    root = build_project(tmp_path / "p")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    code, _, err = cli(capsys, root, "diff", "2025@HEAD", "2025")
    assert code == 2 and "git is not installed" in err


def test_a_traceback_is_never_the_answer_to_bad_data_from_a_subprocess(tmp_path):
    """The installed command, not main(): a data problem prints violations and exits 1."""
    root = build_project(tmp_path / "p")
    (root / Y25 / "events.yaml").write_bytes(b"- id: x\n  title_en: \xff\xfe\n")
    done = subprocess.run(
        [sys.executable, "-m", "bluebook.cli", "--root", str(root), "check", "--no-expectations"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 1 and "load.not-utf8" in done.stdout and "Traceback" not in done.stderr


# 19. Overlaps per key once, in linear memory.


def test_ten_thousand_records_of_one_key_report_one_overlap():
    records = [
        Record(
            {"id": f"m{i}", "organization": "BRICS", "member": "VNM", "status": "partner", "since": "2025-06"},
            line=i + 1,
        )
        for i in range(20_000)
    ]
    snap = Snapshot("2025", None, {"memberships": LoadedFile("m.yaml", "memberships", records, True)})
    found = check_time(snap)
    assert len(found) == 1 and found[0].code == "time.overlapping-status"
    assert "m0 and m1" in found[0].message and "20000 of its records overlap" in found[0].message


def test_a_withdrawal_is_not_an_open_status_for_the_overlap_rule():
    rows = [({"status": "member", "since": "2020"}, 1), ({"status": "withdrawn", "since": "2024"}, 8)]
    records = [Record({"id": f"m{n}", "organization": "CSTO", "member": "ARM", **d}, line=n) for d, n in rows]
    snap = Snapshot("2025", None, {"memberships": LoadedFile("m.yaml", "memberships", records, True)})
    assert check_time(snap) == []
    records[1].data["status"] = "suspended"
    assert [v.line for v in check_time(snap)] == [8]


def test_loader_refusals_name_their_line(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("- id: a\n  note: !custom x\n", encoding="utf-8")
    _, problems = load_table(path, "t.yaml", "memberships")
    assert [(v.code, v.line) for v in problems] == [("load.tag", 2)]


# The class: arbitrary unicode in any string value never reaches an output raw, and check always
# ends with a violation list and 0 or 1 (2 only for usage).

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bluebook.reports.violations import violations_json, violations_junit, violations_text  # noqa: E402

_VALUE_LINES = [
    ("snapshots/2025/measures.yaml", "title_en: Japan lowers the price cap on Russian crude oil", "title_en"),
    ("snapshots/2025/memberships.yaml", "- id: brics.vnm", "- id"),
    ("snapshots/2025/memberships.yaml", "  status: partner", "  status"),
    ("snapshots/2025/events.yaml", "  place: Tokyo", "  place"),
    ("snapshots/entities.yaml", "name_en: Viet Nam", "name_en"),
    ("snapshots/2025/indicators.yaml", "value: 1195100000000", "value"),
]


@pytest.fixture(scope="module")
def clean_project(tmp_path_factory):
    return build_project(tmp_path_factory.mktemp("prop") / "p")


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(where=st.sampled_from(_VALUE_LINES), value=st.text(min_size=1, max_size=24))
def test_any_unicode_in_a_value_reaches_no_output_raw(clean_project, tmp_path_factory, where, value):
    import shutil

    root = tmp_path_factory.mktemp("case") / "p"
    shutil.copytree(clean_project, root)
    rel, line, key = where
    edit(root, rel, line, f"{key}: {json.dumps(value)}")  # a JSON string is a YAML double-quoted scalar
    result = check(root, expectations=False)
    errors = any(v.severity == "error" for v in result.violations)
    assert result.fact_count > 0 and result.exit_code() == (1 if errors else 0)
    if result.exit_code() == 1:
        assert all(v.code and v.message for v in result.violations)
    text = violations_text(result.violations, result.years, result.fact_count, limit=0)
    doc = violations_json(result.violations, result.years, result.fact_count)
    junit = violations_junit(result.violations, result.years, [rel])
    no_unsafe(text, doc, junit)
    ET.fromstring(junit.split("?>", 1)[1])
    assert json.loads(doc)["errors"] == result.errors
    shutil.rmtree(root)


@pytest.mark.parametrize("indent", [None, 2])
def test_json_text_escapes_every_unsafe_character_inside_strings_and_keeps_the_layout(indent):
    unsafe = "a\u2028b\u0085c\u202ed\u200be\x1bf\ud800g"
    doc = {"k\u202e": [unsafe, "ロシア\n", 1]}
    text = json_text(doc, indent=indent)
    assert all(first_unsafe(line) == -1 for line in text.split("\n"))  # raw newlines are layout only
    assert json.loads(text) == doc  # the escapes read back as the same values
    assert text.count("\n") == (0 if indent is None else len(json.dumps(doc, indent=indent).splitlines()) - 1)


def test_the_violations_table_artifact_escapes_every_cell_from_data():
    """The review's and the validate flow's `bluebook-violations` table (cells render Markdown):
    an id or message from a pull request cannot inject a link, HTML or a table cell."""
    from bluebook.reports.violations import violation_rows
    from bluebook.violations import violation

    hostile = "x | <img src=x onerror=alert(1)> [pay](https://evil.example) \x1b[2J"
    [row] = violation_rows([violation("schema.enum", hostile, hint=hostile, file="f.yaml", line=3, id=hostile)])
    for column in ("id", "message", "hint"):
        cell = row[column]
        assert "<img" not in cell and "](https://" not in cell and "\x1b" not in cell, (column, cell)
        assert "\\|" in cell, (column, cell)  # the pipe cannot end the cell
    assert violation_rows([]) == [{"severity": "", "code": "", "message": "all contracts hold"}]


def test_no_printable_character_is_unsafe_so_visible_may_pass_printable_text_as_it_is():
    """`visible` returns text that str.isprintable() accepts untouched (most values): that holds
    only while no printable character is unsafe. Every code point is tried."""
    from bluebook.text import unsafe_char, visible

    assert [c for c in range(0x110000) if chr(c).isprintable() and unsafe_char(chr(c))] == []
    assert visible("Viet Nam 越南 — partner") == "Viet Nam 越南 — partner"
    assert visible("a\u202eb\x1b") == "a\\u202eb\\x1b"
