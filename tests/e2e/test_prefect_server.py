"""End to end on a real Prefect server on loopback, with the commands of `make server`
(scripts/serve): start `prefect server start`, create the process work pool, deploy from the real
prefect.yaml, create the notification automations with scripts/automations.py (posting to a
webhook receiver this test runs on 127.0.0.1), and run through one process worker: the on-demand
review of the real data (Completed, with its change report), the same review of a broken copy
(Failed, naming the broken fact, and one message to the webhook naming the broken contract) and the
`diff` deployment. The weekly deployment keeps its active Tokyo schedule, and the worker never runs
it: the test's runs go to a work queue of their own, which is all the worker polls.

One server for the module (about 10 s to start); the three runs go to the worker together. Every
process started is stopped by its process id. Slow (about a minute) and marked e2e; `make test`
runs it."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO

from bench.prefect_server import BIN, start_server, stop

pytestmark = pytest.mark.e2e
POOL = "bluebook-process"
QUEUE = "e2e"  # the test's runs only; the deployments (and so the weekly schedule) use "default"
STALE_WINDOW = 10  # seconds: the e2e copy of automations/review-stale.yaml (8 days there)

# Create the test's flow runs in the test's own work queue (created on the fly by the server).
CREATE_RUNS = r"""
import asyncio, json, sys
from prefect.client.orchestration import get_client

async def main(queue, wanted):
    async with get_client() as client:
        ids = {}
        for key, (name, params) in json.loads(wanted).items():
            deployment = await client.read_deployment_by_name(name)
            run = await client.create_flow_run_from_deployment(deployment.id, parameters=params, work_queue_name=queue)
            ids[key] = str(run.id)
        print(json.dumps(ids))
asyncio.run(main(sys.argv[1], sys.argv[2]))
"""

# Wait for the runs to end, then read back their states, artifacts, the weekly deployment's schedule
# and every flow run that left the Scheduled state (in a process of its own, so that this test's
# process never imports Prefect with the server's settings).
READ_RUNS = r"""
import asyncio, json, sys
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (ArtifactFilter, ArtifactFilterFlowRunId, DeploymentFilter,
    DeploymentFilterId, FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType)
from prefect.client.schemas.objects import StateType

async def main(ids):
    out = {"runs": {}}
    async with get_client() as client:
        for key, run_id in ids.items():
            for _ in range(900):
                run = await client.read_flow_run(run_id)
                if run.state and run.state.is_final():
                    break
                await asyncio.sleep(0.5)
            arts = await client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
            out["runs"][key] = {"id": run_id, "state": run.state.type.value, "message": run.state.message,
                                "artifacts": {a.key: a.data for a in arts if a.key}}
        weekly = await client.read_deployment_by_name("review/review-weekly")
        out["weekly"] = {"paused": weekly.paused, "schedules": [
            {"active": s.active, "cron": getattr(s.schedule, "cron", None), "timezone": getattr(s.schedule, "timezone", None)}
            for s in weekly.schedules]}
        weekly_runs = await client.read_flow_runs(deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[weekly.id])))
        out["weekly_runs"] = [r.state.type.value for r in weekly_runs]
        started = await client.read_flow_runs(flow_run_filter=FlowRunFilter(
            state=FlowRunFilterState(type=FlowRunFilterStateType(not_any_=[StateType.SCHEDULED]))))
        out["started"] = sorted(str(r.id) for r in started)
    print(json.dumps(out))
