"""Server logging: JSON lines on stderr, uvicorn's own loggers included, request ID on each.

The request-ID middleware sets ``REQUEST_ID`` for the task serving a request; a handler
filter copies it into every record logged while that request runs.
"""

from __future__ import annotations

import contextvars
import logging
from typing import Any

from eidos import logging as elog

__all__ = ["REQUEST_ID", "configure_logging"]

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "eidos_request_id", default=None
)


class _RefusalEchoFilter(logging.Filter):
    """Drops uvicorn's "Invalid HTTP request received.": the protocol logs each refusal."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Invalid HTTP request received."


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request_id = REQUEST_ID.get()
        if request_id is not None:
            fields: dict[str, Any] = getattr(record, "eidos_fields", None) or {}
            record.eidos_fields = {"requestId": request_id, **fields}
        return True


def configure_logging(level: str, *, stream: Any = None) -> None:
    """JSON logs at ``level`` for eidos and uvicorn; uvicorn's access log is replaced by ours."""
    elog.configure(level, "json", stream=stream)
    handlers = logging.getLogger("eidos").handlers
    for handler in handlers:
        handler.addFilter(_RequestIdFilter())
    threshold = elog.level_value()
    for name in ("uvicorn", "uvicorn.error", "uvicorn.asgi"):
        logger = logging.getLogger(name)
        logger.handlers = list(handlers)
        logger.setLevel(threshold)
        logger.propagate = False
    logging.getLogger("uvicorn.error").filters = [_RefusalEchoFilter()]
    access = logging.getLogger("uvicorn.access")
    access.handlers = []
    access.propagate = False
    access.disabled = True
