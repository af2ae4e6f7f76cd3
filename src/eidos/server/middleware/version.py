"""``X-API-Version: v1`` on every response (v1 is the only API version)."""

from __future__ import annotations

from eidos.server.middleware._asgi import ASGIApp, Receive, Scope, Send, add_headers

__all__ = ["API_VERSION", "VersionHeaderMiddleware"]

API_VERSION = "v1"
_HEADER = [(b"x-api-version", API_VERSION.encode())]


class VersionHeaderMiddleware:
    """Adds the API version header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, add_headers(send, _HEADER))
