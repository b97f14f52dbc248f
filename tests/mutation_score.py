"""Print the mutation score of `make mutation` per module and in all, from mutmut's results.

    python tests/mutation_score.py MUTANTS_DIR SURVIVORS_MD

Reads every `MUTANTS_DIR/**/*.py.meta` (mutmut 3: mutant name → exit code of its test run) and the
mutant names listed as equivalent in SURVIVORS_MD (a line starting with `- ` and a mutant name in
backticks). Score = killed / (checked mutants − equivalent), where timeouts count as killed (the
mutant looped) and "no tests" counts as a survivor. Mutants not checked yet (an interrupted run;
`mutmut run` again resumes it) are counted and shown apart. Exits 1 when some are unchecked, when a
listed equivalent is no longer a survivor (the list must not go stale) or when the score is under
the target (`--target`, 85 by default)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 36, 24, -24, 152, 255, -11, -9}
SURVIVED = {0}


def results(mutants: Path) -> dict[str, dict[str, int | None]]:
    """module path → mutant name → exit code."""
    out = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        if codes:
            out[meta.relative_to(mutants).as_posix().removesuffix(".meta")] = codes
    return out


def equivalents(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    return {
        m.group(1)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("- ") and (m := re.search(r"`([^`]+__mutmut_\d+)`", line))
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mutants", type=Path)
    parser.add_argument("survivors", type=Path)
    parser.add_argument("--target", type=float, default=85.0)
    args = parser.parse_args(argv)
    by_module = results(args.mutants)
    if not by_module:
        print(f"no mutmut results under {args.mutants}; run `make mutation`", file=sys.stderr)
        return 1
    listed = equivalents(args.survivors)
    total = Counter()
    survivors: list[str] = []
    print(f"{'module':45} {'mutants':>7} {'unchecked':>9} {'killed':>7} {'equiv':>6} {'left':>5} {'score':>7}")
    for module, codes in by_module.items():
        c = Counter()
        for name, code in codes.items():
            if code is None:
                c["unchecked"] += 1
            elif name in listed and code in SURVIVED:
                c["equivalent"] += 1
            elif code in KILLED:
                c["killed"] += 1
            else:
                c["survived"] += 1
                survivors.append(f"{name} ({'no tests' if code in (5, 33) else 'survived' if code == 0 else code})")
        c["mutants"] = len(codes)
        total.update(c)
        counted = c["mutants"] - c["unchecked"] - c["equivalent"]
        score = 100.0 * c["killed"] / counted if counted else 100.0
        print(
            f"{module:45} {c['mutants']:7} {c['unchecked']:9} {c['killed']:7} {c['equivalent']:6} {c['survived']:5} "
            f"{score:6.1f}%"
        )
    counted = total["mutants"] - total["unchecked"] - total["equivalent"]
    score = 100.0 * total["killed"] / counted if counted else 100.0
    print(
        f"{'all':45} {total['mutants']:7} {total['unchecked']:9} {total['killed']:7} {total['equivalent']:6} "
        f"{total['survived']:5} {score:6.1f}%"
    )
    all_names = {name for codes in by_module.values() for name in codes}
    stale = sorted(
        n for n in listed if n in all_names and not any(codes.get(n) in SURVIVED for codes in by_module.values())
    )
    if stale:
        print(f"listed as equivalent but no longer surviving (remove them from {args.survivors}): {stale}")
    if survivors:
        print(f"{len(survivors)} survivor(s) neither killed nor listed as equivalent:")
        for s in survivors:
            print(f"  {s}")
    if total["unchecked"]:
        print(f"{total['unchecked']} mutant(s) not checked yet: the run was interrupted (`mutmut run` resumes it)")
    return 1 if stale or total["unchecked"] or score < args.target else 0


if __name__ == "__main__":
    sys.exit(main())
