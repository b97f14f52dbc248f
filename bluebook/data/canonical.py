"""The canonical text of a data file: records in file order, keys in model order, plain scalars,
flow lists. `bluebook fmt` writes it; `check` warns where a file differs from it."""

from __future__ import annotations

import difflib

import yaml

from bluebook import vocabulary


class _CanonicalDumper(yaml.cyaml.CEmitter, yaml.representer.SafeRepresenter, yaml.resolver.BaseResolver):
    """Plain scalars wherever YAML allows (no implicit typing: `2025-06` stays unquoted because
    our loader reads every scalar as a string), block records, flow lists. libyaml's emitter: the
    pure-Python one costs more than all the contracts together."""

    def __init__(self, stream, **kwargs):
        yaml.cyaml.CEmitter.__init__(self, stream, allow_unicode=True, width=10_000, indent=2)
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
    lines = list(difflib.unified_diff(text.splitlines(), canonical.splitlines(), rel, f"{rel} (canonical)",
                                      n=context, lineterm=""))
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more diff lines)"]
    return "\n".join(lines)
