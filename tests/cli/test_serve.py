"""``eidos serve``: the same server as ``eidos-api-server``, started through the CLI."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import httpx

from eidos.cli import serve as cli_serve
from eidos.server.settings import OPTIONS


def test_serve_declares_exactly_the_server_options():
    assert [(o.flag, o.metavar, o.help, o.env) for o in OPTIONS] == list(cli_serve.OPTIONS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_runs_the_api_server_and_drains_on_sigterm():
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "eidos",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--rate-limit",
            "0",
            "--access-log",
            "false",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/v1/recipe?gpu=h100&service=eks")
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        assert r.status_code == 200 and r.json()["request"] == {"service": "eks", "gpu": "h100"}
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_serve_rejects_bad_values_like_the_server():
    proc = subprocess.run(
        [sys.executable, "-m", "eidos", "serve", "--handler-timeout", "soon"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: invalid --handler-timeout 'soon'")
