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

Last, in a fresh process, where a cold check's work goes: its Pandera validations, and the GX
suites' validations by each of GX's two ways to run them (`--breakdown` prints only this).

  .venv/bin/python bench/bench_startup.py [--rounds 5] [--reviews 3]      (make bench-startup)
  .venv/bin/python bench/bench_startup.py --breakdown
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


def breakdown() -> None:
    """Where a cold check's work goes beyond its floor's import, timed in this (fresh) process: the
    Pandera validations within `check --no-expectations --no-cache`, then the GX suites' validations
    by Batch.validate (what `check` runs) and by a validation definition's run (what the review's
    Data Docs need)."""
    t = time.perf_counter()
    import pandera.pandas  # noqa: F401  (the floor)

    floor = time.perf_counter() - t
    import bluebook.contracts.check as check
    from bluebook.contracts import schema
    from bluebook.data.project import open_project

    spent: list[float] = []
    validate = schema.validate_table

    def timed(*args, **kwargs):
        t = time.perf_counter()
        try:
            return validate(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - t)

    schema.validate_table = timed
    t = time.perf_counter()
    project = open_project(REPO)
    result = check.run_check(project, expectations=False)
    work = time.perf_counter() - t
    print(f"| `import pandera.pandas` in process | {floor:.2f} s |")
    print(f"| the work of `check --no-expectations --no-cache` | {work:.2f} s |")
    print(f"| of which {len(spent)} Pandera validations | {sum(spent):.2f} s |")
    t = time.perf_counter()
    import great_expectations as gx

    print(f"| `import great_expectations` in process (after pandas) | {time.perf_counter() - t:.2f} s |")
    from bluebook.contracts.expectations import runner

    suites, _ = runner.read_suites(project.layout)
    with runner.quiet():
        run = runner.Runner(suites.values())
        targets = runner.targets_to_run(project, result.grounding, [])
        definitions = {
            name: run.context.validation_definitions.add(gx.ValidationDefinition(name=f"{name}-run", data=b, suite=s))
            for name, (b, s) in run.batches.items()
        }
        quick = {"result_format": "BOOLEAN_ONLY"}
        for label, one in (
            ("Batch.validate", lambda tg: run.validate(tg, detail=False)),
            (
                "a validation definition's run",
                lambda tg: definitions[tg.suite].run(batch_parameters={"dataframe": tg.frame}, result_format=quick),
            ),
        ):
            best = min(_seconds(lambda one=one: [one(tg) for tg in targets]) for _ in range(3))
            print(f"| {len(targets)} GX validations by {label} (best of 3) | {best:.2f} s |")


def _seconds(work) -> float:
    t = time.perf_counter()
    work()
    return time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reviews", type=int, default=3)
    parser.add_argument("--breakdown", action="store_true", help="only where a cold check's work goes (in process)")
    args = parser.parse_args()
    if args.breakdown:
        print("| where a cold check's work goes (in one process) | seconds |\n|---|---:|")
        breakdown()
        return 0
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
    print()
    sys.stdout.flush()
    subprocess.run([sys.executable, __file__, "--breakdown"], cwd=REPO, check=True)  # a fresh process
    print(json.dumps({"medians": medians}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
