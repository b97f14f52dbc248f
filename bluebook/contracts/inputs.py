"""What each contract layer reads of an opened project, by content: the parts of the key under which
its result is cached (bluebook.data.cache). A key must name every input of a result, so each layer's
inputs are listed here once, next to each other, and tests/test_cache.py changes each of them.

- the registries' layer reads entities.yaml, sources.yaml, the held texts and the load problems of
  no year (unknown files in snapshots/, a registry that could not be read);
- a year's layer reads that year's files and load problems, and the registries and held texts;
- a pair of years reads both years' files and load problems, and the registries;
- a group of GX targets reads what its year's layer reads, the grounding found in it, the suites
  and the GX version.
The code version (every module of bluebook and its schemas) is added by the cache itself.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json

from bluebook.data.cache import violations_to_plain
from bluebook.data.load import LoadedFile
from bluebook.data.project import Project


def _files(files: list[LoadedFile]) -> list:
    """Each file by name, table and the sha256 of its bytes (empty when it could not be read: then
    its load problem, part of the key too, says why)."""
    return [[f.rel, f.table, f.digest, f.ok] for f in files]


def _problems(project: Project, year: str) -> list:
    return violations_to_plain(sorted(v for v in project.problems if v.year == year))


def held_texts(project: Project) -> list:
    """Each held source's path and the sha256 of its bytes (or why they could not be read). Read
    through the project: each held text is read once, for its key and its use alike."""
    out = []
    for src in project.sources.records:
        rel = src.data.get("path")
        if not isinstance(rel, str):
            continue
        _, problems = project.held_bytes(src)
        out.append([src.id, rel, project.held_digest(src), violations_to_plain(problems)])
    return out


def registries(project: Project) -> list:
    """What every layer reads besides a year's files: entities.yaml, sources.yaml, the held texts."""
    return [_files([project.entities, project.sources]), held_texts(project)]


def registry_layer(project: Project) -> list:
    return ["registries", registries(project), _problems(project, "")]


def year_layer(project: Project, year: str) -> list:
    snap = project.snapshots[year]
    return ["year", year, _files(snap.files), _problems(project, year), registries(project)]


def pair_layer(project: Project, older: str, newer: str, unreadable: frozenset[str]) -> list:
    files = project.snapshots[older].files + project.snapshots[newer].files
    return [
        "pair",
        older,
        newer,
        _files(files),
        sorted(unreadable.intersection(f.rel for f in files)),
        _problems(project, older),
        _problems(project, newer),
        registries(project),
    ]


def gx_version() -> str:
    try:
        return importlib.metadata.version("great_expectations")
    except importlib.metadata.PackageNotFoundError:
        return "none"


def suites_signature(suites: dict, problems: list) -> str:
    """The suites as read (their files' names, contents and lines), their problems and GX's version."""
    body = json.dumps(
        [gx_version(), [[s.rel, s.data, s.lines] for s in suites.values()], violations_to_plain(problems)],
        sort_keys=True,
        ensure_ascii=True,
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()
