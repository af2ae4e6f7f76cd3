"""The seams collectors reach the host through, and the settings they share.

Collectors read host files through :class:`HostPaths` and run programs through a
command runner (:class:`SubprocessRunner` for real), so tests point them at fixture
trees and fake executables. Read-only keyword-only classes rather than dataclasses:
this module is on the start-up path of ``eidos snapshot``, where ``dataclasses`` with
the ``inspect`` and ``typing`` it loads would cost ~10 ms of a ~60 ms budget.
"""

from __future__ import annotations

import os
import time

from eidos.errors import InvalidRequestError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from threading import Event
    from typing import Any

    from eidos.collectors.base import CommandRunner
    from eidos.kube import Kube

__all__ = [
    "DEFAULT_SYSTEMD_UNITS",
    "CollectorCancelled",
    "CollectorSettings",
    "CommandResult",
    "HostPaths",
    "SubprocessRunner",
]

#: Units the SystemD collector describes unless told otherwise (the reference's list).
DEFAULT_SYSTEMD_UNITS = ("containerd.service", "docker.service", "kubelet.service")


class CollectorCancelled(Exception):
    """Raised by ``collect`` that gave up because ``stop`` was set (not a failure)."""


class _ReadOnly:
    """Equality, repr and no assignment after ``__init__``, for classes with ``__slots__``."""

    __slots__: tuple[str, ...] = ()

    def _set(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__
        )

    def __hash__(self) -> int:
        return hash(tuple(repr(getattr(self, name)) for name in self.__slots__))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


class HostPaths(_ReadOnly):
    """Where the host's file system is visible (``/`` on the node, ``/host`` in the agent).

    ``root`` is the absolute directory that stands for the host's ``/``; ``proc`` the
    procfs to read (default ``<root>/proc``). The agent reads its own ``/proc``: the
    kernel command line, the loaded modules and the global sysctls are the node's in
    every container, so the host's ``/proc`` (and its processes) need not be mounted.
    """

    __slots__ = ("proc", "root")
    root: str
    proc: str

    def __init__(
        self, *, root: str | os.PathLike[str] = "/", proc: str | os.PathLike[str] | None = None
    ) -> None:
        top = os.path.abspath(os.fspath(root))
        self._set(
            root=top,
            proc=os.path.join(top, "proc") if proc is None else os.path.abspath(os.fspath(proc)),
        )

    @classmethod
    def from_option(cls, value: str | None, proc: str | None = None) -> HostPaths:
        """Build from ``--host-root`` (else ``$EIDOS_HOST_ROOT``, else ``/``) and ``--proc-root``.

        Raises:
            InvalidRequestError: the root or the proc root is not an existing directory.
        """
        raw = value or os.environ.get("EIDOS_HOST_ROOT", "") or "/"
        root = os.path.expanduser(raw)
        if not os.path.isdir(root):
            raise InvalidRequestError(
                f"host root {raw!r} is not a directory (set --host-root or EIDOS_HOST_ROOT "
                "to where the node's / is mounted, e.g. /host)"
            )
        if proc is not None and not os.path.isdir(os.path.expanduser(proc)):
            raise InvalidRequestError(f"proc root {proc!r} is not a directory (e.g. /proc)")
        return cls(root=root, proc=None if proc is None else os.path.expanduser(proc))

    def host(self, path: str) -> str:
        """Local path of the host path ``path`` (e.g. ``/etc/os-release``), symlinks untouched.

        Paths under ``/proc`` are mapped to :attr:`proc`.
        """
        if path == "/proc" or path.startswith("/proc/"):
            return os.path.join(self.proc, path[len("/proc") :].lstrip("/"))
        return os.path.join(self.root, path.lstrip("/"))


class CommandResult(_ReadOnly):
    """What a finished program left behind: ``returncode``, ``stdout``, ``stderr``."""

    __slots__ = ("returncode", "stderr", "stdout")
    returncode: int
    stdout: bytes
    stderr: bytes

    def __init__(self, *, returncode: int, stdout: bytes, stderr: bytes) -> None:
        self._set(returncode=returncode, stdout=stdout, stderr=stderr)


