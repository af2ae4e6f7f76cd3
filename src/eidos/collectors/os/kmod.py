"""``kmod`` subtype: loaded kernel modules from ``/proc/modules`` (name -> ``true``)."""

from __future__ import annotations

from eidos.collectors._files import read_host_text
from eidos.collectors._keyvalue import split_lines
from eidos.model import Reading, Subtype

__all__ = ["MODULES", "parse_modules", "read_kmod"]

MODULES = "/proc/modules"


def parse_modules(text: str) -> dict[str, Reading]:
    """The first field of every line, each mapped to ``True``."""
    return {line.split()[0]: True for line in split_lines(text)}


def read_kmod(proc: str) -> Subtype:
    """Read the host's loaded modules as the ``kmod`` subtype."""
    return Subtype("kmod", parse_modules(read_host_text(proc, "/modules")))
