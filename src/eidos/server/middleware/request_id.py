"""Request IDs: echo a client's valid UUID, else mint one; expose it to logs and errors.

Valid means one of the forms Go's ``uuid.Parse`` accepts: 36-character canonical,
``{...}``, ``urn:uuid:...`` or 32 hex digits (any version, any case).
"""

from __future__ import annotations

import re
import uuid

from eidos.server.logs import REQUEST_ID
from eidos.server.middleware._asgi import ASGIApp, Receive, Scope, Send, add_headers, header

__all__ = ["RequestIdMiddleware", "is_valid_request_id"]

_CANONICAL = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_HEX32 = re.compile(r"[0-9a-fA-F]{32}")


def is_valid_request_id(value: str) -> bool:
    """Whether ``value`` is a UUID in one of the strict forms listed above."""
    if len(value) == 36:
        return _CANONICAL.fullmatch(value) is not None
    if len(value) == 38:
        braced = value[0] == "{" and value[-1] == "}"
        return braced and _CANONICAL.fullmatch(value[1:-1]) is not None
    if len(value) == 45:
        return value[:9].lower() == "urn:uuid:" and _CANONICAL.fullmatch(value[9:]) is not None
    return len(value) == 32 and _HEX32.fullmatch(value) is not None


class RequestIdMiddleware:
    """Sets ``scope["state"]["request_id"]``, the log context and ``X-Request-Id``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = header(scope, b"x-request-id")
        text = given.decode("latin-1") if given is not None else ""
        request_id = text if is_valid_request_id(text) else str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id
        token = REQUEST_ID.set(request_id)
        try:
            await self.app(
                scope, receive, add_headers(send, [(b"x-request-id", request_id.encode("latin-1"))])
            )
        finally:
            REQUEST_ID.reset(token)
