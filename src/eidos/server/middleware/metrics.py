"""Request count, latency histogram and in-flight gauge for every HTTP request."""

from __future__ import annotations

import time

from eidos.server.metrics import ServerMetrics
from eidos.server.middleware._asgi import ASGIApp, Receive, ResponseWatch, Scope, Send

__all__ = ["MetricsMiddleware"]


class MetricsMiddleware:
    """Observes status and duration; a request that raised counts as 500."""

    def __init__(self, app: ASGIApp, *, metrics: ServerMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watch = ResponseWatch(send)
        metrics = self.metrics
        metrics.in_flight.inc()
        start = time.perf_counter()
        try:
            await self.app(scope, receive, watch)
        finally:
            metrics.in_flight.dec()
            metrics.observe_request(
                scope["method"], scope["path"], watch.status or 500, time.perf_counter() - start
            )
