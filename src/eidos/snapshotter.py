"""Snapshotter: run any list of collectors concurrently and assemble a Snapshot.

One ``TaskGroup`` loop, one timeout per collector. Fail-fast by default (the first
failure cancels the rest); best-effort keeps what succeeded and lists the failed
collectors in the ``snapshot-incomplete`` metadata key.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from eidos import model
from eidos.collectors import Collector
from eidos.errors import CollectorError, EidosError
from eidos.logging import get_logger

__all__ = ["INCOMPLETE_KEY", "source_node", "take_snapshot"]

log = get_logger(__name__)

#: Metadata key naming the collectors that failed in best-effort mode (comma-separated).
INCOMPLETE_KEY = "snapshot-incomplete"
_NODE_ENV = ("NODE_NAME", "KUBERNETES_NODE_NAME", "HOSTNAME")


def source_node() -> str:
    """The node name: ``NODE_NAME``, ``KUBERNETES_NODE_NAME``, ``HOSTNAME``, else the hostname."""
    for name in _NODE_ENV:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return socket.gethostname()


class _Failure(Exception):
    def __init__(self, name: str, error: Exception) -> None:
        super().__init__(name)
        self.name = name
        self.error = error


async def take_snapshot(
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
        timeout: seconds each collector may take; ``None`` for no limit.
        best_effort: keep going when collectors fail and mark the snapshot incomplete.

    Raises:
        CollectorError: fail-fast mode and a collector failed or timed out (the message
            names it); a collector's own more specific EidosError keeps its class.
    """
    metadata = {"snapshot-timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    if version:
        metadata["snapshot-version"] = version
    metadata["source-node"] = source_node() if node is None else node
    results, failed = await _collect_all(collectors, timeout, best_effort)
    if failed:
        metadata[INCOMPLETE_KEY] = ",".join(c.name for c in collectors if c.name in failed)
    measurements = sorted((m for m in results if m is not None), key=_order)
    return model.Snapshot(measurements, metadata)


async def _collect_all(
    collectors: Sequence[Collector], timeout: float | None, best_effort: bool
) -> tuple[list[model.Measurement | None], set[str]]:
    """Run every collector in one TaskGroup: (results by position, names that failed)."""
    results: list[model.Measurement | None] = [None] * len(collectors)
    failed: set[str] = set()

    async def run(index: int, collector: Collector) -> None:
        try:
            results[index] = await _collect(collector, timeout)
        except Exception as exc:  # the isolation boundary of one collector (any failure)
            if not best_effort:
                raise _Failure(collector.name, exc) from exc
            failed.add(collector.name)
            log.warning(
                "collector failed; the snapshot is incomplete",
                collector=collector.name,
                error=_message(exc),
            )

    try:
        async with asyncio.TaskGroup() as group:
            for index, collector in enumerate(collectors):
                group.create_task(run(index, collector), name=f"collector-{collector.name}")
    except ExceptionGroup as errors:
        error = _combine([e for e in errors.exceptions if isinstance(e, _Failure)])
        raise error from error.__cause__
    return results, failed


async def _collect(collector: Collector, timeout: float | None) -> model.Measurement:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout) as deadline:
            measurement = await collector.collect()
    except TimeoutError as exc:
        if timeout is None or not deadline.expired():
            raise
        raise CollectorError(f"timed out after {timeout:g}s") from exc
    log.debug(
        "collector finished",
        collector=collector.name,
        seconds=round(time.perf_counter() - started, 3),
        subtypes=len(measurement.subtypes),
    )
    return measurement


def _order(measurement: model.Measurement) -> int:
    types = model.MEASUREMENT_TYPES
    return types.index(measurement.type) if measurement.type in types else len(types)


def _message(exc: BaseException) -> str:
    if isinstance(exc, EidosError):
        return exc.message
    return f"{type(exc).__name__}: {exc}"


def _combine(failures: list[_Failure]) -> EidosError:
    names = [f.name for f in failures]
    if len(failures) == 1:
        only = failures[0]
        message = f"collector {only.name!r} failed: {_message(only.error)}"
        cls = type(only.error) if isinstance(only.error, EidosError) else CollectorError
        error: EidosError = cls(message, details={"failed": names})
        error.__cause__ = only.error
        return error
    joined = "; ".join(f"{f.name}: {_message(f.error)}" for f in failures)
    return CollectorError(
        f"collectors {', '.join(map(repr, names))} failed: {joined}", details={"failed": names}
    )