asyncio.run(main(json.loads(sys.argv[1])))
"""


class Receiver:
    """A webhook receiver on 127.0.0.1 (the port the OS gives, so no race): keeps the JSON bodies
    POSTed to it (at most 200, each at most 64 KB) and answers 200."""

    def __init__(self):
        received: list[dict] = []
        self.received = received

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                size = min(int(self.headers.get("Content-Length") or 0), 65536)
                body = self.rfile.read(size)
                if len(received) < 200:
                    try:
                        received.append({"content_type": self.headers.get("Content-Type"), "json": json.loads(body)})
                    except ValueError:
                        received.append({"content_type": self.headers.get("Content-Type"), "raw": body[:2000]})
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def texts(self, containing: str) -> list[str]:
        return [
            m["json"]["text"]
            for m in list(self.received)
            if isinstance(m.get("json"), dict) and containing in str(m["json"].get("text"))
        ]

    def wait_for(self, containing: str, timeout: float) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.texts(containing)
            if found:
                return found
            time.sleep(0.5)
        return []


def run(env: dict, *args: str, cwd: Path = REPO, timeout: float = 180) -> str:
    done = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    r.thread.start()
    yield r
    r.httpd.shutdown()
    r.httpd.server_close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, receiver):
    home = tmp_path_factory.mktemp("prefect-home")
    base_env = dict(
        os.environ,
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_UI_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_SERVER_EPHEMERAL_ENABLED="false",
        GX_ANALYTICS_ENABLED="false",
        BLUEBOOK_WEBHOOK_URL=receiver.url,
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    proc, env = start_server(home, base_env)
    try:
        run(env, str(BIN / "prefect"), "work-pool", "create", POOL, "--type", "process")
        out = run(env, str(BIN / "prefect"), "--no-prompt", "deploy", "--all")
        assert "review/review-on-demand" in out and "review/review-weekly" in out and "diff/diff" in out
        # the automations of scripts/serve, and a copy of the stale one with a window of seconds
        stale = (REPO / "automations" / "review-stale.yaml").read_text(encoding="utf-8")
        assert "within: 691200" in stale
        quick = home / "review-stale-e2e.yaml"
        quick.write_text(
            stale.replace("name: bluebook-review-stale", "name: bluebook-review-stale-e2e").replace(
                "within: 691200", f"within: {STALE_WINDOW}"
            ),
            encoding="utf-8",
        )
        files = [*sorted((REPO / "automations").glob("*.yaml")), quick]
        out = run(env, sys.executable, str(REPO / "scripts" / "automations.py"), *map(str, files))
        assert "automation bluebook-review-failed: created" in out, out
        assert "automation bluebook-review-stale: created" in out, out
        yield env
    finally:
        stop(proc)
    assert proc.poll() is not None


@pytest.fixture(scope="module")
def runs(server, tmp_path_factory):
    """The three runs of the test, done by one worker that polls only the test's queue."""
    tmp = tmp_path_factory.mktemp("runs")
    broken = tmp / "broken"
    for part in ("snapshots", "sources"):
        shutil.copytree(REPO / part, broken / part)
    path = broken / "snapshots" / "2025" / "memberships.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: brics.vnm\n")
    line_end = text.index("  status: partner\n", start)
    path.write_text(
        text[:line_end] + "  status: partnr\n" + text[line_end + len("  status: partner\n") :], encoding="utf-8"
    )
    wanted = {
        "review": ["review/review-on-demand", {"out": str(tmp / "reports")}],
        "broken": ["review/review-on-demand", {"root": str(broken), "out": str(tmp / "broken-reports")}],
        "diff": ["diff/diff", {"base": "2024", "head": "2025", "out": str(tmp / "diffs")}],
    }
    ids = json.loads(run(server, sys.executable, "-c", CREATE_RUNS, QUEUE, json.dumps(wanted)).strip().splitlines()[-1])
    log_path = tmp / "worker.log"
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [
                str(BIN / "prefect"),
                "worker",
                "start",
                "--pool",
                POOL,
                "--work-queue",
                QUEUE,
                "--run-once",
                "--limit",
                str(len(ids)),
            ],
            cwd=REPO,
            env=server,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        out = run(server, sys.executable, "-c", READ_RUNS, json.dumps(ids), timeout=480)
        worker.wait(timeout=60)
    finally:
        stop(worker)
    result = json.loads(out.strip().splitlines()[-1])
    result["ids"] = ids
    result["tmp"] = tmp
    result["worker_log"] = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
    return result


def test_weekly_schedule_is_active_and_never_run_by_the_test(runs):
    weekly = runs["weekly"]
    assert weekly["paused"] is False
    assert weekly["schedules"] == [{"active": True, "cron": "0 6 * * 1", "timezone": "Asia/Tokyo"}]
    # the worker ran the test's three runs and nothing else: no weekly run left the Scheduled state
    assert runs["started"] == sorted(runs["ids"].values()), runs["worker_log"]
    assert set(runs["weekly_runs"]) <= {"SCHEDULED"}


