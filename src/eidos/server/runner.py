"""Run one server process on uvicorn (uvloop + httptools) with a lossless graceful drain.

On SIGTERM/SIGINT readiness turns 503 at once and the connections start draining: every
response says ``Connection: close`` and idle connections close between requests. After
``shutdown_delay`` the listener stops taking connections, those already queued are
accepted, the listener closes, and requests in flight get ``shutdown_timeout`` to finish.
Exit 0 when they all did, 1 when the deadline cut some off. A second SIGINT forces an
immediate exit.

``EidosServer`` overrides four methods of ``uvicorn.Server`` that uvicorn does not
document (``handle_exit``, ``on_tick``, ``capture_signals``, ``shutdown``): pyproject.toml
bounds uvicorn and ``tests/server/test_uvicorn_canary.py`` checks them.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import socket
import threading
import time
from collections.abc import Generator
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

from eidos import __version__
from eidos.logging import get_logger
from eidos.server import listener
from eidos.server.app import create_app
from eidos.server.protocol import ConnectionGuard, guarded_protocol
from eidos.server.readiness import Readiness
from eidos.server.settings import ServerSettings
from eidos.server.source import RecipeSource

__all__ = ["SIGNALS", "EidosServer", "connection_guard", "serve", "uvicorn_config"]

log = get_logger(__name__)
SIGNALS = (signal.SIGINT, signal.SIGTERM)


def connection_guard(settings: ServerSettings) -> ConnectionGuard:
    """The limits every connection of one process shares."""
    return ConnectionGuard(
        max_request_line=settings.max_request_line,
        max_header_bytes=settings.max_header_bytes,
        read_header_timeout=settings.read_header_timeout,
        max_connections=settings.max_connections,
    )


def uvicorn_config(
    settings: ServerSettings, app: ASGIApp, guard: ConnectionGuard
) -> uvicorn.Config:
    """Uvicorn settings for ``app``: our protocol, no uvicorn logging config."""
    proxies = settings.trusted_proxies
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http=guarded_protocol(guard),
        lifespan="on",
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_keep_alive=max(1, round(settings.keepalive_timeout)),
        timeout_graceful_shutdown=None,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
    )


class EidosServer(uvicorn.Server):
    """uvicorn's server with readiness flipping, a drain delay and a drain deadline."""

    def __init__(
        self,
        config: uvicorn.Config,
        *,
        readiness: Readiness,
        settings: ServerSettings,
        guard: ConnectionGuard,
    ) -> None:
        super().__init__(config)
        self.readiness = readiness
        self.settings = settings
        self.guard = guard
        self.drain_expired = False
        self._exit_at: float | None = None
        self._signal: int | None = None
        self._announced = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """Signal handler: only sets flags (the drain starts on the next tick)."""
        if self._exit_at is not None:
            if sig == signal.SIGINT:
                self.force_exit = True
            return
        self.readiness.mark_draining()
        self._signal = sig
        self._exit_at = time.monotonic() + self.settings.shutdown_delay
        if self.settings.shutdown_delay <= 0:
            self.should_exit = True

    async def on_tick(self, counter: int) -> bool:
        """Run on uvicorn's 100 ms tick: start the drain, end the drain delay."""
        if self._exit_at is not None:
            self._begin_drain()
            if time.monotonic() >= self._exit_at:
                self.should_exit = True
        return await super().on_tick(counter)

    def _begin_drain(self) -> None:
        if self._announced:
            return
        self._announced = True
        log.info(
            "shutdown requested",
            signal=signal.Signals(self._signal or signal.SIGTERM).name,
            delaySeconds=self.settings.shutdown_delay,
            deadlineSeconds=self.settings.shutdown_timeout,
        )
        self.readiness.mark_draining()  # again: start-up may have followed an early signal
        self.guard.drain()

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """Install our handlers, then let blocked signals in; unlike uvicorn, never re-raise."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in SIGNALS}
        mask = signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # blocked again under main()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Stop taking connections without resetting queued ones, then drain (bounded)."""
        self._begin_drain()
        listening = list(sockets or ())
        stopped = [listener.stop_accepting(s) for s in listening]
        if listening and all(stopped):
            await listener.wait_accepted(listening)
        try:
            async with asyncio.timeout(self.settings.shutdown_timeout):
                await super().shutdown(sockets)
        except TimeoutError:
            self.drain_expired = True
            log.error(
                "shutdown deadline passed; cancelling unfinished requests",
                requests=len(self.server_state.tasks),
                deadlineSeconds=self.settings.shutdown_timeout,
            )
            for task in list(self.server_state.tasks):
                task.cancel()
            await asyncio.sleep(0.05)
        if not self.drain_expired:
            log.info("shutdown complete")


def serve(settings: ServerSettings, source: RecipeSource, sock: socket.socket) -> int:
    """Serve on the listening ``sock`` until a signal drains the server; return the exit code.

    SIGTERM/SIGINT should be blocked by the caller (``main``); they are let in once the
    handlers are installed.
    """
    readiness = Readiness()
    app = create_app(settings, source, readiness=readiness)
    guard = connection_guard(settings)
    server = EidosServer(
        uvicorn_config(settings, app, guard), readiness=readiness, settings=settings, guard=guard
    )
    log.info(
        "starting",
        service="eidos-api-server",
        version=__version__,
        host=settings.host,
        port=sock.getsockname()[1],
        rateLimit=settings.rate_limit,
        rateBurst=settings.rate_burst,
        clientRateLimit=settings.client_rate_limit,
        clientRateBurst=settings.client_rate_burst,
        handlerTimeout=settings.handler_timeout,
        readHeaderTimeout=settings.read_header_timeout,
        maxConnections=settings.max_connections,
        cacheSize=settings.cache_size,
    )
    gc.freeze()  # start-up objects (modules, recipe data) leave the collector's scans
    try:
        server.run(sockets=[sock])
    except SystemExit:
        log.error("the server could not start (see the error above)")
        return 1
    return 1 if server.drain_expired else 0
