"""What a run on the real data costs against the imports it cannot avoid, side by side in one run.

Each round runs every command once, in a fresh process, in turn (so a busy moment of the machine
falls on all of them alike); the table gives the median wall time of the rounds and each check's
ratio to its floor:

- `bluebook check --no-expectations` against `python -c "import pandera.pandas"`,
- `bluebook check` (GX suites included) against `python -c "import great_expectations"`,

each without the cache (`--no-cache`: every file parsed, every contract computed) and with it warm
(nothing changed since the previous run). Then the review flow on a Prefect server started here on
127.0.0.1 (its start is not counted): the flow run's own duration as the server records it, and the
whole process (`python flows/review.py`, imports included), without and with the cache.

  .venv/bin/python bench/bench_startup.py [--rounds 5] [--reviews 3]      (make bench-startup)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
BIN = Path(sys.executable).parent
QUIET = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1", "GX_ANALYTICS_ENABLED": "false"}

COMMANDS = [
    ("import pandera.pandas", [sys.executable, "-c", "import pandera.pandas"]),
    ("check --no-expectations --no-cache", [str(BIN / "bluebook"), "check", "--no-expectations", "--no-cache"]),
    ("check --no-expectations (warm cache)", [str(BIN / "bluebook"), "check", "--no-expectations"]),
    ("import great_expectations", [sys.executable, "-c", "import great_expectations"]),
    ("check --no-cache", [str(BIN / "bluebook"), "check", "--no-cache"]),
    ("check (warm cache)", [str(BIN / "bluebook"), "check"]),
]
RATIOS = [
    ("check --no-expectations --no-cache", "import pandera.pandas", 1.3),
    ("check --no-expectations (warm cache)", "import pandera.pandas", 1.3),
    ("check --no-cache", "import great_expectations", 1.15),
    ("check (warm cache)", "import great_expectations", 1.15),
]


def wall(argv: list[str], env: dict | None = None) -> float:
    t = time.perf_counter()
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, env={**os.environ, **QUIET, **(env or {})})
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return seconds


def bench_commands(rounds: int) -> dict[str, float]:
    wall(COMMANDS[-1][1])  # the cache warm, the bytecode compiled
    times: dict[str, list[float]] = {label: [] for label, _ in COMMANDS}
    for _ in range(rounds):
        for label, argv in COMMANDS:
            times[label].append(wall(argv))
    return {label: statistics.median(ts) for label, ts in times.items()}


async def last_flow_run(env: dict) -> tuple[str, float]:
    os.environ["PREFECT_API_URL"] = env["PREFECT_API_URL"]
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.sorting import FlowRunSort

    async with get_client() as client:
        run = (await client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1))[0]
    assert run.start_time and run.end_time, "the flow run has no start or end time"
    return str(run.state_name), (run.end_time - run.start_time).total_seconds()


def bench_review(reviews: int) -> list[dict]:
    from bench.prefect_server import start_server, stop

    rows = []
    with tempfile.TemporaryDirectory(prefix="bluebook-bench-") as tmp:
        home = Path(tmp) / "prefect"
        home.mkdir()
        base = {**os.environ, **QUIET, "PREFECT_HOME": str(home), "PREFECT_SERVER_UI_ENABLED": "false"}
        proc, env = start_server(home, base)
        try:
            for cache in (False, True):
                for _ in range(reviews):
                    argv = [sys.executable, "flows/review.py", "--out", str(Path(tmp) / "reports")]
                    seconds = wall(argv + ([] if cache else ["--no-cache"]), env)
                    state, flow_seconds = asyncio.run(last_flow_run(env))
                    rows.append({"cache": cache, "state": state, "flow_run": flow_seconds, "process": seconds})
                    print(
                        f"  review {'(cache)' if cache else '--no-cache'}: flow run {flow_seconds:.2f} s, "
                        f"process {seconds:.2f} s, {state}",
                        file=sys.stderr,
                    )
        finally:
            stop(proc)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reviews", type=int, default=3)
    args = parser.parse_args()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    medians = bench_commands(args.rounds)
    print(f"| command (median of {args.rounds} rounds, load {load}) | wall | ratio to its floor | target |")
    print("|---|---:|---:|---|")
    ratio = {label: (floor, limit) for label, floor, limit in RATIOS}
    for label, _ in COMMANDS:
        if label in ratio:
            floor, limit = ratio[label]
            r = medians[label] / medians[floor]
            print(f"| `{label}` | {medians[label]:.2f} s | {r:.2f}× | ≤ {limit}× {'✓' if r <= limit else '✗'} |")
        else:
            print(f'| `python -c "{label}"` (floor) | {medians[label]:.2f} s | | |')
    if args.reviews:
        rows = bench_review(args.reviews)
        print()
        print(f"| review flow on the real data (median of {args.reviews}) | flow run | whole process | target |")
        print("|---|---:|---:|---|")
        for cache in (False, True):
            mine = [r for r in rows if r["cache"] is cache]
            flow = statistics.median(r["flow_run"] for r in mine)
            proc = statistics.median(r["process"] for r in mine)
            states = ", ".join(sorted({r["state"] for r in mine}))
            print(
                f"| {'with the cache' if cache else '`--no-cache`'} ({states}) | {flow:.2f} s | {proc:.2f} s | "
                f"≤ 5 s {'✓' if flow <= 5 else '✗'} |"
            )
    print(json.dumps({"medians": medians}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
