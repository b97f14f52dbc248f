"""Scale benchmark of the diff, side by side in one run.

Generates two synthetic snapshots of N facts in the real format (YAML tables written by the
canonical dumper, loaded by the real loader) with a known set of changes, then times:

  floor     load both snapshots and hash every record (what any diff must at least do)
  ours      load both snapshots and run bluebook.changes.diff.diff_snapshots (keyed, hash-skip, DeepDiff on
            changed records only)
  dd-dict   load, then DeepDiff over {id: record} dicts of each table
  dd-list   load, then DeepDiff over lists of records with ignore_order=True (the naive way), capped

and checks that each method finds exactly the known changes. Each method runs in its own process
(fresh imports, no shared caches) with a time cap. Usage:

  .venv/bin/python bench/bench_diff.py --sizes 1000 10000 100000 --cap 120
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHANGE_SHARE, DROP_SHARE, ADD_SHARE, PROV_SHARE = 0.01, 0.005, 0.005, 0.01
STATUSES = ["member", "partner", "observer", "associate"]
ORGS = ["BRICS", "SCO", "CSTO", "CIS", "EAEU", "NATO", "EU", "G7"]


def fact(i: int, rng: random.Random) -> tuple[str, dict]:
    """A membership- or event-shaped fact with the real columns."""
    if i % 2:
        return "memberships", {
            "id": f"org{i % 8}.m{i:07d}",
            "organization": ORGS[i % 8],
            "member": f"C{i % 26:02d}",
            "status": rng.choice(STATUSES),
            "since": f"{2000 + i % 25}-{1 + i % 12:02d}",
            "basis": "stated",
            "source": "bluebook-2026-ch2-s6",
            "section": "イ ロシア外政",
            "evidence": f"引用{i}の本文は検証される",
        }
    return "events", {
        "id": f"2025-{1 + i % 12:02d}.e{i:07d}",
        "date": f"2025-{1 + i % 12:02d}",
        "kind": "meeting",
        "title_en": f"Meeting number {i}",
        "participants": ["JPN", f"C{i % 26:02d}"],
        "country": "JPN",
        "basis": "stated",
        "source": "bluebook-2026-ch2-s6",
        "evidence": f"会談{i}が行われた",
    }


def generate(n: int, root: Path, seed: int = 7) -> dict:
    """Write snapshots 2024 (base) and 2025 (head) of n facts each; return the known changes."""
    from bluebook.data.canonical import dump_mapping, dump_table

    rng = random.Random(seed)
    base: dict[str, list[dict]] = {"memberships": [], "events": []}
    for i in range(n):
        table, record = fact(i, rng)
        base[table].append(record)
    head = {t: [dict(r) for r in rows] for t, rows in base.items()}
    members = head["memberships"]
    k_change, k_drop, k_prov = (max(1, int(n * s)) for s in (CHANGE_SHARE, DROP_SHARE, PROV_SHARE))
    picked = rng.sample(range(len(members)), k_change + k_drop + k_prov)
    changed = {members[i]["id"] for i in picked[:k_change]}
    provenance = {members[i]["id"] for i in picked[k_change + k_drop :]}
    dropped = {members[i]["id"] for i in picked[k_change : k_change + k_drop]}
    for r in members:
        if r["id"] in changed:
            r["status"] = STATUSES[(STATUSES.index(r["status"]) + 1) % len(STATUSES)]
        elif r["id"] in provenance:
            r["evidence"] += "。"
    head["memberships"] = [r for r in members if r["id"] not in dropped]
    added = set()
    for j in range(max(1, int(n * ADD_SHARE))):
        _, r = fact(2 * (n + j) + 1, rng)
        head["memberships"].append(r)
        added.add(r["id"])
    for year, tables in (("2024", base), ("2025", head)):
        folder = root / "snapshots" / year
        folder.mkdir(parents=True)
        (folder / "snapshot.yaml").write_text(
            dump_mapping(
                {"year": year, "as_of": f"{year}-12-31", "edition": "synthetic", "sources": ["bluebook-2026-ch2-s6"]},
                "snapshot",
            ),
            encoding="utf-8",
        )
        for table in ("memberships", "agreements", "officeholders", "measures", "events", "indicators"):
            rows = tables.get(table, [])
            rng.shuffle(rows)  # list order carries no meaning
            (folder / f"{table}.yaml").write_text(dump_table(rows, table), encoding="utf-8")
    return {"changed": sorted(changed | provenance), "dropped": sorted(dropped), "added": sorted(added)}


# --- methods, each run in a fresh process ------------------------------------------------------------


def _load(root: Path, year: str) -> dict[str, dict[str, dict]]:
    from bluebook.data.project import Layout, load_snapshot

    snap, problems = load_snapshot(Layout(root), year, max_bytes=1 << 40)
    assert not problems, problems[:3]
    return {t: {r.id: r.data for r in snap.records(t)} for t in snap.tables}


def method_floor(root: Path) -> dict:
    from bluebook.changes.diff import _digest, split_record

    sides = [_load(root, y) for y in ("2024", "2025")]
    for side in sides:
        for rows in side.values():
            for record in rows.values():
                _digest(*split_record(record))
    return {}


def method_ours(root: Path) -> dict:
    from bluebook.changes.diff import diff_snapshots

    base, head = _load(root, "2024"), _load(root, "2025")
    d = diff_snapshots(base, head, base_label="2024", head_label="2025", base_year="2024", head_year="2025")
    found = {"added": [], "dropped": [], "changed": []}
    for c in d.changes:
        key = {"added": "added", "silent_drop": "dropped"}.get(c.kind, "changed")
        found[key].append(c.id)
    return found


def method_dd_dict(root: Path) -> dict:
    from deepdiff import DeepDiff

    base, head = _load(root, "2024"), _load(root, "2025")
    found = {"added": set(), "dropped": set(), "changed": set()}
    for table in base:
        tree = DeepDiff(base[table], head[table], threshold_to_diff_deeper=0, view="tree", ignore_order=False)
        for action, levels in tree.items():
            for level in levels:
                rid = level.path(output_format="list")[0]
                key = {"dictionary_item_added": "added", "dictionary_item_removed": "dropped"}.get(action, "changed")
                found[key].add(rid)
    return {k: sorted(v) for k, v in found.items()}


def method_dd_list(root: Path) -> dict:
    from deepdiff import DeepDiff

    base, head = _load(root, "2024"), _load(root, "2025")
    found = {"added": set(), "dropped": set(), "changed": set()}
    for table in base:
        a, b = list(base[table].values()), list(head[table].values())
        tree = DeepDiff(a, b, ignore_order=True, threshold_to_diff_deeper=0, view="tree")
        for action, levels in tree.items():
            for level in levels:
                if action == "iterable_item_added":
                    found["added"].add(level.t2["id"])
                elif action == "iterable_item_removed":
                    found["dropped"].add(level.t1["id"])
                else:  # a change inside a paired item: name it by the item it was paired with
                    path = level.path(output_format="list")
                    found["changed"].add(a[path[0]]["id"] if path and isinstance(path[0], int) else str(path))
    return {k: sorted(v) for k, v in found.items()}


METHODS = {"floor": method_floor, "ours": method_ours, "dd-dict": method_dd_dict, "dd-list": method_dd_list}


# What each method imports before its timer starts (a long-running flow has paid for them once);
# the import time is reported in a column of its own.
IMPORTS = {
    "floor": "import bluebook.data.project, bluebook.changes.diff",
    "ours": "import bluebook.data.project, bluebook.changes.diff; bluebook.changes.diff._deepdiff()",
    "dd-dict": "import bluebook.data.project, deepdiff",
    "dd-list": "import bluebook.data.project, deepdiff",
}


def run_one(method: str, root: Path, cap: float) -> tuple[float | None, float | None, dict | None]:
    """(seconds of the work, seconds of the imports, what it found), in a fresh process."""
    code = (
        f"import json, sys, time; sys.path.insert(0, {str(REPO)!r}); t0 = time.perf_counter(); "
        f"{IMPORTS[method]}; from bench.bench_diff import METHODS; from pathlib import Path; "
        f"t1 = time.perf_counter(); r = METHODS[{method!r}](Path({str(root)!r})); t2 = time.perf_counter(); "
        f"print(json.dumps({{'seconds': t2 - t1, 'imports': t1 - t0, 'found': r}}))"
    )
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return None, None, None
    if done.returncode != 0:
        raise RuntimeError(f"{method} failed: {done.stderr[-2000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return out["seconds"], out["imports"], out["found"]


def verdict(found: dict | None, truth: dict) -> str:
    if found is None:
        return "–"
    if not found:
        return "(floor)"
    ok = all(sorted(found.get(k, [])) == truth[k] for k in ("added", "dropped", "changed"))
    return "✓" if ok else ("✗ " + ", ".join(f"{k} {len(found.get(k, []))}/{len(truth[k])}" for k in truth))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--cap", type=float, default=120.0, help="seconds a method may take per size")
    parser.add_argument("--naive-max", type=int, default=10000, help="largest size the naive list diff is tried on")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    results = []
    print(
        "| facts | floor: load + hash | ours: load + diff | ours / floor | DeepDiff {id: record} | "
        "DeepDiff lists, ignore_order | imports (floor / ours / DeepDiff) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="bluebook-bench-") as tmp:
            truth = generate(n, Path(tmp))
            row = {"facts": n}
            for name in METHODS:
                if name == "dd-list" and n > args.naive_max:
                    row[name] = (None, None, "not run (> --naive-max)")
                    continue
                seconds, imports, found = run_one(name, Path(tmp), args.cap)
                row[name] = (
                    seconds,
                    imports,
                    verdict(found, truth) if seconds is not None else f"> {args.cap:.0f} s cap",
                )
            results.append(row)

            def cell(m: str, row=row) -> str:
                return f"{row[m][0]:.3f} s {row[m][2]}" if row[m][0] is not None else row[m][2]

            ratio = row["ours"][0] / row["floor"][0] if row["ours"][0] and row["floor"][0] else float("nan")
            imports = " / ".join(f"{row[m][1]:.2f}" for m in ("floor", "ours", "dd-dict") if row[m][1] is not None)
            print(
                f"| {n:,} | {cell('floor')} | {cell('ours')} | {ratio:.2f}x | {cell('dd-dict')} | {cell('dd-list')} "
                f"| {imports} s |",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
