"""End to end on a real Prefect server on loopback: start `prefect server start`, create the process
work pool, deploy from the real prefect.yaml, run the on-demand review through a process worker,
and read the artifacts back through the Prefect client. A second run on a broken copy of the data
must end Failed with the broken fact in its violations artifact. Everything started is stopped by
process id. Slow (about a minute and a half) and marked e2e; `make test` runs it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent
POOL = "bluebook-process"

# Read a flow run's final state and its artifacts through the Prefect client (in a process of its
# own, so that this test's process never imports Prefect with the server's settings).
READ_RUN = r"""
import asyncio, json, sys
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, FlowRunFilter

async def main(run_id):
    async with get_client() as client:
        for _ in range(600):
            run = await client.read_flow_run(run_id)
            if run.state and run.state.is_final():
                break
            await asyncio.sleep(0.5)
        arts = await client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
        print(json.dumps({"state": run.state.type.value, "message": run.state.message,
                          "artifacts": {a.key: a.data for a in arts if a.key}}))
asyncio.run(main(sys.argv[1]))
"""

CREATE_RUN = r"""
import asyncio, json, sys
from prefect.client.orchestration import get_client

async def main(name, params):
    async with get_client() as client:
        deployment = await client.read_deployment_by_name(name)
        run = await client.create_flow_run_from_deployment(deployment.id, parameters=json.loads(params))
        print(run.id)
asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(env: dict, *args: str, cwd: Path = REPO, timeout: float = 180) -> str:
    done = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    env = dict(os.environ, PREFECT_HOME=str(home), PREFECT_API_URL=f"http://127.0.0.1:{port}/api",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_SERVER_UI_ENABLED="false", DO_NOT_TRACK="1",
               PREFECT_SERVER_EPHEMERAL_ENABLED="false", GX_ANALYTICS_ENABLED="false",
               PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    log = open(home / "server.log", "w")  # noqa: SIM115 - held open for the server process, closed at teardown
    proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port),
                             "--no-ui", "--analytics-off"], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, (home / "server.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the Prefect server did not answer /api/health in 120 s"
            time.sleep(0.5)
        run(env, str(BIN / "prefect"), "work-pool", "create", POOL, "--type", "process")
        out = run(env, str(BIN / "prefect"), "--no-prompt", "deploy", "--all")
        assert "review/review-on-demand" in out and "review/review-weekly" in out
        yield env
    finally:
        stop(proc)
        log.close()
    assert proc.poll() is not None


def review_through_worker(env: dict, params: dict) -> dict:
    run_id = run(env, sys.executable, "-c", CREATE_RUN, "review/review-on-demand", json.dumps(params)).strip()
    log_path = Path(env["PREFECT_HOME"]) / f"worker-{run_id}.log"
    with open(log_path, "w") as log:
        worker = subprocess.Popen([str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--run-once"], cwd=REPO,
                                  env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            out = run(env, sys.executable, "-c", READ_RUN, run_id, timeout=420)
            worker.wait(timeout=60)
        finally:
            stop(worker)
    result = json.loads(out.strip().splitlines()[-1])
    result["worker_log"] = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
    return result


def test_scheduled_deployment_has_its_tokyo_schedule(server):
    out = run(server, str(BIN / "prefect"), "deployment", "inspect", "review/review-weekly")
    assert "0 6 * * 1" in out and "Asia/Tokyo" in out


def test_review_on_a_real_server(server, tmp_path):
    result = review_through_worker(server, {"out": str(tmp_path / "reports")})
    assert result["state"] == "COMPLETED", f"{result['message']}\n{result['worker_log']}"
    report = result["artifacts"]["bluebook-changes-2024-2025"]
    assert "Viet Nam became a partner of BRICS (2025-06)" in report
    assert "New START: expired (2026-02); before: suspended" in report
    assert "bluebook-violations" in result["artifacts"] and "bluebook-review-summary" in result["artifacts"]
    assert (tmp_path / "reports" / "latest" / "changes-2024-2025.html").is_file()
    # The pictures over all years and the index page, for the Prefect UI.
    assert "| Viet Nam | — | — | partner |" in result["artifacts"]["bluebook-over-the-years"]
    assert "index.html" in str(result["artifacts"]["bluebook-index"])
    grid = json.loads(result["artifacts"]["bluebook-membership-grid"])
    sau = next(r for r in grid if r["organization"] == "BRICS" and r["member"] == "Saudi Arabia")
    assert (sau["2023"], sau["2024"], sau["2025"]) == ("invited", "member", "invited ⚠")


def test_broken_data_fails_and_names_the_fact(server, tmp_path):
    broken = tmp_path / "broken"
    for part in ("snapshots", "sources"):
        shutil.copytree(REPO / part, broken / part)
    path = broken / "snapshots" / "2025" / "memberships.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: brics.vnm\n")
    line_end = text.index("  status: partner\n", start)
    path.write_text(text[:line_end] + "  status: partnr\n" + text[line_end + len("  status: partner\n"):],
                    encoding="utf-8")
    result = review_through_worker(server, {"root": str(broken), "out": str(tmp_path / "reports")})
    assert result["state"] == "FAILED"
    assert "schema.enum" in result["message"]
    violations = result["artifacts"]["bluebook-violations"]
    assert "brics.vnm" in violations and "partnr" in violations
