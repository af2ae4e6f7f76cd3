"""Command-line entry point: parse, dispatch lazily, map EidosError to exit codes."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run ``eidos`` with ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    from eidos.cli.app import run

    return run(sys.argv[1:] if argv is None else argv)
