"""Run one server process on uvicorn (uvloop + httptools) with a graceful drain.

On SIGTERM/SIGINT readiness turns 503 at once; after ``shutdown_delay`` the listener
closes, idle keep-alive connections are closed, and in-flight requests get
``shutdown_timeout`` to finish. Exit 0 when they all did, 1 when the deadline cut some
off. A second SIGINT forces an immediate exit.
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

from eidos.logging import get_logger
from eidos.server.protocol import limited_protocol
from eidos.server.readiness import Readiness
from eidos.server.settings import ServerSettings
from eidos.server.source import RecipeSource

__all__ = ["EidosServer", "serve", "uvicorn_config"]

log = get_logger(__name__)
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def uvicorn_config(settings: ServerSettings, app: ASGIApp) -> uvicorn.Config:
    """Uvicorn settings for ``app``: our protocol limits, no uvicorn logging config."""
    proxies = settings.trusted_proxies
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http=limited_protocol(
            max_request_line=settings.max_request_line, max_header_bytes=settings.max_header_bytes
        ),
        lifespan="on",
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_keep_alive=max(1, round(settings.keepalive_timeout)),
        timeout_graceful_shutdown=None,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
        backlog=2048,
    )


class EidosServer(uvicorn.Server):
    """uvicorn's server with readiness flipping, a drain delay and a drain deadline."""

    def __init__(
        self, config: uvicorn.Config, *, readiness: Readiness, settings: ServerSettings
    ) -> None:
        super().__init__(config)
        self.readiness = readiness
        self.settings = settings
        self.drain_expired = False
        self._exit_at: float | None = None
        self._signal: int | None = None
        self._announced = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """Signal handler: only sets flags (logging happens on the next tick)."""
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
        """Run on uvicorn's 100 ms tick: announce the shutdown and end the drain delay."""
        if self._exit_at is not None:
            if not self._announced:
                self._announced = True
                log.info(
                    "shutdown requested",
                    signal=signal.Signals(self._signal or 15).name,
                    delaySeconds=self.settings.shutdown_delay,
                    deadlineSeconds=self.settings.shutdown_timeout,
                )
            if time.monotonic() >= self._exit_at:
                self.should_exit = True
        return await super().on_tick(counter)

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """Install our handlers; unlike uvicorn, do not re-raise the signal afterwards."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in _SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Drain as uvicorn does, bounded by ``shutdown_timeout``."""
        self.readiness.mark_draining()
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


def serve(
    settings: ServerSettings, source: RecipeSource, sockets: list[socket.socket] | None = None
) -> int:
    """Serve until a signal drains the server; return the process exit code."""
    from eidos import __version__
    from eidos.server.app import create_app

    readiness = Readiness()
    app = create_app(settings, source, readiness=readiness)
    server = EidosServer(uvicorn_config(settings, app), readiness=readiness, settings=settings)
    log.info(
        "starting",
        service="eidos-api-server",
        version=__version__,
        host=settings.host,
        port=settings.port,
        rateLimit=settings.rate_limit,
        rateBurst=settings.rate_burst,
        clientRateLimit=settings.client_rate_limit,
        clientRateBurst=settings.client_rate_burst,
        handlerTimeout=settings.handler_timeout,
        cacheSize=settings.cache_size,
    )
    gc.freeze()  # start-up objects (modules, recipe data) leave the collector's scans
    try:
        server.run(sockets=sockets)
    except SystemExit:
        log.error(
            f"could not start serving on {settings.host}:{settings.port} (see the error above); "
            "check --host and --port",
            host=settings.host,
            port=settings.port,
        )
        return 1
    return 1 if server.drain_expired else 0
