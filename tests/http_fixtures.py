"""A scriptable HTTP server on 127.0.0.1 for hostile answers (raw socket, one thread each).

Each connection reads the request head, then runs the test's script with the socket, the
request head and a stop event; every script ends when the test ends (the event is set).
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Script = Callable[[socket.socket, bytes, threading.Event], None]


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        head = b""
        self.request.settimeout(5)
        try:
            while self.server.read_head and b"\r\n\r\n" not in head:
                chunk = self.request.recv(4096)
                if not chunk:
                    return
                head += chunk
            self.server.heads.append(head)
            self.server.script(self.request, head, self.server.stop)
        except OSError:
            pass  # the client went away (what a timeout test wants)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, script: Script, read_head: bool) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = script
        self.read_head = read_head
        self.stop = threading.Event()
        self.heads: list[bytes] = []


@contextmanager
def serving(script: Script, *, read_head: bool = True) -> Iterator[_Server]:
    """Run ``script`` for each connection (after reading the request head, unless told
    not to); yields the server (its URL via :func:`url`)."""
    server = _Server(script, read_head)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()


def url(server: _Server, path: str = "/doc.yaml") -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


def answer(body: bytes, *, status: str = "200 OK", headers: str = "") -> Script:
    def script(sock: socket.socket, head: bytes, stop: threading.Event) -> None:
        sock.sendall(
            f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
            f"{headers}\r\n".encode()
            + body
        )

    return script


def raw(data: bytes) -> Script:
    def script(sock: socket.socket, head: bytes, stop: threading.Event) -> None:
        sock.sendall(data)

    return script


def drip(prefix: bytes, *, every: float = 0.2) -> Script:
    """Send ``prefix``, then one byte every ``every`` seconds until the test ends."""

    def script(sock: socket.socket, head: bytes, stop: threading.Event) -> None:
        sock.sendall(prefix)
        while not stop.wait(every):
            sock.sendall(b"x")

    return script


def silent(sock: socket.socket, head: bytes, stop: threading.Event) -> None:
    stop.wait(30)


def elapsed(since: float) -> float:
    return time.monotonic() - since
