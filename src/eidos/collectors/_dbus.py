"""A minimal blocking D-Bus client on jeepney: connect, authenticate, call, match the reply.

Works both on a message bus (sends ``Hello`` first) and on a peer-to-peer socket such
as systemd's private ``/run/systemd/private`` (no ``Hello``). Every step is bounded by
the connection's deadline and gives up soon after ``stop`` is set. Values keep their
D-Bus signature, which the SystemD collector needs to type them.
"""

from __future__ import annotations

import contextlib
import socket
import time

from jeepney import DBusAddress, Message, MessageType, Parser, new_method_call
from jeepney.auth import BEGIN, Authenticator
from jeepney.bus import get_connectable_addresses
from jeepney.bus_messages import message_bus
from jeepney.low_level import HeaderFields

TYPE_CHECKING = False
if TYPE_CHECKING:
    from threading import Event
    from typing import Any

__all__ = ["Connection", "DBusCallError"]

_SLICE = 0.1  # seconds between looks at ``stop`` while waiting for the peer


class DBusCallError(Exception):
    """The peer answered a call with a D-Bus error (``name`` is the error name)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}" if message else name)
        self.name = name


class Connection:
    """One authenticated D-Bus connection; open it with :meth:`open`, then :meth:`close`."""

    def __init__(self, sock: socket.socket, *, stop: Event | None = None) -> None:
        self._sock = sock
        self._stop = stop
        self._parser = Parser()
        self._serial = 0
        self.deadline = float("inf")
        """Monotonic time after which every wait fails with ``TimeoutError``."""

    @classmethod
    def open(
        cls, address: str, *, bus: bool, timeout: float, stop: Event | None = None
    ) -> Connection:
        """Connect to a D-Bus address (``unix:path=...``); say ``Hello`` when ``bus``.

        Raises:
            OSError: the socket cannot be reached (``TimeoutError`` past ``timeout``).
            ValueError: the address is not a supported unix address.
            ConnectionError: authentication or ``Hello`` failed.
            DBusCallError: the bus refused ``Hello``.
        """
        try:
            path = next(get_connectable_addresses(address))
        except (RuntimeError, ValueError, KeyError) as exc:
            raise ValueError(f"unsupported D-Bus address {address!r}") from exc
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn = cls(sock, stop=stop)
        conn.deadline = time.monotonic() + timeout
        try:
            sock.settimeout(timeout)
            sock.connect(path)
            conn._authenticate()
            if bus:
                conn.call(message_bus.Hello())
        except BaseException:
            conn.close()
            raise
        return conn

    def _authenticate(self) -> None:
        auth = Authenticator()
        try:
            for line in auth:
                self._sock.sendall(line)
                data = self._recv(1024)
                if not data:
                    raise ConnectionError("the peer closed the socket during authentication")
                auth.feed(data)
        except ValueError as exc:  # jeepney's AuthenticationError
            raise ConnectionError(f"D-Bus authentication failed: {exc}") from exc
        self._sock.sendall(BEGIN)

    def call(self, message: Message) -> tuple[Any, ...]:
        """Send a method call and return the reply body.

        Raises:
            DBusCallError: the reply is a D-Bus error.
            ConnectionError: the peer closed the connection.
            TimeoutError: no reply before the deadline, or ``stop`` was set.
        """
        self._serial += 1
        serial = self._serial
        self._sock.sendall(message.serialise(serial))
        while True:
            reply = self._receive()
            if reply.header.fields.get(HeaderFields.reply_serial) != serial:
                continue  # signals such as NameAcquired
            if reply.header.message_type is MessageType.error:
                name = str(reply.header.fields.get(HeaderFields.error_name, "error"))
                text = reply.body[0] if reply.body and isinstance(reply.body[0], str) else ""
                raise DBusCallError(name, text)
            return tuple(reply.body)

    def get_all(self, object_path: str, *, destination: str) -> dict[str, Any]:
        """``org.freedesktop.DBus.Properties.GetAll("")``: every property of every interface.

        Values are ``(signature, value)`` pairs as jeepney decodes variants.
        """
        target = DBusAddress(
            object_path, bus_name=destination, interface="org.freedesktop.DBus.Properties"
        )
        body = self.call(new_method_call(target, "GetAll", "s", ("",)))
        return dict(body[0]) if body else {}

    def _receive(self) -> Message:
        while True:
            message = self._parser.get_next_message()
            if message is not None:
                return message
            data = self._recv(1 << 16)
            if not data:
                raise ConnectionError("the D-Bus peer closed the connection")
            self._parser.add_data(data)

    def _recv(self, size: int) -> bytes:
        """One ``recv`` that gives up at the deadline and soon after ``stop`` is set."""
        while True:
            left = self.deadline - time.monotonic()
            if left <= 0 or (self._stop is not None and self._stop.is_set()):
                raise TimeoutError("timed out")
            self._sock.settimeout(min(left, _SLICE) if self._stop is not None else left)
            try:
                return self._sock.recv(size)
            except TimeoutError:
                continue

    def close(self) -> None:
        """Close the socket (errors on close are irrelevant)."""
        with contextlib.suppress(OSError):
            self._sock.close()
