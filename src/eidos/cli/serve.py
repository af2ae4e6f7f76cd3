"""``eidos serve``: run the HTTP API server (the same program as ``eidos-api-server``).

The CLI and the server are independent layers, so this command does not import the
server: it re-executes ``python -m eidos.server`` with the same flags, replacing this
process (signals and the exit code go straight to the server, as a container needs).
"""

from __future__ import annotations

import argparse

from eidos.names import COMMANDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["OPTIONS", "register", "run"]

#: flag, metavar, help, environment variable: the rows of eidos.server.settings.OPTIONS
#: (a test keeps the two tables in sync).
OPTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("--host", "ADDR", "listen address (default 0.0.0.0)", "HOST"),
    ("--port", "N", "TCP port (default 8080)", "PORT"),
    ("--log-level", "LEVEL", "debug, info, warning or error (default info)", "LOG_LEVEL"),
    ("--access-log", "BOOL", "log every request as a JSON line (default true)", "EIDOS_ACCESS_LOG"),
    ("--rate-limit", "RPS", "global requests/s, 0 = off (default 100)", "EIDOS_RATE_LIMIT"),
    ("--rate-burst", "N", "global burst (default 200)", "EIDOS_RATE_BURST"),
    (
        "--client-rate-limit",
        "RPS",
        "requests/s per client address, 0 = off (default 50)",
        "EIDOS_CLIENT_RATE_LIMIT",
    ),
    (
        "--client-rate-burst",
        "N",
        "burst per client address (default 100)",
        "EIDOS_CLIENT_RATE_BURST",
    ),
    (
        "--handler-timeout",
        "DURATION",
        "answer 504 after this long (default 30s)",
        "EIDOS_HANDLER_TIMEOUT",
    ),
    (
        "--shutdown-timeout",
        "DURATION",
        "drain deadline after SIGTERM (default 30s)",
        "EIDOS_SHUTDOWN_TIMEOUT",
    ),
    (
        "--shutdown-delay",
        "DURATION",
        "keep serving with /ready=503 this long after SIGTERM (default 0s)",
        "EIDOS_SHUTDOWN_DELAY",
    ),
    (
        "--keepalive-timeout",
        "DURATION",
        "idle keep-alive connection timeout (default 120s)",
        "EIDOS_KEEPALIVE_TIMEOUT",
    ),
    (
        "--max-request-line",
        "N",
        "longest request target in bytes, else 414 (default 8192)",
        "EIDOS_MAX_REQUEST_LINE",
    ),
    (
        "--max-header-bytes",
        "N",
        "largest request headers in bytes, else 431 (default 65536)",
        "EIDOS_MAX_HEADER_BYTES",
    ),
    (
        "--cache-size",
        "N",
        "encoded recipes kept in memory, 0 = off (default 1024)",
        "EIDOS_CACHE_SIZE",
    ),
    ("--data", "PATH", "recipe data FILE or DIR (default: embedded data)", "EIDOS_DATA"),
    ("--workers", "N", "worker processes (default 1)", "EIDOS_WORKERS"),
    (
        "--trusted-proxies",
        "LIST",
        "proxies whose X-Forwarded-For names the client (default none)",
        "EIDOS_TRUSTED_PROXIES",
    ),
)

#: values shell completion offers for the options that take one of a few words
_COMPLETIONS = {
    "--log-level": ("debug", "info", "warning", "error"),
    "--access-log": ("true", "false"),
}

EPILOG = """\
examples:
  eidos serve --host 127.0.0.1 --port 8080
  curl 'localhost:8080/v1/recipe?os=ubuntu&gpu=h100&service=eks'
  eidos serve --rate-limit 0 --client-rate-limit 0      # no rate limiting
  eidos serve --data ./my-recipes/ --shutdown-delay 5s

Every option can also be set by the environment variable in brackets; flags win.
Endpoints: GET /v1/recipe, /health, /ready, /metrics, /openapi.json, / (see docs/api.md).
SIGTERM/SIGINT: /ready turns 503, the listener closes after --shutdown-delay, in-flight
requests finish within --shutdown-timeout, then exit 0 (1 if the deadline cut some off).
"""


def _dest(flag: str) -> str:
    return "serve_" + flag.removeprefix("--").replace("-", "_")


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Declare ``eidos serve`` and its options."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help=COMMANDS["serve"],
        description="Serve configuration recipes over HTTP: GET /v1/recipe takes the same "
        "criteria as `eidos recipe`.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from eidos.cli.app import completes

    group = p.add_argument_group("server options")
    for flag, metavar, text, env in OPTIONS:
        action = group.add_argument(flag, dest=_dest(flag), metavar=metavar, help=f"{text} [{env}]")
        if flag in _COMPLETIONS:
            completes(action, _COMPLETIONS[flag])
    return p


def server_argv(args: argparse.Namespace) -> list[str]:
    """The ``eidos-api-server`` arguments for the options given on this command line."""
    argv: list[str] = []
    for flag, *_ in OPTIONS:
        value = getattr(args, _dest(flag), None)
        if value is not None:
            argv += [flag, value]
    if getattr(args, "debug", False) and getattr(args, _dest("--log-level"), None) is None:
        argv += ["--log-level", "debug"]
    return argv


def run(args: argparse.Namespace) -> int:
    """Replace this process with the API server."""
    import os
    import sys

    command = [sys.executable, "-m", "eidos.server", *server_argv(args)]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, command)
    return 1  # pragma: no cover - execv does not return
