"""A deadline per request: past it the handler is cancelled and the client gets 504."""

from __future__ import annotations

import asyncio

from eidos.errors import DeadlineExceededError
from eidos.logging import get_logger
from eidos.server.middleware._asgi import ASGIApp, Message, Receive, Scope, Send
from eidos.server.responses import error_response

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
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

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
            if started:
                return
            failure = DeadlineExceededError(
                f"request took longer than {self.seconds:g}s",
                details={"timeoutSeconds": self.seconds},
            )
            response = error_response(failure, scope.get("state", {}).get("request_id"))
            await response(scope, receive, send)
