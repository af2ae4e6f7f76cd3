"""``eidos serve``: run the HTTP API server (the same program as ``eidos-api-server``).

The options are declared from the server's own table (``eidos.server.settings.OPTIONS``,
which imports only the standard library), so the two programs cannot drift; no other
command imports the server.
The command re-executes ``python -m eidos.server`` with the same flags, replacing this
process (signals and the exit code go straight to the server, as a container needs).
"""

from __future__ import annotations

import argparse

from eidos.names import COMMANDS
from eidos.server.settings import OPTIONS, SHUTDOWN_HELP

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["register", "run", "server_argv"]

EPILOG = (
    """\
examples:
  eidos serve --host 127.0.0.1 --port 8080
  curl 'localhost:8080/v1/recipe?os=ubuntu&gpu=h100&service=eks'
  eidos serve --rate-limit 0 --client-rate-limit 0      # no rate limiting
  eidos serve --data ./my-recipes/ --shutdown-delay 5s

Every option can also be set by the environment variable in brackets; flags win.
Endpoints: GET /v1/recipe, /health, /ready, /metrics, /openapi.json, / (see docs/api.md).
"""
    + SHUTDOWN_HELP
)


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
    for option in OPTIONS:
        action = group.add_argument(
            option.flag,
            dest=_dest(option.flag),
            metavar=option.metavar,
            help=f"{option.help} [{option.env}]",
        )
        if option.completions:
            completes(action, option.completions)
    return p


def server_argv(args: argparse.Namespace) -> list[str]:
    """The ``eidos-api-server`` arguments for the options given on this command line."""
    argv: list[str] = []
    for option in OPTIONS:
        value = getattr(args, _dest(option.flag), None)
        if value is not None:
            argv += [option.flag, value]
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
