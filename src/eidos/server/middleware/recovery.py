"""Turn any unexpected exception into a sanitized 500; never send a stack trace.

A request cancelled because the shutdown deadline passed is answered 503 (retryable) so
the client can go to another replica.
"""

from __future__ import annotations

import asyncio

from eidos.errors import EidosError, InternalError, UnavailableError
from eidos.logging import get_logger
from eidos.server.metrics import ServerMetrics
from eidos.server.middleware._asgi import ASGIApp, Receive, ResponseWatch, Scope, Send, send_error

__all__ = ["RecoveryMiddleware"]

log = get_logger(__name__)


class RecoveryMiddleware:
    """Catches what the handlers did not, counts it and answers 500 INTERNAL."""

    def __init__(self, app: ASGIApp, *, metrics: ServerMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watch = ResponseWatch(send)
        failure: EidosError
        try:
            await self.app(scope, receive, watch)
            return
        except asyncio.CancelledError:
            log.warning("request cancelled by shutdown", method=scope["method"], path=scope["path"])
            failure = UnavailableError("server is shutting down; retry the request")
        except Exception as exc:  # the recovery boundary: anything a handler did not handle
            self.metrics.panic_recoveries.inc()
            log.error(
                "panic recovered",
                exc=True,
                error=f"{type(exc).__name__}: {exc}",
                method=scope["method"],
                path=scope["path"],
            )
            failure = InternalError("Internal server error")
        if not watch.started:
            await send_error(failure, scope, receive, send)
