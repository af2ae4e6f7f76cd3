"""One structured log line per request: method, path, status, duration, bytes, client."""

from __future__ import annotations

import time

from eidos.logging import get_logger
from eidos.server.middleware._asgi import ASGIApp, Receive, ResponseWatch, Scope, Send

__all__ = ["AccessLogMiddleware"]

log = get_logger("eidos.server.access")


class AccessLogMiddleware:
    """Logs ``request`` at info level when the response is finished (or failed)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watch = ResponseWatch(send)
        start = time.perf_counter()
        try:
            await self.app(scope, receive, watch)
        finally:
            client = scope.get("client")
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=watch.status or 500,
                durationMs=round((time.perf_counter() - start) * 1000, 3),
                bytes=watch.size,
                client=client[0] if client else None,
            )
