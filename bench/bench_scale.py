"""The whole-Bluebook benchmark, side by side in one run: check, diff and the review over a synthetic
corpus of many editions (bench/corpus.py), each command in a fresh process, timed with wall clock,
CPU time and peak memory; plus the loader candidates and the diff's two alignment paths in-process.

  .venv/bin/python bench/bench_scale.py                      # 70 × 10,000 and 2 × 1,000,000 facts
  .venv/bin/python bench/bench_scale.py --years 5 --facts 2000 --million 20000   # a quick look

Corpora are generated into bench/.corpus/ (git-ignored) once and reused. The review needs a Prefect
server (PREFECT_API_URL, e.g. from `make server`): Dask's worker processes report to it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
BIN = Path(sys.executable).parent
CORPORA = REPO / "bench" / ".corpus"


def corpus(name: str, years: int, facts: int) -> tuple[Path, dict]:
    from bench.corpus import generate

    root = CORPORA / name
    known = root / "known-changes.json"
    if not known.exists():
        t = time.perf_counter()
        generate(root, facts=facts, years=years)
        print(f"generated {root} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return root, json.loads(known.read_text(encoding="utf-8"))


def timed(argv: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Run a command in a fresh process: its wall and CPU seconds (children included) and peak RSS,
    as /usr/bin/time measures the process itself. Its output goes to a file, not a pipe, so the
    figures do not include this process reading (and decoding) hundreds of MB of report."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as fh, tempfile.TemporaryFile() as out:
        done = subprocess.run(
            ["/usr/bin/time", "-o", fh.name, "-f", "%e %U %S %M", *argv],
            cwd=cwd,
            stdout=out,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        fields = fh.read().split()[-4:]
        out.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
    wall, user, system, rss = float(fields[0]), float(fields[1]), float(fields[2]), int(fields[3])
    return {
        "wall": wall,
        "cpu": user + system,
        "rss_mb": rss / 1024,
        "exit": done.returncode,
        "stdout": stdout,
        "stderr": done.stderr.decode("utf-8", errors="replace")[-2000:],
    }


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


# --- check -----------------------------------------------------------------------------------------


def bench_check(root: Path) -> list[dict]:
    bluebook = str(BIN / "bluebook")
    rows = []

    def run(label: str, argv: list[str], clear: bool = False) -> None:
        if clear:
            shutil.rmtree(root / ".bluebook-cache", ignore_errors=True)
        r = timed([bluebook, *argv], root)
        r.update(
            label=label,
            command="bluebook " + " ".join(argv),
            load=load_average(),
            verdict=(r["stdout"].strip().splitlines() or ["?"])[-1][-60:],
        )
        rows.append(r)
        print(
            f"  {label}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, {r['rss_mb']:.0f} MB, exit {r['exit']}",
            file=sys.stderr,
        )

    jobs = ["--jobs", str(os.cpu_count() or 1)]  # the years in one worker process a core
    run("cold", ["check", "--no-expectations", *jobs], clear=True)
    run("warm (nothing changed)", ["check", "--no-expectations", *jobs])
    years = sorted(p.name for p in (root / "snapshots").iterdir() if p.is_dir())
    path = root / "snapshots" / years[len(years) // 2] / "measures.yaml"
    original = path.read_bytes()
    try:
        edited = original.replace(b"title_en: Synthetic measure", b"title_en: Edited synthetic measure", 1)
        assert edited != original, f"{path}: no measure title to edit (the row would time a warm run)"
        path.write_bytes(edited)
        run(f"one file changed ({path.relative_to(root)})", ["check", "--no-expectations", *jobs])
    finally:
        path.write_bytes(original)
    run("cold, with the GX suites", ["check", *jobs], clear=True)
    run("warm, with the GX suites", ["check", *jobs])
    return rows


# --- diff ------------------------------------------------------------------------------------------


def bench_diff(root: Path, known: dict) -> list[dict]:
    bluebook = str(BIN / "bluebook")
    a, b = known["years"][:2]
    truth = known["pairs"][f"{a}-{b}"]["summary"]
    rows = []
    shutil.rmtree(root / ".bluebook-cache", ignore_errors=True)
    for label in ("cold", "warm"):
        argv = ["diff", a, b, "--format", "json", "--max-file-bytes", str(1 << 30)]
        r = timed([bluebook, *argv], root)
        found = json.loads(r["stdout"])["summary"] if r["exit"] == 0 else {}
        exact = all(found.get(k) == n for k, n in truth.items())
        r.update(
            label=label,
            command="bluebook " + " ".join(argv),
            load=load_average(),
            verdict="exact counts ✓" if exact else f"✗ {found} vs {truth}",
        )
        r.pop("stdout")
        rows.append(r)
        print(f"  diff {label}: {r['wall']:.1f} s, {r['rss_mb']:.0f} MB, {r['verdict']}", file=sys.stderr)
    return rows


# --- the loader candidates and the diff's alignment (in this process) ------------------------------


def bench_load(root: Path) -> list[dict]:
    """Microseconds per record to read one table file, each candidate best of 5."""
    from bluebook.data import load
    from bluebook.data.cache import Cache, load_table_cached

    year = sorted(p.name for p in (root / "snapshots").iterdir() if p.is_dir())[0]
    path = root / "snapshots" / year / "memberships.yaml"
    text = path.read_text(encoding="utf-8")
    n = len(load.load_table(path, "x", "memberships")[0].records)

    def best(f, times: int = 5) -> float:
        out = []
        for _ in range(times):
            t = time.perf_counter()
            f()
            out.append(time.perf_counter() - t)
        return min(out) / n * 1e6

    rows = []
    load.FAST_READER = False
    import yaml

    rows.append(
        {
            "candidate": "libyaml composition (yaml.compose, CBaseLoader) only",
            "us": best(lambda: yaml.compose(text, Loader=yaml.CBaseLoader)),
        }
    )
    rows.append(
        {
            "candidate": "the loader before: libyaml composition + the rules on the nodes",
            "us": best(lambda: load.load_table(path, "x", "memberships")),
        }
    )
    load.FAST_READER = True
    rows.append(
        {
            "candidate": "the fast reader of canonical files (same Records)",
            "us": best(lambda: load.load_table(path, "x", "memberships")),
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        cache = Cache(Path(tmp))
        load_table_cached(cache, path, "x", "memberships", 1 << 20)
        rows.append(
            {
                # Entries keep no records of a canonical file (the fast reader reads it as fast as
                # JSON would decode them): the bytes hashed, the entry checked, the text read.
                "candidate": "through the cache, records used (file hashed, entry checked, fast reader)",
                "us": best(lambda: load_table_cached(cache, path, "x", "memberships", 1 << 20)[0].records),
            }
        )
    try:
        import ryml  # rapidyaml: `uv run --with rapidyaml python bench/bench_scale.py`

        raw = text.encode("utf-8")

        def walk():
            tree = ryml.parse_in_arena(raw)
            out = []
            for rec in ryml.children(tree, tree.root_id()):
                out.append(
                    {
                        bytes(tree.key(kv)).decode(): bytes(tree.val(kv)).decode() if tree.has_val(kv) else None
                        for kv in ryml.children(tree, rec)
                    }
                )
            return out

        rows.append({"candidate": "rapidyaml parse + walk to dicts (no lines, no rules)", "us": best(walk)})
    except ImportError:
        rows.append({"candidate": "rapidyaml (not installed: uv run --with rapidyaml ...)", "us": None})
    for r in rows:
        print(f"  load: {r['candidate']}: {r['us'] and round(r['us'], 1)} µs/record", file=sys.stderr)
    return rows


def bench_align(root: Path, known: dict) -> list[dict]:
    """Seconds of diff_tables for n common records: record by record vs the columnar filter."""
    from bluebook.changes.diff import diff_tables
    from bluebook.data.project import Layout, load_snapshot

    a, b = known["years"][:2]
    sides = []
    for year in (a, b):
        snap, _ = load_snapshot(Layout(root), year, 1 << 30)
        sides.append({r.id: r.data for r in snap.records("memberships")})
    ids = list(sides[0].keys() & sides[1].keys())
    for minimum in (10**12, 0):  # both paths once, untimed: DeepDiff's and polars' imports are paid here
        diff_tables("memberships", *({i: s[i] for i in ids[:100]} for s in sides), minimum)
    rows = []
    for n in (1_000, 10_000, 30_000, 100_000, len(ids)):
        if n > len(ids):
            continue
        keep = ids[:n]
        base, head = ({i: s[i] for i in keep} for s in sides)
        row = {"common": n}
        for label, minimum in (("record", 10**12), ("columnar", 0)):
            t = time.perf_counter()
            changes, same = diff_tables("memberships", base, head, minimum)
            row[label] = time.perf_counter() - t
            row[f"{label}_result"] = (len(changes), same)
        row["agree"] = row["record_result"] == row["columnar_result"]
        rows.append(row)
        print(
            f"  align {n:,}: record {row['record']:.2f} s, columnar {row['columnar']:.2f} s, agree {row['agree']}",
            file=sys.stderr,
        )
    return rows


# --- review ----------------------------------------------------------------------------------------

REVIEW = (
    "import sys, time; from bluebook.flows.review import review; t = time.perf_counter(); "
    "s = review(root=sys.argv[1], workers=int(sys.argv[2]), cache=False, out=sys.argv[3], "
    "return_state=True); print('STATE', s.name, round(time.perf_counter() - t, 1))"
)


def bench_review(root: Path) -> list[dict]:
    """The review of every year, threads against a local Dask cluster of 2 workers (`cache=False`,
    so both do all the work), on a Prefect server started here (Dask's workers report to it)."""
    from bench.prefect_server import start_server, stop

    rows = []
    with tempfile.TemporaryDirectory(prefix="bluebook-bench-") as tmp:
        home = Path(tmp) / "prefect"
        home.mkdir()
        proc, env = start_server(home, {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_UI_ENABLED": "false"})
        try:
            for label, workers in (("threads (default)", 0), ("Dask, 2 worker processes", 2)):
                out = Path(tmp) / f"reports-{workers}"
                r = timed([sys.executable, "-c", REVIEW, str(root), str(workers), str(out)], REPO, env)
                r.update(label=label, load=load_average(), verdict=(r["stdout"].strip().splitlines() or ["?"])[-1])
                r.pop("stdout")
                rows.append(r)
                print(f"  review {label}: {r['wall']:.1f} s, {r['cpu']:.1f} s CPU, {r['verdict']}", file=sys.stderr)
        finally:
            stop(proc)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, default=70)
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--million", type=int, default=1_000_000, help="facts of each snapshot of the diff")
    parser.add_argument("--only", nargs="*", default=["load", "check", "diff", "align", "review"])
    parser.add_argument("--json", type=Path, default=REPO / "bench" / ".corpus" / "bench-scale.json")
    args = parser.parse_args()
    results: dict = {"machine": {"cores": os.cpu_count(), "load_at_start": load_average()}}
    scale, _ = corpus(f"scale-{args.years}x{args.facts}", args.years, args.facts)
    results["facts"] = json.loads((scale / "known-changes.json").read_text(encoding="utf-8"))["facts"]
    if "load" in args.only:
        results["load"] = bench_load(scale)
    if "check" in args.only:
        results["check"] = bench_check(scale)
    if "diff" in args.only or "align" in args.only:
        big, known = corpus(f"diff-2x{args.million}", 2, args.million)
        if "diff" in args.only:
            results["diff"] = bench_diff(big, known)
        if "align" in args.only:
            results["align"] = bench_align(big, known)
    if "review" in args.only:
        results["review"] = bench_review(scale)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({k: v for k, v in results.items()}, indent=1, ensure_ascii=False, default=str)[:6000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
