"""Token buckets: one global and one per client address, both optional.

A request needs a token from every enabled bucket; when one is empty nothing is taken
from the others. Idle clients' buckets refill to full and are pruned, so the per-client
table stays bounded.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Decision", "RateLimiter", "TokenBucket"]


class TokenBucket:
    """``burst`` tokens at most, refilled at ``rate`` tokens per second."""

    __slots__ = ("burst", "rate", "stamp", "tokens")

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.stamp = now

    def refill(self, now: float) -> float:
        """Add the tokens earned since the last call; return the tokens now held."""
        if now > self.stamp:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
        return self.tokens

    def seconds_until(self, tokens: float) -> float:
        """Seconds until the bucket holds ``tokens`` (0 when it already does)."""
        return max(0.0, (tokens - self.tokens) / self.rate)


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict for one request and the values of its rate-limit headers."""

    allowed: bool
    limit: int
    remaining: int
    reset: int
    retry_after: int

    def headers(self) -> list[tuple[bytes, bytes]]:
        """``X-RateLimit-*`` (and ``Retry-After`` when refused) as raw ASGI headers."""
        out = [
            (b"x-ratelimit-limit", b"%d" % self.limit),
            (b"x-ratelimit-remaining", b"%d" % self.remaining),
            (b"x-ratelimit-reset", b"%d" % self.reset),
        ]
        if not self.allowed:
            out.append((b"retry-after", b"%d" % self.retry_after))
        return out


class RateLimiter:
    """Global and per-client token buckets; a rate of 0 turns that bucket off."""

    def __init__(
        self,
        *,
        rate: float,
        burst: int,
        client_rate: float,
        client_burst: int,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._clock = clock
        self._wall = wall
        self._global = TokenBucket(rate, burst, clock()) if rate > 0 else None
        self._client_rate = client_rate
        self._client_burst = client_burst
        self._clients: dict[str, TokenBucket] = {}
        self._max_clients = max_clients

    @property
    def enabled(self) -> bool:
        """Whether any bucket is on."""
        return self._global is not None or self._client_rate > 0

    def check(self, client: str) -> Decision:
        """Take a token for ``client`` if every bucket has one, and say what happened."""
        now = self._clock()
        buckets = [] if self._global is None else [self._global]
        if self._client_rate > 0:
            buckets.append(self._client_bucket(client, now))
        for bucket in buckets:
            bucket.refill(now)
        allowed = all(b.tokens >= 1 for b in buckets)
        if allowed:
            for bucket in buckets:
                bucket.tokens -= 1
        tight = min(buckets, key=lambda b: b.tokens)
        wall = self._wall()
        retry = max((b.seconds_until(1) for b in buckets if b.tokens < 1), default=0.0)
        return Decision(
            allowed=allowed,
            limit=math.ceil(tight.rate),
            remaining=max(0, math.floor(tight.tokens)),
            reset=math.ceil(wall + max(1.0, tight.seconds_until(tight.burst))),
            retry_after=max(1, math.ceil(retry)),
        )

    def _client_bucket(self, client: str, now: float) -> TokenBucket:
        bucket = self._clients.get(client)
        if bucket is None:
            if len(self._clients) >= self._max_clients:
                self._prune(now)
            bucket = self._clients[client] = TokenBucket(self._client_rate, self._client_burst, now)
        return bucket

    def _prune(self, now: float) -> None:
        full = [k for k, b in self._clients.items() if b.refill(now) >= b.burst]
        for key in full:
            del self._clients[key]
        if len(self._clients) >= self._max_clients:
            for key in list(self._clients)[: len(self._clients) // 2]:
                del self._clients[key]
