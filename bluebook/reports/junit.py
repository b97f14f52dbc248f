"""Violations as JUnit XML, shaped so that a CI's test view says which contract broke for which fact.

- one `<testsuite>` per contract layer (load, schema, references, grounding, time, carried,
  snapshot, expectations, across-years), all inside one `<testsuites>` for the run;
- in it, one failing `<testcase>` per (contract, fact) that broke: `classname` is
  `<layer>.<year>.<table>` (a CI groups on it like a package and a class), `name` is
  `<code> <fact id>` (stable from run to run: no line numbers in names);
- and one passing `<testcase>` per layer and file that held, named after the file;
- a warning is a passing case with the warning in `<system-out>` (a failing one with `strict`).

Every value is made safe for XML 1.0 first: characters XML cannot hold at all (most control
characters, lone surrogates, U+FFFE/U+FFFF) are written out as `\\xNN` / `\\uNNNN`, so the file is
well-formed whatever the data holds; ElementTree escapes the rest."""

from __future__ import annotations

import re
from collections import defaultdict
from xml.etree import ElementTree as ET

from bluebook.text import visible
from bluebook.violations import ERROR, Violation
from bluebook.violations import LAYERS as CONTRACT_LAYERS

# The layer of a code is its prefix (`schema.enum` → schema); the names a CI shows for them.
LAYERS = {prefix: name for prefix, name, _ in CONTRACT_LAYERS}
ALL_LAYERS = tuple(LAYERS.values())

_TABLE_FILE = re.compile(r"^snapshots/(?P<year>\d{4})/(?P<table>[a-z_]+)\.yaml$")


def layer_of(code: str) -> str:
    prefix = code.split(".", 1)[0]
    return LAYERS.get(prefix, prefix or "other")


def layers_of_file(path: str, first_year: str | None, ran: set[str]) -> list[str]:
    """The layers that check a file (of those that ran), from what the file is."""
    m = _TABLE_FILE.match(path)
    if m and m.group("table") == "snapshot":
        wanted = ["load", "snapshot"]
    elif m:
        wanted = ["load", "schema", "references", "grounding", "time", "carried", "expectations"]
        if first_year is not None and m.group("year") > first_year:
            wanted.append("across-years")
    elif path == "snapshots/entities.yaml":
        wanted = ["load", "schema", "expectations"]
    elif path == "sources/sources.yaml":
        wanted = ["load", "schema", "grounding"]
    else:
        wanted = ["load"]
    return [layer for layer in wanted if layer in ran]


def _group(path: str) -> str:
    """`snapshots/2025/memberships.yaml` → `2025.memberships`; `sources/sources.yaml` → `sources`."""
    if not path:
        return "project"
    stem = path.removeprefix("snapshots/").rsplit(".", 1)[0]
    if stem.startswith("sources/"):
        stem = stem.removeprefix("sources/") if stem == "sources/sources" else stem
    return ".".join(re.sub(r"[^A-Za-z0-9_-]+", "_", part) for part in stem.split("/") if part)


def xml_safe(text: str) -> str:
    """Text XML 1.0 can hold: control characters (but LF), surrogates, non-characters and
    invisible marks written out."""
    return visible(str(text), keep_newlines=True)


def _failure_text(items: list[Violation]) -> str:
    blocks = []
    for v in items:
        lines = [f"{v.where or '(project)'}: {v.severity} {v.code}" + (f" {v.id}" if v.id else ""), v.message]
        lines += [f"hint: {h}" for h in v.hint.splitlines()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def violations_junit(
    violations: list[Violation],
    years: list[str],
    checked_files: list[str],
    *,
    layers: set[str] | None = None,
    strict: bool = False,
) -> str:
    """The JUnit XML of a check. `checked_files` are the files the check read; `layers` the
    contract layers that ran (default: all), so that a layer that did not run claims no pass."""
    ran = set(ALL_LAYERS if layers is None else layers)
    first_year = min(years) if years else None
    # failing or warning cases: (layer, group, code, fact) → violations
    cases: dict[tuple[str, str, str, str], list[Violation]] = defaultdict(list)
    broken: set[tuple[str, str]] = set()  # (layer, file) with any violation
    for v in violations:
        layer = layer_of(v.code)
        cases[(layer, _group(v.file), v.code, v.id or v.where or "(project)")].append(v)
        broken.add((layer, v.file))
    held: list[tuple[str, str, str]] = []  # (layer, group, file)
    for path in dict.fromkeys(checked_files):
        for layer in layers_of_file(path, first_year, ran):
            if (layer, path) not in broken:
                held.append((layer, _group(path), path))
    order = list(ALL_LAYERS) + sorted({k[0] for k in cases} - set(ALL_LAYERS))
    root = ET.Element("testsuites", name=xml_safe(f"bluebook check {' '.join(years)}".strip()))
    total_tests = total_failures = 0
    for layer in order:
        mine = sorted((k, items) for k, items in cases.items() if k[0] == layer)
        passes = [h for h in held if h[0] == layer]
        if not mine and not passes:
            continue
        suite = ET.SubElement(root, "testsuite", name=layer)
        failures = 0
        for (_, group, code, fact), items in mine:
            case = ET.SubElement(
                suite, "testcase", classname=xml_safe(f"{layer}.{group}"), name=xml_safe(f"{code} {fact}")
            )
            fails = [v for v in items if v.severity == ERROR or strict]
            if fails:
                failures += 1
                first = fails[0]
                what = f"{first.id}: {first.message}" if first.id else first.message
                more = f" (and {len(fails) - 1} more)" if len(fails) > 1 else ""
                failure = ET.SubElement(
                    case,
                    "failure",
                    type=xml_safe(code),
                    message=xml_safe(f"{first.where or '(project)'}: {code}: {what}{more}"),
                )
                failure.text = xml_safe(_failure_text(items))
            else:
                out = ET.SubElement(case, "system-out")
                out.text = xml_safe(_failure_text(items))
        for _, group, path in passes:
            ET.SubElement(suite, "testcase", classname=xml_safe(f"{layer}.{group}"), name=xml_safe(path))
        tests = len(mine) + len(passes)
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def layers_run(expectations: bool = True) -> set[str]:
    """The layers a check runs (all; the expectations only when the GX suites ran)."""
    return {layer for layer in ALL_LAYERS if expectations or layer != "expectations"}


def checked_files(project) -> list[str]:
    """Every file a check read: the two registries, each year's snapshot.yaml and tables."""
    return [f.rel for f in project.files if f.rel]
