"""Several worker processes on one listening socket (``--workers N``).

The parent forks the workers on the socket ``main`` bound, forwards SIGTERM/SIGINT to them
as SIGTERM, and exits with the worst worker status. A worker that dies on its own stops the
rest: the orchestrator restarts the pod. SIGTERM/SIGINT are blocked across the fork (see
``main``), so a signal that reaches a worker before its server has installed handlers
waits for them instead of killing it.

Why not uvicorn's ``--workers`` or gunicorn: both run a plain ``uvicorn.Server`` in each
worker, which has no drain delay, readiness flip or drain deadline, and their parents exit
0 whatever the workers did; uvicorn's spawns workers that import everything again (slower
to start, more memory: docs/performance.md).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
from types import FrameType

from eidos.logging import get_logger
from eidos.server.runner import SIGNALS, serve
from eidos.server.settings import ServerSettings
from eidos.server.source import RecipeSource

__all__ = ["supervise"]

log = get_logger(__name__)


def _spawn(settings: ServerSettings, source: RecipeSource, sock: socket.socket) -> int:
    pid = os.fork()
    if pid == 0:  # the worker: signals are still blocked; serve() lets them in
        code = 1
        try:
            code = serve(settings, source, sock)
        finally:
            os._exit(code)
    return pid


def supervise(settings: ServerSettings, source: RecipeSource, sock: socket.socket) -> int:
    """Run ``settings.workers`` workers on ``sock`` until they all exit; return the worst code."""
    workers = {_spawn(settings, source, sock) for _ in range(settings.workers)}
    stopping = False

    def stop(sig: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(workers):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    for sig in SIGNALS:
        signal.signal(sig, stop)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
    log.info("workers started", workers=len(workers), pids=sorted(workers))
    worst = 0
    while workers:
        pid, status = os.wait()
        workers.discard(pid)
        code = os.waitstatus_to_exitcode(status)
        worst = max(worst, code if code >= 0 else 1)
        if not stopping:
            log.error("worker exited unexpectedly; stopping the others", pid=pid, code=code)
            stop(signal.SIGTERM, None)
    signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    sock.close()
    return worst
