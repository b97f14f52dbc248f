"""The benchmarks run: `make bench`'s methods on a small pair of snapshots, each finding exactly the
changes the generator made (the naive list diff excepted, which the README shows to be wrong)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_the_diff_benchmark_runs_and_ours_finds_exactly_the_known_changes():
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_diff.py"), "--sizes", "200"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    row = next(line for line in done.stdout.splitlines() if line.startswith("| 200 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1].endswith("(floor)") and cells[2].endswith("✓") and cells[4].endswith("✓")
