"""``sysctl`` subtype: the readable files under ``/proc/sys`` that describe the node.

Keys are host paths (``/proc/sys/vm/swappiness``) whatever the host root. A file with
several ``name value`` lines is expanded into one key per line
(``/proc/sys/sunrpc/transports/tcp``); symlinks are never followed, and unreadable,
oversized or non-UTF-8 entries are skipped without stopping the walk.

Two snapshots of an unchanged node must be equal, so entries that are not the node's
configuration are left out (:data:`EXCLUDED`: the network tree, values that change on
every read or every boot, and ones that name the reader's own process namespaces).
Values that the kernel keeps per namespace are kept but marked in the subtype's
``context`` (:data:`NAMESPACED`): read from a pod, they are the pod's, not the node's.
docs/snapshot.md lists both, with the reasons.
"""

from __future__ import annotations

import errno
import os

from eidos.collectors._files import MAX_FILE_BYTES, resolve
from eidos.collectors._keyvalue import split_lines
from eidos.logging import get_logger
from eidos.model import Reading, Subtype

__all__ = ["EXCLUDED", "NAMESPACED", "PROC_SYS", "expand_entry", "is_excluded", "read_sysctl"]

log = get_logger(__name__)

PROC_SYS = "/proc/sys"
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_CHUNK = 1 << 16
_K = "/proc/sys/kernel/"
_F = "/proc/sys/fs/"

#: Left out: key (or prefix ending in ``/``) -> why it says nothing about the node.
EXCLUDED: dict[str, str] = {
    "/proc/sys/net/": "network namespace of the reader; the reference skips it too",
    "/proc/sys/dev/cdrom/": "drive state, not configuration (the reference skips it)",
    _K + "hostname": "UTS namespace of the reader: in the agent, the pod's name",
    _K + "domainname": "UTS namespace of the reader",
    _K + "ns_last_pid": "last pid handed out in the reader's pid namespace; changes constantly",
    _K + "cad_pid": "a pid as seen from the reader's pid namespace",
    _K + "random/uuid": "a new random UUID on every read",
    _K + "random/boot_id": "a random id per boot",
    _K + "random/entropy_avail": "entropy pool level; changes with use",
    _K + "pty/nr": "pseudo-terminals in use",
    _K + "hung_task_detect_count": "a counter",
    _F + "file-nr": "file handles in use",
    _F + "inode-nr": "inodes in use",
    _F + "inode-state": "inodes in use",
    _F + "dentry-state": "directory cache use",
    _F + "aio-nr": "asynchronous I/O requests in flight",
    _F + "dquot-nr": "quota cache use",
    _F + "quota/": "quota statistics (counters), except fs/quota/warnings",
    "/proc/sys/sunrpc/svc_rdma/rdma_stat_": "RPC-over-RDMA statistics (counters)",
}
#: Kept although under an excluded prefix: settings, not counters.
_KEPT = frozenset({_F + "quota/warnings"})

#: Kept, but marked in ``context``: the kernel keeps these per namespace of the reader.
NAMESPACED: dict[str, str] = {
    **{
        _K + name: "ipc"
        for name in (
            "msgmax",
            "msgmnb",
            "msgmni",
            "msg_next_id",
            "sem",
            "sem_next_id",
            "shmall",
            "shmmax",
            "shmmni",
            "shm_next_id",
            "shm_rmid_forced",
        )
    },
    _F + "mqueue/": "ipc",
    _K + "pid_max": "pid",
    "/proc/sys/user/": "user",
}
_EXCLUDED_EXACT = frozenset(k for k in EXCLUDED if not k.endswith(("/", "_")))
_EXCLUDED_PREFIXES = tuple(k for k in EXCLUDED if k.endswith(("/", "_")))
_NAMESPACED_EXACT = {k: v for k, v in NAMESPACED.items() if not k.endswith("/")}
_NAMESPACED_PREFIXES = tuple((k, v) for k, v in NAMESPACED.items() if k.endswith("/"))


def is_excluded(key: str) -> bool:
    """Whether sysctl ``key`` (or the directory ``key`` + ``/``) is left out of snapshots."""
    if key in _KEPT or any(kept.startswith(key + "/") for kept in _KEPT):
        return False
    return key in _EXCLUDED_EXACT or (key + "/").startswith(_EXCLUDED_PREFIXES)


def _namespace_of(key: str) -> str | None:
    kind = _NAMESPACED_EXACT.get(key)
    if kind is None:
        kind = next((v for k, v in _NAMESPACED_PREFIXES if key.startswith(k)), None)
    return kind


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


def read_sysctl(proc: str) -> Subtype:
    """Walk ``sys`` under the proc root ``proc`` and return the ``sysctl`` subtype.

    Raises:
        OSError: ``/proc/sys`` itself is missing or cannot be listed.
    """
    top = resolve(proc, "/sys")
    data: dict[str, Reading] = {}
    _walk(top, PROC_SYS, data, strict=True)
    context = {}
    for key in data:
        kind = _namespace_of(key)
        if kind is not None:
            context[key] = (
                f"per {kind} namespace: the value of the reader's {kind} namespace "
                "(read from a pod, the pod's, not the node's)"
            )
    return Subtype("sysctl", data, context)


def _walk(local: str, key: str, data: dict[str, Reading], *, strict: bool = False) -> None:
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
        if entry.is_symlink() or is_excluded(path):
            continue
        if entry.is_dir(follow_symlinks=False):
            _walk(entry.path, path, data)
        elif entry.is_file(follow_symlinks=False):  # never a FIFO or a device
            _read_entry(entry.path, path, data)


def _read_entry(local: str, key: str, data: dict[str, Reading]) -> None:
    try:
        text = _read_value(local).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        log.debug("sysctl: skipping unreadable entry", path=key, error=str(exc))
        return
    data.update(expand_entry(key, text))


def _read_value(local: str) -> bytes:
    """The whole of one sysctl file, in as few system calls as it takes (usually three).

    A sysctl hands out its whole value in one read, and a regular file fills the buffer
    unless it ends: a read shorter than the buffer is the end. The walk knows the entry is
    a regular file (``scandir``), so there is no ``fstat``; the 1 MiB cap still holds.
    """
    fd = os.open(local, _OPEN_FLAGS)
    try:
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, _CHUNK)
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise OSError(errno.EFBIG, f"larger than {MAX_FILE_BYTES} bytes", local)
            chunks.append(chunk)
            if len(chunk) < _CHUNK:
                return b"".join(chunks)
    finally:
        os.close(fd)
