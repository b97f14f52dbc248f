"""A Prefect server on a free port of 127.0.0.1 for a test or a benchmark: started with
`prefect server start`, known to be ours by its PREFECT_HOME, stopped by its process group."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def start_server(home: Path, base_env: dict, attempts: int = 5) -> tuple[subprocess.Popen, dict]:
    """Start `prefect server start` on a free port. Another process can take the port between
    choosing it and binding it: the server then exits at once (retry on another port), or another
    Prefect server answers there (so the answer must come from a server with our PREFECT_HOME)."""
    for _ in range(attempts):
        port = free_port()
        env = dict(base_env, PREFECT_API_URL=f"http://127.0.0.1:{port}/api")
        log_path = home / f"server-{port}.log"
        with open(log_path, "w") as log:
            proc = subprocess.Popen(
                [
                    str(BIN / "prefect"),
                    "server",
                    "start",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--no-ui",
                    "--analytics-off",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/admin/settings", timeout=2) as r:
                    settings = json.load(r)
                if Path(str(settings.get("home"))).resolve() == home.resolve():
                    return proc, env
                stop(proc)  # someone else's server holds the port: ours cannot have bound it
                break
            except (OSError, ValueError):
                time.sleep(0.5)
        stop(proc)
        text = " ".join(log_path.read_text(errors="replace").split())  # the message may be wrapped
        if "already in use" not in text and "address in use" not in text.lower():
            raise RuntimeError(f"the Prefect server did not start:\n{text[-3000:]}")
    raise RuntimeError(f"no free port for the Prefect server in {attempts} attempts")
