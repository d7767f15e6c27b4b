"""The README's contract: `./zt demo` sets everything up and serves the demo county."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 180  # seconds for migrate + collectstatic + demo data + first heartbeat


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the demo runs on the embedded database only")
def test_demo_command_serves_the_portal_with_a_working_worker(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "ZT_ENV")}
    env.update({"ZT_DATA_DIR": str(tmp_path / "data"), "ZT_SCHEDULER_INTERVAL": "2"})
    log = (tmp_path / "demo.log").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhengtong.cli", "demo", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        state, started = None, time.monotonic()
        while time.monotonic() - started < DEADLINE:
            assert proc.poll() is None, (tmp_path / "demo.log").read_text()
            try:
                status, body = fetch(base + "/healthz")
                state = json.loads(body)
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, json.JSONDecodeError):
                pass
            time.sleep(1)
        assert state and state["ok"], f"healthz never became healthy: {state}\n{(tmp_path / 'demo.log').read_text()}"
        assert state["database"]["vendor"] == "sqlite" and state["worker"]["ok"]

        status, home = fetch(base + "/")
        assert status == 200 and "木垒" in home and "信息公开" in home
        assert fetch(base + "/rss.xml")[0] == 200
        assert fetch(base + "/admin/login/")[0] == 200

        output = (tmp_path / "demo.log").read_text()
        assert re.search(r"admin\s", output), output  # the staff login table is printed
        assert "admin/admin" not in output
        assert (tmp_path / "data" / "db.sqlite3").exists()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
