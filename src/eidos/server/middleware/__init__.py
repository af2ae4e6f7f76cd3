"""The middleware chain: small pure-ASGI classes in one plain, ordered list.

Outermost first: WebSocket refusal (JSON instead of an empty 403), request ID (so
everything below can log and report it), API version header, access log, metrics,
exception recovery, rate limit, handler timeout.
"""

from __future__ import annotations

from starlette.middleware import Middleware

from eidos.server.metrics import ServerMetrics
from eidos.server.middleware.access_log import AccessLogMiddleware
from eidos.server.middleware.metrics import MetricsMiddleware
from eidos.server.middleware.rate_limit import RateLimitMiddleware
from eidos.server.middleware.recovery import RecoveryMiddleware
from eidos.server.middleware.request_id import RequestIdMiddleware, is_valid_request_id
from eidos.server.middleware.timeout import TimeoutMiddleware
from eidos.server.middleware.version import VersionHeaderMiddleware
from eidos.server.middleware.websocket import WebSocketRefusalMiddleware
from eidos.server.ratelimit import RateLimiter
from eidos.server.settings import ServerSettings

__all__ = [
    "AccessLogMiddleware",
    "MetricsMiddleware",
    "RateLimitMiddleware",
    "RecoveryMiddleware",
    "RequestIdMiddleware",
    "TimeoutMiddleware",
    "VersionHeaderMiddleware",
    "WebSocketRefusalMiddleware",
    "build_middleware",
    "is_valid_request_id",
]


def build_middleware(settings: ServerSettings, metrics: ServerMetrics) -> list[Middleware]:
    """The chain for ``settings``; disabled features are left out, not short-circuited."""
    chain = [
        Middleware(WebSocketRefusalMiddleware),
        Middleware(RequestIdMiddleware),
        Middleware(VersionHeaderMiddleware),
    ]
    if settings.access_log:
        chain.append(Middleware(AccessLogMiddleware))
    chain.append(Middleware(MetricsMiddleware, metrics=metrics))
    chain.append(Middleware(RecoveryMiddleware, metrics=metrics))
    limiter = RateLimiter(
        rate=settings.rate_limit,
        burst=settings.rate_burst,
        client_rate=settings.client_rate_limit,
        client_burst=settings.client_rate_burst,
    )
    if limiter.enabled:
        chain.append(Middleware(RateLimitMiddleware, limiter=limiter, metrics=metrics))
    chain.append(Middleware(TimeoutMiddleware, seconds=settings.handler_timeout))
    return chain
