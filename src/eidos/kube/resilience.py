"""Retry delays and the circuit breaker that guard every Kubernetes API call.

Pure logic (a clock is injected), so the policy is tested without a server: try ``n``
(0-based) waits ``backoff * 2**n + uniform(0, backoff)`` unless the server said
``Retry-After``; five failed tries in a row open the circuit for a cool-down.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

__all__ = ["CircuitBreaker", "backoff_delay", "parse_retry_after"]


def backoff_delay(
    attempt: int,
    base: float,
    *,
    retry_after: float | None = None,
    max_retry_after: float = 30.0,
    rand: Callable[[float, float], float] = random.uniform,
) -> float:
    """Seconds to wait before retry ``attempt + 1``.

    Example: base 0.1 → about 0.1-0.2 s, then 0.2-0.3 s, then 0.4-0.5 s. A server's
    ``Retry-After`` wins (capped at ``max_retry_after``).
    """
    if retry_after is not None:
        return min(max(retry_after, 0.0), max_retry_after)
    return float(base * (2**attempt) + rand(0.0, base))


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime  # rare; costs ~15 ms to import

    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(when - (time.time() if now is None else now), 0.0)


class CircuitBreaker:
    """Counts consecutive failed tries; when open, callers fail fast until the cool-down ends.

    After the cool-down one trial call is let through (half-open): success closes the
    circuit, failure opens it again for another cool-down.
    """

    def __init__(
        self, threshold: int, cooldown: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self._clock = clock
        self.failures = 0
        self._opened_at: float | None = None

    @property
    def is_open(self) -> bool:
        """Whether calls are refused right now."""
        if self._opened_at is None:
            return False
        return self._clock() - self._opened_at < self.cooldown

    def retry_in(self) -> float:
        """Seconds until a trial call is allowed (0 when closed)."""
        if self._opened_at is None:
            return 0.0
        return max(self.cooldown - (self._clock() - self._opened_at), 0.0)

    def success(self) -> None:
        """Record a try that reached the server and got a definite answer."""
        self.failures = 0
        self._opened_at = None

    def failure(self) -> None:
        """Record a transient failure; open the circuit at the threshold."""
        self.failures += 1
        if self.failures >= self.threshold:
            self._opened_at = self._clock()
