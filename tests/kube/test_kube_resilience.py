"""The retry-delay policy and the circuit breaker, without a server."""

from __future__ import annotations

from email.utils import formatdate

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.kube.resilience import CircuitBreaker, backoff_delay, parse_retry_after


@pytest.mark.parametrize(("attempt", "low", "high"), [(0, 0.1, 0.2), (1, 0.2, 0.3), (2, 0.4, 0.5)])
def test_backoff_doubles_with_up_to_one_base_of_jitter(attempt, low, high):
    assert backoff_delay(attempt, 0.1, rand=lambda a, b: a) == pytest.approx(low)
    assert backoff_delay(attempt, 0.1, rand=lambda a, b: b) == pytest.approx(high)


@given(st.integers(0, 3), st.floats(0.001, 1.0))
def test_backoff_stays_within_its_window(attempt, base):
    delay = backoff_delay(attempt, base)
    assert base * 2**attempt <= delay <= base * 2**attempt + base


def test_retry_after_wins_and_is_capped():
    assert backoff_delay(0, 0.1, retry_after=3.0) == 3.0
    assert backoff_delay(0, 0.1, retry_after=99.0, max_retry_after=10.0) == 10.0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("7", 7.0),
        (" 1.5 ", 1.5),
        ("-3", 0.0),
        ("soon", None),
    ],
)
def test_retry_after_seconds(header, expected):
    assert parse_retry_after(header) == expected


def test_retry_after_http_date():
    now = 1_800_000_000.0
    assert parse_retry_after(formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30.0)
    assert parse_retry_after(formatdate(now - 30, usegmt=True), now=now) == 0.0


def test_breaker_opens_at_the_threshold_and_half_opens_after_the_cooldown():
    now = [100.0]
    breaker = CircuitBreaker(5, 30.0, clock=lambda: now[0])
    for _ in range(4):
        breaker.failure()
    assert not breaker.is_open
    breaker.failure()
    assert breaker.is_open and breaker.retry_in() == 30.0
    now[0] += 31
    assert not breaker.is_open
    breaker.failure()
    assert breaker.is_open
    breaker.success()
    assert not breaker.is_open and breaker.failures == 0 and breaker.retry_in() == 0.0
