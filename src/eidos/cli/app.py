"""The root ``eidos`` parser, the command table and error-to-exit-code translation.

Commands are modules of this package with ``register(subparsers)`` and ``run(args)``.
``register`` only declares options (argparse only), so building the parser stays cheap;
each ``run`` imports what its command needs. argparse rather than click: click costs
~28 ms of import on the start-up path, more than the whole budget of ``eidos recipe``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any

from eidos import __version__
from eidos import logging as elog

__all__ = ["COMMANDS", "build_parser", "run"]

#: The command table, in help order: name -> module under eidos.cli.
COMMANDS: tuple[str, ...] = ("recipe", "completion")

DESCRIPTION = """\
eidos captures the state of GPU nodes, turns it into a validated configuration recipe,
and renders deployment bundles for the NVIDIA GPU and Network Operators.

  eidos snapshot -o snap.yaml                 capture this node
  eidos recipe --snapshot snap.yaml -o r.yaml  recipe for what was captured
  eidos recipe --os ubuntu --service eks --gpu h100 --intent training
  eidos bundle -f r.yaml -o ./bundles         Helm values, manifests, scripts

Exit codes: 0 ok, 1 general error, 2 invalid arguments, 3 file I/O,
4 Kubernetes connection, 5 recipe generation.
"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32, width=100)


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 2 with one line (plus a hint), never a traceback."""

    def error(self, message: str) -> Any:
        sys.stderr.write(f"Error: {message}\nRun '{self.prog} --help' for usage.\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """Build the full parser tree (also used to generate shell completion)."""
    parser = _Parser(
        prog="eidos", description=DESCRIPTION, formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version",
                        version=f"eidos version {__version__}")
    add_global_options(parser, suppress_defaults=False)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND",
                                       parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"eidos.cli.{name}")
        sub = module.register(subparsers)
        add_global_options(sub, suppress_defaults=True)
        sub.set_defaults(_command=name)
    return parser


def add_global_options(parser: argparse.ArgumentParser, *, suppress_defaults: bool) -> None:
    """``--debug`` and ``--log-format``, accepted before or after the command."""
    default: Any = argparse.SUPPRESS if suppress_defaults else None
    group = parser.add_argument_group("global options")
    group.add_argument("--debug", action="store_true",
                       default=argparse.SUPPRESS if suppress_defaults else False,
                       help="verbose logs and tracebacks on errors (env EIDOS_DEBUG)")
    group.add_argument("--log-format", choices=("text", "json"), default=default,
                       help="log format on stderr (default text; env EIDOS_LOG_FORMAT)")


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "t", "true", "yes", "on")


def run(argv: list[str]) -> int:
    """Parse ``argv``, run the command and translate errors into exit codes."""
    from eidos.errors import EidosError

    parser = build_parser()
    args = parser.parse_args(argv)
    debug = bool(getattr(args, "debug", False)) or _env_flag("EIDOS_DEBUG")
    fmt = getattr(args, "log_format", None) or os.environ.get("EIDOS_LOG_FORMAT", "text")
    if fmt not in ("text", "json"):
        fmt = "text"
    elog.configure("debug" if debug else "warning", fmt)
    command = getattr(args, "_command", None)
    if command is None:
        parser.print_help()
        return 0
    module = importlib.import_module(f"eidos.cli.{command}")
    try:
        return int(module.run(args) or 0)
    except EidosError as exc:
        _report(exc.message, debug)
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("Error: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place that must never show a traceback
        _report(f"internal error: {exc.__class__.__name__}: {exc}", debug)
        return 1


def _report(message: str, debug: bool) -> None:
    if debug:
        import traceback

        traceback.print_exc(file=sys.stderr)
    sys.stderr.write(f"Error: {message}\n")
