"""The filesystem steps of an output swap: exchange two directories, remove the old tree.

:func:`exchange` swaps two directories in one step (Linux ``renameat2``); :func:`remove`
removes a tree in this process, :func:`remove_detached` in a detached one, so a command
returns as soon as its new tree is in place. Removing a tree is the slowest step on some
filesystems (docs/performance.md).
"""

from __future__ import annotations

import errno
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["exchange", "remove", "remove_detached"]

_MAX_FD = 65536


def remove(path: str) -> None:
    """Remove a tree, if there, its top-level directories in parallel threads.

    Deleting directories waits on the filesystem (on ext4 with ``discard``, ~1-2 ms per
    directory); in parallel a bundle's old tree goes ~2.5x faster than one after the other.
    """
    try:
        subdirs = [e.path for e in os.scandir(path) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    # Heavy seam: removing a tree. shutil (with bz2, lzma, zlib) and threading cost ~4 ms of
    # a cold ``eidos bundle``; a new output needs neither, a replaced one (CLI) removes it in
    # a detached process.
    import shutil
    import threading

    threads = [threading.Thread(target=shutil.rmtree, args=(d, True)) for d in subdirs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    shutil.rmtree(path, ignore_errors=True)


def _threads_run() -> bool:
    """Whether threads other than this one run (only ``threading`` starts them in eidos)."""
    threading = sys.modules.get("threading")  # not imported: no thread was started with it
    return threading is not None and threading.active_count() > 1


def remove_detached(path: str) -> None:
    """Remove a tree in a detached grandchild process; inline where that cannot be done.

    The grandchild starts its own session and holds none of our descriptors (stdin, stdout
    and stderr are /dev/null), so a pipe reading our output ends when we do.
    """
    if not os.path.lexists(path):
        return
    if _threads_run():  # forking a threaded process may deadlock the child
        remove(path)
        return
    try:
        pid = os.fork()
    except OSError:
        remove(path)
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
            import shutil  # the removal seam (see remove), in the detached process only

            shutil.rmtree(path, ignore_errors=True)
    except BaseException:  # a forked child must never return into the caller's code
        code = 1
    os._exit(code)


_RENAMEAT2: list[Callable[..., int] | None] = []


def _renameat2() -> Callable[..., int] | None:
    """The C library's ``renameat2``, or None where it has none (loaded once).

    Heavy seam: ctypes (~3 ms) loads only when an existing output is replaced.
    """
    if _RENAMEAT2:
        return _RENAMEAT2[0]
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        function.argtypes += [ctypes.c_uint]
        function.restype = ctypes.c_int
    _RENAMEAT2.append(function)
    return _RENAMEAT2[0]


def exchange(a: str, b: str) -> bool:
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
