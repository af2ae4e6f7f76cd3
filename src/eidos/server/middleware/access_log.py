"""One structured log line per request: method, path, status, duration, bytes, client."""

from __future__ import annotations

import time

from eidos.logging import get_logger
from eidos.server.middleware._asgi import ASGIApp, Message, Receive, Scope, Send

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
        status = 500
        size = 0

        async def watch(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        start = time.perf_counter()
        try:
            await self.app(scope, receive, watch)
        finally:
            client = scope.get("client")
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                durationMs=round((time.perf_counter() - start) * 1000, 3),
                bytes=size,
                client=client[0] if client else None,
            )
