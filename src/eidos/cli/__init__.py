"""Command-line entry point: parse, dispatch lazily, map EidosError to exit codes."""

from __future__ import annotations

import gc
import sys

__all__ = ["main"]


#: Commands that build one document (or bundle) and exit: they only allocate, so the cyclic
#: garbage collector's scans are pure cost to them (~2-3 ms of a ~45 ms ``eidos recipe``,
#: ~5 ms of a full-stack ``eidos bundle``).
_ONE_SHOT = frozenset({"recipe", "query", "bundle"})


def main(argv: list[str] | None = None) -> int:
    """Run ``eidos`` with ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    args = sys.argv[1:] if argv is None else argv
    collecting = gc.isenabled()
    if next((a for a in args if not a.startswith("-")), None) in _ONE_SHOT:
        gc.disable()  # before the imports, which allocate most of what such a run does
    try:
        from eidos.cli.app import run

        return run(args)
    finally:
        if collecting:
            gc.enable()  # main() also runs inside other programs (tests, scripts)
