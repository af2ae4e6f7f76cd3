"""Markers: the file that makes a directory an output eidos wrote, listing every file.

An output directory is replaced only when its marker (a regular file, not a link, that
starts with the kind's magic line) lists every file in it (:mod:`eidos.bundlers.outdir`).
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["BUNDLE", "MARKER", "Marker", "foreign", "listed_dirs", "marker_text", "read_marker"]

#: the file that makes a directory an eidos bundle; it lists every file eidos wrote there
MARKER = ".eidos-bundle"
_MAGIC = "# eidos bundle output"
_MARKER_HEAD = (
    f"{_MAGIC} (format 1), written by `eidos bundle`. `eidos bundle --force` replaces this\n"
    "# directory as a whole, and refuses to while it holds a file not listed here.\n"
)


class Marker:
    """What makes a directory an output eidos wrote: a file listing every file it wrote.

    ``name``: the file; ``magic``: its first line starts with this; ``writer``: the command
    (for messages); ``what``: "a bundle"; ``note``: more advice when refusing a directory.
    """

    __slots__ = ("head", "magic", "name", "note", "what", "writer")

    def __init__(
        self, *, name: str, magic: str, head: str, writer: str, what: str, note: str = ""
    ) -> None:
        self.name = name
        self.magic = magic
        self.head = head
        self.writer = writer
        self.what = what
        self.note = note


#: Bundles (``eidos bundle``).
BUNDLE = Marker(
    name=MARKER,
    magic=_MAGIC,
    head=_MARKER_HEAD,
    writer="eidos bundle",
    what="a bundle",
    note=" (a bundle written by an earlier eidos has no marker: remove it once by hand)",
)


def read_marker(path: str, magic: str) -> set[str] | None:
    """The paths a marker lists, or None if ``path`` is not an eidos marker."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        text = fh.read(1 << 20).decode("utf-8", "replace")
    if not text.startswith(magic):
        return None
    return {line for line in text.splitlines() if line and not line.startswith("#")}


def marker_text(marker: Marker, paths: Iterable[str]) -> bytes:
    """The marker file listing ``paths``."""
    return (marker.head + "".join(f"{rel}\n" for rel in paths)).encode("utf-8")


def listed_dirs(listed: set[str]) -> set[str]:
    """The directories above the relative paths in ``listed`` (as POSIX paths read them)."""
    dirs: set[str] = set()
    for rel in listed:
        if rel.startswith("/"):  # an absolute line names nothing in the directory
            continue
        parts = [part for part in rel.split("/") if part not in ("", ".")]
        dirs.update("/".join(parts[:end]) for end in range(1, len(parts)))
    return dirs


def foreign(root: str, listed: set[str], marker: str) -> str | None:
    """The first path under ``root`` (relative) that is neither listed nor holds a listed file."""
    dirs = listed_dirs(listed)
    for current, dirnames, filenames in os.walk(root):
        base = current[len(root) + 1 :]
        dirnames.sort()
        for name in dirnames:
            rel = f"{base}/{name}" if base else name
            if rel not in dirs or os.path.islink(os.path.join(current, name)):
                return rel
        for name in sorted(filenames):
            rel = f"{base}/{name}" if base else name
            if rel not in listed and rel != marker:
                return rel
    return None