def test_review_on_a_real_server(runs):
    result = runs["runs"]["review"]
    assert result["state"] == "COMPLETED", f"{result['message']}\n{runs['worker_log']}"
    report = result["artifacts"]["bluebook-changes-2024-2025"]
    assert "Viet Nam became a partner of BRICS (2025-06)" in report
    assert "New START: expired (2026-02); before: suspended" in report
    assert "bluebook-violations" in result["artifacts"] and "bluebook-review-summary" in result["artifacts"]
    assert (runs["tmp"] / "reports" / "latest" / "changes-2024-2025.html").is_file()
    # The pictures over all years and the index page, for the Prefect UI.
    assert "| Viet Nam | — | — | partner |" in result["artifacts"]["bluebook-over-the-years"]
    assert "index.html" in str(result["artifacts"]["bluebook-index"])
    grid = json.loads(result["artifacts"]["bluebook-membership-grid"])
    sau = next(r for r in grid if r["organization"] == "BRICS" and r["member"] == "Saudi Arabia")
    assert (sau["2023"], sau["2024"], sau["2025"]) == ("invited", "member", "invited ⚠")


def test_broken_data_fails_and_names_the_fact(runs):
    result = runs["runs"]["broken"]
    assert result["state"] == "FAILED", f"{result['message']}\n{runs['worker_log']}"
    assert "schema.enum" in result["message"]
    violations = result["artifacts"]["bluebook-violations"]
    assert "brics.vnm" in violations and "partnr" in violations


def test_diff_deployment_on_a_real_server(runs):
    result = runs["runs"]["diff"]
    assert result["state"] == "COMPLETED", f"{result['message']}\n{runs['worker_log']}"
    report = result["artifacts"]["bluebook-diff-2024-2025"]
    assert "Viet Nam became a partner of BRICS (2025-06)" in report
    assert (runs["tmp"] / "diffs" / "changes-2024-2025.html").is_file()


def test_a_failed_review_posts_one_message_naming_the_broken_contract(runs, receiver):
    assert runs["runs"]["broken"]["state"] == "FAILED"
    failed = receiver.wait_for("ended Failed", timeout=60)
    assert failed, f"no message reached the webhook; received: {receiver.received}"
    time.sleep(3)  # a second message for the same run would come within the same few seconds
    failed = receiver.texts("ended Failed")
    assert len(failed) == 1, failed
    text = failed[0]
    assert "schema.enum" in text and "brics.vnm" in text
    assert f"/runs/flow-run/{runs['ids']['broken']}|" in text  # the Slack link to the run
    assert all(m["content_type"] == "application/json" for m in receiver.received)
    # the completed review and the diff posted nothing of their own
    assert not receiver.texts("ended Completed")


def test_no_completed_review_within_the_window_notifies(runs, receiver):
    texts = receiver.wait_for(f"no review run has completed in the last {STALE_WINDOW} seconds", timeout=60)
    assert texts, f"the stale-review automation did not post; received: {receiver.received}"
    assert "review/review-weekly" in texts[0]
    # the real automation's window is 8 days: it has not fired
    assert not receiver.texts("in the last 8 days")


DASK_REVIEW = """
import sys
from bluebook.flows.review import review
state = review(root=sys.argv[1], workers=2, cache=False, out=sys.argv[2], return_state=True)
print("STATE", state.name, state.message)
"""


def test_the_review_validates_the_years_on_a_local_dask_cluster(server, tmp_path):
    """workers=2: each year's task runs in a worker process of a temporary Dask cluster that reports
    to the server, and the review ends as the threads' review does."""
    root = tmp_path / "copy"
    shutil.copytree(REPO / "snapshots", root / "snapshots")
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copytree(REPO / "expectations", root / "expectations")
    out = run(server, sys.executable, "-c", DASK_REVIEW, str(root), str(tmp_path / "reports"), timeout=300)
    assert "STATE Completed 3 year(s), 616 facts; 0 errors, 1 warning in 1 file" in out  # the BRICS step back
