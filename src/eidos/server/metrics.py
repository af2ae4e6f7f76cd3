"""Prometheus metrics of one server process, in a registry of its own (no globals).

Names and help texts are the reference server's. Label values are bounded: ``path`` is a
known route or ``other``, ``method`` a standard method or ``other``, so junk requests
cannot grow the series count.
"""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from eidos.server.page import PAGE_PATHS

__all__ = ["API_ROUTES", "GO_BUCKETS", "ROUTES", "ServerMetrics"]

#: Go's prometheus.DefBuckets (the Python client's defaults differ).
GO_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: The only path label values besides "other".
API_ROUTES = (
    "/",
    "/v1/recipe",
    "/v1/query",
    "/v1/criteria",
    "/v1/validate",
    "/v1/bundle",
    "/health",
    "/ready",
    "/metrics",
    "/openapi.json",
)
#: Every route: the API's and the explorer page's files.
ROUTES = (*API_ROUTES, *PAGE_PATHS)
_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"}
)
_ROUTES = frozenset(ROUTES)


class ServerMetrics:
    """The server's counters, gauges and histograms and their exposition."""

    def __init__(self) -> None:
        disable_created_metrics()  # type: ignore[no-untyped-call]
        self.registry = registry = CollectorRegistry()
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        GCCollector(registry=registry)
        self.requests = Counter(
            "eidos_http_requests",
            "Total number of HTTP requests",
            ("method", "path", "status"),
            registry=registry,
        )
        self.duration = Histogram(
            "eidos_http_request_duration_seconds",
            "HTTP request latency in seconds",
            ("method", "path"),
            buckets=GO_BUCKETS,
            registry=registry,
        )
        self.in_flight = Gauge(
            "eidos_http_requests_in_flight",
            "Current number of HTTP requests being processed",
            registry=registry,
        )
        self.rate_limit_rejects = Counter(
            "eidos_rate_limit_rejects",
            "Total number of requests rejected due to rate limiting",
            registry=registry,
        )
        self.panic_recoveries = Counter(
            "eidos_panic_recoveries",
            "Total number of panics recovered in HTTP handlers",
            registry=registry,
        )
        self.recipe_builds = Histogram(
            "eidos_recipe_build_duration_seconds",
            "Duration of recipe generation in seconds",
            buckets=GO_BUCKETS,
            registry=registry,
        )
        self.rule_matches = Counter(
            "eidos_recipe_rule_match",
            "Total number of recipe rules matched",
            ("matched",),
            registry=registry,
        )
        self.cache_lookups = Counter(
            "eidos_recipe_cache_lookups",
            "Recipe response cache lookups by result",
            ("result",),
            registry=registry,
        )
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe_request(self, method: str, path: str, status: int, seconds: float) -> None:
        """Count one finished request and record its latency."""
        key = (
            method if method in _METHODS else "other",
            path if path in _ROUTES else "other",
            status,
        )
        children = self._children.get(key)
        if children is None:
            children = (
                self.requests.labels(key[0], key[1], str(status)),
                self.duration.labels(key[0], key[1]),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric in the registry."""
        return generate_latest(self.registry)
