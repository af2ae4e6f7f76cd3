"""The listening socket on 127.0.0.1: closing it without resetting queued connections."""

from __future__ import annotations

import asyncio
import resource
import socket

import pytest

from eidos.server import listener


def test_bind_gives_a_listening_socket_worker_processes_can_inherit():
    with listener.bind("127.0.0.1", 0) as sock:
        assert sock.get_inheritable()
        with socket.create_connection(sock.getsockname(), timeout=5):
            accepted, _ = sock.accept()
            accepted.close()


def test_bind_on_a_busy_port_raises_oserror():
    with listener.bind("127.0.0.1", 0) as busy, pytest.raises(OSError):
        listener.bind("127.0.0.1", busy.getsockname()[1])


def test_stop_accepting_drops_new_attempts_but_keeps_the_queued_ones():
    with listener.bind("127.0.0.1", 0) as sock:
        address = sock.getsockname()
        queued = socket.create_connection(address, timeout=5)
        assert listener.stop_accepting(sock)
        assert listener.accept_queue_length(sock) == 1
        with pytest.raises(TimeoutError):  # the SYN is dropped, not answered
            socket.create_connection(address, timeout=0.3).close()
        accepted, _ = sock.accept()  # the queued connection is intact ...
        listener.let_through(accepted)  # (no filter of its own: nothing to remove)
        with queued, accepted:
            queued.sendall(b"ping")
            assert accepted.recv(4) == b"ping"  # ... and carries data both ways
            accepted.sendall(b"pong")
            assert queued.recv(4) == b"pong"
        assert listener.accept_queue_length(sock) == 0


def test_wait_accepted_returns_once_the_queue_is_empty_or_the_time_is_up():
    async def wait(sock: socket.socket, within: float) -> float:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await listener.wait_accepted([sock], within=within)
        return loop.time() - started

    with listener.bind("127.0.0.1", 0) as sock:
        assert asyncio.run(wait(sock, 5)) < 1  # nothing queued: no wait
        with socket.create_connection(sock.getsockname(), timeout=5):
            assert asyncio.run(wait(sock, 0.05)) >= 0.05  # nobody accepts: bounded


def test_raise_fd_limit_raises_the_soft_limit_up_to_the_hard_one():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        assert listener.raise_fd_limit(soft) == soft  # enough already
        if hard != resource.RLIM_INFINITY and soft < hard:
            assert listener.raise_fd_limit(hard + 1) == hard  # as far as allowed
            assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == hard
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
