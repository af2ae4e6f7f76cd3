"""Fixtures for collector tests: the h100 host tree, fake executables, a private D-Bus.

The fake systemd is a small jeepney server that answers
``org.freedesktop.DBus.Properties.GetAll`` on ``/org/freedesktop/systemd1/unit/<name>``
with typed values, either on a private ``dbus-daemon`` (as the system bus) or directly
on a peer-to-peer socket (as systemd's ``/run/systemd/private``). It runs on an event
loop in a background thread, because the collector under test blocks the test's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import re
import stat
import threading
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from jeepney import MessageType, Parser, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.asyncio import DBusConnection, open_dbus_connection
from jeepney.low_level import HeaderFields, Message

from eidos import logging as elog
from eidos.collectors import HostPaths
from eidos.model import Snapshot
from eidos.serializer import loads

FIXTURES = Path(__file__).parents[1] / "fixtures"
H100_HOST = FIXTURES / "hosts" / "h100"
SMI_XML = FIXTURES / "reference" / "snapshots" / "nvidia-smi-q-x.xml"
UNIT_PREFIX = "/org/freedesktop/systemd1/unit/"

Props = dict[str, tuple[str, Any]]


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """Warnings and errors that eidos logs during the test, as text."""
    stream = io.StringIO()
    elog.configure("warning", "text", stream=stream)
    yield stream
    elog.configure("warning", "text")


@pytest.fixture
def h100_host() -> HostPaths:
    return HostPaths(root=H100_HOST.absolute())


@pytest.fixture(scope="session")
def h100_reference() -> Snapshot:
    text = (FIXTURES / "reference" / "snapshots" / "h100.yaml").read_text(encoding="utf-8")
    return Snapshot.from_dict(loads(text, origin="h100.yaml"))


@pytest.fixture
def fake_bin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], Path]:
    """Write ``/bin/sh`` scripts into a directory put first on PATH."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")

    def make(name: str, body: str) -> Path:
        path = bindir / name
        path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return path

    return make


@pytest.fixture
def fake_smi(fake_bin: Callable[[str, str], Path]) -> Path:
    """An ``nvidia-smi`` on PATH that prints the reference 8 x H100 XML."""
    return fake_bin("nvidia-smi", f'[ "$1 $2" = "-q -x" ] || exit 2\nexec cat "{SMI_XML}"')


# --- D-Bus -------------------------------------------------------------------------


@pytest.fixture
def background_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop running in a daemon thread (fake D-Bus peers live there)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="fake-dbus", daemon=True)
    thread.start()
    try:
        yield loop
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def on_loop(loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any]) -> Any:
    """Run ``coro`` on the background loop and wait for its result."""
    return asyncio.run_coroutine_threadsafe(coro, loop).result(10)


def unescape_label(label: str) -> str:
    return re.sub(r"_([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), label)


class FakeSystemd:
    """Answers GetAll for configured units; unknown units get systemd's not-found stub."""

    def __init__(
        self, units: dict[str, Props], *, hang: bool = False, error: tuple[str, str] | None = None
    ) -> None:
        self.units = units
        self.hang = hang
        self.error = error
        self.calls: list[str] = []

    def reply(self, msg: Message) -> Message | None:
        fields = msg.header.fields
        if msg.header.message_type is not MessageType.method_call:
            return None
        path = fields.get(HeaderFields.path, "")
        self.calls.append(f"{fields.get(HeaderFields.member)} {path}")
        if fields.get(HeaderFields.member) != "GetAll" or not path.startswith(UNIT_PREFIX):
            return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", ("no",))
        if self.hang:
            return None
        if self.error:
            return new_error(msg, self.error[0], "s", (self.error[1],))
        name = unescape_label(path[len(UNIT_PREFIX) :])
        props = self.units.get(name)
        if props is None:
            props = {
                "Id": ("s", name),
                "LoadState": ("s", "not-found"),
                "ActiveState": ("s", "inactive"),
                "LoadError": (
                    "(ss)",
                    ("org.freedesktop.systemd1.NoSuchUnit", f"Unit {name} not found."),
                ),
            }
        return new_method_return(msg, "a{sv}", (props,))


@pytest.fixture
def fake_systemd() -> type[FakeSystemd]:
    """The fake systemd class: ``fake_systemd(units, hang=..., error=...)``."""
    return FakeSystemd


@pytest.fixture
def systemd_on_bus(
    system_bus: str, background_loop: asyncio.AbstractEventLoop
) -> Iterator[Callable[[FakeSystemd], str]]:
    """Start a fake systemd that owns org.freedesktop.systemd1 on the private bus."""
    tasks: list[asyncio.Task[None]] = []
    conns: list[DBusConnection] = []

    async def start(fake: FakeSystemd) -> str:
        conn = await open_dbus_connection(system_bus)
        conns.append(conn)
        await conn.send(message_bus.RequestName("org.freedesktop.systemd1"))
        while (await conn.receive()).header.message_type is not MessageType.method_return:
            pass  # the NameAcquired signal may come first
        tasks.append(asyncio.create_task(_serve_bus(conn, fake)))
        return system_bus

    async def stop() -> None:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for conn in conns:
            await conn.close()

    yield lambda fake: on_loop(background_loop, start(fake))
    on_loop(background_loop, stop())


async def _serve_bus(conn: DBusConnection, fake: FakeSystemd) -> None:
    while True:
        msg = await conn.receive()
        reply = fake.reply(msg)
        if reply is not None:
            await conn.send(reply)


@pytest.fixture
def systemd_private(
    tmp_path: Path, background_loop: asyncio.AbstractEventLoop
) -> Iterator[Callable[[FakeSystemd], Path]]:
    """Serve a fake systemd on ``<host root>/run/systemd/private`` (peer to peer, no bus)."""
    servers: list[asyncio.Server] = []
    root = tmp_path / "host"

    async def start(fake: FakeSystemd) -> Path:
        sock = root / "run" / "systemd" / "private"
        sock.parent.mkdir(parents=True, exist_ok=True)

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
                await _serve_peer(reader, writer, fake)
            writer.close()

        servers.append(await asyncio.start_unix_server(handle, path=str(sock)))
        return root

    async def stop() -> None:
        for server in servers:
            server.close()
            await server.wait_closed()

    yield lambda fake: on_loop(background_loop, start(fake))
    on_loop(background_loop, stop())


async def _serve_peer(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, fake: FakeSystemd
) -> None:
    line = await reader.readuntil(b"\r\n")
    assert line.lstrip(b"\0").startswith(b"AUTH EXTERNAL"), line
    writer.write(b"OK 0123456789abcdef0123456789abcdef\r\n")
    assert await reader.readuntil(b"\r\n") == b"BEGIN\r\n"
    parser = Parser()
    serial = 0
    while data := await reader.read(65536):
        parser.add_data(data)
        while (msg := parser.get_next_message()) is not None:
            reply = fake.reply(msg)
            if reply is not None:
                serial += 1
                writer.write(reply.serialise(serial))
                await writer.drain()
