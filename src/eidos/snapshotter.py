"""Snapshotter: run any list of collectors concurrently and assemble a Snapshot.

One thread per collector, one deadline for all of them. Fail-fast by default (the
first failure sets the shared stop event and the others give up); best-effort keeps
what succeeded and lists the failed collectors in the ``snapshot-incomplete`` metadata
key. Threads, not asyncio: the collectors block on files, one program and one socket,
and asyncio's import alone cost ~40 ms of a ~170 ms cold snapshot (docs/performance.md).
"""

from __future__ import annotations

import os
import threading
import time

from eidos import model
from eidos.collectors import CollectorCancelled
from eidos.errors import CollectorError, EidosError
from eidos.logging import get_logger

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from eidos.collectors import Collector

__all__ = ["INCOMPLETE_KEY", "source_node", "take_snapshot"]

log = get_logger(__name__)

#: Metadata key naming the collectors that failed in best-effort mode (comma-separated).
INCOMPLETE_KEY = "snapshot-incomplete"
_NODE_ENV = ("NODE_NAME", "KUBERNETES_NODE_NAME", "HOSTNAME")
#: Seconds the snapshot waits for collectors to notice ``stop`` (and kill what they
#: started) before it returns without them.
_GRACE = 1.0


def source_node() -> str:
    """The node name: ``NODE_NAME``, ``KUBERNETES_NODE_NAME``, ``HOSTNAME``, else the hostname."""
    for name in _NODE_ENV:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return os.uname().nodename


def take_snapshot(
    collectors: Sequence[Collector],
    *,
    version: str,
    node: str | None = None,
    timeout: float | None = 30.0,
    best_effort: bool = False,
) -> model.Snapshot:
    """Collect every measurement concurrently and return the snapshot.

    Args:
        collectors: what to run; measurements come out in the order SystemD, OS, K8s,
            GPU (others after, in list order) whatever order they finish in.
        version: recorded as ``snapshot-version`` (omitted when empty).
        node: recorded as ``source-node``; ``None`` means :func:`source_node`.
        timeout: seconds the collectors may take; ``None`` for no limit.
        best_effort: keep going when collectors fail and mark the snapshot incomplete.

    Raises:
        CollectorError: fail-fast mode and a collector failed or timed out (the message
            names it); a collector's own more specific EidosError keeps its class.
    """
    metadata = {"snapshot-timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    if version:
        metadata["snapshot-version"] = version
    metadata["source-node"] = source_node() if node is None else node
    results, failures = _Run(collectors, timeout, best_effort).wait()
    if failures and not best_effort:
        raise _combine(failures)
    for name, error in failures:
        log.warning(
            "collector failed; the snapshot is incomplete", collector=name, error=_message(error)
        )
    if failures:
        failed = {name for name, _ in failures}
        metadata[INCOMPLETE_KEY] = ",".join(c.name for c in collectors if c.name in failed)
    measurements = sorted((m for m in results if m is not None), key=_order)
    return model.Snapshot(measurements, metadata)


class _Run:
    """The collectors of one snapshot, each in a daemon thread, and what they returned."""

    def __init__(
        self, collectors: Sequence[Collector], timeout: float | None, best_effort: bool
    ) -> None:
        self.collectors = list(collectors)
        self.timeout = timeout
        self.best_effort = best_effort
        self.stop = threading.Event()
        self.results: list[model.Measurement | None] = [None] * len(self.collectors)
        self.errors: dict[int, BaseException] = {}
        self.pending = set(range(len(self.collectors)))
        self.changed = threading.Condition()
        # Threads wait for this before collecting: starting a thread waits for it to run,
        # and behind a busy collector that costs a GIL switch interval (5 ms) per thread.
        self.go = threading.Event()

    def _work(self, index: int) -> None:
        collector = self.collectors[index]
        self.go.wait()
        started = time.perf_counter()
        try:
            measurement = collector.collect(stop=self.stop)
        except BaseException as exc:  # the isolation boundary of one collector
            with self.changed:
                if not isinstance(exc, CollectorCancelled):
                    self.errors[index] = exc
                self.pending.discard(index)
                self.changed.notify_all()
            return
        log.debug(
            "collector finished",
            collector=collector.name,
            seconds=round(time.perf_counter() - started, 3),
            subtypes=len(measurement.subtypes),
        )
        with self.changed:
            self.results[index] = measurement
            self.pending.discard(index)
            self.changed.notify_all()

    def wait(self) -> tuple[list[model.Measurement | None], list[tuple[str, BaseException]]]:
        """Run every collector; (results by position, (name, error) of each failure)."""
        threads = [
            threading.Thread(target=self._work, args=(i,), name=f"collector-{c.name}", daemon=True)
            for i, c in enumerate(self.collectors)
        ]
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        expired = False
        for thread in threads:
            thread.start()
        self.go.set()
        try:
            with self.changed:
                while self.pending and (self.best_effort or not self.errors):
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        expired = True
                        break
                    self.changed.wait(left)
                late = sorted(self.pending)
        finally:
            self.stop.set()
            _join(threads, _GRACE)
        with self.changed:
            failures = dict(self.errors)
            results = list(self.results)
            if expired:
                for index in late:
                    failures[index] = CollectorError(f"timed out after {self.timeout:g}s")
                    results[index] = None
        return results, [(self.collectors[i].name, failures[i]) for i in sorted(failures)]


def _join(threads: list[threading.Thread], grace: float) -> None:
    """Give stopped collectors ``grace`` seconds in all to finish (and kill what they ran)."""
    until = time.monotonic() + grace
    for thread in threads:
        thread.join(max(until - time.monotonic(), 0.0))


def _order(measurement: model.Measurement) -> int:
    types = model.MEASUREMENT_TYPES
    return types.index(measurement.type) if measurement.type in types else len(types)


def _message(exc: BaseException) -> str:
    if isinstance(exc, EidosError):
        return exc.message
    return f"{type(exc).__name__}: {exc}"


def _combine(failures: list[tuple[str, BaseException]]) -> EidosError:
    names = [name for name, _ in failures]
    if len(failures) == 1:
        name, cause = failures[0]
        message = f"collector {name!r} failed: {_message(cause)}"
        cls = type(cause) if isinstance(cause, EidosError) else CollectorError
        error: EidosError = cls(message, details={"failed": names})
        error.__cause__ = cause
        return error
    joined = "; ".join(f"{name}: {_message(cause)}" for name, cause in failures)
    return CollectorError(
        f"collectors {', '.join(map(repr, names))} failed: {joined}", details={"failed": names}
    )
