"""`bluebook check` for CI: GitHub annotations (escaped as workflow commands must be), JUnit XML
(one case per broken contract and fact, one per layer and file that held; valid, whatever the data
holds), and `--baseline REV` (only what a change introduced or fixed), with the git export it reads
revisions through."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import junitparser
import pytest
import xmlschema
from conftest import FIXTURES, build_project, edit

from bluebook.cli import main
from bluebook.data.revision import RevisionError, _safe_relative, export_revision
from bluebook.reports.github import annotation
from bluebook.reports.junit import violations_junit
from bluebook.violations import ERROR, WARNING, Violation

JUNIT_XSD = Path(__file__).parent / "junit.xsd"
COMMAND = re.compile(r"^::(?P<cmd>[a-z-]+)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def unescape(text: str) -> str:
    """What the Actions runner reads back from an escaped value."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command line as the runner splits it: command, properties, message."""
    m = COMMAND.match(line)
    assert m, f"not a workflow command: {line!r}"
    props = dict(p.split("=", 1) for p in m.group("props").split(",")) if m.group("props") else {}
    return m.group("cmd"), {k: unescape(v) for k, v in props.items()}, unescape(m.group("data"))


def broken(tmp_path: Path, code: str = "schema.enum") -> Path:
    return build_project(tmp_path / "p", FIXTURES / "contracts" / code)


# --- GitHub annotations ------------------------------------------------------------------------------


def test_github_format_names_file_line_and_code(tmp_path, capsys):
    root = broken(tmp_path)
    code, out, _ = run(capsys, "--root", str(root), "check", "--no-expectations", "--format", "github")
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[-1].startswith("bluebook check 2024 2025: 9 facts; 1 error")
    cmd, props, message = parse_command(lines[0])
    assert cmd == "error"
    assert props == {"file": "snapshots/2025/memberships.yaml", "line": "4", "title": "schema.enum"}
    assert message.startswith("brics.vnm: status 'partnr' is not one of")
    assert message.splitlines()[1] == "hint: did you mean 'partner'?"
    assert lines[0].startswith("::error file=snapshots/2025/memberships.yaml,line=4,title=schema.enum::")


def test_github_warning_and_the_path_inside_the_checkout(tmp_path, capsys, monkeypatch):
    root = build_project(tmp_path / "repo" / "data", FIXTURES / "contracts" / "load.not-canonical")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "repo"))
    code, out, _ = run(capsys, "--root", str(root), "check", "--no-expectations", "--format", "github")
    assert code == 0
    cmd, props, _ = parse_command(out.splitlines()[0])
    assert cmd == "warning" and props["title"] == "load.not-canonical"
    assert props["file"].startswith("data/snapshots/2025/")  # the repository's path, as GitHub annotates it


def test_github_values_cannot_end_or_forge_a_command():
    hostile = Violation(
        file="snapshots/2025/a:b,c%d.yaml",
        line=7,
        code="schema.enum",
        severity=ERROR,
        id="x\n::add-mask::y",
        message="50% done\r\n::error file=evil.py::forged,\x1b[31mred\u202e",
        hint="first\n::stop-commands::token",
    )
    line = annotation(hostile)
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\u202e" not in line
    cmd, props, message = parse_command(line)
    assert cmd == "error"
    assert props == {"file": "snapshots/2025/a:b,c%d.yaml", "line": "7", "title": "schema.enum"}
    assert message.splitlines() == [
        "x",
        "::add-mask::y: 50% done\\x0d",  # a CR is shown, not sent
        "::error file=evil.py::forged,\\x1b[31mred\\u202e",
        "hint: first",
        "hint: ::stop-commands::token",
    ]


def test_github_format_on_hostile_data_prints_one_command_per_violation(tmp_path, capsys):
    root = broken(tmp_path)
    path = root / "snapshots/2025/memberships.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "status: partnr", 'status: "partnr%0A\\n::add-mask::secret\\r\\n::warning::forged"'
    )
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "--root", str(root), "check", "--no-expectations", "--format", "json")
    count = len(json.loads(out)["violations"])
    code, out, _ = run(capsys, "--root", str(root), "check", "--no-expectations", "--format", "github")
    assert code == 1
    lines = out.rstrip("\n").split("\n")
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == count == len(lines) - 1
    assert all(parse_command(c)[0] in ("error", "warning") for c in commands)
    assert any("::add-mask::secret" in parse_command(c)[2] for c in commands)  # shown as text, inside one


