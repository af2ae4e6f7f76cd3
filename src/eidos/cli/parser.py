"""The argparse tree of ``eidos``: help, usage errors, abbreviations and shell completion.

Commands are modules of this package with ``register(subparsers)`` and ``run(args)``.
``register`` only declares options, so building the tree stays cheap; each ``run`` imports
what its command needs. argparse rather than click: click costs ~28 ms of import on the
start-up path, more than the whole budget of ``eidos recipe``. Everyday command lines do
not get here at all (:mod:`eidos.cli.fastargs` parses them from the same declarations);
everything else -- ``--help``, errors, abbreviations, ``eidos completion`` -- does.
"""

from __future__ import annotations

import argparse
import os
import sys

from eidos import __version__
from eidos.cli.app import add_global_options, declare
from eidos.names import COMMANDS, EXIT_INVALID, exit_codes_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DESCRIPTION", "HelpFormatter", "build_parser"]


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
            sub = declare(subparsers, name)
            if name == chosen:
                parser.command_parser = sub
        elif chosen is None:
            subparsers.add_parser(name, help=help_text).set_defaults(_command=name)
    return parser
