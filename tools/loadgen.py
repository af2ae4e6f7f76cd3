"""An open-loop HTTP/1.1 load generator for fixed request rates (wrk2 is not in Debian).

Request i is due at ``start + i / rate`` whatever happened to earlier ones (open loop:
the rate holds even when the server slows down). Latency is measured from the moment the
request is written to the moment its response is read, as wrk does; event-loop timers wake
up to ~1 ms late, which would otherwise be counted as server latency. Keep-alive
connections on 127.0.0.1 only; uvloop if present.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

__all__ = ["Result", "run_fixed_rate"]


@dataclass
class Result:
    """Latencies (seconds, sorted) and error count of one run."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def percentile(self, pct: float) -> float:
        """The ``pct`` percentile latency in milliseconds."""
        if not self.latencies:
            return float("nan")
        index = min(len(self.latencies) - 1, int(len(self.latencies) * pct / 100))
        return self.latencies[index] * 1000

    @property
    def rps(self) -> float:
        """Completed requests per second."""
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def _connection(
    port: int, request: bytes, due: list[float], state: dict[str, int], result: Result
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    clock = time.perf_counter
    try:
        while (index := state["next"]) < len(due):
            state["next"] = index + 1
            wait = due[index] - clock()
            if wait > 0:
                await asyncio.sleep(wait)
            sent = clock()
            writer.write(request)
            status = await _read_response(reader)
            if status != 200:
                result.errors += 1
            result.latencies.append(clock() - sent)
    except (OSError, asyncio.IncompleteReadError):
        result.errors += 1
    finally:
        writer.close()


async def _run(port: int, path: str, rate: float, seconds: float, connections: int) -> Result:
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    start = time.perf_counter() + 0.05
    due = [start + i / rate for i in range(int(rate * seconds))]
    result = Result()
    state = {"next": 0}
    began = time.perf_counter()
    await asyncio.gather(
        *(_connection(port, request, due, state, result) for _ in range(connections))
    )
    result.elapsed = time.perf_counter() - began
    result.latencies.sort()
    return result


def run_fixed_rate(
    port: int, path: str, *, rate: float, seconds: float, connections: int = 32
) -> Result:
    """Send ``rate`` requests/s for ``seconds`` over ``connections`` keep-alive connections."""
    try:
        import uvloop

        return uvloop.run(_run(port, path, rate, seconds, connections))
    except ImportError:
        return asyncio.run(_run(port, path, rate, seconds, connections))