# --- JUnit -------------------------------------------------------------------------------------------


def junit_of(path: Path) -> junitparser.JUnitXml:
    xml = junitparser.JUnitXml.fromfile(str(path))
    xmlschema.XMLSchema(JUNIT_XSD).validate(str(path))
    return xml


def cases(xml: junitparser.JUnitXml) -> dict[tuple[str, str, str], junitparser.TestCase]:
    return {(suite.name, case.classname, case.name): case for suite in xml for case in suite}


def test_junit_one_case_per_contract_and_fact_and_per_layer_and_file(tmp_path, capsys):
    root = broken(tmp_path)
    out = tmp_path / "junit.xml"
    code, _, _ = run(capsys, "--root", str(root), "check", "--no-expectations", "--junit", str(out))
    assert code == 1
    xml = junit_of(out)
    by_key = cases(xml)
    failed = by_key[("schema", "schema.2025.memberships", "schema.enum brics.vnm")]
    (failure,) = failed.result
    assert isinstance(failure, junitparser.Failure) and failure.type == "schema.enum"
    assert failure.message.startswith("snapshots/2025/memberships.yaml:4: schema.enum: brics.vnm: status 'partnr'")
    assert "hint: did you mean 'partner'?" in failure.text
    # the layers that held for the file pass, under the file's name; the broken layer has no pass
    for layer in ("load", "references", "grounding", "time"):
        assert by_key[(layer, f"{layer}.2025.memberships", "snapshots/2025/memberships.yaml")].is_passed
    assert ("schema", "schema.2025.memberships", "snapshots/2025/memberships.yaml") not in by_key
    assert by_key[("schema", "schema.2025.agreements", "snapshots/2025/agreements.yaml")].is_passed
    assert by_key[("snapshot", "snapshot.2025.snapshot", "snapshots/2025/snapshot.yaml")].is_passed
    assert by_key[("schema", "schema.entities", "snapshots/entities.yaml")].is_passed
    assert "expectations" not in {s.name for s in xml}  # --no-expectations: that layer claims nothing
    # across years: checked for the later year's files only (2024 → 2025)
    assert by_key[("across-years", "across-years.2025.memberships", "snapshots/2025/memberships.yaml")].is_passed
    assert not [k for k in by_key if k[0] == "across-years" and "2024" in k[1]]
    assert [s.name for s in xml if s.failures] == ["schema"]
    assert sum(s.tests for s in xml) == len(by_key) and sum(s.failures for s in xml) == 1
    root_el = ET.parse(out).getroot()
    assert root_el.tag == "testsuites" and root_el.get("failures") == "1"
    assert root_el.get("tests") == str(len(by_key))


def test_every_code_belongs_to_a_named_layer():
    from bluebook.reports.junit import LAYERS, layer_of
    from bluebook.violations import CODES

    assert {code.split(".")[0] for code in CODES} <= set(LAYERS)
    assert layer_of("ref.unknown-entity") == "references" and layer_of("year.silent-drop") == "across-years"
    # The review's index counts the same layers in the same order (one table: bluebook.violations.LAYERS).
    from bluebook.reports.index import layer_counts

    assert [row["prefix"] for row in layer_counts([])] == list(LAYERS)


def test_junit_warnings_pass_unless_strict(tmp_path, capsys):
    root = build_project(tmp_path / "p", FIXTURES / "contracts" / "load.not-canonical")
    out = tmp_path / "junit.xml"
    assert run(capsys, "--root", str(root), "check", "--no-expectations", "--junit", str(out))[0] == 0
    warned = [c for c in cases(junit_of(out)).values() if c.name.startswith("load.not-canonical ")]
    assert len(warned) == 1 and warned[0].is_passed and "warning load.not-canonical" in warned[0].system_out
    assert run(capsys, "--root", str(root), "check", "--no-expectations", "--strict", "--junit", str(out))[0] == 1
    warned = [c for c in cases(junit_of(out)).values() if c.name.startswith("load.not-canonical ")]
    assert len(warned) == 1 and not warned[0].is_passed


