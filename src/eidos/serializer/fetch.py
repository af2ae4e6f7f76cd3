"""Fetch a document over http(s): one deadline for the whole exchange, every byte counted.

A socket timeout bounds each ``recv``, not the exchange: a server that drips one byte every
few seconds would hold a read forever. Here a watchdog shuts the socket down when the
deadline passes, whatever the exchange is doing (TLS handshake, proxy tunnel, headers,
body). The socket is made here and handed to :class:`http.client.HTTPConnection`, so the
watchdog holds it from the first byte. A body shorter than its ``Content-Length`` is an
error, never a silently truncated document. Redirects (at most 5) and the ``https_proxy``/
``http_proxy``/``no_proxy`` environment are honoured.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import threading
import time
from urllib.parse import unquote, urljoin, urlsplit

from eidos import __version__
from eidos.errors import InvalidRequestError, IOFailureError, NotFoundError

__all__ = ["MAX_REDIRECTS", "check_url", "fetch"]

MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
_UNSAFE = re.compile(r"[\x00-\x20\x7f]")


class _Deadline:
    """Shuts down every connection it watches once ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            self._expire()
            raise TimeoutError
        return left

    def watch(self, sock: socket.socket) -> socket.socket:
        """Watch ``sock``'s connection (through a duplicate, so TLS wrapping cannot hide it)."""
        twin = sock.dup()
        with self._lock:
            self._sockets.append(twin)
            if self.expired:
                _shutdown(twin)
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)

    def cancel(self) -> None:
        self._timer.cancel()
        for sock in self._sockets:
            sock.close()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def check_url(url: str) -> None:
    """A malformed URL is the user's mistake (exit 2), not an unreachable server (exit 3).

    Raises:
        InvalidRequestError: spaces or control characters (CR/LF), non-ASCII characters,
            no host, or a port that is not a number.
    """
    bad = _UNSAFE.search(url)
    if bad:
        what = "a space (%20)" if bad.group() == " " else f"the control character {bad.group()!r}"
        raise InvalidRequestError(f"invalid URL {url!r}: it contains {what}; percent-encode it")
    if not url.isascii():
        raise InvalidRequestError(f"invalid URL {url!r}: percent-encode non-ASCII characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise InvalidRequestError(f"invalid URL {url!r}: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidRequestError(f"invalid URL {url!r}: only http:// and https:// are read")
    if not parts.hostname:
        raise InvalidRequestError(f"invalid URL {url!r}: no host given")


def _proxy(scheme: str, host: str) -> str | None:
    """The proxy URL for ``scheme://host`` from the environment, or None."""
    for name in ("no_proxy", "NO_PROXY"):
        for item in os.environ.get(name, "").split(","):
            entry = item.strip().lstrip(".")
            entry = entry if entry.endswith("]") else entry.rsplit(":", 1)[0]  # drop a port
            if entry == "*" or (entry and (host == entry or host.endswith("." + entry))):
                return None
    return os.environ.get(f"{scheme}_proxy") or os.environ.get(f"{scheme.upper()}_PROXY") or None


def fetch(url: str, *, timeout: float, max_bytes: int) -> bytes:
    """GET ``url`` and return its body (at most ``max_bytes + 1`` bytes, for the caller to refuse).

    Raises:
        InvalidRequestError: a malformed URL (exit 2).
        NotFoundError: HTTP 404.
        IOFailureError: unreachable, timed out, a non-2xx status, a non-HTTP answer, a bad
            redirect or a body shorter than its Content-Length (exit 3).
    """
    check_url(url)
    deadline = _Deadline(timeout)
    try:
        for _ in range(MAX_REDIRECTS + 1):
            location, body = _get(url, deadline, max_bytes)
            if location is None:
                return body
            target = urljoin(url, location)
            try:
                check_url(target)
            except InvalidRequestError as exc:
                raise IOFailureError(f"{url}: bad redirect: {exc.message}") from None
            url = target
        raise IOFailureError(f"{url}: more than {MAX_REDIRECTS} redirects")
    except http.client.InvalidURL as exc:
        raise InvalidRequestError(f"invalid URL {url!r}: {exc}") from None
    except (http.client.HTTPException, OSError) as exc:
        if deadline.expired or isinstance(exc, TimeoutError):
            raise IOFailureError(
                f"cannot read {url}: timed out after {timeout:g}s "
                "(the limit for the whole download, EIDOS_URL_TIMEOUT)"
            ) from None
        raise _failure(url, exc) from None
    finally:
        deadline.cancel()


def _failure(url: str, exc: BaseException) -> IOFailureError:
    if isinstance(exc, http.client.IncompleteRead):
        got = len(exc.partial)
        if exc.expected:
            return IOFailureError(
                f"{url}: incomplete download: got {got} of {got + exc.expected} bytes"
            )
        return IOFailureError(
            f"{url}: incomplete download: the connection closed in the middle of the body "
            f"(after {got} complete bytes)"
        )
    if isinstance(exc, http.client.RemoteDisconnected):
        return IOFailureError(f"bad answer from {url}: the server closed the connection")
    if isinstance(exc, http.client.BadStatusLine):
        line = str(exc).strip()
        return IOFailureError(f"bad answer from {url}: not an HTTP status line: {_shown(line)}")
    if isinstance(exc, http.client.HTTPException):
        return IOFailureError(f"bad answer from {url}: {type(exc).__name__}: {exc}")
    if isinstance(exc, socket.gaierror):
        return IOFailureError(f"cannot reach {url}: unknown host ({exc.strerror or exc})")
    return IOFailureError(f"cannot reach {url}: {getattr(exc, 'strerror', None) or exc}")


def _shown(text: str, limit: int = 80) -> str:
    """Server text fit for a terminal: printable, short, quoted when it was not."""
    clean = text if text.isprintable() else repr(text)
    return clean if len(clean) <= limit else clean[: limit - 3] + "..."


def _get(url: str, deadline: _Deadline, max_bytes: int) -> tuple[str | None, bytes]:
    """One GET: ``(Location, b"")`` for a redirect, else ``(None, body)``."""
    conn, target, headers = _connect(url, deadline)
    try:
        headers["User-Agent"] = f"eidos/{__version__}"
        conn.request("GET", target, headers=headers)
        with conn.getresponse() as resp:
            if resp.status in _REDIRECTS and resp.getheader("Location"):
                return resp.getheader("Location"), b""
            if resp.status == 404:
                raise NotFoundError(f"{url}: HTTP 404 Not Found")
            if not 200 <= resp.status < 300:
                raise IOFailureError(f"{url}: HTTP {resp.status} {_shown(resp.reason)}")
            raw = resp.read(max_bytes + 1)
            length = resp.getheader("Content-Length")
        if deadline.expired:
            raise TimeoutError
        if length and length.isdigit() and len(raw) < int(length) and len(raw) <= max_bytes:
            raise IOFailureError(f"{url}: incomplete download: got {len(raw)} of {length} bytes")
        return None, raw
    finally:
        conn.close()


def _connect(
    url: str, deadline: _Deadline
) -> tuple[http.client.HTTPConnection, str, dict[str, str]]:
    """A connection on a socket the deadline watches, the request target, extra headers."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers: dict[str, str] = {}
    proxy = _proxy(parts.scheme, host)
    via = None
    if proxy is not None:
        via = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        if via.scheme != "http" or not via.hostname:
            raise InvalidRequestError(f"unsupported proxy {proxy!r}: use http://host:port")
        if via.username:
            import base64

            user = f"{unquote(via.username)}:{unquote(via.password or '')}".encode()
            headers["Proxy-Authorization"] = "Basic " + base64.b64encode(user).decode()
    if via is None:
        sock = _open(host, port, deadline)
    else:
        sock = _open(via.hostname or "", via.port or 80, deadline)
    try:
        if via is not None and parts.scheme == "https":
            _tunnel(sock, host, port, headers)
            headers = {}
        elif via is not None:
            target = url  # an absolute target: the proxy fetches it for us
        if parts.scheme == "https":
            import ssl

            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        conn = http.client.HTTPConnection(host, port, timeout=deadline.remaining())
    except BaseException:
        sock.close()
        raise
    conn.sock = sock  # made and watched here; http.client uses a socket it is given
    return conn, target, headers


def _open(host: str, port: int, deadline: _Deadline) -> socket.socket:
    sock = socket.create_connection((host, port), timeout=deadline.remaining())
    return deadline.watch(sock)


def _tunnel(sock: socket.socket, host: str, port: int, headers: dict[str, str]) -> None:
    """``CONNECT host:port`` through an HTTP proxy; raise unless it answers 2xx."""
    lines = [f"CONNECT {host}:{port} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{key}: {value}" for key, value in headers.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        if not chunk or len(answer) > 65536:
            raise OSError(f"the proxy gave no answer to CONNECT {host}:{port}")
        answer += chunk
    status = answer.split(b"\r\n", 1)[0].decode("latin-1")
    if not re.match(r"HTTP/1\.[01] 2\d\d", status):
        raise OSError(f"the proxy refused the tunnel: {status}")
