"""The command line: exit codes 0/1/2, text, JSON and JUnit output, fmt."""

from __future__ import annotations

import json
import subprocess
import sys
from xml.etree import ElementTree as ET

from conftest import FIXTURES, REPO, build_project

from bluebook.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_ok(project, capsys):
    code, out, _ = run(capsys, "--root", str(project), "check", "--no-expectations")
    assert code == 0
    assert out.strip().endswith("9 facts; all contracts hold")


def test_check_broken_exit_1_with_location_and_hint(tmp_path, capsys):
    root = build_project(tmp_path / "p", FIXTURES / "contracts" / "schema.enum")
    code, out, _ = run(capsys, "--root", str(root), "check", "--no-expectations")
    assert code == 1
    assert "snapshots/2025/memberships.yaml" in out
    assert "4  error   schema.enum" in out and "brics.vnm: status 'partnr' is not one of" in out
    assert "did you mean 'partner'?" in out


def test_unknown_year_is_usage_error(project, capsys):
    code, _, err = run(capsys, "--root", str(project), "check", "1999")
    assert code == 2 and "unknown year 1999" in err


def test_bad_flag_is_usage_error(project, capsys):
    code, out, err = run(capsys, "--root", str(project), "check", "--frmat", "json")
    assert code == 2 and out == ""
    assert "unrecognized arguments: --frmat" in err or "--frmat" in err.splitlines()[-1]


def test_json_and_junit(tmp_path, capsys):
    root = build_project(tmp_path / "p", FIXTURES / "contracts" / "ground.evidence-not-found")
    junit = tmp_path / "junit.xml"
    code, out, _ = run(
        capsys, "--root", str(root), "check", "--no-expectations", "--format", "json", "--junit", str(junit)
    )
    assert code == 1
    doc = json.loads(out)
    assert doc["errors"] == 1 and doc["violations"][0]["code"] == "ground.evidence-not-found"
    assert doc["violations"][0]["id"] == "trade.jpn-rus.total.2025"
    assert doc["violations"][0]["where"] == "snapshots/2025/indicators.yaml:12"
    suite = ET.parse(junit).getroot()
    failures = suite.findall(".//failure")
    assert suite.get("failures") == "1" and len(failures) == 1
    assert "ground.evidence-not-found" in failures[0].get("message")


def test_strict_fails_on_warnings(tmp_path, capsys):
    root = build_project(tmp_path / "p", FIXTURES / "contracts" / "load.not-canonical")
    assert run(capsys, "--root", str(root), "check", "--no-expectations")[0] == 0
    code, out, _ = run(capsys, "--root", str(root), "check", "--no-expectations", "--strict")
    assert code == 1 and "run `bluebook fmt`" in out


def test_fmt_rewrites_and_then_is_clean(tmp_path, capsys):
    root = build_project(tmp_path / "p", FIXTURES / "contracts" / "load.not-canonical")
    assert run(capsys, "--root", str(root), "fmt", "--check")[0] == 1
    code, out, _ = run(capsys, "--root", str(root), "fmt")
    assert code == 0 and "memberships.yaml: rewritten" in out
    assert run(capsys, "--root", str(root), "check", "--no-expectations", "--strict")[0] == 0


def test_fmt_refuses_a_file_it_would_damage(tmp_path, capsys):
    root = build_project(tmp_path / "p", FIXTURES / "contracts" / "load.unknown-key")
    before = (root / "snapshots/2025/memberships.yaml").read_text(encoding="utf-8")
    code, out, _ = run(capsys, "--root", str(root), "fmt")
    assert code == 1 and "not rewritten" in out
    assert (root / "snapshots/2025/memberships.yaml").read_text(encoding="utf-8") == before


def test_check_does_not_import_prefect_or_gx(project):
    # With the suites, check imports GX (and still never Prefect): tests/test_expectations.py.
    code = (
        "import sys; from bluebook.cli import main; rc = main(['--root', sys.argv[1], 'check', '--no-expectations']);"
        "bad = [m for m in ('prefect', 'great_expectations') if m in sys.modules]; print(bad); sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_every_command_has_a_working_example_in_help_and_readme():
    """Each command's help ends with examples; each example parses as that command (argparse prints
    the command's name in any help, so its presence alone proves nothing)."""
    from bluebook.cli import build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert {"check", "fmt", "diff", "history", "coverage"} <= set(commands)
    for name, sub in commands.items():
        help_text = sub.format_help()
        assert "\nexample:\n" in help_text, name
        examples = [line.strip() for line in help_text.split("\nexample:\n", 1)[1].splitlines() if line.strip()]
        assert examples, name
        for example in examples:
            argv = example.split()
            argv = argv[: next((i for i, a in enumerate(argv) if a[0] in ">|"), len(argv))]  # the shell's part
            assert argv[:2] == ["bluebook", name], example
            args = parser.parse_args(argv[1:])  # a usage error would exit
            assert args.command == name and args.func.__name__ == f"cmd_{name.replace('-', '_')}", example
        assert f"bluebook {name}" in readme, f"README lacks {name}"
