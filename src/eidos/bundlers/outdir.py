"""OutputDir: write a whole tree as one directory, atomically, and only over our own.

Bundles use it (:data:`BUNDLE`), and so do fleet snapshots (a :class:`Marker` of their
own): a tree in memory (:meth:`OutputDir.publish`), or files staged one by one as they
arrive (:meth:`OutputDir.begin`, then :meth:`OutputDir.publish_staged`).

Everything happens under an :class:`~.lock.OutputLock` on ``.<name>.eidos-lock`` next to
the directory (``<name>`` is the directory's name), in four steps:

1. Recover. Leftovers of dead runs next to the directory
   (``.<name>.eidos-<pid>-<start>-<tag>.new|.old|.trash``) are removed. If the directory
   itself is missing and a dead run left the complete old one aside (``.old``), that one is
   put back first.
2. Look at the path: nothing, an empty directory, or an eidos output of this kind (its
   marker file, :data:`MARKER` for bundles, lists every file eidos wrote there). Anything
   else is refused (exit 3), as is one holding a file the marker does not list; an
   existing output is replaced only with ``force``.
3. Stage the tree and the marker in ``.<name>.eidos-<pid>-<start>-<tag>.new``.
4. Swap. ``renameat2(RENAME_EXCHANGE)`` puts the new directory at the path and the old one at
   the staging name in one step; the old one is removed after the lock is released (it
   bears this live run's name, so nobody else touches it): at every instant the path holds
   the complete old or the complete new bundle. Where the filesystem cannot exchange,
   the old directory is renamed aside (``.old``) and the new one renamed in; a run killed
   between the two leaves the complete old bundle as ``.old``, which step 1 puts back.

Nothing is fsync'ed: this survives killed and interrupted runs, not a power cut.
"""

from __future__ import annotations

import os
import stat

from eidos.bundlers.lock import OutputLock, alive, owner
from eidos.bundlers.marker import BUNDLE, MARKER, Marker, foreign, marker_text, read_marker
from eidos.bundlers.swap import exchange, remove, remove_detached
from eidos.bundlers.timestamps import epoch_seconds
from eidos.bundlers.tree import DIR_MODE, FILE_MODE, FileTree
from eidos.errors import InvalidRequestError, IOFailureError
from eidos.logging import get_logger

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike

__all__ = ["BUNDLE", "MARKER", "Marker", "OutputDir", "StagedDir", "mtime_of"]

log = get_logger(__name__)

_LEFTOVER_KINDS = ("new", "old", "trash")
_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_MISSING, _EMPTY, _BUNDLE = "missing", "empty", "bundle"


def mtime_of(timestamp: str | None) -> float | None:
    """The file time for a recipe timestamp (ISO 8601), None when absent or unreadable."""
    return epoch_seconds(timestamp) if timestamp else None


def _leftover(name: str) -> tuple[int, int, str] | None:
    """(pid, start, kind) of a leftover's name after the prefix: ``<pid>-<start>-<hex>.<kind>``."""
    head, dot, kind = name.rpartition(".")
    pid, start, tag = head.split("-", 2) if head.count("-") == 2 else ("", "", "")
    if not (dot and kind in _LEFTOVER_KINDS and _digits(pid) and _digits(start) and tag):
        return None
    if tag.strip("0123456789abcdef"):
        return None
    return int(pid), int(start), kind


def _digits(text: str) -> bool:
    """One or more ASCII digits (``str.isdigit`` also takes other scripts' digits)."""
    return bool(text) and text.isascii() and text.isdigit()


