"""Output destinations: stdout, a file (atomic write), or a ConfigMap (``cm://ns/name``).

A bad destination is an error before any work starts; there is never a silent fallback.
"""

from __future__ import annotations

import os
import stat
import sys

from eidos.errors import InvalidRequestError, IOFailureError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TextIO

    from eidos.kube import Kube
    from eidos.serializer._protocols import Destination

__all__ = ["FileDestination", "StdoutDestination", "open_destination"]


class StdoutDestination:
    """Standard output (the default); a closed stdout (``>&-``) is an error before any work.

    Raises:
        IOFailureError: standard output is closed.
    """

    def __init__(self) -> None:
        _stdout()

    def write(self, text: str, *, fmt: str) -> None:
        """Write to stdout and flush."""
        self.write_chunks([text], fmt=fmt)

    def write_chunks(self, chunks: Iterable[str], *, fmt: str) -> None:
        """Write a document that comes in pieces (too large to hold at once), then flush."""
        out = _stdout()
        for chunk in chunks:
            out.write(chunk)
        out.flush()


def _stdout() -> TextIO:
    if sys.stdout is None:  # started with fd 1 closed
        raise IOFailureError("standard output is closed; write to a file with -o FILE")
    return sys.stdout


class FileDestination:
    """A file, written atomically: a temp file next to it, then a rename over it.

    A symlink is followed (its target is replaced, the link stays). Devices, FIFOs and
    anything under /dev or /proc (``-o /dev/stdout``, ``-o >(gzip > s.gz)``) are written
    in place: renaming over them would replace the device node itself.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        absolute = os.path.abspath(path)
        try:
            info: os.stat_result | None = os.stat(absolute)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise IOFailureError(f"cannot write {path}: {exc.strerror or exc}") from None
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise InvalidRequestError(f"output {path} is a directory; give a file name")
        self.in_place = absolute.startswith(("/dev/", "/proc/")) or (
            info is not None and not stat.S_ISREG(info.st_mode)
        )
        self.target = absolute if self.in_place else os.path.realpath(absolute)
        self.mode = stat.S_IMODE(info.st_mode) if info is not None else None
        if self.in_place:
            return
        parent = os.path.dirname(self.target)
        if not os.path.isdir(parent):
            raise IOFailureError(f"cannot write {path}: directory {parent} does not exist")
        if not os.access(parent, os.W_OK):
            raise IOFailureError(f"cannot write {path}: directory {parent} is not writable")

    def write(self, text: str, *, fmt: str) -> None:
        """Write ``text`` to a temp file, fsync it, then rename it over the target."""
        self.write_chunks([text], fmt=fmt)

    def write_chunks(self, chunks: Iterable[str], *, fmt: str) -> None:
        """Write a document that comes in pieces (too large to hold at once), as :meth:`write`."""
        if self.in_place:
            try:
                with open(self.target, "w", encoding="utf-8") as fh:
                    for chunk in chunks:
                        fh.write(chunk)
            except OSError as exc:
                raise IOFailureError(f"cannot write {self.path}: {exc.strerror or exc}") from None
            return
        import tempfile

        tmp = ""
        try:
            fd, tmp = tempfile.mkstemp(
                prefix=".eidos-", suffix=".tmp", dir=os.path.dirname(self.target)
            )
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                for chunk in chunks:
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, self.mode if self.mode is not None else 0o666 & ~_umask())
            os.replace(tmp, self.target)
        except OSError as exc:
            _remove(tmp)
            raise IOFailureError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        except BaseException:
            _remove(tmp)
            raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _remove(path: str) -> None:
    if not path:
        return
    try:  # noqa: SIM105 -- contextlib (with collections, functools) is off the recipe path
        os.unlink(path)
    except OSError:
        pass


def open_destination(uri: str | None, *, component: str, kube: Kube | None = None) -> Destination:
    """Resolve ``-o``: ``None``/""/``-`` → stdout, ``cm://ns/name`` → ConfigMap, else a file.

    Args:
        uri: the user's ``--output`` value.
        component: ``snapshot`` or ``recipe`` (names ConfigMap keys and labels).
        kube: the Kubernetes client for ``cm://`` (default: one from the environment).

    Raises:
        InvalidRequestError: a malformed URI or an unusable path.
        IOFailureError: the file's directory is missing or not writable.
    """
    if uri is None or uri.strip() in ("", "-"):
        return StdoutDestination()
    if uri.lower().startswith("cm://"):
        from eidos.serializer.configmap import ConfigMapDestination

        return ConfigMapDestination(uri, component=component, kube=kube)
    if "://" in uri:
        scheme = uri.split("://", 1)[0]
        raise InvalidRequestError(
            f"unsupported output {scheme}://; use a file path, '-' or cm://namespace/name"
        )
    return FileDestination(uri)
