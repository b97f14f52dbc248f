"""The files that put bluebook into other people's CI: the GitHub workflow (valid against GitHub's
workflow schema, and every command a target of the Makefile that takes the options it is given) and
the pre-commit hooks (each a `bluebook` command that parses)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from bluebook.cli import build_parser

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
HOOKS = REPO / ".pre-commit-hooks.yaml"


def validate(*files: Path, schema: str = "vendor.github-workflows") -> subprocess.CompletedProcess:
    """check-jsonschema with the GitHub workflow schema it ships (no network)."""
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def make_targets() -> dict[str, str]:
    """The Makefile's rules, each with its recipe (the lines after it that start with a tab)."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    targets: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z][\w.-]*):(?!=)", line)
        if m:
            current = m.group(1)
            targets[current] = ""
        elif line.startswith("\t") and current:
            targets[current] += line.strip() + "\n"
        elif line.strip() and not line.startswith("#"):
            current = None
    return targets


def steps() -> list[tuple[str, dict]]:
    out = []
    for path in WORKFLOWS:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job in doc["jobs"].values():
            out += [(path.name, step) for step in job["steps"]]
    return out


def test_there_is_a_workflow_and_it_is_valid():
    assert WORKFLOWS
    done = validate(*WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr
    done = validate(*WORKFLOWS, schema="custom.github-workflows-require-timeout")  # no job may hang for 6 h
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    doc = yaml.safe_load(WORKFLOWS[0].read_text(encoding="utf-8"))
    job = next(iter(doc["jobs"].values()))
    job["steps"][0] = {"uses": "actions/checkout@v4", "run": "make check"}  # a step cannot both use and run
    bad = tmp_path / "bad.yml"
    bad.write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert validate(bad).returncode != 0


def test_every_workflow_command_is_a_make_target_with_options_bluebook_takes():
    targets = make_targets()
    runs = [step["run"] for _, step in steps() if "run" in step]
    assert runs
    for command in runs:
        words = shlex.split(command)
        assert words[0] == "make" and len(words) >= 2, f"not a make command: {command!r}"
        assert words[1] in targets, f"{words[1]} is not a target of the Makefile"
        for assignment in words[2:]:
            name, _, value = assignment.partition("=")
            assert f"$({name})" in targets[words[1]], f"make {words[1]} does not use {name}"
            if name == "CHECK_ARGS":  # the options reach `bluebook check`, and it takes them
                args = build_parser().parse_args(["check", *shlex.split(value.replace("$BASE_SHA", "0" * 40))])
                assert args.func.__name__ == "cmd_check"
    assert {shlex.split(c)[1] for c in runs} == {"check", "test"}


def test_pull_requests_get_annotations_a_baseline_and_the_junit_upload():
    doc = yaml.safe_load(WORKFLOWS[0].read_text(encoding="utf-8"))
    triggers = doc.get("on", doc.get(True))  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    check = next(job for job in doc["jobs"].values() if "pull_request" in job.get("if", "") and "==" in job["if"])
    command = next(s["run"] for s in check["steps"] if "run" in s)
    assert "--format github" in command and "--junit reports/junit.xml" in command and "--baseline $BASE_SHA" in command
    assert check["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"  # a commit id, not a branch name
    upload = next(s for s in check["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "reports/junit.xml" and upload["if"] == "${{ !cancelled() }}"
    checkout = next(s for s in check["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the base commit must be there to export it
    main = next(job for job in doc["jobs"].values() if "!=" in job.get("if", ""))
    assert [s["run"] for s in main["steps"] if "run" in s] == ["make test"]
    # no value an outsider controls (branch names, titles) is pasted into a command
    text = WORKFLOWS[0].read_text(encoding="utf-8")
    assert not re.search(r"run:.*\$\{\{", text)
    assert doc["permissions"] == {"contents": "read"}


def test_pre_commit_hooks_are_bluebook_commands():
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert {h["id"] for h in hooks} == {"bluebook-check", "bluebook-fmt"}
    parser = build_parser()
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"  # pre-commit installs this repository and its console script
        words = shlex.split(hook["entry"])
        assert words[0] in scripts
        args = parser.parse_args(words[1:])
        assert args.func.__name__ == {"bluebook-check": "cmd_check", "bluebook-fmt": "cmd_fmt"}[hook["id"]]
        assert hook["pass_filenames"] is False  # a contract spans files: they check the whole project
        files = re.compile(hook["files"])
        assert files.search("snapshots/2025/memberships.yaml")
        assert not files.search("bluebook/cli.py")
    assert parser.parse_args(shlex.split(next(h["entry"] for h in hooks if h["id"] == "bluebook-fmt"))[1:]).check


@pytest.mark.parametrize("hook_id, argv", [("bluebook-fmt", ["fmt", "--check"])])
def test_the_fmt_hook_passes_on_this_repository(hook_id, argv, capsys):
    from bluebook.cli import main

    assert main(["--root", str(REPO), *argv]) == 0, capsys.readouterr().out
