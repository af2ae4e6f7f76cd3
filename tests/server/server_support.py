"""Helpers for the server tests: fake recipe sources and real server processes."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from eidos.model import Query, Recipe

HERE = Path(__file__).parent


class FailingSource:
    """A source that raises whatever it was given (for recovery tests)."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    async def build(self, query: Query) -> Recipe:
        raise self.exc


class SlowSource:
    """Wraps a source and sleeps first (for timeout and drain tests)."""

    def __init__(self, inner: Any, delay: float) -> None:
        self.inner, self.delay = inner, delay

    async def build(self, query: Query) -> Recipe:
        await asyncio.sleep(self.delay)
        result: Recipe = await self.inner.build(query)
        return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """A server process on 127.0.0.1 and how to reach and stop it."""

    proc: subprocess.Popen[str]
    port: int
    stderr_path: Path
    url: str = field(init=False)

    def __post_init__(self) -> None:
        self.url = f"http://127.0.0.1:{self.port}"

    def logs(self) -> str:
        return self.stderr_path.read_text()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout)


def start_server(
    tmp_path: Path,
    env: dict[str, str] | None = None,
    *,
    slow: float | None = None,
    args: tuple[str, ...] = (),
) -> LiveServer:
    """Start ``eidos-api-server`` (or the slow test launcher) and wait until /ready is 200."""
    port = free_port()
    command = (
        [sys.executable, str(HERE / "slow_server.py"), str(slow)]
        if slow is not None
        else [sys.executable, "-m", "eidos.server"]
    )
    full_env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), **(env or {})}
    stderr_path = tmp_path / f"server-{port}.log"
    with stderr_path.open("w") as sink:
        proc = subprocess.Popen(
            [*command, *args], env=full_env, stdout=subprocess.DEVNULL, stderr=sink, text=True
        )
    server = LiveServer(proc, port, stderr_path)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited {proc.returncode}: {server.logs()}")
        try:
            if httpx.get(f"{server.url}/ready", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.05)
    server.stop(signal.SIGKILL)
    raise AssertionError(f"server did not become ready: {server.logs()}")


@dataclass
class ThreadServer:
    """A real server (uvicorn + our protocol) on 127.0.0.1, run by a thread of this process."""

    server: Any
    guard: Any
    port: int
    thread: threading.Thread
    loop: asyncio.AbstractEventLoop

    def call(self, function: Any) -> None:
        """Run ``function`` on the server's event loop."""
        self.loop.call_soon_threadsafe(function)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)
        assert not self.thread.is_alive(), "the server thread did not stop"


def start_thread_server(source: Any, customize: Any = None, **overrides: Any) -> ThreadServer:
    """Start the server in a thread (no signal handling there) and wait until it listens.

    ``customize(app)``, when given, may change the app before it serves (a test route).
    """
    from eidos.server.app import create_app
    from eidos.server.listener import bind
    from eidos.server.readiness import Readiness
    from eidos.server.runner import EidosServer, connection_guard, uvicorn_config
    from eidos.server.settings import ServerSettings

    quiet = {"rate_limit": 0.0, "client_rate_limit": 0.0, "access_log": False}
    settings = ServerSettings(**{**quiet, "host": "127.0.0.1", "port": 0, **overrides})
    sock = bind("127.0.0.1", 0)
    readiness = Readiness()
    app = create_app(settings, source, readiness=readiness)
    if customize is not None:
        customize(app)
    guard = connection_guard(settings)
    config = uvicorn_config(settings, app, guard)
    server = EidosServer(config, readiness=readiness, settings=settings, guard=guard)
    loops: list[asyncio.AbstractEventLoop] = []

    def run() -> None:
        with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
            loops.append(runner.get_loop())
            runner.run(server.serve(sockets=[sock]))

    thread = threading.Thread(target=run, name="eidos-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    return ThreadServer(server, guard, sock.getsockname()[1], thread, loops[0])


def read_until_closed(sock: socket.socket, *, timeout: float = 10) -> bytes:
    """Everything the server sends until it closes the connection (a reset ends it too)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


def responses(data: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """Split raw HTTP/1.1 responses (Content-Length framed) into (status, headers, body)."""
    found = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        size = int(headers.get("content-length", "0"))
        found.append((int(lines[0].split()[1]), headers, rest[:size]))
        data = rest[size:]
    return found