class OutputDir:
    """The ``-o`` directory of one run: checked early, written once by :meth:`publish`.

    Args:
        path: the directory; created with its parents, but only when there is something
            to write.
        force: replace an existing bundle (never anything else).
        wait: wait for another eidos writing the same directory; False refuses at once.
        detach: remove the replaced tree in a detached process, so the caller returns as
            soon as the new tree is in place (the CLI: removing a tree is the slowest step
            on some filesystems, docs/performance.md); a leftover of a removal that dies is
            removed by the next run.
        marker: the kind of output (its marker file): bundles by default.

    Raises:
        InvalidRequestError: an empty path, a ``..`` component, or the filesystem root.
    """

    def __init__(
        self,
        path: str | PathLike[str],
        *,
        force: bool = False,
        wait: bool = True,
        detach: bool = False,
        marker: Marker = BUNDLE,
    ) -> None:
        text = os.fspath(path)
        if not text.strip():
            raise InvalidRequestError("output directory must not be empty")
        if ".." in text.split("/"):
            raise InvalidRequestError(f"output directory {text!r} must not contain '..' components")
        self.display = text
        self.path = os.path.realpath(text)
        self.parent = os.path.dirname(self.path)
        if self.parent == self.path:
            raise InvalidRequestError(f"output directory {text!r} cannot be the filesystem root")
        self.force = force
        self.wait = wait
        self.detach = detach
        self.marker = marker

    def check(self) -> None:
        """Refuse early what :meth:`publish` would refuse, writing nothing.

        Looks under the lock when it is free; while another eidos writes the directory it
        does not wait and leaves the verdict to :meth:`publish` (a directory in the middle
        of a swap must not be judged).

        Raises:
            InvalidRequestError, IOFailureError: as :meth:`publish`.
        """
        if not os.path.isdir(self.parent):
            return
        lock = OutputLock(self._sibling("lock"), what=self.display, wait=False)
        if lock.take(blocking=False):
            try:
                self._inspect()
            finally:
                lock.release()

    def publish(self, tree: FileTree, *, mtime: float | None = None) -> None:
        """Make the directory hold exactly ``tree`` (plus the marker), in one atomic step.

        Raises:
            InvalidRequestError: the directory holds a bundle and ``force`` is off.
            IOFailureError: the directory is not ours, another eidos holds it (``wait``
                off), or the filesystem refused a write.
        """
        what = self.display
        try:
            os.makedirs(self.parent, exist_ok=True)
        except OSError as exc:
            raise IOFailureError(f"cannot create {self.parent}: {_reason(exc)}") from None
        staging = self._sibling("new")
        try:
            with OutputLock(self._sibling("lock"), what=what, wait=self.wait):
                self._recover()
                state = self._inspect()
                _stage(staging, tree, self.marker, mtime)
                self._swap(staging, state)
        except OSError as exc:
            raise IOFailureError(f"cannot write {what}: {_reason(exc)}") from None
        finally:  # the old output (after a swap) or a partial new one; outside the lock
            if self.detach:
                remove_detached(staging)
            else:
                remove(staging)

    def begin(self) -> StagedDir:
        """An empty staging directory next to the output, to fill file by file.

        Hand it to :meth:`publish_staged`, or :meth:`StagedDir.discard` it; a run killed
        in between leaves it for the next run's recovery.

        Raises:
            IOFailureError: the parent cannot be created or written.
        """
        staging = self._sibling("new")
        try:
            os.makedirs(self.parent, exist_ok=True)
            os.mkdir(staging, DIR_MODE)
            os.chmod(staging, DIR_MODE)
        except OSError as exc:
            raise IOFailureError(f"cannot write {self.display}: {_reason(exc)}") from None
        return StagedDir(staging, self.display)

    def publish_staged(self, staged: StagedDir, *, mtime: float | None = None) -> None:
        """Make the directory hold exactly the staged files (plus the marker), atomically.

        Raises:
            InvalidRequestError, IOFailureError: as :meth:`publish`.
        """
        what = self.display
        try:
            with OutputLock(self._sibling("lock"), what=what, wait=self.wait):
                self._recover(keep=staged.path)
                state = self._inspect()
                _write(
                    staged.path, self.marker.name, marker_text(self.marker, staged.files), FILE_MODE
                )
                _touch(staged.path, mtime)
                self._swap(staged.path, state)
        except OSError as exc:
            raise IOFailureError(f"cannot write {what}: {_reason(exc)}") from None
        finally:
            staged.discard()

    def _sibling(self, kind: str) -> str:
        name = f".{os.path.basename(self.path)}.eidos-"
        if kind == "lock":
            return os.path.join(self.parent, f"{name}lock")
        pid, start = owner()
        return os.path.join(self.parent, f"{name}{pid}-{start}-{os.urandom(4).hex()}.{kind}")

    def _inspect(self) -> str:
        what = self.display
        try:
            info = os.lstat(self.path)
            if not stat.S_ISDIR(info.st_mode):
                raise IOFailureError(
                    f"{what} exists and is not a directory; refusing to replace it",
                    details={"path": what},
                )
            entries = os.listdir(self.path)
        except FileNotFoundError:
            return _MISSING
        except OSError as exc:
            raise IOFailureError(f"cannot read {what}: {_reason(exc)}") from None
        if not entries:
            return _EMPTY
        m = self.marker
        listed = read_marker(os.path.join(self.path, m.name), m.magic)
        if listed is None:
            raise IOFailureError(
                f"{what} is not empty and was not written by {m.writer} (no {m.name} in "
                f"it); refusing to replace it: choose a new or empty directory{m.note}",
                details={"path": what},
            )
        other = foreign(self.path, listed, m.name)
        if other is not None:
            raise IOFailureError(
                f"{os.path.join(what, other)} was not written by {m.writer}; refusing "
                f"to replace {what}: move it out first",
                details={"path": os.path.join(what, other)},
            )
        if not self.force:
            raise InvalidRequestError(f"{what} already holds {m.what}; use --force to replace it")
        return _BUNDLE

    def _recover(self, keep: str | None = None) -> None:
        """Remove dead runs' leftovers; put a dead run's old bundle back if the path is empty.

        ``keep``: this run's own staging directory, filled before the lock was taken.
        """
        prefix = f".{os.path.basename(self.path)}.eidos-"
        me = owner()
        dead: dict[str, list[str]] = {kind: [] for kind in _LEFTOVER_KINDS}
        for entry in os.scandir(self.parent):
            found = entry.name.startswith(prefix) and _leftover(entry.name[len(prefix) :])
            if found and entry.path != keep:
                pid, start, kind = found
                if (pid, start) == me or not alive(pid, start):
                    dead[kind].append(entry.path)
        if dead["old"] and not os.path.lexists(self.path):
            os.rename(dead["old"].pop(), self.path)
            log.warning(f"put back {self.display}, which an interrupted eidos had moved aside")
        for path in dead["old"]:  # complete bundles: never leave one half removed under .old
            trash = self._sibling("trash")
            os.rename(path, trash)
            dead["trash"].append(trash)
        for path in dead["new"] + dead["trash"]:
            remove(path)
        if any(dead.values()):
            log.debug("removed leftovers of interrupted runs", output=self.display)

    def _swap(self, staging: str, state: str) -> None:
        if state in (_MISSING, _EMPTY):  # rename(2) replaces an empty directory atomically
            os.rename(staging, self.path)
        elif not exchange(staging, self.path):
            old = self._sibling("old")
            os.rename(self.path, old)
            try:
                os.rename(staging, self.path)
            except OSError:
                os.rename(old, self.path)
                raise
            trash = self._sibling("trash")
            os.rename(old, trash)
            remove(trash)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class StagedDir:
    """Files written one by one into a staging directory (from :meth:`OutputDir.begin`)."""

    def __init__(self, path: str, display: str) -> None:
        self.path = path
        self.display = display
        self.files: list[str] = []

    def add(self, rel: str, data: bytes) -> None:
        """Write ``data`` at ``rel`` (a plain file name or relative path, new).

        Raises:
            IOFailureError: the filesystem refused the write.
        """
        try:
            _write(self.path, rel, data, FILE_MODE)
        except OSError as exc:
            raise IOFailureError(f"cannot write {self.display}: {_reason(exc)}") from None
        self.files.append(rel)

    def discard(self) -> None:
        """Remove the staging directory and what is in it (safe to call twice)."""
        remove(self.path)


