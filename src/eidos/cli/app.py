"""The root ``eidos`` parser, the command table and error-to-exit-code translation.

Commands are modules of this package with ``register(subparsers)`` and ``run(args)``.
``register`` only declares options (argparse only), so building the parser stays cheap;
each ``run`` imports what its command needs. argparse rather than click: click costs
~28 ms of import on the start-up path, more than the whole budget of ``eidos recipe``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys

from eidos import __version__
from eidos import logging as elog
from eidos.names import COMMANDS, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_IO, exit_codes_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

__all__ = [
    "COMMANDS",
    "HelpFormatter",
    "Terminated",
    "build_parser",
    "completes",
    "run",
    "terminate_on_signals",
]


def _wrap(text: str, width: int = 88) -> str:
    """Wrap a comma-separated list between its items (``textwrap`` costs an import)."""
    lines: list[str] = []
    line = ""
    for item in text.split(", "):
        if line and len(line) + 2 + len(item) > width:
            lines.append(line + ",")
            line = item
        else:
            line = f"{line}, {item}" if line else item
    return "\n".join([*lines, line])


DESCRIPTION = f"""\
eidos captures the state of GPU nodes, turns it into a validated configuration recipe,
and renders deployment bundles for the NVIDIA GPU and Network Operators.

  eidos snapshot -o snap.yaml                 capture this node
  eidos recipe --snapshot snap.yaml -o r.yaml  recipe for what was captured
  eidos recipe --os ubuntu --service eks --gpu h100 --intent training
  eidos query --service eks --gpu h100 --selector deploymentOrder
  eidos bundle -f r.yaml -o ./bundles         Helm values, manifests, scripts

{_wrap(f"Exit codes: {exit_codes_line()}.")}
"""


def _terminal_width() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", "0")) or os.get_terminal_size(2).columns
    except (OSError, ValueError):
        columns = 100
    return max(60, min(columns, 120)) - 2


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps examples as written, wraps one-line descriptions; avoids importing shutil.

    A description or epilog with line breaks is laid out by hand and kept as it is; a
    description that is one long line is wrapped to the terminal like any help text.
    """

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text.strip():
            return super()._fill_text(text, width, indent)
        return argparse.HelpFormatter._fill_text(self, text, width, indent)

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 32,
        width: int | None = None,
    ) -> None:
        super().__init__(
            prog,
            indent_increment,
            max_help_position,
            width if width is not None else _terminal_width(),
        )


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 2 with one line (plus a hint), never a traceback."""

    #: On the root parser: the named command's parser. argparse reports a command's
    #: unknown flags from the root, but the hint should point at the command's help.
    command_parser: argparse.ArgumentParser | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("formatter_class") in (
            None,
            argparse.HelpFormatter,
            argparse.RawDescriptionHelpFormatter,
        ):
            kwargs["formatter_class"] = HelpFormatter
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Any:
        prog = self.prog
        if self.command_parser is not None and message.startswith("unrecognized arguments"):
            prog = self.command_parser.prog
        sys.stderr.write(f"Error: {message}\nRun '{prog} --help' for usage.\n")
        raise SystemExit(EXIT_INVALID)


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C (clean-up runs), exit 128 + signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def terminate_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated` in the main thread."""
    import signal

    def _raise(signum: int, frame: object) -> None:
        raise Terminated(signum)

    previous = {s: signal.signal(s, _raise) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def completes(action: argparse.Action, values: tuple[str, ...] | list[str]) -> None:
    """Record the values shell completion should offer for an option."""
    action.completions = tuple(values)  # type: ignore[attr-defined]


def _selected(argv: list[str]) -> str | None:
    """The command named in ``argv`` (the first token that is a command name)."""
    for token in argv:
        if token in COMMANDS:
            return token
        if token == "--":
            break
    return None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """Build the parser; with ``argv``, only the named command's options are declared.

    Declaring every option of every command costs milliseconds on each start: when ``argv``
    names a command, only that command is declared; when it names none, each command gets
    a placeholder (enough for ``eidos --help``). Without ``argv`` the full tree is built
    (shell completion walks it).
    """
    chosen = _selected(argv) if argv is not None else None
    parser = _Parser(prog="eidos", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"eidos version {__version__}")
    add_global_options(parser, suppress_defaults=False)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    for name, help_text in COMMANDS.items():
        if argv is None or name == chosen:
            module = importlib.import_module(f"eidos.cli.{name}")
            sub = module.register(subparsers)
            add_global_options(sub, suppress_defaults=True)
            if name == chosen:
                parser.command_parser = sub
        elif chosen is None:
            sub = subparsers.add_parser(name, help=help_text)
        else:
            continue  # another command was named: this one cannot be reached
        sub.set_defaults(_command=name)
    return parser


def add_global_options(parser: argparse.ArgumentParser, *, suppress_defaults: bool) -> None:
    """``--debug`` and ``--log-format``, accepted before or after the command."""
    default: Any = argparse.SUPPRESS if suppress_defaults else None
    group = parser.add_argument_group("global options")
    group.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS if suppress_defaults else False,
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


def run(argv: list[str]) -> int:
    """Parse ``argv``, run the command and translate errors into exit codes."""
    from eidos.errors import EidosError

    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        debug = bool(getattr(args, "debug", False)) or _env_flag("EIDOS_DEBUG")
        fmt = getattr(args, "log_format", None) or _env_log_format()
    except ValueError as exc:
        _report(str(exc), False)
        return EXIT_INVALID
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
