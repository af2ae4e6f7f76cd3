"""Command-line entry point: parse, dispatch lazily, map EidosError to exit codes."""

from __future__ import annotations

import gc
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

__all__ = ["main"]


#: Commands that build one document (or bundle) and exit: they only allocate, so the cyclic
#: garbage collector's scans are pure cost to them (~2-3 ms of a ~45 ms ``eidos recipe``,
#: ~5 ms of a full-stack ``eidos bundle``).
_ONE_SHOT = frozenset({"recipe", "query", "bundle"})


def main(argv: list[str] | None = None) -> int:
    """Run ``eidos`` with ``argv`` (default ``sys.argv[1:]``) and return the exit code.

    Called without ``argv`` (the ``eidos`` program itself), a one-shot command ends the
    process here once its output is flushed (:func:`_end_process`).
    """
    args = sys.argv[1:] if argv is None else argv
    collecting = gc.isenabled()
    one_shot = next((a for a in args if not a.startswith("-")), None) in _ONE_SHOT
    if one_shot:
        gc.disable()  # before the imports, which allocate most of what such a run does
    try:
        from eidos.cli.app import run

        code = run(args)
    finally:
        if collecting and not (one_shot and argv is None):
            gc.enable()  # main() also runs inside other programs (tests, scripts)
    if one_shot and argv is None:
        _end_process(code)
    if collecting:
        gc.enable()
    return code


def _end_process(code: int) -> None:
    """Flush the standard streams and end the process without the interpreter's teardown.

    Tearing down the modules and objects of a full-stack ``eidos bundle`` costs ~10 % of its
    cold run (docs/performance.md); a one-shot command has closed every file and lock it
    opened by now, and the kernel releases the rest. Returns (the caller exits normally)
    where something still needs the teardown: another thread runs, or coverage measures
    this process and writes its data at exit.
    """
    code = _flush(code)
    threading = sys.modules.get("threading")
    if "coverage" in sys.modules or (threading is not None and threading.active_count() > 1):
        return
    os._exit(code)


def _flush(code: int) -> int:
    """Flush stdout and stderr as the interpreter would at exit; an I/O error is exit 3."""
    from eidos.names import EXIT_IO

    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away (``| head``): as run() treats it
            _to_devnull(stream)
        except (OSError, ValueError) as exc:  # ENOSPC, EIO on a redirected stream
            _to_devnull(stream)
            if stream is sys.stdout and sys.stderr is not None:
                try:
                    sys.stderr.write(f"Error: I/O error writing standard output: {exc}\n")
                    sys.stderr.flush()
                except (OSError, ValueError):
                    pass
            code = code or EXIT_IO
    return code


def _to_devnull(stream: TextIO) -> None:
    """Point a stream's descriptor at /dev/null so that no later flush fails again."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, stream.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):
        pass
