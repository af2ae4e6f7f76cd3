"""Several worker processes on one listening socket (``--workers N``).

The parent binds, forks the workers (the loaded recipe data is shared copy-on-write),
forwards SIGTERM/SIGINT to them as SIGTERM, and exits with the worst worker status. A
worker that dies on its own stops the rest: the orchestrator restarts the pod.
"""

from __future__ import annotations

import os
import signal
import socket
from types import FrameType

from eidos.logging import get_logger
from eidos.server.runner import serve
from eidos.server.settings import ServerSettings
from eidos.server.source import RecipeSource

__all__ = ["supervise"]

log = get_logger(__name__)


def _bind(settings: ServerSettings) -> socket.socket:
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.create_server((settings.host, settings.port), family=family, backlog=2048)
    sock.set_inheritable(True)
    return sock


def _spawn(settings: ServerSettings, source: RecipeSource, sock: socket.socket) -> int:
    pid = os.fork()
    if pid == 0:  # the worker
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        code = 1
        try:
            code = serve(settings, source, sockets=[sock])
        finally:
            os._exit(code)
    return pid


def supervise(settings: ServerSettings, source: RecipeSource) -> int:
    """Run ``settings.workers`` workers until they all exit; return the worst exit code."""
    try:
        sock = _bind(settings)
    except OSError as exc:
        log.error("cannot listen", host=settings.host, port=settings.port, error=str(exc))
        return 1
    workers = {_spawn(settings, source, sock) for _ in range(settings.workers)}
    stopping = False

    def stop(sig: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in workers:
            os.kill(pid, signal.SIGTERM)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
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
    sock.close()
    return worst
