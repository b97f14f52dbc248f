"""Render a list of violations for people (grouped text), for tools (JSON) and for CI (JUnit XML).
Every string that may come from data goes through bluebook.text (visible / json_text): no control,
bidi or separator character reaches a terminal or an XML file raw."""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from bluebook.text import json_text, visible
from bluebook.violations import ERROR, Violation


def check_summary(violations: list[Violation], years: list[str], facts: int) -> str:
    errors = sum(v.severity == ERROR for v in violations)
    warnings = len(violations) - errors
    files = len({v.file for v in violations if v.file})
    span = " ".join(years) if years else "(no years)"
    verdict = "all contracts hold" if not violations else (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {files} file{'s' * (files != 1)}")
    return f"bluebook check {span}: {facts:,} facts; {verdict}"


def violations_text(violations: list[Violation], years: list[str], facts: int, limit: int = 10) -> str:
    """Violations grouped by file, in line order; at most `limit` per file (0: all), then a count."""
    by_file: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        by_file[v.file or "(project)"].append(v)
    lines: list[str] = []
    for file, items in by_file.items():
        lines.append(visible(file))
        shown = items if limit <= 0 else items[:limit]
        for v in shown:
            where = f"{v.line:>5}" if v.line else "     "
            who = f"{visible(v.id)}: " if v.id else ""
            lines.append(f"{where}  {v.severity:<7} {visible(v.code):<32} {who}{visible(v.message)}")
            for hint_line in map(visible, v.hint.split("\n")):
                lines.append(f"{'':>5}  {'':<7} {'':<32} {hint_line}" if hint_line.startswith(("-", "+", "@", " ", "."))
                             else f"{'':>5}  {'':<7} {'':<32} hint: {hint_line}")
        if len(items) > len(shown):
            lines.append(f"       … {len(items) - len(shown)} more in this file (--limit 0 shows all)")
        lines.append("")
    lines.append(check_summary(violations, years, facts))
    return "\n".join(lines)


def violations_json(violations: list[Violation], years: list[str], facts: int) -> str:
    errors = sum(v.severity == ERROR for v in violations)
    doc = {
        "years": years,
        "facts": facts,
        "errors": errors,
        "warnings": len(violations) - errors,
        "violations": [v.to_dict() for v in violations],
    }
    return json_text(doc, indent=2)


def violations_junit(violations: list[Violation], years: list[str], checked_files: list[str]) -> str:
    """One test case per checked file (failing with its violations), one suite for the run."""
    by_file: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        by_file[v.file or "(project)"].append(v)
    names = list(dict.fromkeys(checked_files + list(by_file)))
    suite = ET.Element("testsuite", name=visible(f"bluebook check {' '.join(years)}"), tests=str(len(names)),
                       failures=str(sum(1 for n in names if any(v.severity == ERROR for v in by_file.get(n, [])))))
    for name in names:
        case = ET.SubElement(suite, "testcase", classname="bluebook.contracts", name=visible(name))
        items = by_file.get(name, [])
        errors = [v for v in items if v.severity == ERROR]
        body = "\n".join(visible(f"{v.where} {v.severity} {v.code} {v.id}: {v.message} "
                                 f"({v.hint.splitlines()[0] if v.hint else ''})") for v in items)
        if errors:
            fail = ET.SubElement(case, "failure", message=visible(f"{len(errors)} contract(s) broken: "
                                 + ", ".join(sorted({v.code for v in errors}))), type="contract")
            fail.text = body
        elif items:
            out = ET.SubElement(case, "system-out")
            out.text = body
    return ET.tostring(ET.ElementTree(suite).getroot(), encoding="unicode", xml_declaration=True) + "\n"
