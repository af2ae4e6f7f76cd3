"""A deadline per request: past it the handler is cancelled and the client gets 504."""

from __future__ import annotations

import asyncio

from eidos.errors import DeadlineExceededError
from eidos.logging import get_logger
from eidos.server.middleware._asgi import ASGIApp, Receive, ResponseWatch, Scope, Send, send_error

__all__ = ["TimeoutMiddleware"]

log = get_logger(__name__)


class TimeoutMiddleware:
    """Cancels a request after ``seconds`` and answers 504 TIMEOUT if nothing was sent."""

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watch = ResponseWatch(send)
        deadline = asyncio.timeout(self.seconds)
        try:
            async with deadline:
                await self.app(scope, receive, watch)
        except TimeoutError:
            if not deadline.expired():
                raise
            log.warning(
                "request timed out",
                method=scope["method"],
                path=scope["path"],
                timeout=self.seconds,
            )
            if watch.started:
                return
            failure = DeadlineExceededError(
                f"request took longer than {self.seconds:g}s",
                details={"timeoutSeconds": self.seconds},
            )
            await send_error(failure, scope, receive, send)
