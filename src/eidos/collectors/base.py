"""The collector contract: what every collector (extension point 1) provides.

A collector is any object with a ``name`` and ``collect(*, stop) -> Measurement``. The
snapshotter calls each one in its own thread (docs/architecture.md, "Cancellation").
This module holds only the Protocols, so it loads ``typing``; the start-up path of
``eidos snapshot`` never imports it (``eidos.collectors`` hands these names out on
first access).
"""

from __future__ import annotations

from collections.abc import Sequence
from threading import Event
from typing import Protocol, runtime_checkable

from eidos.collectors.host import CommandResult
from eidos.model import Measurement

__all__ = ["Collector", "CommandRunner"]


@runtime_checkable
class Collector(Protocol):
    """Reads one part of the node and returns it as one measurement."""

    name: str

    def collect(self, *, stop: Event) -> Measurement:
        """Return the measurement; raise :class:`~eidos.errors.CollectorError` on failure.

        Called in a thread of its own, concurrently with the other collectors. Every
        blocking call must be bounded by the collector's own timeout. ``stop`` is set
        when the snapshot no longer waits for this collector (another one failed under
        fail-fast, or its time is up): check it between steps, kill what was started,
        and return or raise promptly.
        """
        ...


class CommandRunner(Protocol):
    """Runs a program without a shell.

    ``run`` raises ``FileNotFoundError``/``PermissionError`` when the program cannot be
    started and ``TimeoutError`` after killing a program that ran past ``timeout`` (or
    that was still running when ``stop`` was set).
    """

    def run(
        self, argv: Sequence[str], *, timeout: float, stop: Event | None = None
    ) -> CommandResult:
        """Run ``argv`` to completion and return its exit status and output."""
        ...
