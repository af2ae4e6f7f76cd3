"""The listening socket: bound before the server starts, closed without resetting clients.

The process binds the socket itself (one error line instead of uvicorn's log, and one
socket that ``--workers`` processes share). Closing a listening socket resets every
connection still in its accept queue, so a client that connected a moment before would
lose its request; ``stop_accepting`` first makes the kernel drop new connection attempts
(a socket filter: their SYN is retried, then refused once the socket is closed) and lets
the server accept what is queued. Linux only; elsewhere the socket is simply closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import resource
import socket
import struct

from eidos.logging import get_logger

__all__ = [
    "accept_queue_length",
    "bind",
    "let_through",
    "raise_fd_limit",
    "stop_accepting",
    "wait_accepted",
]

log = get_logger(__name__)

_SO_ATTACH_FILTER = 26  # Linux <asm-generic/socket.h>
_SO_DETACH_FILTER = 27
_DROP_ALL = struct.pack("HBBI", 0x06, 0, 0, 0)  # classic BPF "ret #0": drop every packet


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def bind(host: str, port: int, *, backlog: int = 2048) -> socket.socket:
    """A listening TCP socket on ``host:port`` that child processes can inherit.

    Raises:
        OSError: the address is in use, not local, or not allowed.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=backlog)
    sock.set_inheritable(True)
    return sock


def stop_accepting(sock: socket.socket) -> bool:
    """Make the kernel drop new connection attempts to ``sock``; False where unsupported."""
    instructions = ctypes.create_string_buffer(_DROP_ALL, len(_DROP_ALL))
    program = _SockFprog(1, ctypes.addressof(instructions))
    try:
        sock.setsockopt(socket.SOL_SOCKET, _SO_ATTACH_FILTER, bytes(program))
    except OSError as exc:
        log.debug("cannot filter the listening socket", error=str(exc))
        return False
    return True


def let_through(sock: object) -> None:
    """Remove an inherited drop filter from an accepted connection (best effort)."""
    with contextlib.suppress(OSError, AttributeError, TypeError):
        sock.setsockopt(socket.SOL_SOCKET, _SO_DETACH_FILTER, 0)  # type: ignore[attr-defined]


def accept_queue_length(sock: socket.socket) -> int:
    """Connections waiting in the kernel's accept queue (Linux ``tcpi_unacked``); 0 if unknown."""
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    except (OSError, AttributeError):
        return 0
    return int(struct.unpack_from("I", info, 24)[0]) if len(info) >= 28 else 0


async def wait_accepted(sockets: list[socket.socket], *, within: float = 0.5) -> None:
    """Give the event loop up to ``within`` seconds to accept every queued connection."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while any(accept_queue_length(s) for s in sockets) and loop.time() < deadline:
        await asyncio.sleep(0.005)


def raise_fd_limit(needed: int) -> int:
    """Raise the soft open-file limit towards ``needed`` (up to the hard limit); return it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return needed
    if soft >= needed:
        return int(soft)
    target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft
