"""Readiness: not ready while starting, ready after start-up, not ready once draining."""

from __future__ import annotations

__all__ = ["Readiness"]


class Readiness:
    """A flag with a reason, flipped by the lifespan and by the shutdown signal handler."""

    __slots__ = ("ready", "reason")

    def __init__(self) -> None:
        self.ready = False
        self.reason = "service is starting"

    def mark_ready(self) -> None:
        """Start-up finished: accept traffic."""
        self.ready = True
        self.reason = ""

    def mark_draining(self) -> None:
        """Shutdown began: load balancers should stop sending traffic (signal-handler safe)."""
        self.ready = False
        self.reason = "service is shutting down"
