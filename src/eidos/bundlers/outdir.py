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

import errno
import functools
import os
import re
import shutil
import stat
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from eidos.bundlers.lock import OutputLock, alive, owner
from eidos.bundlers.marker import BUNDLE, MARKER, Marker, foreign, marker_text, read_marker
from eidos.bundlers.tree import DIR_MODE, FILE_MODE, FileTree
from eidos.errors import InvalidRequestError, IOFailureError
from eidos.logging import get_logger

__all__ = ["BUNDLE", "MARKER", "Marker", "OutputDir", "StagedDir", "mtime_of"]

log = get_logger(__name__)

_LEFTOVER = re.compile(r"([0-9]+)-([0-9]+)-[0-9a-f]+\.(new|old|trash)")
_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_MISSING, _EMPTY, _BUNDLE = "missing", "empty", "bundle"


def mtime_of(timestamp: str | None) -> float | None:
    """The file time for a recipe timestamp (ISO 8601), None when absent or unreadable."""
    if not timestamp:
        return None
    try:
        return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


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
        path: str | Path,
        *,
        force: bool = False,
        wait: bool = True,
        detach: bool = False,
        marker: Marker = BUNDLE,
    ) -> None:
        text = str(path)
        if not text.strip():
            raise InvalidRequestError("output directory must not be empty")
        if ".." in PurePath(text).parts:
            raise InvalidRequestError(f"output directory {text!r} must not contain '..' components")
        self.display = text
        self.path = Path(os.path.realpath(text))
        if self.path.parent == self.path:
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
        if not self.path.parent.is_dir():
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
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IOFailureError(f"cannot create {self.path.parent}: {_reason(exc)}") from None
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
                _remove_detached(staging)
            else:
                _remove(staging)

    def begin(self) -> StagedDir:
        """An empty staging directory next to the output, to fill file by file.

        Hand it to :meth:`publish_staged`, or :meth:`StagedDir.discard` it; a run killed
        in between leaves it for the next run's recovery.

        Raises:
            IOFailureError: the parent cannot be created or written.
        """
        staging = self._sibling("new")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
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

    def _sibling(self, kind: str) -> Path:
        name = f".{self.path.name}.eidos-"
        if kind == "lock":
            return self.path.parent / f"{name}lock"
        pid, start = owner()
        return self.path.parent / f"{name}{pid}-{start}-{os.urandom(4).hex()}.{kind}"

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
        listed = read_marker(self.path / m.name, m.magic)
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

    def _recover(self, keep: Path | None = None) -> None:
        """Remove dead runs' leftovers; put a dead run's old bundle back if the path is empty.

        ``keep``: this run's own staging directory, filled before the lock was taken.
        """
        prefix = f".{self.path.name}.eidos-"
        me = owner()
        dead: dict[str, list[Path]] = {"new": [], "old": [], "trash": []}
        for entry in os.scandir(self.path.parent):
            match = entry.name.startswith(prefix) and _LEFTOVER.fullmatch(entry.name[len(prefix) :])
            if match and entry.path != str(keep):
                pid, start = int(match[1]), int(match[2])
                if (pid, start) == me or not alive(pid, start):
                    dead[match[3]].append(Path(entry.path))
        if dead["old"] and not os.path.lexists(self.path):
            os.rename(dead["old"].pop(), self.path)
            log.warning(f"put back {self.display}, which an interrupted eidos had moved aside")
        for path in dead["old"]:  # complete bundles: never leave one half removed under .old
            trash = self._sibling("trash")
            os.rename(path, trash)
            dead["trash"].append(trash)
        for path in dead["new"] + dead["trash"]:
            _remove(path)
        if any(dead.values()):
            log.debug("removed leftovers of interrupted runs", output=self.display)

    def _swap(self, staging: Path, state: str) -> None:
        if state in (_MISSING, _EMPTY):  # rename(2) replaces an empty directory atomically
            os.rename(staging, self.path)
        elif not _exchange(staging, self.path):
            old = self._sibling("old")
            os.rename(self.path, old)
            try:
                os.rename(staging, self.path)
            except OSError:
                os.rename(old, self.path)
                raise
            trash = self._sibling("trash")
            os.rename(old, trash)
            _remove(trash)


_MAX_FD = 65536


def _remove(path: Path) -> None:
    """Remove a tree, if there, its top-level directories in parallel threads.

    Deleting directories waits on the filesystem (on ext4 with ``discard``, ~1-2 ms per
    directory); in parallel a bundle's old tree goes ~2.5x faster than one after the other.
    """
    try:
        subdirs = [e.path for e in os.scandir(path) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    threads = [threading.Thread(target=shutil.rmtree, args=(d, True)) for d in subdirs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    shutil.rmtree(path, ignore_errors=True)


def _remove_detached(path: Path) -> None:
    """Remove a tree in a detached grandchild process; inline where that cannot be done.

    The grandchild starts its own session and holds none of our descriptors (stdin, stdout
    and stderr are /dev/null), so a pipe reading our output ends when we do.
    """
    if not os.path.lexists(path):
        return
    if threading.active_count() > 1:  # forking a threaded process may deadlock the child
        _remove(path)
        return
    try:
        pid = os.fork()
    except OSError:
        _remove(path)
        return
    if pid:
        os.waitpid(pid, 0)  # the intermediate child exits at once
        return
    code = 0
    try:
        os.setsid()
        if os.fork() == 0:
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.closerange(3, _MAX_FD)
            shutil.rmtree(path, ignore_errors=True)
    except BaseException:  # a forked child must never return into the caller's code
        code = 1
    os._exit(code)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class StagedDir:
    """Files written one by one into a staging directory (from :meth:`OutputDir.begin`)."""

    def __init__(self, path: Path, display: str) -> None:
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
        _remove(self.path)


def _stage(root: Path, tree: FileTree, marker: Marker, mtime: float | None) -> None:
    os.mkdir(root, DIR_MODE)
    os.chmod(root, DIR_MODE)
    for rel, (data, mode) in tree.items():
        _write(root, rel, data, mode)
    _write(root, marker.name, marker_text(marker, tree.paths()), FILE_MODE)
    _touch(root, mtime)


def _touch(root: Path, mtime: float | None) -> None:
    if mtime is not None:
        for current, dirnames, filenames in os.walk(root, topdown=False):
            for name in filenames + dirnames:
                os.utime(os.path.join(current, name), (mtime, mtime), follow_symlinks=False)
        os.utime(root, (mtime, mtime))


def _write(root: Path, rel: str, data: bytes, mode: int) -> None:
    parent = root
    for part in PurePosixPath(rel).parts[:-1]:
        parent = parent / part
        if not parent.is_dir():
            os.mkdir(parent, DIR_MODE)
            os.chmod(parent, DIR_MODE)
    fd = os.open(root / rel, _OPEN_FLAGS, mode)
    try:
        os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """The C library's ``renameat2``, or None where it has none (loads ctypes: ~3 ms)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    function: Any = getattr(libc, "renameat2", None)
    if function is None:
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function  # type: ignore[no-any-return]


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step; False where the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))
