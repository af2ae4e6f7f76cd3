"""Server fixtures: in-process apps (httpx over ASGI) and real server processes on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_support import LiveServer, ThreadServer, start_server, start_thread_server

from eidos.server.app import create_app
from eidos.server.settings import ServerSettings
from eidos.server.source import EngineSource

#: In-process defaults: no rate limiting, no access log noise.
QUIET = {"rate_limit": 0.0, "client_rate_limit": 0.0, "access_log": False}


@pytest.fixture(scope="session")
def engine() -> EngineSource:
    return EngineSource.load()


@pytest.fixture
def make_client(engine: EngineSource) -> Callable[..., Any]:
    """``async with make_client(source=..., **settings) as client`` runs the app's lifespan."""
    import contextlib

    @contextlib.asynccontextmanager
    async def factory(source: Any = None, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        settings = ServerSettings(**{**QUIET, **overrides})
        app = create_app(settings, source or engine)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 4321))
            async with httpx.AsyncClient(transport=transport, base_url="http://eidos") as c:
                c.app = app  # type: ignore[attr-defined]
                yield c

    return factory


@pytest.fixture
async def client(make_client: Callable[..., Any]) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client() as c:
        yield c


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Factory of real servers; every one is stopped (SIGKILL if need be) at teardown."""
    started: list[LiveServer] = []

    def factory(env: dict[str, str] | None = None, **kwargs: Any) -> LiveServer:
        server = start_server(tmp_path, env, **kwargs)
        started.append(server)
        return server

    yield factory
    for server in started:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait(5)


@pytest.fixture(scope="module")
def shared_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One real server with rate limiting off, shared by a module's read-only tests."""
    server = start_server(
        tmp_path_factory.mktemp("live"), {"EIDOS_RATE_LIMIT": "0", "EIDOS_CLIENT_RATE_LIMIT": "0"}
    )
    yield server
    assert server.stop() == 0, server.logs()


@pytest.fixture
def thread_server(engine: EngineSource) -> Iterator[Callable[..., ThreadServer]]:
    """Factory of in-process servers on real sockets; each is stopped at teardown."""
    started: list[ThreadServer] = []

    def factory(source: Any = None, **overrides: Any) -> ThreadServer:
        server = start_thread_server(source or engine, **overrides)
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()
