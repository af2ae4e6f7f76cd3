"""``eidos completion bash|zsh|fish``: shell completion generated from the parser itself."""

from __future__ import annotations

import argparse

from eidos.names import COMMANDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["register", "run"]

SHELLS = ("bash", "zsh", "fish")

EPILOG = """\
examples:
  source <(eidos completion bash)                     # bash, current shell
  eidos completion bash > /etc/bash_completion.d/eidos
  eidos completion zsh > "${fpath[1]}/_eidos"         # zsh (then restart the shell)
  eidos completion fish > ~/.config/fish/completions/eidos.fish
"""


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Declare ``eidos completion``."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "completion",
        help=COMMANDS["completion"],
        description="Print a completion script for bash, zsh or fish.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("shell", choices=SHELLS, help="the shell to complete for")
    return p


def run(args: argparse.Namespace) -> int:
    """Print the script for ``args.shell``."""
    from eidos.cli.app import build_parser
    from eidos.cli.completion_scripts import render
    from eidos.serializer.destinations import StdoutDestination

    StdoutDestination().write(render(args.shell, build_parser()), fmt="text")
    return 0
