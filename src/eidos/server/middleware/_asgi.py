"""ASGI type aliases and small helpers shared by the middleware modules."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eidos.errors import EidosError
from eidos.server.responses import error_response

__all__ = [
    "ASGIApp",
    "Message",
    "Receive",
    "ResponseWatch",
    "Scope",
    "Send",
    "add_headers",
    "header",
    "send_error",
]


def header(scope: Scope, name: bytes) -> bytes | None:
    """The first value of request header ``name`` (lower-case), if present."""
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def add_headers(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    """Wrap ``send`` so the response start carries ``extra`` headers too."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", ()), *extra]
        await send(message)

    return send_with_headers


class ResponseWatch:
    """A ``send`` wrapper that records what went out: the status and the body bytes.

    ``status`` stays ``None`` until the response starts, so a request that raised before
    answering can still be answered (and counts as 500 where a status is needed).
    """

    __slots__ = ("send", "size", "status")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.status: int | None = None
        self.size = 0

    @property
    def started(self) -> bool:
        """Whether the response start was sent (no other response can follow)."""
        return self.status is not None

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body":
            self.size += len(message.get("body", b""))
        await self.send(message)


async def send_error(failure: EidosError, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer with ``failure``'s JSON error body, carrying the request's ID."""
    response = error_response(failure, scope.get("state", {}).get("request_id"))
    await response(scope, receive, send)
