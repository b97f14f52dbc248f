"""scripts/typecheck.py: mypy with schemas/ and flows/ checked under the names they are installed as
(bluebook.schemas, bluebook.flows), so that the bluebook/ modules importing them are checked against
them; and it fails on a type error."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from conftest import REPO
from mypy.modulefinder import BuildSource

SCRIPT = REPO / "scripts" / "typecheck.py"
spec = importlib.util.spec_from_file_location("typecheck", SCRIPT)
typecheck = importlib.util.module_from_spec(spec)
spec.loader.exec_module(typecheck)


def test_the_folders_are_those_of_the_package_dir_mapping():
    assert typecheck.package_dirs() == {"schemas": "bluebook.schemas", "flows": "bluebook.flows"}


def test_a_module_of_a_mapped_folder_gets_its_installed_name():
    folders = typecheck.package_dirs()
    renamed = typecheck.installed_name(BuildSource("schemas/common.py", "schemas.common"), folders)
    assert (renamed.module, renamed.path) == ("bluebook.schemas.common", "schemas/common.py")
    assert typecheck.installed_name(BuildSource("flows/__init__.py", "flows"), folders).module == "bluebook.flows"
    for name in ("bluebook.data.load", "schemasx.common", "flowsheet"):
        assert typecheck.installed_name(BuildSource(f"{name}.py", name), folders).module == name


def _run(path, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--cache-dir", str(tmp_path / "cache"), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_it_fails_on_a_type_error_and_passes_a_typed_file(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def half(n: int) -> int:\n    return n / 2\n", encoding="utf-8")
    done = _run(bad, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "bad.py:2: error: Incompatible return value type" in done.stdout
    assert "Found 1 error in 1 file" in done.stdout
    good = tmp_path / "good.py"
    good.write_text("def half(n: int) -> float:\n    return n / 2\n", encoding="utf-8")
    done = _run(good, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("Success: no issues found in 1 source file")
