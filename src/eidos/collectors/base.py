"""The collector contract and the seams collectors reach the host through.

A collector is any object with a ``name`` and an ``async collect() -> Measurement``.
Collectors read host files through :class:`HostPaths` and run programs through a
:class:`CommandRunner`, so tests point them at fixture trees and fake executables.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from eidos.errors import InvalidRequestError
from eidos.model import Measurement

if TYPE_CHECKING:
    from eidos.kube import Kube

__all__ = [
    "DEFAULT_SYSTEMD_UNITS",
    "Collector",
    "CollectorSettings",
    "CommandResult",
    "CommandRunner",
    "HostPaths",
    "SubprocessRunner",
]

#: Units the SystemD collector describes unless told otherwise (the reference's list).
DEFAULT_SYSTEMD_UNITS = ("containerd.service", "docker.service", "kubelet.service")


@runtime_checkable
class Collector(Protocol):
    """Reads one part of the node and returns it as one measurement."""

    name: str

    async def collect(self) -> Measurement:
        """Return the measurement; raise :class:`~eidos.errors.CollectorError` on failure."""
        ...


@dataclass(frozen=True, kw_only=True)
class HostPaths:
    """Where the host's file system is visible (``/`` on the node, ``/host`` in the agent)."""

    root: Path = Path("/")
    """Absolute directory that stands for the host's ``/``."""

    @classmethod
    def from_option(cls, value: str | None) -> HostPaths:
        """Build from ``--host-root``, else env ``EIDOS_HOST_ROOT``, else ``/``.

        Raises:
            InvalidRequestError: the root is not an existing directory.
        """
        raw = value or os.environ.get("EIDOS_HOST_ROOT", "") or "/"
        root = Path(raw).expanduser().absolute()
        if not root.is_dir():
            raise InvalidRequestError(
                f"host root {raw!r} is not a directory (set --host-root or EIDOS_HOST_ROOT "
                "to where the node's / is mounted, e.g. /host)"
            )
        return cls(root=root)

    def host(self, path: str) -> Path:
        """Local path of the host path ``path`` (e.g. ``/proc/cmdline``), symlinks untouched."""
        return self.root / path.lstrip("/")


@dataclass(frozen=True, kw_only=True)
class CommandResult:
    """What a finished program left behind."""

    returncode: int
    stdout: bytes
    stderr: bytes


class CommandRunner(Protocol):
    """Runs a program without a shell.

    ``run`` raises ``FileNotFoundError``/``PermissionError`` when the program cannot be
    started and ``TimeoutError`` after killing a program that ran past ``timeout``.
    """

    async def run(self, argv: Sequence[str], *, timeout: float) -> CommandResult:
        """Run ``argv`` to completion and return its exit status and output."""
        ...


@dataclass(frozen=True, kw_only=True)
class SubprocessRunner:
    """The real :class:`CommandRunner`: ``asyncio.create_subprocess_exec`` in its own session.

    The program gets its own process group, so a timeout or cancellation kills it *and*
    anything it started (a wrapper script's children included).
    """

    max_output: int = 64 << 20
    """Largest stdout/stderr accepted, in bytes; a chattier program is killed."""

    async def run(self, argv: Sequence[str], *, timeout: float) -> CommandResult:
        """Run ``argv``; see :class:`CommandRunner`."""
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
        streams = [s for s in (proc.stdout, proc.stderr) if s is not None]
        readers = [
            asyncio.ensure_future(_read_capped(s, self.max_output, argv[0])) for s in streams
        ]
        try:
            async with asyncio.timeout(timeout):
                out, err = await asyncio.gather(*readers)
                returncode = await proc.wait()
        except BaseException:
            _kill_group(proc.pid)
            await asyncio.shield(_reap(proc, readers, streams))
            raise
        return CommandResult(returncode=returncode, stdout=out, stderr=err)


async def _read_capped(stream: asyncio.StreamReader, limit: int, program: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := await stream.read(1 << 16):
        size += len(chunk)
        if size > limit:
            raise OSError(f"{program} wrote more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _reap(
    proc: asyncio.subprocess.Process,
    readers: Sequence[asyncio.Future[bytes]],
    streams: list[asyncio.StreamReader],
) -> None:
    """Wait for a killed program and drain its pipes so their transports close."""
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(2):
            for stream in streams:
                while await stream.read(1 << 16):
                    pass
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(5):  # SIGKILL was sent; never hang on a lost exit event
            await proc.wait()
    # asyncio keeps the pipe transports open until it has seen EOF on every pipe; close
    # them now so a killed program never leaks file descriptors (or ResourceWarnings).
    transport = getattr(proc, "_transport", None)
    if transport is not None:
        transport.close()


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


@dataclass(frozen=True, kw_only=True)
class CollectorSettings:
    """Everything the built-in collectors need, built once by the CLI (or a test)."""

    host: HostPaths = field(default_factory=HostPaths)
    """The host's file system (``--host-root``)."""

    systemd_units: tuple[str, ...] = DEFAULT_SYSTEMD_UNITS
    """Units whose properties the SystemD collector reports, in order."""

    timeout: float = 30.0
    """Seconds one external call (nvidia-smi, D-Bus) may take."""

    runner: CommandRunner = field(default_factory=SubprocessRunner)
    """How programs such as ``nvidia-smi`` are run."""

    nvidia_smi: str = "nvidia-smi"
    """The nvidia-smi program: a name looked up on ``PATH`` or a path."""

    kube: Kube | None = None
    """The Kubernetes client (built once by the CLI); ``None`` leaves K8s empty."""

    node: str | None = None
    """``--node``: the node the K8s collector describes (default ``$NODE_NAME``)."""
