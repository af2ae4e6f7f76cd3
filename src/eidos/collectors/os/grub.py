"""``grub`` subtype: the kernel command line from ``/proc/cmdline``.

Tokens are split on single spaces and at the first ``=`` (``root=UUID=x`` is key
``root``); bare flags such as ``ro`` get ``""``. ``root`` is dropped: it names disks.
Parsing stops at ``--``: what follows is passed to init (``-- --addr 0.0.0.0:2024``),
not to the kernel.
"""

from __future__ import annotations

from eidos.collectors._files import read_host_text
from eidos.collectors._keyvalue import parse_key_values, split_lines
from eidos.model import Reading, Subtype

__all__ = ["CMDLINE", "parse_cmdline", "read_grub"]

CMDLINE = "/proc/cmdline"
_FILTERED = frozenset({"root"})


def parse_cmdline(text: str) -> dict[str, str]:
    """Parse a kernel command line into parameters (``root`` removed, init's part ignored)."""
    words = split_lines(text.strip(), " ")
    if "--" in words:
        words = words[: words.index("--")]
    params = parse_key_values(words)
    return {k: v for k, v in params.items() if k not in _FILTERED}


def read_grub(proc: str) -> Subtype:
    """Read the host's kernel command line as the ``grub`` subtype."""
    data: dict[str, Reading] = dict(parse_cmdline(read_host_text(proc, "/cmdline")))
    return Subtype("grub", data)
