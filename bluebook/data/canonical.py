"""The canonical text of a data file: records in file order, keys in model order, plain scalars,
flow lists. `bluebook fmt` writes it; `check` warns where a file differs from it."""

from __future__ import annotations

import difflib

import yaml
from yaml._yaml import CEmitter  # libyaml's emitter (yaml.cyaml uses it but does not export it)

from bluebook import vocabulary
from bluebook.data.load import ComposeLoader


class _CanonicalDumper(CEmitter, yaml.representer.SafeRepresenter, yaml.resolver.BaseResolver):
    """Plain scalars wherever YAML allows (no implicit typing: `2025-06` stays unquoted because
    our loader reads every scalar as a string), block records, flow lists. libyaml's emitter: the
    pure-Python one costs more than all the contracts together."""

    def __init__(self, stream, **kwargs):
        CEmitter.__init__(self, stream, allow_unicode=True, width=10_000, indent=2)
        yaml.representer.SafeRepresenter.__init__(self, default_flow_style=False, sort_keys=False)
        yaml.resolver.BaseResolver.__init__(self)


def _represent_list(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=all(isinstance(x, str) for x in data))


def _represent_number(dumper, data):
    text = repr(data) if isinstance(data, float) else str(data)
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_CanonicalDumper.add_representer(list, _represent_list)
_CanonicalDumper.add_representer(int, _represent_number)
_CanonicalDumper.add_representer(float, _represent_number)


def canonical_order(data: dict, table: str) -> dict:
    order = vocabulary.columns(table)
    return {k: data[k] for k in order if k in data}


def dump_table(records: list[dict], table: str) -> str:
    """The canonical text of a table: records in file order, keys in model order."""
    if not records:
        return "[]\n"
    rows = [canonical_order(r, table) for r in records]
    return yaml.dump(rows, Dumper=_CanonicalDumper)


def dump_mapping(data: dict, table: str) -> str:
    return yaml.dump(canonical_order(data, table), Dumper=_CanonicalDumper)


def canonical_diff(text: str, canonical: str, rel: str, context: int = 1, limit: int = 20) -> str:
    """A short unified diff from the file as it is to its canonical form."""
    lines = list(
        difflib.unified_diff(
            text.splitlines(), canonical.splitlines(), rel, f"{rel} (canonical)", n=context, lineterm=""
        )
    )
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more diff lines)"]
    return "\n".join(lines)


def comment_lines(text: str) -> list[int]:
    """Lines holding a YAML comment: a `#` at a line's start or after white space, outside every
    quoted or block scalar. The canonical form cannot keep them, so `fmt` refuses such a file."""
    try:
        root = yaml.compose(text, Loader=ComposeLoader)
    except yaml.YAMLError:
        return []
    spans: list[tuple[int, int]] = []
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.style:  # quoted or block: a '#' inside is text, not a comment
                spans.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.extend((k, v))
    spans.sort()
    lines, offset = [], 0
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        for at, ch in enumerate(line):
            if ch == "#" and (at == 0 or line[at - 1] in " \t"):
                index = offset + at
                if not any(lo <= index < hi for lo, hi in spans):
                    lines.append(number)
                    break
        offset += len(line)
    return lines


def comments_refusal(lines: list[int]) -> str:
    shown = ", ".join(map(str, lines[:5])) + (f" and {len(lines) - 5} more" if len(lines) > 5 else "")
    return (
        f"line{'s' * (len(lines) > 1)} {shown} hold{'s' * (len(lines) == 1)} comments, which the canonical form "
        "cannot keep: move what they say into the records' note, then run `bluebook fmt`"
    )
