"""Rate limiting by token buckets; probes and scrapes (/health, /ready, /metrics) are exempt."""

from __future__ import annotations

from eidos.errors import RateLimitError
from eidos.server.metrics import ServerMetrics
from eidos.server.middleware._asgi import ASGIApp, Receive, Scope, Send, add_headers, send_error
from eidos.server.ratelimit import RateLimiter

__all__ = ["EXEMPT_PATHS", "RateLimitMiddleware"]

EXEMPT_PATHS = frozenset({"/health", "/ready", "/metrics"})


class RateLimitMiddleware:
    """Adds ``X-RateLimit-*`` headers; answers 429 with ``Retry-After`` when out of tokens."""

    def __init__(self, app: ASGIApp, *, limiter: RateLimiter, metrics: ServerMetrics) -> None:
        self.app = app
        self.limiter = limiter
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        decision = self.limiter.check(client[0] if client else "unknown")
        if decision.allowed:
            await self.app(scope, receive, add_headers(send, decision.headers()))
            return
        self.metrics.rate_limit_rejects.inc()
        failure = RateLimitError(
            "Rate limit exceeded",
            details={"limit": decision.limit, "retryAfterSeconds": decision.retry_after},
        )
        await send_error(failure, scope, receive, add_headers(send, decision.headers()))
