"""Type-check the project with mypy, configured by `[tool.mypy]` in pyproject.toml: `make lint` runs

    .venv/bin/python scripts/typecheck.py

It is mypy with one difference: the top-level folders of `[tool.setuptools.package-dir]` (schemas/,
flows/) are checked under the names they are installed as (bluebook.schemas, bluebook.flows). mypy
cannot see that mapping (the editable install resolves it with an import hook, which mypy does not
run), so on its own it would check schemas/common.py as `schemas.common` and fail to find the
`bluebook.schemas.common` that bluebook/ imports. Arguments are passed to mypy; exit code as mypy's."""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from mypy.build import build
from mypy.errors import CompileError
from mypy.fscache import FileSystemCache
from mypy.main import process_options
from mypy.modulefinder import BuildSource

ROOT = Path(__file__).resolve().parent.parent


def package_dirs() -> dict[str, str]:
    """Folder → installed package name, e.g. {'schemas': 'bluebook.schemas'}."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    return {folder.replace("/", "."): package for package, folder in mapping.items()}


def installed_name(source: BuildSource, folders: dict[str, str]) -> BuildSource:
    """The source under the name it is imported by, when it lives in a mapped folder."""
    for folder, package in folders.items():
        if source.module == folder or source.module.startswith(folder + "."):
            module = package + source.module[len(folder) :]
            return BuildSource(source.path, module, source.text, source.base_dir, source.followed)
    return source


def main(args: list[str]) -> int:
    os.chdir(ROOT)
    fscache = FileSystemCache()
    sources, options = process_options(args, fscache=fscache)
    folders = package_dirs()
    sources = [installed_name(source, folders) for source in sources]
    try:
        messages = build(sources, options, fscache=fscache).errors
    except CompileError as error:  # a blocking error (a syntax error, a module found twice)
        print("\n".join(error.messages))
        return 2
    for line in messages:
        print(line)
    checked = f"{len(sources)} source file{'s' * (len(sources) != 1)}"
    errors = sum(": error:" in line for line in messages)
    if errors:
        files = len({line.split(":", 1)[0] for line in messages if ": error:" in line})
        print(f"Found {errors} error{'s' * (errors != 1)} in {files} file{'s' * (files != 1)} (checked {checked})")
        return 1
    print(f"Success: no issues found in {checked}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