class SubprocessRunner(_ReadOnly):
    """The real command runner: the program runs in its own session (process group).

    A timeout, ``stop`` or any failure kills the whole group, so a wrapper script's
    children die with it. ``max_output`` is the largest stdout/stderr accepted, in bytes;
    a chattier program is killed.
    """

    __slots__ = ("max_output",)
    max_output: int

    def __init__(self, *, max_output: int = 64 << 20) -> None:
        self._set(max_output=max_output)

    def run(
        self, argv: Sequence[str], *, timeout: float, stop: Event | None = None
    ) -> CommandResult:
        """Run ``argv``; see ``eidos.collectors.base.CommandRunner``."""
        if _which(argv[0]) is None:  # the usual case without a GPU: no subprocess import
            raise FileNotFoundError(2, "No such file or directory", argv[0])
        import subprocess  # ~5 ms: loaded only when a program actually runs

        deadline = time.monotonic() + timeout
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            out, err = _drain(proc, deadline, stop, self.max_output, argv[0])
            returncode = proc.wait(timeout=max(deadline - time.monotonic(), 0.01))
        except BaseException as exc:
            _kill_group(proc.pid)
            _reap(proc)
            if isinstance(exc, subprocess.TimeoutExpired):
                raise TimeoutError(f"{argv[0]} ran longer than {timeout:g}s") from None
            raise
        finally:
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        return CommandResult(returncode=returncode, stdout=out, stderr=err)


def _which(program: str) -> str | None:
    """``program`` if it names a file, else its first executable match on ``PATH``."""
    if os.sep in program:
        return program if os.path.exists(program) else None
    for directory in os.environ.get("PATH", os.defpath).split(os.pathsep):
        candidate = os.path.join(directory or ".", program)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _drain(
    proc: Any, deadline: float, stop: Event | None, limit: int, program: str
) -> tuple[bytes, bytes]:
    """Read stdout and stderr to EOF, within ``deadline`` and while ``stop`` is not set."""
    import selectors

    chunks: dict[int, list[bytes]] = {proc.stdout.fileno(): [], proc.stderr.fileno(): []}
    size = 0
    with selectors.DefaultSelector() as selector:
        for fd in chunks:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0 or (stop is not None and stop.is_set()):
                raise TimeoutError(f"{program} was stopped")
            for key, _ in selector.select(min(left, 0.1) if stop is not None else left):
                data = os.read(key.fd, 1 << 16)
                if not data:
                    selector.unregister(key.fd)
                    continue
                size += len(data)
                if size > limit:
                    raise OSError(f"{program} wrote more than {limit} bytes")
                chunks[int(key.fd)].append(data)
    out, err = (b"".join(parts) for parts in chunks.values())
    return out, err


def _kill_group(pgid: int) -> None:
    import signal  # loaded already by subprocess, the only way a group gets here

    try:  # noqa: SIM105 -- contextlib (~1 ms) is off a bare node's snapshot path
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _reap(proc: Any) -> None:
    """Wait for a killed program and for everything that held its pipes (its children).

    SIGKILL was sent to the whole group; the pipes reach end-of-file once the last process
    holding them is gone, which bounds the wait (2 s) rather than trusting the signal.
    """
    import selectors
    import subprocess

    until = time.monotonic() + 2.0
    with selectors.DefaultSelector() as selector:
        for stream in (proc.stdout, proc.stderr):
            if stream is not None and not stream.closed:
                selector.register(stream.fileno(), selectors.EVENT_READ)
        while selector.get_map() and (left := until - time.monotonic()) > 0:
            for key, _ in selector.select(left):
                if not os.read(key.fd, 1 << 16):
                    selector.unregister(key.fd)
    try:  # noqa: SIM105 -- as in _kill_group
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


class CollectorSettings(_ReadOnly):
    """Everything the built-in collectors need, built once by the CLI (or a test).

    Fields: ``host`` (``--host-root``), ``systemd_units`` (units the SystemD collector
    reports, in order), ``timeout`` (seconds one external call — nvidia-smi, D-Bus,
    the API server — may take), ``runner`` (how programs such as nvidia-smi run),
    ``nvidia_smi`` (a name looked up on ``PATH`` or a path), ``kube`` (the Kubernetes
    client, ``None`` when no cluster is configured: K8s stays empty) and ``node``
    (``--node``: the node the K8s collector describes, default ``$NODE_NAME``).
    """

    __slots__ = ("host", "kube", "node", "nvidia_smi", "runner", "systemd_units", "timeout")
    host: HostPaths
    systemd_units: tuple[str, ...]
    timeout: float
    runner: CommandRunner
    nvidia_smi: str
    kube: Kube | None
    node: str | None

    def __init__(
        self,
        *,
        host: HostPaths | None = None,
        systemd_units: tuple[str, ...] = DEFAULT_SYSTEMD_UNITS,
        timeout: float = 30.0,
        runner: CommandRunner | None = None,
        nvidia_smi: str = "nvidia-smi",
        kube: Kube | None = None,
        node: str | None = None,
    ) -> None:
        self._set(
            host=host or HostPaths(),
            systemd_units=tuple(systemd_units),
            timeout=timeout,
            runner=runner or SubprocessRunner(),
            nvidia_smi=nvidia_smi,
            kube=kube,
            node=node,
        )
