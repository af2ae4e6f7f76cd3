"""ASGI type aliases and small helpers shared by the middleware modules."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ASGIApp", "Message", "Receive", "Scope", "Send", "add_headers", "header"]


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
