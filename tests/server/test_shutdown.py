"""SIGTERM against a real server process: no request lost, and exit 0 however early it comes."""

from __future__ import annotations

import http.client
import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import pytest

PATH = "/v1/recipe?os=ubuntu&gpu=h100&service=eks"
QUIET = {"EIDOS_RATE_LIMIT": "0", "EIDOS_CLIENT_RATE_LIMIT": "0", "EIDOS_ACCESS_LOG": "false"}


@dataclass
class KeepAliveClient:
    """Sends requests back to back on one keep-alive connection until the server is gone.

    Like the connection pools of real clients, it reconnects after ``Connection: close`` and
    does not reuse a connection the server has already closed. A request that was sent and
    got no response is lost; a connection refused means the server stopped listening.
    """

    port: int
    closes: list[bool] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)

    def run(self) -> None:
        conn: http.client.HTTPConnection | None = None
        while True:
            if conn is not None and conn.sock is not None and _closed_by_server(conn):
                conn.close()
                conn = None
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                try:
                    conn.connect()
                except OSError:
                    return  # refused: the listener is closed
            try:
                conn.request("GET", PATH)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                self.lost.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                return
            assert response.status == 200
            self.closes.append(response.will_close)
            if response.will_close:
                conn.close()
                conn = None


def _closed_by_server(conn: http.client.HTTPConnection) -> bool:
    readable, _, _ = select.select([conn.sock], [], [], 0)
    return bool(readable)


@pytest.mark.parametrize(
    "delay", ["0s", "0s", "0s", "1s", "1s"], ids=["now-1", "now-2", "now-3", "delay-1", "delay-2"]
)
def test_sigterm_under_keep_alive_traffic_loses_no_request(live, delay):
    server = live({**QUIET, "EIDOS_SHUTDOWN_DELAY": delay})
    clients = [KeepAliveClient(server.port) for _ in range(8)]
    threads = [threading.Thread(target=c.run) for c in clients]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while not all(c.closes for c in clients) and time.monotonic() < deadline:
        time.sleep(0.01)  # every client has had a response on its keep-alive connection
    server.proc.send_signal(signal.SIGTERM)
    for thread in threads:
        thread.join(30)
    assert server.proc.wait(15) == 0, server.logs()
    assert not any(thread.is_alive() for thread in threads)
    seen = [(c.lost, len(c.closes), c.closes[-3:]) for c in clients]  # said when it fails
    assert [c.lost for c in clients] == [[]] * len(clients), (seen, server.logs())
    assert any(True in c.closes for c in clients), (seen, server.logs())  # the drain said close
    for client in clients:
        assert client.closes[0] is False  # (keep-alive while serving)
        if True in client.closes:  # ... and, once it did, said it on every response
            assert all(client.closes[client.closes.index(True) :])


def _start(env: dict[str, str], wait_for: str) -> subprocess.Popen[str]:
    """Start the server and return as soon as its stderr shows ``wait_for``."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "eidos.server"],
        env={**os.environ, "HOST": "127.0.0.1", "PORT": "0", **QUIET, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if wait_for in line:
            return proc
    proc.wait(10)
    raise AssertionError(f"the server exited {proc.returncode} before logging {wait_for!r}")


@pytest.mark.parametrize(
    ("workers", "moment"),
    [("1", '"starting"'), ("2", '"workers started"'), ("2", '"workers started"')],
    ids=["one-process", "workers-1", "workers-2"],
)
def test_a_sigterm_while_starting_still_drains_and_exits_0(workers, moment):
    proc = _start({"EIDOS_WORKERS": workers}, moment)
    try:
        proc.send_signal(signal.SIGTERM)  # before the server (or its workers) can handle it
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, stderr
    assert stderr.count('"shutdown complete"') == int(workers)