def test_junit_is_well_formed_whatever_the_values_hold(tmp_path):
    nasty = "\x00\x01\x08\x0b\x0c\x1b[2J\x7f\x85\ud800\ufffe\uffff]]><!--<&>\"'\r\n\u202e"
    violations = [
        Violation(
            file=f"snapshots/2025/{nasty}.yaml",
            line=3,
            code="schema.enum",
            severity=ERROR,
            year="2025",
            table="memberships",
            id=f"id{nasty}",
            message=f"value {nasty}",
            hint=f"hint {nasty}",
        ),
        Violation(
            file="snapshots/2025/events.yaml",
            line=4,
            code="year.since-rewritten",
            severity=WARNING,
            year="2025",
            table="events",
            id="e1",
            message=nasty,
        ),
    ]
    path = tmp_path / "junit.xml"
    path.write_text(violations_junit(violations, ["2025"], ["snapshots/2025/events.yaml"]), encoding="utf-8")
    xml = junit_of(path)  # a strict XML parser, a JUnit parser and the schema all accept it
    by_name = {c.name: c for s in xml for c in s}
    bad = next(c for n, c in by_name.items() if n.startswith("schema.enum id"))
    assert "\\x00\\x01\\x08" in bad.name and "\\ud800\\ufffe\\uffff]]><!--<&>\"'" in bad.name
    (failure,) = bad.result
    assert "value \\x00" in failure.message and "\\x1b[2J" in failure.text and "\\u202e" in failure.text
    assert "\\x1b[2J" in by_name["year.since-rewritten e1"].system_out


def test_junit_across_years_cases_on_a_real_multi_year_check(tmp_path):
    violations = [
        Violation(
            file="snapshots/2025/memberships.yaml",
            line=9,
            code="year.silent-drop",
            severity=ERROR,
            year="2025",
            table="memberships",
            id="brics.vnm",
            message="gone",
        )
    ]
    files = ["snapshots/2024/memberships.yaml", "snapshots/2025/memberships.yaml", "snapshots/2025/events.yaml"]
    path = tmp_path / "junit.xml"
    path.write_text(violations_junit(violations, ["2024", "2025"], files), encoding="utf-8")
    by_key = cases(junit_of(path))
    assert not by_key[("across-years", "across-years.2025.memberships", "year.silent-drop brics.vnm")].is_passed
    assert by_key[("across-years", "across-years.2025.events", "snapshots/2025/events.yaml")].is_passed
    assert ("across-years", "across-years.2024.memberships", "snapshots/2024/memberships.yaml") not in by_key


# --- --baseline REV ----------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def committed(root: Path) -> Path:
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def set_status(root: Path, old: str, new: str) -> None:
    edit(root, "snapshots/2025/memberships.yaml", old, new)


def baseline_json(capsys, root: Path, *extra: str) -> tuple[int, dict]:
    code, out, err = run(capsys, "--root", str(root), "check", "--no-expectations", "--format", "json", *extra)
    assert code in (0, 1), err
    return code, json.loads(out)


def test_baseline_reports_only_the_new_error_beside_a_known_warning(tmp_path, capsys):
    root = committed(build_project(tmp_path / "p", FIXTURES / "contracts" / "load.not-canonical"))
    assert run(capsys, "--root", str(root), "check", "--no-expectations")[0] == 0  # the known warning
    set_status(root, "status: frozen", "status: frozn")
    code, doc = baseline_json(capsys, root, "--baseline", "HEAD")
    assert code == 1
    assert [(v["code"], v["id"]) for v in doc["new"]] == [("schema.enum", "csto.arm")]
    assert doc["fixed"] == [] and doc["unchanged"] == 1 and doc["new_errors"] == 1
    assert doc["baseline"]["rev"] == "HEAD" and re.fullmatch(r"[0-9a-f]{40}", doc["baseline"]["commit"])
    code, out, _ = run(capsys, "--root", str(root), "check", "--no-expectations", "--since", "HEAD")
    assert code == 1
    assert "new since HEAD:" in out and "csto.arm: status 'frozn'" in out and "not-canonical" not in out
    assert out.strip().splitlines()[-1].endswith("1 new error, 0 new warnings; 0 fixed; 1 already at HEAD (not shown)")


