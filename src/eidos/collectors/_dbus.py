"""A minimal async D-Bus client on jeepney: connect, authenticate, call, match the reply.

Works both on a message bus (sends ``Hello`` first) and on a peer-to-peer socket such
as systemd's private ``/run/systemd/private`` (no ``Hello``). Values keep their D-Bus
signature, which the SystemD collector needs to type them.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from jeepney import DBusAddress, Message, MessageType, Parser, new_method_call
from jeepney.auth import BEGIN, Authenticator
from jeepney.bus import get_connectable_addresses
from jeepney.bus_messages import message_bus
from jeepney.low_level import HeaderFields

__all__ = ["Connection", "DBusCallError", "escape_path_label"]

_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class DBusCallError(Exception):
    """The peer answered a call with a D-Bus error (``name`` is the error name)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}" if message else name)
        self.name = name


def escape_path_label(name: str) -> str:
    """Escape a unit name for an object path: ``containerd.service`` -> ``containerd_2eservice``.

    Every byte outside ``[A-Za-z0-9]``, and a leading digit, becomes ``_`` plus two hex
    digits (systemd's ``bus_label_escape``).
    """
    if not name:
        return "_"
    out = []
    for i, byte in enumerate(name.encode("utf-8")):
        if byte in _ALNUM and not (i == 0 and 0x30 <= byte <= 0x39):
            out.append(chr(byte))
        else:
            out.append(f"_{byte:02x}")
    return "".join(out)


class Connection:
    """One authenticated D-Bus connection; open it with :meth:`open`."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._parser = Parser()
        self._serial = 0

    @classmethod
    async def open(cls, address: str, *, bus: bool) -> Connection:
        """Connect to a D-Bus address (``unix:path=...``); say ``Hello`` when ``bus``.

        Raises:
            OSError: the socket cannot be reached.
            ValueError: the address is not a supported unix address.
            ConnectionError: authentication or ``Hello`` failed.
        """
        try:
            path = next(get_connectable_addresses(address))
        except (RuntimeError, ValueError, KeyError) as exc:
            raise ValueError(f"unsupported D-Bus address {address!r}") from exc
        reader, writer = await asyncio.open_unix_connection(path)
        conn = cls(reader, writer)
        try:
            await conn._authenticate()
            if bus:
                await conn.call(message_bus.Hello())
        except BaseException:
            await conn.close()
            raise
        return conn

    async def _authenticate(self) -> None:
        auth = Authenticator()
        try:
            for line in auth:
                self._writer.write(line)
                await self._writer.drain()
                data = await self._reader.read(1024)
                if not data:
                    raise ConnectionError("the peer closed the socket during authentication")
                auth.feed(data)
        except ValueError as exc:  # jeepney's AuthenticationError
            raise ConnectionError(f"D-Bus authentication failed: {exc}") from exc
        self._writer.write(BEGIN)
        await self._writer.drain()

    async def call(self, message: Message) -> tuple[Any, ...]:
        """Send a method call and return the reply body.

        Raises:
            DBusCallError: the reply is a D-Bus error.
            ConnectionError: the peer closed the connection.
        """
        self._serial += 1
        serial = self._serial
        self._writer.write(message.serialise(serial))
        await self._writer.drain()
        while True:
            reply = await self._receive()
            if reply.header.fields.get(HeaderFields.reply_serial) != serial:
                continue  # signals such as NameAcquired
            if reply.header.message_type is MessageType.error:
                name = str(reply.header.fields.get(HeaderFields.error_name, "error"))
                text = reply.body[0] if reply.body and isinstance(reply.body[0], str) else ""
                raise DBusCallError(name, text)
            return tuple(reply.body)

    async def get_all(self, object_path: str, *, destination: str) -> dict[str, Any]:
        """``org.freedesktop.DBus.Properties.GetAll("")``: every property of every interface.

        Values are ``(signature, value)`` pairs as jeepney decodes variants.
        """
        target = DBusAddress(
            object_path, bus_name=destination, interface="org.freedesktop.DBus.Properties"
        )
        body = await self.call(new_method_call(target, "GetAll", "s", ("",)))
        return dict(body[0]) if body else {}

    async def _receive(self) -> Message:
        while True:
            message = self._parser.get_next_message()
            if message is not None:
                return message
            data = await self._reader.read(1 << 16)
            if not data:
                raise ConnectionError("the D-Bus peer closed the connection")
            self._parser.add_data(data)

    async def close(self) -> None:
        """Close the socket (errors on close are irrelevant)."""
        self._writer.close()
        with contextlib.suppress(OSError):
            await self._writer.wait_closed()
