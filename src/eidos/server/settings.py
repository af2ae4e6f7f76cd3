"""Typed API server settings: environment variables first, command-line flags on top.

Every setting has one row in ``OPTIONS`` (field, variable, flag, parser, help); the
environment reader, the flag parser and docs/api.md all follow that table. A bad value
raises ``InvalidRequestError`` naming the variable or flag, which ``main`` turns into exit 2.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from eidos.durations import parse_duration
from eidos.errors import InvalidRequestError

__all__ = ["OPTIONS", "SHUTDOWN_HELP", "Option", "ServerSettings"]

#: What SIGTERM does, for the --help of both eidos-api-server and eidos serve.
SHUTDOWN_HELP = """\
SIGTERM/SIGINT: /ready turns 503 and every response says Connection: close; after
--shutdown-delay the listener closes, requests in flight finish within --shutdown-timeout,
then exit 0 (1 if the deadline cut some off). Limits and timeouts: docs/api.md."""

_LEVELS = ("debug", "info", "warning", "warn", "error")


@dataclasses.dataclass(frozen=True, kw_only=True)
class ServerSettings:
    """Everything the server process needs to know, built once at start-up."""

    host: str = "0.0.0.0"
    """Listen address: all interfaces, as a container needs; tests use 127.0.0.1."""
    port: int = 8080
    """TCP port (0 picks a free one)."""
    log_level: str = "info"
    """debug, info, warning or error; logs are JSON lines on stderr."""
    access_log: bool = True
    """One JSON line per request at info level."""
    rate_limit: float = 100.0
    """Global token refill, requests per second; 0 turns the global bucket off."""
    rate_burst: int = 200
    """Global bucket size (requests allowed at once)."""
    client_rate_limit: float = 50.0
    """Per-client (remote address) refill, requests per second; 0 turns it off."""
    client_rate_burst: int = 100
    """Per-client bucket size."""
    handler_timeout: float = 30.0
    """Seconds a request may take before it is answered 504 TIMEOUT."""
    shutdown_timeout: float = 30.0
    """Seconds in-flight requests get to finish after SIGTERM/SIGINT."""
    shutdown_delay: float = 0.0
    """Seconds to keep serving (with /ready at 503) after the signal, before closing the
    listener; lets load balancers drop the pod first."""
    keepalive_timeout: float = 120.0
    """Seconds an idle keep-alive connection stays open."""
    read_header_timeout: float = 5.0
    """Seconds a client gets to send a whole request head (request line and headers), from
    the connection's start or from the first byte of a later request; the Go peer's
    ReadHeaderTimeout. A slow or stalled head gets 408 and the connection is closed."""
    max_request_line: int = 8192
    """Longest request target (path and query) in bytes; longer gets 414."""
    max_header_bytes: int = 65536
    """Largest total of request header names and values in bytes; larger gets 431."""
    max_connections: int = 1000
    """Open client connections one process serves at once; a request on a connection
    beyond the cap gets 503 SERVICE_UNAVAILABLE (Retry-After: 1) and the connection closes."""
    max_bundle_body: int = 1 << 20
    """Largest ``POST /v1/bundle`` body (the recipe) in bytes; larger gets 413."""
    bundle_rate_limit: float = 2.0
    """``POST /v1/bundle`` requests per second per client (on top of the other limits);
    0 turns it off."""
    bundle_rate_burst: int = 10
    """``POST /v1/bundle`` burst per client."""
    cache_size: int = 1024
    """Encoded recipes kept in memory, keyed by the normalised query (0 disables)."""
    data: str | None = None
    """Recipe data FILE or DIR instead of the embedded data."""
    workers: int = 1
    """Worker processes sharing the listener."""
    trusted_proxies: str = ""
    """Comma-separated proxy addresses whose X-Forwarded-For is believed ("*" for any)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> ServerSettings:
        """Read every ``OPTIONS`` variable present in ``environ``.

        Raises:
            InvalidRequestError: a value does not parse; the message names the variable.
        """
        values = {
            o.field: o.parse(environ[o.env], o.env)
            for o in OPTIONS
            if environ.get(o.env, "").strip() != ""
        }
        return cls(**values)

    def with_flags(self, flags: Mapping[str, str | None]) -> ServerSettings:
        """Apply raw flag values (``field -> text``; ``None`` means not given).

        Raises:
            InvalidRequestError: a value does not parse; the message names the flag.
        """
        values = {
            o.field: o.parse(text, o.flag)
            for o in OPTIONS
            if (text := flags.get(o.field)) is not None
        }
        return dataclasses.replace(self, **values)


