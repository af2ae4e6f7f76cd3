"""WebSocket handshakes get the usual JSON error (the API is plain HTTP).

Without this, Starlette closes an unrouted WebSocket and uvicorn answers an empty
``403``. Servers that offer the ASGI ``websocket.http.response`` extension (uvicorn does)
send our JSON body instead; others fall back to closing the handshake.
"""

from __future__ import annotations

import uuid

from eidos.errors import InvalidRequestError
from eidos.server.middleware._asgi import ASGIApp, Receive, Scope, Send
from eidos.server.middleware.version import API_VERSION
from eidos.server.responses import JSON, error_body

__all__ = ["WebSocketRefusalMiddleware"]

_REFUSAL = "WebSocket is not supported: this API answers plain HTTP GET requests"


class WebSocketRefusalMiddleware:
    """Answers every WebSocket handshake with a JSON ``400 INVALID_REQUEST``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        if "websocket.http.response" not in scope.get("extensions", {}):
            await send({"type": "websocket.close", "code": 1008})
            return
        failure = InvalidRequestError(_REFUSAL)
        request_id = str(uuid.uuid4())
        body = error_body(failure, request_id)
        headers = [
            (b"content-type", JSON.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"x-request-id", request_id.encode()),
            (b"x-api-version", API_VERSION.encode()),
        ]
        await send({"type": "websocket.http.response.start", "status": 400, "headers": headers})
        await send({"type": "websocket.http.response.body", "body": body})
