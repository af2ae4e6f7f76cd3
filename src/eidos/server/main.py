"""``eidos-api-server``: settings from the environment and flags, then serve.

Exit codes: 0 after a clean drain, 1 when the listener fails or the drain deadline
cut requests off, 2 for invalid settings, 3/5 for unreadable or invalid recipe data.
Every start-up failure is one ``Error: ...`` line on stderr, never a traceback.

SIGTERM and SIGINT are blocked from the first moment: a signal that arrives while the
server starts waits until its handlers are in place and then drains it (exit 0), in each
worker too. The signals stay blocked after the drain, so a late one cannot turn a clean
exit into a kill.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import NoReturn

from eidos import __version__
from eidos.errors import EidosError
from eidos.logging import get_logger
from eidos.server.settings import OPTIONS, SHUTDOWN_HELP, ServerSettings

__all__ = ["build_parser", "main"]

log = get_logger(__name__)

DESCRIPTION = """\
Serve configuration recipes over HTTP: GET /v1/recipe with the same criteria as
`eidos recipe`, plus /health, /ready, /metrics and /openapi.json.

examples:
  eidos-api-server --host 127.0.0.1 --port 8080
  curl 'localhost:8080/v1/recipe?os=ubuntu&gpu=h100&service=eks'
  EIDOS_RATE_LIMIT=0 EIDOS_CLIENT_RATE_LIMIT=0 eidos-api-server    # no rate limiting
  eidos-api-server --data ./my-recipes/ --shutdown-delay 5s
"""


def _epilog() -> str:
    width = max(len(o.env) for o in OPTIONS)
    rows = "\n".join(f"  {o.env:<{width}}  {o.flag}" for o in OPTIONS)
    return "environment variables (flags win over them):\n" + rows + "\n\n" + SHUTDOWN_HELP


class _Parser(argparse.ArgumentParser):
    """Usage errors: one line and a hint on stderr, exit 2 (as ``eidos`` does)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"Error: {message}\nRun '{self.prog} --help' for usage.\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """Flags for every setting; values are parsed (and checked) by ``ServerSettings``."""
    parser = _Parser(
        prog="eidos-api-server",
        description=DESCRIPTION,
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"eidos-api-server version {__version__}"
    )
    for option in OPTIONS:
        parser.add_argument(
            option.flag,
            dest=option.field,
            metavar=option.metavar,
            help=f"{option.help} [{option.env}]",
        )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the server (a process entry point: it blocks SIGTERM/SIGINT); return the exit code."""
    signal.pthread_sigmask(signal.SIG_BLOCK, (signal.SIGINT, signal.SIGTERM))
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return _start(ServerSettings.from_env(os.environ).with_flags(vars(args)))
    except EidosError as exc:
        return _fail(exc.message, exc.exit_code)
    except Exception as exc:
        return _fail(f"internal error: {exc.__class__.__name__}: {exc}", 1)


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"Error: {message}\n")
    return code


def _start(settings: ServerSettings) -> int:
    from eidos.server import listener
    from eidos.server.logs import configure_logging
    from eidos.server.source import EngineSource

    configure_logging(settings.log_level)
    source = EngineSource.load(settings.data)
    try:
        sock = listener.bind(settings.host, settings.port)
    except OSError as exc:
        reason = (os.strerror(exc.errno) if exc.errno else str(exc)).lower()
        where = f"{settings.host}:{settings.port}"
        return _fail(f"could not start serving on {where}: {reason}; check --host and --port", 1)
    needed = 2 * settings.max_connections + 64  # room to answer 503 beyond the cap
    if (limit := listener.raise_fd_limit(needed)) < needed:
        log.warning(
            "the open-file limit is below the connection cap; raise it (ulimit -n) or lower "
            "--max-connections",
            limit=limit,
            maxConnections=settings.max_connections,
        )
    if settings.workers > 1:
        from eidos.server.supervisor import supervise

        return supervise(settings, source, sock)
    from eidos.server.runner import serve

    return serve(settings, source, sock)
