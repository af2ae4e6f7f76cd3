"""``sysctl`` subtype: every readable file under ``/proc/sys`` except the network tree.

Keys are host paths (``/proc/sys/vm/swappiness``) whatever the host root. A file with
several ``name value`` lines is expanded into one key per line
(``/proc/sys/sunrpc/transports/tcp``); symlinks are never followed, and unreadable,
oversized or non-UTF-8 entries are skipped without stopping the walk.
"""

from __future__ import annotations

import os
from pathlib import Path

from eidos.collectors._files import read_bytes, resolve
from eidos.collectors._keyvalue import split_lines
from eidos.logging import get_logger
from eidos.model import Reading, Subtype

__all__ = ["PROC_SYS", "expand_entry", "read_sysctl"]

log = get_logger(__name__)

PROC_SYS = "/proc/sys"
_EXCLUDED_DIRS = frozenset({"/proc/sys/net"})
_EXCLUDED_PREFIXES = ("/proc/sys/dev/cdrom/",)


def expand_entry(key: str, text: str) -> dict[str, str]:
    r"""Turn one file's content into readings (the reference's rules).

    ``"60\\n"`` gives ``{key: "60"}``; ``"tcp 1048576\\nudp 32768"`` gives
    ``{key/tcp: "1048576", key/udp: "32768"}``. When a later line has fewer than two
    fields, the keys expanded so far stay and the whole text is stored under ``key``.
    """
    lines = split_lines(text)
    if len(lines) <= 1:
        return {key: lines[0] if lines else ""}
    out: dict[str, str] = {}
    for line in lines:
        fields = line.split()
        if len(fields) < 2:
            out[key] = "\n".join(lines)
            break
        out[f"{key}/{fields[0]}"] = " ".join(fields[1:])
    return out


def read_sysctl(root: Path) -> Subtype:
    """Walk the host's ``/proc/sys`` and return the ``sysctl`` subtype.

    Raises:
        OSError: ``/proc/sys`` itself is missing or cannot be listed.
    """
    top = resolve(root, PROC_SYS)
    data: dict[str, Reading] = {}
    _walk(top, PROC_SYS, data, strict=True)
    return Subtype("sysctl", data)


def _walk(local: Path, key: str, data: dict[str, Reading], *, strict: bool = False) -> None:
    try:
        with os.scandir(local) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        if strict:
            raise
        log.debug("sysctl: skipping unlistable directory", path=key, error=str(exc))
        return
    for entry in entries:
        path = f"{key}/{entry.name}"
        if entry.is_symlink():
            continue
        if entry.is_dir(follow_symlinks=False):
            if path not in _EXCLUDED_DIRS:
                _walk(local / entry.name, path, data)
        elif not path.startswith(_EXCLUDED_PREFIXES):
            _read_entry(local / entry.name, path, data)


def _read_entry(local: Path, key: str, data: dict[str, Reading]) -> None:
    try:
        text = read_bytes(local).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        log.debug("sysctl: skipping unreadable entry", path=key, error=str(exc))
        return
    data.update(expand_entry(key, text))
