"""Safe reads of host files: symlinks resolved inside the host root, sizes capped.

Paths are host paths (``/etc/os-release``); :func:`resolve` maps them under the host
root the way the host's kernel would, but an absolute or ``..`` symlink can never
climb out of the root. Reads refuse anything that is not a regular file.
"""

from __future__ import annotations

import errno
import os
import stat

__all__ = ["MAX_FILE_BYTES", "read_bytes", "read_host_text", "reason", "resolve"]

#: Largest host file read, in bytes (the reference's 1 MiB cap).
MAX_FILE_BYTES = 1 << 20
_MAX_LINKS = 40
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def resolve(root: str, path: str) -> str:
    """Resolve host path ``path`` under ``root``, following symlinks as if ``root`` were ``/``.

    Raises:
        OSError: a component is missing (``ENOENT``) or symlinks loop (``ELOOP``).
    """
    pending = [p for p in path.split("/") if p not in ("", ".")]
    pending.reverse()
    done: list[str] = []
    hops = 0
    while pending:
        name = pending.pop()
        if name == "..":
            if done:
                done.pop()
            continue
        candidate = os.path.join(root, *done, name)
        if not stat.S_ISLNK(os.lstat(candidate).st_mode):
            done.append(name)
            continue
        hops += 1
        if hops > _MAX_LINKS:
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), path)
        target = os.readlink(candidate)
        if target.startswith("/"):
            done = []
        pending.extend(reversed([p for p in target.split("/") if p not in ("", ".")]))
    return os.path.join(root, *done)


def read_bytes(local: str, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a regular file without following a final symlink, at most ``limit`` bytes.

    Raises:
        OSError: unreadable, not a regular file (``EINVAL``) or larger than ``limit``
            (``EFBIG``).
    """
    fd = os.open(local, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(local))
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 16):
            size += len(chunk)
            if size > limit:
                raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(local))
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_host_text(root: str, path: str, *, limit: int = MAX_FILE_BYTES) -> str:
    """Read host file ``path`` under ``root`` as UTF-8 text.

    Raises:
        OSError: see :func:`resolve` and :func:`read_bytes`.
        ValueError: the content is not valid UTF-8.
    """
    data = read_bytes(resolve(root, path), limit=limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not valid UTF-8") from exc


def reason(exc: BaseException) -> str:
    """A short, path-free description of a read failure."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
