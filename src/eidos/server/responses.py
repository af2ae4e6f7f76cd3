"""JSON bodies: compact documents and the one error body every failure uses.

Error body, in order: ``code, message, details?, requestId, timestamp, retryable``; the
status, code and retryability come from the ``eidos.errors`` class.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from eidos.errors import EidosError

__all__ = ["JSON", "error_body", "error_response", "json_bytes", "utc_timestamp"]

JSON = "application/json"


def json_bytes(doc: Any) -> bytes:
    """Compact JSON plus a newline, as the reference server writes it."""
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def utc_timestamp(now: datetime | None = None) -> str:
    """RFC 3339 in UTC with trailing fractional zeros removed (``...T10:30:00.1234Z``)."""
    now = now or datetime.now(UTC)
    text = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f").rstrip("0").rstrip(".")
    return text + "Z"


def error_body(exc: EidosError, request_id: str | None) -> bytes:
    """The error document for ``exc``; a fresh UUID when no request ID is known."""
    body: dict[str, Any] = {"code": exc.code, "message": exc.message}
    if exc.details:
        body["details"] = exc.details
    body["requestId"] = request_id or str(uuid.uuid4())
    body["timestamp"] = utc_timestamp()
    body["retryable"] = exc.retryable
    return json_bytes(body)


def error_response(
    exc: EidosError, request_id: str | None, headers: dict[str, str] | None = None
) -> Response:
    """A JSON error response with ``exc``'s HTTP status."""
    return Response(
        error_body(exc, request_id), status_code=exc.http_status, media_type=JSON, headers=headers
    )