def _stage(root: str, tree: FileTree, marker: Marker, mtime: float | None) -> None:
    """Write ``tree`` and the marker into the new directory ``root``, dated ``mtime``."""
    os.mkdir(root, DIR_MODE)
    os.chmod(root, DIR_MODE)
    dirs = tree.dirs()  # parents first
    for rel in dirs:
        path = os.path.join(root, rel)
        os.mkdir(path, DIR_MODE)
        os.chmod(path, DIR_MODE)
    times = None if mtime is None else (mtime, mtime)
    for rel, (data, mode) in tree.items():
        _write_file(os.path.join(root, rel), data, mode, times)
    _write_file(
        os.path.join(root, marker.name), marker_text(marker, tree.paths()), FILE_MODE, times
    )
    if times is not None:  # directories last: writing into one changes its time
        for rel in dirs:
            os.utime(os.path.join(root, rel), times, follow_symlinks=False)
        os.utime(root, times)


def _touch(root: str, mtime: float | None) -> None:
    if mtime is not None:
        for current, dirnames, filenames in os.walk(root, topdown=False):
            for name in filenames + dirnames:
                os.utime(os.path.join(current, name), (mtime, mtime), follow_symlinks=False)
        os.utime(root, (mtime, mtime))


def _write(root: str, rel: str, data: bytes, mode: int) -> None:
    """Write ``data`` at ``rel`` under ``root``, creating the directories above it."""
    parent = root
    for part in [part for part in rel.split("/") if part not in ("", ".")][:-1]:
        parent = os.path.join(parent, part)
        if not os.path.isdir(parent):
            os.mkdir(parent, DIR_MODE)
            os.chmod(parent, DIR_MODE)
    _write_file(os.path.join(root, rel), data, mode, None)


def _write_file(path: str, data: bytes, mode: int, times: tuple[float, float] | None) -> None:
    fd = os.open(path, _OPEN_FLAGS, mode)
    try:
        os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if times is not None:
            os.utime(fd, times)
    finally:
        os.close(fd)
