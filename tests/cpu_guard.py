"""A hang guard for tests of input checks: fail after a CPU-time budget instead of hanging.

The budget is CPU time of this process (``ITIMER_PROF``), so a loaded machine does not make
it fire; it is meant to be generous (100x what the check should take) and catch only
exponential blowups, never to time anything.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def cpu_budget(seconds: float, what: str) -> Iterator[None]:
    """Raise AssertionError if the block uses more than ``seconds`` of CPU time."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise AssertionError(f"{what}: still running after {seconds} s of CPU (a hang?)")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
