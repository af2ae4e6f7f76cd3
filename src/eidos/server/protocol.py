"""uvicorn's httptools protocol with request-line and header size limits.

httptools buffers a request head without bound, so the limits are enforced while
parsing: a long request target gets 414, oversized headers 431 (JSON error body,
``Connection: close``), before the application sees anything.
"""

from __future__ import annotations

import uuid
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from eidos.errors import InvalidRequestError
from eidos.logging import get_logger
from eidos.server.responses import error_body

__all__ = ["limited_protocol"]

log = get_logger(__name__)
_SLACK = 16384


class _Refused(Exception):
    pass


class _LimitedHttpToolsProtocol(HttpToolsProtocol):
    max_request_line = 8192
    max_header_bytes = 65536

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True
        self._head_bytes = 0
        self._url_bytes = 0
        self._header_bytes = 0
        self._refusal: tuple[int, str] | None = None

    def _refuse(self, status: int, message: str) -> None:
        self._refusal = (status, message)
        raise _Refused(message)

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
            if self._head_bytes > self.max_request_line + self.max_header_bytes + _SLACK:
                self._refusal = (431, self._header_message())
                self.send_400_response("")
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._url_bytes = 0
        self._header_bytes = 0

    def on_url(self, url: bytes) -> None:
        self._url_bytes += len(url)
        if self._url_bytes > self.max_request_line:
            self._refuse(414, f"request target longer than {self.max_request_line} bytes")
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_bytes += len(name) + len(value) + 4
        if self._header_bytes > self.max_header_bytes:
            self._refuse(431, self._header_message())
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_head = True
        super().on_message_complete()

    def _header_message(self) -> str:
        return f"request headers larger than {self.max_header_bytes} bytes"

    def send_400_response(self, msg: str) -> None:
        """Answer a refused or unparsable request with a JSON error and close."""
        status, message = self._refusal or (400, "malformed HTTP request")
        request_id = str(uuid.uuid4())
        log.warning(
            "request refused",
            status=status,
            reason=message,
            client=self.client[0] if self.client else None,
            requestId=request_id,
        )
        body = error_body(InvalidRequestError(message), request_id)
        head = [STATUS_LINE[status]]
        head += [b"%s: %s\r\n" % pair for pair in self.server_state.default_headers]
        head += [
            b"content-type: application/json\r\n",
            b"x-request-id: %s\r\n" % request_id.encode(),
            b"x-api-version: v1\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n",
            b"\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()


def limited_protocol(*, max_request_line: int, max_header_bytes: int) -> type[HttpToolsProtocol]:
    """A protocol class for uvicorn's ``http=`` setting with these limits."""
    return type(
        "LimitedHttpToolsProtocol",
        (_LimitedHttpToolsProtocol,),
        {"max_request_line": max_request_line, "max_header_bytes": max_header_bytes},
    )
