"""Helpers for the server tests: fake recipe sources and real server processes."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
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