def _fail(source: str, text: str, expected: str) -> InvalidRequestError:
    return InvalidRequestError(f"invalid {source} {text!r}: expected {expected}")


def _int(low: int, high: int) -> Callable[[str, str], int]:
    def parse(text: str, source: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise _fail(source, text, f"an integer from {low} to {high}") from None
        if not low <= value <= high:
            raise _fail(source, text, f"an integer from {low} to {high}")
        return value

    return parse


def _rate(text: str, source: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise _fail(source, text, "requests per second, a number >= 0 (0 turns it off)")
    return value


def _duration(allow_zero: bool) -> Callable[[str, str], float]:
    def parse(text: str, source: str) -> float:
        try:
            value = parse_duration(text)
        except ValueError:
            value = -1.0
        if value < 0 or (value == 0 and not allow_zero) or value > 86400:
            least = "0" if allow_zero else "more than 0"
            raise _fail(source, text, f"a duration like 30s, 500ms or 2m ({least} to 24h)")
        return value

    return parse


def _level(text: str, source: str) -> str:
    value = text.strip().lower()
    if value not in _LEVELS:
        raise _fail(source, text, "one of debug, info, warning, error")
    return "warning" if value == "warn" else value


def _bool(text: str, source: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise _fail(source, text, "true or false")


#: one label of a host name (checked label by label: no nested repeats, linear on any input)
_HOST_LABEL = re.compile(r"[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9]")


def _host(text: str, source: str) -> str:
    value = text.strip()
    try:
        return str(ipaddress.ip_address(value.removeprefix("[").removesuffix("]")))
    except ValueError:
        pass
    looks_numeric = value.replace(".", "").isdigit()
    labels = value.removesuffix(".").split(".")
    if len(value) > 253 or looks_numeric or not all(map(_HOST_LABEL.fullmatch, labels)):
        raise _fail(source, text, "an IP address (0.0.0.0, ::) or a host name")
    return value


def _path(text: str, source: str) -> str:
    if not text.strip():
        raise _fail(source, text, "a file or directory path")
    return text.strip()


def _proxies(text: str, source: str) -> str:
    items = [p.strip() for p in text.split(",") if p.strip()]
    if items == ["*"]:
        return "*"
    expected = 'comma-separated IP addresses or networks (10.0.0.0/8), or "*" alone'
    if not items:
        raise _fail(source, text, expected)
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise _fail(source, text, f"{expected}; {item!r} is neither") from None
    return ",".join(items)


@dataclasses.dataclass(frozen=True)
class Option:
    """One setting: dataclass field, environment variable, flag, parser and help text."""

    field: str
    env: str
    flag: str
    parse: Callable[[str, str], Any]
    help: str
    metavar: str = "N"
    completions: tuple[str, ...] = ()
    """Values shell completion offers (for options that take one of a few words)."""


OPTIONS: tuple[Option, ...] = (
    Option("host", "HOST", "--host", _host, "listen address (default 0.0.0.0)", "ADDR"),
    Option("port", "PORT", "--port", _int(0, 65535), "TCP port (default 8080)"),
    Option(
        "log_level",
        "LOG_LEVEL",
        "--log-level",
        _level,
        "debug, info, warning or error (default info)",
        "LEVEL",
        ("debug", "info", "warning", "error"),
    ),
    Option(
        "access_log",
        "EIDOS_ACCESS_LOG",
        "--access-log",
        _bool,
        "log every request as a JSON line (default true)",
        "BOOL",
        ("true", "false"),
    ),
    Option(
        "rate_limit",
        "EIDOS_RATE_LIMIT",
        "--rate-limit",
        _rate,
        "global requests/s, 0 = off (default 100)",
        "RPS",
    ),
    Option(
        "rate_burst",
        "EIDOS_RATE_BURST",
        "--rate-burst",
        _int(1, 10_000_000),
        "global burst (default 200)",
    ),
    Option(
        "client_rate_limit",
        "EIDOS_CLIENT_RATE_LIMIT",
        "--client-rate-limit",
        _rate,
        "requests/s per client address, 0 = off (default 50)",
        "RPS",
    ),
    Option(
        "client_rate_burst",
        "EIDOS_CLIENT_RATE_BURST",
        "--client-rate-burst",
        _int(1, 10_000_000),
        "burst per client address (default 100)",
    ),
    Option(
        "handler_timeout",
        "EIDOS_HANDLER_TIMEOUT",
        "--handler-timeout",
        _duration(False),
        "answer 504 after this long (default 30s)",
        "DURATION",
    ),
    Option(
        "shutdown_timeout",
        "EIDOS_SHUTDOWN_TIMEOUT",
        "--shutdown-timeout",
        _duration(False),
        "drain deadline after SIGTERM (default 30s)",
        "DURATION",
    ),
    Option(
        "shutdown_delay",
        "EIDOS_SHUTDOWN_DELAY",
        "--shutdown-delay",
        _duration(True),
        "keep serving with /ready=503 this long after SIGTERM (default 0s)",
        "DURATION",
    ),
    Option(
        "keepalive_timeout",
        "EIDOS_KEEPALIVE_TIMEOUT",
        "--keepalive-timeout",
        _duration(False),
        "idle keep-alive connection timeout (default 120s)",
        "DURATION",
    ),
    Option(
        "read_header_timeout",
        "EIDOS_READ_HEADER_TIMEOUT",
        "--read-header-timeout",
        _duration(False),
        "time to send a whole request head, else 408 (default 5s)",
        "DURATION",
    ),
    Option(
        "max_request_line",
        "EIDOS_MAX_REQUEST_LINE",
        "--max-request-line",
        _int(256, 1 << 20),
        "longest request target in bytes, else 414 (default 8192)",
    ),
    Option(
        "max_header_bytes",
        "EIDOS_MAX_HEADER_BYTES",
        "--max-header-bytes",
        _int(1024, 1 << 24),
        "largest request headers in bytes, else 431 (default 65536)",
    ),
    Option(
        "max_connections",
        "EIDOS_MAX_CONNECTIONS",
        "--max-connections",
        _int(1, 1_000_000),
        "open connections served at once, else 503 (default 1000)",
    ),
    Option(
        "max_bundle_body",
        "EIDOS_MAX_BUNDLE_BODY",
        "--max-bundle-body",
        _int(1024, 8 << 20),
        "largest POST /v1/bundle body in bytes, else 413 (default 1048576)",
    ),
    Option(
        "bundle_rate_limit",
        "EIDOS_BUNDLE_RATE_LIMIT",
        "--bundle-rate-limit",
        _rate,
        "POST /v1/bundle requests/s per client, 0 = off (default 2)",
        "RPS",
    ),
    Option(
        "bundle_rate_burst",
        "EIDOS_BUNDLE_RATE_BURST",
        "--bundle-rate-burst",
        _int(1, 1_000_000),
        "POST /v1/bundle burst per client (default 10)",
    ),
    Option(
        "cache_size",
        "EIDOS_CACHE_SIZE",
        "--cache-size",
        _int(0, 1_000_000),
        "encoded recipes kept in memory, 0 = off (default 1024)",
    ),
    Option(
        "data",
        "EIDOS_DATA",
        "--data",
        _path,
        "recipe data FILE or DIR (default: embedded data)",
        "PATH",
    ),
    Option("workers", "EIDOS_WORKERS", "--workers", _int(1, 64), "worker processes (default 1)"),
    Option(
        "trusted_proxies",
        "EIDOS_TRUSTED_PROXIES",
        "--trusted-proxies",
        _proxies,
        "proxies whose X-Forwarded-For names the client (default none)",
        "LIST",
    ),
)
