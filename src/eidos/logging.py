"""Logging to stderr as text or JSON, configured once at the edge.

The stdlib ``logging`` package costs ~12 ms to import, which is a third of the CLI's
start-up budget, so loggers are lazy: nothing is imported until a record at or above
the configured level is actually emitted, and a plain text record (no traceback) is
written directly while nothing else in the process has loaded ``logging``.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Logger", "configure", "get_logger"]

_LEVELS = {"debug": 10, "info": 20, "warning": 30, "warn": 30, "error": 40}
_NAMES = {10: "debug", 20: "info", 30: "warning", 40: "error"}
_state: dict[str, Any] = {"level": 30, "fmt": "text", "configured": False}


def configure(level: str = "warning", fmt: str = "text", *, stream: Any = None) -> None:
    """Set the level (debug|info|warning|error) and format (text|json) for every logger."""
    _state["level"] = _LEVELS.get(level.strip().lower(), 20)
    _state["fmt"] = fmt
    _state["stream"] = stream
    _state["configured"] = False
    if "logging" in sys.modules:
        _install()


def level_value() -> int:
    """The numeric threshold now in force."""
    return int(_state["level"])


def _install() -> None:
    import json
    import logging
    from datetime import UTC, datetime

    class _JsonFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            body: dict[str, Any] = {
                "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
                "level": record.levelname,
                "logger": record.name,
                "msg": record.getMessage(),
            }
            body.update(getattr(record, "eidos_fields", {}))
            if record.exc_info and _state["level"] <= 10:
                body["exc"] = self.formatException(record.exc_info)
            return json.dumps(body, default=str)

    class _TextFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            fields = getattr(record, "eidos_fields", {})
            extra = "".join(f" {k}={v}" for k, v in fields.items())
            text = f"{record.levelname.lower()}: {record.getMessage()}{extra}"
            if record.exc_info and _state["level"] <= 10:
                text += "\n" + self.formatException(record.exc_info)
            return text

    root = logging.getLogger("eidos")
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(_state.get("stream") or sys.stderr)
    handler.setFormatter(_JsonFormatter() if _state["fmt"] == "json" else _TextFormatter())
    root.addHandler(handler)
    root.setLevel(_state["level"])
    root.propagate = False
    _state["configured"] = True


class Logger:
    """A named logger that imports and configures ``logging`` on first real use."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def _log(self, level: int, msg: str, fields: dict[str, Any], exc: bool = False) -> None:
        if level < _state["level"]:
            return
        if not _state["configured"] and _state["fmt"] == "text" and not exc:
            # The stdlib logging package is not loaded yet: write the line directly,
            # exactly as _TextFormatter would (a CLI warning must not cost ~15 ms).
            extra = "".join(f" {k}={v}" for k, v in fields.items())
            stream = _state.get("stream") or sys.stderr
            stream.write(f"{_NAMES.get(level, 'info')}: {msg}{extra}\n")
            stream.flush()
            return
        if not _state["configured"]:
            _install()
        import logging

        logging.getLogger(self.name).log(level, msg, exc_info=exc, extra={"eidos_fields": fields})

    def debug(self, msg: str, **fields: Any) -> None:
        """Log at debug level (shown with ``--debug``)."""
        self._log(10, msg, fields)

    def info(self, msg: str, **fields: Any) -> None:
        """Log at info level."""
        self._log(20, msg, fields)

    def warning(self, msg: str, **fields: Any) -> None:
        """Log at warning level."""
        self._log(30, msg, fields)

    def error(self, msg: str, *, exc: bool = False, **fields: Any) -> None:
        """Log at error level; ``exc`` adds the traceback at debug level."""
        self._log(40, msg, fields, exc)

    def enabled(self, level: str) -> bool:
        """Whether a record at ``level`` would be emitted."""
        return _LEVELS.get(level, 20) >= int(_state["level"])


def get_logger(name: str) -> Logger:
    """Return the lazy logger for ``name`` (use the module's ``__name__``)."""
    if not name.startswith("eidos"):
        name = "eidos." + name
    return Logger(name)
