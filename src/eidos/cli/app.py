"""Running ``eidos``: parse, dispatch to the command lazily, map errors to exit codes.

Commands are modules of this package with ``register(subparsers)`` and ``run(args)``;
:func:`declare` declares one. A command line is parsed by :mod:`eidos.cli.fastargs` when
it can (no argparse import: ~11-13 ms less on every start), else by the argparse tree of
:mod:`eidos.cli.parser`, which also gives help, usage errors and shell completion.
"""

from __future__ import annotations

import os
import sys

from eidos import logging as elog
from eidos.cli import fastargs
from eidos.names import COMMANDS, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_IO

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

__all__ = [
    "COMMANDS",
    "Terminated",
    "add_global_options",
    "build_parser",
    "completes",
    "declare",
    "root_options",
    "run",
    "terminate_on_signals",
]


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C (clean-up runs), exit 128 + signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated(signum)


class terminate_on_signals:
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated` in the main thread.

    A class, not ``contextlib.contextmanager``: contextlib (with ``collections`` and
    ``functools``) is not otherwise imported on the fast commands' path.
    """

    def __enter__(self) -> None:
        import signal

        self.previous = {
            s: signal.signal(s, _raise_terminated) for s in (signal.SIGTERM, signal.SIGHUP)
        }

    def __exit__(self, *exc_info: object) -> None:
        import signal

        for signum, handler in self.previous.items():
            signal.signal(signum, handler)


def completes(action: Any, values: tuple[str, ...] | list[str]) -> None:
    """Record the values shell completion should offer for an option."""
    action.completions = tuple(values)


def _command_module(name: str) -> Any:
    """``eidos.cli.<name>`` (``__import__``: the importlib package would load ``warnings``)."""
    __import__(f"eidos.cli.{name}")
    return sys.modules[f"eidos.cli.{name}"]


def declare(subparsers: Any, name: str) -> Any:
    """Declare command ``name`` (its options and the global ones) on ``subparsers``.

    ``subparsers`` is argparse's sub-parsers object or a :class:`fastargs.Recorder`.
    """
    module = _command_module(name)
    sub = module.register(subparsers)
    add_global_options(sub, suppress_defaults=True)
    sub.set_defaults(_command=name)
    return sub


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The argparse tree (:func:`eidos.cli.parser.build_parser`)."""
    from eidos.cli.parser import build_parser as build

    return build(argv)


def add_global_options(parser: Any, *, suppress_defaults: bool) -> None:
    """``--debug`` and ``--log-format``, accepted before or after the command."""
    suppress: Any = fastargs.SUPPRESS
    if not isinstance(parser, fastargs.Recorder):
        import argparse  # loaded already: ``parser`` is argparse's (which compares by identity)

        suppress = argparse.SUPPRESS
    default: Any = suppress if suppress_defaults else None
    group = parser.add_argument_group("global options")
    group.add_argument(
        "--debug",
        action="store_true",
        default=suppress if suppress_defaults else False,
        help="verbose logs and tracebacks on errors (env EIDOS_DEBUG)",
    )
    group.add_argument(
        "--log-format",
        choices=("text", "json"),
        default=default,
        help="log format on stderr (default text; env EIDOS_LOG_FORMAT)",
    )


def _env_flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in ("1", "t", "true", "yes", "on"):
        return True
    if value in ("", "0", "f", "false", "no", "off"):
        return False
    raise ValueError(f"invalid {name} {value!r}: expected true or false (1/0, yes/no, on/off)")


def _env_log_format() -> str:
    value = os.environ.get("EIDOS_LOG_FORMAT", "").strip().lower() or "text"
    if value not in ("text", "json"):
        raise ValueError(f"invalid EIDOS_LOG_FORMAT {value!r}: expected text or json")
    return value


def root_options() -> fastargs.Recorder:
    """The options of ``eidos`` itself, recorded (their defaults start every namespace)."""
    root = fastargs.Recorder()
    add_global_options(root, suppress_defaults=False)
    return root


def run(argv: list[str]) -> int:
    """Parse ``argv``, run the command and translate errors into exit codes."""
    from eidos.errors import EidosError

    args: Any = fastargs.parse(argv, tuple(COMMANDS), root_options(), declare)
    if args is None:
        args = build_parser(argv).parse_args(argv)
    try:
        debug = bool(getattr(args, "debug", False)) or _env_flag("EIDOS_DEBUG")
        fmt = getattr(args, "log_format", None) or _env_log_format()
    except ValueError as exc:
        _report(str(exc), False)
        return EXIT_INVALID
    elog.configure("debug" if debug else "warning", fmt)
    command = getattr(args, "_command", None)
    if command is None:
        build_parser(argv).print_help()
        return 0
    module = _command_module(command)
    try:
        return int(module.run(args) or 0)
    except EidosError as exc:
        _report(exc.message, debug)
        return exc.exit_code
    except KeyboardInterrupt:
        _report("interrupted", False)
        return EXIT_INTERRUPTED
    except Terminated as exc:
        import signal

        _report(f"terminated by {signal.Signals(exc.signum).name}", False)
        return 128 + exc.signum
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as exc:  # e.g. ENOSPC writing stdout or a file: I/O, not a bug
        _silence_stdout()
        where = f" {exc.filename}" if exc.filename else ""
        _report(f"I/O error{where}: {exc.strerror or exc}", debug)
        return EXIT_IO
    except Exception as exc:
        _report(f"internal error: {exc.__class__.__name__}: {exc}", debug)
        return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the exit-time flush cannot fail a second time."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):
        pass


def _report(message: str, debug: bool) -> None:
    if sys.stderr is None:  # started with fd 2 closed: the exit code is all we can give
        return
    if debug:
        import traceback

        traceback.print_exc(file=sys.stderr)
    sys.stderr.write(f"Error: {message}\n")
