"""The review's per-year validation over every year of the scale corpus, on each task runner: the
default threads, then a local Dask cluster of 2 worker processes (prefect-dask). Needs a Prefect
server (PREFECT_API_URL): Dask's workers report their task runs to it. No cache: both do the work.

  PREFECT_API_URL=http://127.0.0.1:4200/api .venv/bin/python bench/bench_review.py bench/.corpus/scale-70x10000
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bluebook.data.project import Layout
from bluebook.flows.review import validate_years
from bluebook.flows.tasks import task_runner

if __name__ == "__main__":  # Dask's workers are spawned: they must not run this again
    root = Path(sys.argv[1]).resolve()
    years = Layout(root).years()
    rows = []
    for label, workers in (("threads (default)", 0), ("Dask, 2 worker processes", 2)):
        t = time.perf_counter()
        checks = validate_years.with_options(task_runner=task_runner(workers))(root, years, False)
        seconds = time.perf_counter() - t
        facts = sum(c.facts for c in checks)
        violations = sorted({v for c in checks for v in c.violations}, key=lambda v: (v.file, v.line, v.code))
        rows.append(
            {
                "runner": label,
                "years": len(years),
                "facts": facts,
                "seconds": round(seconds, 1),
                "violations": len(violations),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
