"""uvicorn's httptools protocol with the limits of a public server and a lossless drain.

What each connection adds to uvicorn's HTTP/1.1 handling:

- request head limits, enforced while the head is read (nothing buffers without bound): a
  target longer than ``max_request_line`` gets 414, headers larger than
  ``max_header_bytes`` 431, a head not complete ``read_header_timeout`` seconds after it
  began 408 (a new connection that sends nothing at all is just closed);
- a cap of ``max_connections`` open connections: a request on one beyond it gets 503;
- a request with a body is answered and its connection closed (only ``POST /v1/validate``
  reads one; elsewhere the rest of a slow body is never waited for);
- a malformed request that follows valid pipelined ones is answered after them;
- the drain: once the server drains, every response carries ``Connection: close``, and an
  idle connection is closed only after ``idle_grace`` seconds without a request, so a
  request already on its way is answered rather than reset.

Every refusal is the usual JSON error body with ``Connection: close``. This subclasses a
private uvicorn class: pyproject.toml bounds uvicorn, and ``tests/server/test_uvicorn_canary.py``
fails loudly when what is used here changes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from eidos.errors import DeadlineExceededError, EidosError, InvalidRequestError, UnavailableError
from eidos.logging import get_logger
from eidos.server.listener import let_through
from eidos.server.responses import error_body

__all__ = ["ConnectionGuard", "GuardedProtocol", "guarded_protocol"]

log = get_logger(__name__)
_SLACK = 16384  # request line and header framing on top of the two limits


@dataclasses.dataclass(kw_only=True, eq=False)
class ConnectionGuard:
    """Limits and state the connections of one server process share."""

    max_request_line: int = 8192
    max_header_bytes: int = 65536
    read_header_timeout: float = 5.0
    max_connections: int = 1000
    idle_grace: float = 0.5
    """Seconds a connection must have been idle before the drain closes it."""
    draining: bool = False
    connections: set[GuardedProtocol] = dataclasses.field(default_factory=set)
    admitted: set[GuardedProtocol] = dataclasses.field(default_factory=set)

    def drain(self) -> None:
        """Begin draining: close every connection as soon as it is between requests."""
        self.draining = True
        for connection in list(self.connections):
            connection.drain()


class _Refused(Exception):
    """Raised in a parser callback to stop parsing; ``send_400_response`` answers."""


class GuardedProtocol(HttpToolsProtocol):
    """One client connection; ``guard`` is set on the per-server subclass."""

    guard: ClassVar[ConnectionGuard]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True
        self._head_started = False
        self._head_bytes = 0
        self._head_tail = b""  # the last bytes of the head so far (a split blank line)
        self._url_bytes = 0
        self._header_bytes = 0
        self._head_timer: asyncio.TimerHandle | None = None
        self._idle_timer: asyncio.TimerHandle | None = None
        self._idle_since = 0.0
        self._refusal: tuple[int, EidosError] | None = None
        self._failure: tuple[int, EidosError] | None = None

    # connection life

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Track the connection, admit it under the cap, start the head clock."""
        super().connection_made(transport)
        guard = self.guard
        guard.connections.add(self)
        if len(guard.admitted) < guard.max_connections:
            guard.admitted.add(self)
        self._idle_since = self.loop.time()
        self._arm_head_timer()
        if guard.draining:
            let_through(transport.get_extra_info("socket"))
            self.drain()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop tracking the connection and its timers."""
        self._forget()
        super().connection_lost(exc)

    def handle_websocket_upgrade(self) -> None:
        """The WebSocket protocol takes the connection over: stop tracking it here."""
        self._forget()
        super().handle_websocket_upgrade()

    def _forget(self) -> None:
        self.guard.connections.discard(self)
        self.guard.admitted.discard(self)
        for timer in (self._head_timer, self._idle_timer):
            if timer is not None:
                timer.cancel()
        self._head_timer = self._idle_timer = None

    # reading a request

    def data_received(self, data: bytes) -> None:
        """Parse, unless a refusal is pending; cap the bytes of a head that never ends."""
        if self._failure is not None:
            return  # answered (or about to be) and closing: the rest is not read
        if self._in_head:
            # Count the head only: body bytes that arrive in the same read are not head.
            seen = self._head_tail + data
            end = seen.find(b"\r\n\r\n")
            self._head_bytes += len(data) if end < 0 else max(0, end + 4 - len(self._head_tail))
            self._head_tail = seen[-3:] if end < 0 else b""
            guard = self.guard
            if self._head_bytes > guard.max_request_line + guard.max_header_bytes + _SLACK:
                self._fail(431, InvalidRequestError(self._header_message()))
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        """A request starts: its head must be complete within the head timeout."""
        super().on_message_begin()
        self._head_started = True
        self._url_bytes = 0
        self._header_bytes = 0
        self._arm_head_timer()

    def on_url(self, url: bytes) -> None:
        """Refuse a request target beyond the limit (414)."""
        self._url_bytes += len(url)
        if self._url_bytes > self.guard.max_request_line:
            limit = self.guard.max_request_line
            self._refuse(414, InvalidRequestError(f"request target longer than {limit} bytes"))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        """Refuse headers beyond the limit (431)."""
        self._header_bytes += len(name) + len(value) + 4
        if self._header_bytes > self.guard.max_header_bytes:
            self._refuse(431, InvalidRequestError(self._header_message()))
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        """Stop the head clock; refuse beyond the cap (503); close after a body or drain."""
        self._in_head = self._head_started = False
        self._head_bytes = 0
        self._head_tail = b""
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        guard = self.guard
        if self not in guard.admitted:
            if len(guard.admitted) >= guard.max_connections:
                message = f"the server is at its limit of {guard.max_connections} connections"
                self._refuse(503, UnavailableError(f"{message}; retry shortly"))
            guard.admitted.add(self)
        previous = self.cycle
        super().on_headers_complete()
        if self.cycle is not previous and (guard.draining or self._has_body()):
            self.cycle.keep_alive = False  # the response says Connection: close

    def on_message_complete(self) -> None:
        """The next bytes belong to the next request's head."""
        self._in_head = True
        super().on_message_complete()

    def on_response_complete(self) -> None:
        """Start the idle clock; send a refusal that waited for this response."""
        super().on_response_complete()
        if self.transport.is_closing():
            return
        self._idle_since = self.loop.time()
        if self._failure is not None and not self._busy():
            self._send_failure()

    def _has_body(self) -> bool:
        for name, value in self.headers:
            if name == b"transfer-encoding" or (name == b"content-length" and value != b"0"):
                return True
        return False

    def _header_message(self) -> str:
        return f"request headers larger than {self.guard.max_header_bytes} bytes"

    # timers and the drain

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(
                self.guard.read_header_timeout, self._head_timed_out
            )

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or not self._in_head:
            return
        if not self._head_started:
            self.transport.close()  # a connection that never sent a byte: nothing to answer
            return
        seconds = f"{self.guard.read_header_timeout:g}"
        self._fail(408, DeadlineExceededError(f"request head not complete within {seconds}s"))

    def _busy(self) -> bool:
        """Whether a request of this connection is still waiting for its response."""
        return bool(self.pipeline) or (self.cycle is not None and not self.cycle.response_complete)

    def drain(self) -> None:
        """Close this connection once it is between requests and has been idle a moment."""
        if self.transport.is_closing():
            return
        if self._busy():
            self.cycle.keep_alive = False
            return
        if self._head_started or self._idle_timer is not None:
            return  # a request is arriving: it is answered with Connection: close
        wait = self._idle_since + self.guard.idle_grace - self.loop.time()
        if wait <= 0:
            self.transport.close()
        else:
            self._idle_timer = self.loop.call_later(wait, self._idle_check)

    def shutdown(self) -> None:
        """Uvicorn's stop: drain, rather than close idle connections at once."""
        self.drain()

    def _idle_check(self) -> None:
        self._idle_timer = None
        self.drain()

    # refusing

    def _refuse(self, status: int, failure: EidosError) -> None:
        self._refusal = (status, failure)
        raise _Refused(failure.message)

    def send_400_response(self, msg: str) -> None:
        """Uvicorn's hook for a request it cannot parse: our refusal or a JSON 400."""
        refusal, self._refusal = self._refusal, None
        self._fail(*(refusal or (400, InvalidRequestError("malformed HTTP request"))))

    def _fail(self, status: int, failure: EidosError) -> None:
        """Answer ``failure`` and close, after the responses of earlier requests."""
        if self._failure is not None:
            return
        self._failure = (status, failure)
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        if not self._busy():
            self._send_failure()

    def _send_failure(self) -> None:
        assert self._failure is not None
        status, failure = self._failure
        request_id = str(uuid.uuid4())
        log.warning(
            "request refused",
            status=status,
            reason=failure.message,
            client=self.client[0] if self.client else None,
            requestId=request_id,
        )
        body = error_body(failure, request_id)
        head = [STATUS_LINE[status]]
        head += [b"%s: %s\r\n" % pair for pair in self.server_state.default_headers]
        head += [
            b"content-type: application/json\r\n",
            b"x-request-id: %s\r\n" % request_id.encode(),
            b"x-api-version: v1\r\n",
            b"content-length: %d\r\n" % len(body),
            b"retry-after: 1\r\n" if status == 503 else b"",
            b"connection: close\r\n",
            b"\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()


def guarded_protocol(guard: ConnectionGuard) -> type[HttpToolsProtocol]:
    """A protocol class for uvicorn's ``http=`` setting whose connections share ``guard``."""
    return type("GuardedHttpToolsProtocol", (GuardedProtocol,), {"guard": guard})