def test_baseline_exits_0_when_the_change_only_fixes(tmp_path, capsys):
    root = committed(broken(tmp_path))
    set_status(root, "status: partnr", "status: partner")
    code, doc = baseline_json(capsys, root, "--baseline", "HEAD")
    assert code == 0 and doc["new"] == []
    assert [(v["code"], v["id"]) for v in doc["fixed"]] == [("schema.enum", "brics.vnm")]
    code, out, _ = run(
        capsys, "--root", str(root), "check", "--no-expectations", "--baseline", "HEAD", "--format", "github"
    )
    assert code == 0
    cmd, props, message = parse_command(out.splitlines()[0])
    assert cmd == "notice" and props == {"title": "fixed: schema.enum"} and "brics.vnm" in message


def test_baseline_matches_by_fact_not_by_line(tmp_path, capsys):
    root = committed(broken(tmp_path))
    path = root / "snapshots/2025/memberships.yaml"
    text = path.read_text(encoding="utf-8")
    first_end = text.index("- id: csto.arm")
    second_end = text.index("\n- id:", first_end) + 1 if "\n- id:" in text[first_end:] else len(text)
    path.write_text(text[first_end:second_end] + text[:first_end] + text[second_end:], encoding="utf-8")  # swap
    code, _ = baseline_json(capsys, root)
    assert code == 1  # still broken on the working tree: the contract holds the fact, at another line
    code, doc = baseline_json(capsys, root, "--baseline", "HEAD")
    assert code == 0 and doc["new"] == [] and doc["fixed"] == [] and doc["unchanged"] == 1


def test_baseline_github_annotates_only_the_new_error(tmp_path, capsys):
    root = committed(build_project(tmp_path / "p", FIXTURES / "contracts" / "load.not-canonical"))
    set_status(root, "status: frozen", "status: frozn")
    code, out, _ = run(
        capsys,
        "--root",
        str(root),
        "check",
        "--no-expectations",
        "--baseline",
        "HEAD",
        "--format",
        "github",
        "--junit",
        str(tmp_path / "junit.xml"),
    )
    assert code == 1
    commands = [parse_command(line) for line in out.splitlines() if line.startswith("::")]
    assert [(c, p["title"]) for c, p, _ in commands] == [("error", "schema.enum")]
    failed = [c for c in cases(junit_of(tmp_path / "junit.xml")).values() if not c.is_passed]
    assert [c.name for c in failed] == ["schema.enum csto.arm"]


def test_compare_pairs_by_fact_then_message_then_order():
    from bluebook.contracts.baseline import compare

    def v(code, fid, message, line=1, year="2025"):
        return Violation(
            file="snapshots/2025/m.yaml", line=line, code=code, year=year, table="memberships", id=fid, message=message
        )

    base = [
        v("schema.enum", "a", "status 'x'"),
        v("schema.enum", "b", "kind 'y'"),
        v("ref.unknown-entity", "c", "Z"),
        v("schema.enum", "d", "m1"),
        v("schema.enum", "d", "m2"),
    ]
    head = [
        v("schema.enum", "a", "status 'x'", line=40),  # moved: the same
        v("schema.enum", "a", "kind 'q'"),  # a second break of the same fact: new
        v("schema.enum", "b", "kind 'z'"),  # the same fact, the same contract, another value: not new
        v("schema.enum", "c", "Z"),  # another contract on c: new; c's old one is fixed
        v("schema.enum", "d", "m2"),  # one of two left: the other is fixed
        v("schema.enum", "a", "status 'x'", year="2024"),
    ]  # another year: new
    new, fixed, unchanged = compare(head, base)
    assert sorted((x.id, x.message, x.year) for x in new) == [
        ("a", "kind 'q'", "2025"),
        ("a", "status 'x'", "2024"),
        ("c", "Z", "2025"),
    ]
    assert sorted((x.code, x.id, x.message) for x in fixed) == [
        ("ref.unknown-entity", "c", "Z"),
        ("schema.enum", "d", "m1"),
    ]
    assert unchanged == 3


