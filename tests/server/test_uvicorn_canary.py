"""Canary for the uvicorn internals eidos.server builds on (STYLE rule 19).

``server/protocol.py`` subclasses uvicorn's ``HttpToolsProtocol`` and ``server/runner.py``
overrides four ``uvicorn.Server`` methods; neither is public API. pyproject.toml bounds
uvicorn to the versions checked here. When a test below fails after an upgrade, re-read
those two modules against the new uvicorn before widening the bound. (uvicorn 0.50, for
one, closed a connection it had been told not to keep alive without saying
``Connection: close``, and clients lost requests during the drain.)
"""

from __future__ import annotations

import asyncio
import inspect
import re
from pathlib import Path

import uvicorn
from uvicorn.protocols.http import httptools_impl
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle
from uvicorn.server import Server, ServerState

from eidos.server.protocol import GuardedProtocol
from eidos.server.runner import EidosServer

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_the_installed_uvicorn_is_within_the_declared_bound():
    low, high = re.search(
        r'"uvicorn\[standard\]>=([\d.]+),<([\d.]+)"', PYPROJECT.read_text()
    ).groups()  # type: ignore[union-attr]
    assert _version(low) <= _version(uvicorn.__version__) < _version(high)


def _parameters(cls: type, name: str) -> list[str]:
    return list(inspect.signature(getattr(cls, name)).parameters)


def test_every_protocol_method_we_override_exists_with_the_same_parameters():
    ours = {
        name
        for name, value in vars(GuardedProtocol).items()
        if callable(value) and not name.startswith("_") and name != "drain"
    }
    assert ours == {
        "connection_made",
        "connection_lost",
        "handle_websocket_upgrade",
        "data_received",
        "on_message_begin",
        "on_url",
        "on_header",
        "on_headers_complete",
        "on_message_complete",
        "on_response_complete",
        "shutdown",
        "send_400_response",
    }
    for name in ours:
        assert hasattr(HttpToolsProtocol, name), name
        assert _parameters(GuardedProtocol, name) == _parameters(HttpToolsProtocol, name), name


def test_every_server_method_we_override_exists_with_the_same_parameters():
    for name in ("handle_exit", "on_tick", "capture_signals", "shutdown"):
        assert _parameters(EidosServer, name) == _parameters(Server, name), name
    assert inspect.iscoroutinefunction(Server.on_tick)
    assert inspect.iscoroutinefunction(Server.shutdown)
    source = inspect.getsource(Server)
    assert "await self.on_tick(" in source  # the tick drives the drain delay
    assert "connection.shutdown()" in source  # each connection is asked to drain
    assert "self.server_state.connections" in source  # and waited for


def test_the_protocol_state_we_read_is_still_there():
    async def app(scope, receive, send):  # pragma: no cover - never called
        raise AssertionError

    config = uvicorn.Config(app, log_config=None, lifespan="off")
    config.load()

    async def build() -> HttpToolsProtocol:
        return HttpToolsProtocol(config=config, server_state=ServerState(), app_state={})

    protocol = asyncio.run(build())
    for attribute in ("cycle", "pipeline", "transport", "server_state", "loop", "client", "flow"):
        assert hasattr(protocol, attribute), attribute
    assert {"connections", "tasks", "default_headers"} <= set(vars(protocol.server_state))
    assert all(httptools_impl.STATUS_LINE[s] for s in (400, 408, 414, 431, 503))


class _Transport:
    def __init__(self) -> None:
        self.written = b""
        self.closed = False

    def write(self, data: bytes) -> None:
        self.written += data

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


def test_a_cycle_told_not_to_keep_alive_says_connection_close_and_closes():
    """The drain and the body rule set ``cycle.keep_alive = False`` and rely on this."""
    transport = _Transport()
    completed: list[bool] = []

    async def respond() -> None:
        cycle = RequestResponseCycle(
            scope={"type": "http", "method": "GET", "http_version": "1.1", "headers": []},  # type: ignore[typeddict-item]
            transport=transport,  # type: ignore[arg-type]
            flow=None,  # type: ignore[arg-type]
            logger=None,  # type: ignore[arg-type]
            access_logger=None,  # type: ignore[arg-type]
            access_log=False,
            default_headers=[],
            message_event=asyncio.Event(),
            expect_100_continue=False,
            keep_alive=True,
            on_response=lambda: completed.append(True),
        )
        cycle.flow = type("Flow", (), {"write_paused": False})()  # type: ignore[assignment]
        cycle.keep_alive = False
        await cycle.send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
        )
        await cycle.send({"type": "http.response.body", "body": b"ok"})
        assert cycle.response_complete

    asyncio.run(respond())
    assert b"\r\nconnection: close\r\n" in transport.written.lower()
    assert transport.closed and completed == [True]
