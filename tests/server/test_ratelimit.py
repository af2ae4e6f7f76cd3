"""Token buckets with a fake clock: refill, burst, per-client isolation, pruning, headers."""

from __future__ import annotations

from eidos.server.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limiter(clock: Clock, **kwargs) -> RateLimiter:
    options = {"rate": 0.0, "burst": 1, "client_rate": 0.0, "client_burst": 1, **kwargs}
    return RateLimiter(clock=clock, wall=lambda: 1_700_000_000.0, **options)


def test_burst_then_refill_at_the_rate():
    clock = Clock()
    rl = limiter(clock, rate=2, burst=3)
    assert [rl.check("a").allowed for _ in range(4)] == [True, True, True, False]
    clock.now += 0.5
    assert rl.check("a").allowed and not rl.check("a").allowed
    clock.now += 10
    assert [rl.check("a").allowed for _ in range(4)] == [True, True, True, False]


def test_headers_report_the_tightest_bucket():
    clock = Clock()
    rl = limiter(clock, rate=100, burst=200, client_rate=1, client_burst=2)
    d = rl.check("a")
    assert (d.limit, d.remaining, d.reset) == (1, 1, 1_700_000_001)
    assert dict(d.headers()) == {
        b"x-ratelimit-limit": b"1",
        b"x-ratelimit-remaining": b"1",
        b"x-ratelimit-reset": b"1700000001",
    }
    rl.check("a")
    refused = rl.check("a")
    assert not refused.allowed and refused.retry_after == 1
    assert (b"retry-after", b"1") in refused.headers()


def test_clients_have_their_own_buckets_and_a_refusal_takes_nothing():
    clock = Clock()
    rl = limiter(clock, rate=10, burst=3, client_rate=1, client_burst=1)
    assert rl.check("a").allowed
    assert not rl.check("a").allowed
    assert rl.check("b").allowed
    assert rl.check("c").allowed
    assert not rl.check("d").allowed  # global bucket empty
    clock.now += 0.1
    assert rl.check("d").allowed  # nothing was taken from d's bucket on refusal


def test_retry_after_rounds_up_the_wait_for_one_token():
    clock = Clock()
    rl = limiter(clock, rate=0.25, burst=1)
    rl.check("a")
    assert rl.check("a").retry_after == 4


def test_the_client_table_stays_bounded():
    clock = Clock()
    rl = RateLimiter(rate=0, burst=1, client_rate=1, client_burst=1, max_clients=100, clock=clock)
    for i in range(1000):
        rl.check(f"10.0.{i // 256}.{i % 256}")
        clock.now += 0.01
    assert len(rl._clients) <= 100


def test_off_when_both_rates_are_zero():
    assert not limiter(Clock()).enabled
    assert limiter(Clock(), client_rate=1).enabled