@pytest.mark.parametrize(
    "rev, said",
    [
        ("--output=/tmp/x", "looks like an option"),
        ("-h", "looks like an option"),
        ("HEAD\n--output=x", "whitespace or control characters"),
        ("nope", "'nope' is not a revision"),
        ("HEAD:snapshots", "is not a revision"),
    ],
)
def test_baseline_refuses_what_is_not_a_revision(tmp_path, capsys, rev, said):
    root = committed(build_project(tmp_path / "p"))
    code, _, err = run(capsys, "--root", str(root), "check", "--no-expectations", f"--baseline={rev}")
    assert code == 2 and said in err
    assert not (tmp_path / "x").exists()


def test_baseline_outside_a_git_repository_is_a_usage_error(project, capsys):
    code, _, err = run(capsys, "--root", str(project), "check", "--no-expectations", "--baseline", "HEAD")
    assert code == 2 and "is not in a git repository" in err


def test_diff_side_refuses_an_option_as_revision(tmp_path, capsys):
    root = committed(build_project(tmp_path / "p"))
    code, _, err = run(capsys, "--root", str(root), "diff", "2025@--output=/tmp/x", "2025")
    assert code == 2 and "looks like an option" in err


# --- the export of a revision ------------------------------------------------------------------------


def test_export_writes_only_the_requested_paths_inside_the_folder(tmp_path):
    repo = committed(build_project(tmp_path / "repo" / "sub"))  # a project in a subfolder of nothing else
    dest = tmp_path / "out"
    dest.mkdir()
    export = export_revision(repo, "HEAD", dest, ["snapshots/2025", "sources/sources.yaml"], ["expectations", "none"])
    written = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert written and all(w.startswith(("snapshots/2025/", "sources/sources.yaml", "expectations/")) for w in written)
    assert "snapshots/entities.yaml" not in written
    assert export.paths == ("snapshots/2025", "sources/sources.yaml", "expectations")
    with pytest.raises(RevisionError, match="snapshots/1999 does not exist at HEAD"):
        export_revision(repo, "HEAD", tmp_path / "out2", ["snapshots/1999"])


def test_export_of_a_project_in_a_subfolder_of_the_repository(tmp_path, capsys):
    repo = tmp_path / "repo"
    root = build_project(repo / "data" / "bluebook", FIXTURES / "contracts" / "schema.enum")
    (repo / "README").write_text("other things\n", encoding="utf-8")
    committed(repo)
    set_status(root, "status: partnr", "status: partner")
    code, doc = baseline_json(capsys, root, "--baseline", "HEAD")
    assert code == 0 and [v["id"] for v in doc["fixed"]] == ["brics.vnm"]


def test_export_refuses_a_symlink_at_the_revision(tmp_path):
    root = build_project(tmp_path / "p")
    target = root / "snapshots/2025/memberships.yaml"
    target.unlink()
    target.symlink_to("/etc/passwd")
    committed(root)
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(RevisionError, match="memberships.yaml is a symbolic link at HEAD"):
        export_revision(root, "HEAD", dest, ["snapshots"])
    assert not any(dest.rglob("*"))


@pytest.mark.parametrize("name", ["../x", "/etc/passwd", "a/../b", "a/./b", "a//b", "a\\b", "a\nb", ""])
def test_unsafe_names_are_refused(name):
    assert _safe_relative(name) is None


def test_safe_names_are_kept():
    assert str(_safe_relative("snapshots/2025/memberships.yaml")) == "snapshots/2025/memberships.yaml"


def test_baseline_and_annotations_import_neither_prefect_nor_gx(tmp_path):
    root = committed(broken(tmp_path))
    code = (
        "import sys; from bluebook.cli import main; rc = main(['--root', sys.argv[1], 'check', '--no-expectations',"
        " '--format', 'github', '--baseline', 'HEAD', '--junit', sys.argv[2]]);"
        "bad = [m for m in ('prefect', 'great_expectations') if m in sys.modules]; print(bad); sys.exit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(root), str(tmp_path / "j.xml")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr  # nothing new since HEAD
    assert done.stdout.strip().splitlines()[-1] == "[]"
