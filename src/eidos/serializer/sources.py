"""Input sources: read a document's text from a file, stdin (``-``) or an http(s) URL.

URL bodies are read into memory under a size cap and a timeout; nothing is written to
disk. ``cm://namespace/name`` reads a ConfigMap through :mod:`eidos.kube`.
"""

from __future__ import annotations

import sys

from eidos.errors import InvalidRequestError, IOFailureError, NotFoundError
from eidos.serializer.formats import MAX_DOCUMENT_BYTES, loads

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from eidos.kube import Kube

__all__ = ["URL_TIMEOUT", "read_document", "read_text"]

#: Seconds allowed for a whole URL read (connect + headers + body).
URL_TIMEOUT = 30.0


def _decode(raw: bytes, origin: str) -> str:
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise InvalidRequestError(
            f"{origin}: document is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRequestError(f"{origin}: the document is not valid UTF-8") from None


def _read_file(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_DOCUMENT_BYTES + 1)
    except FileNotFoundError:
        raise NotFoundError(f"file not found: {path}") from None
    except IsADirectoryError:
        raise IOFailureError(f"cannot read {path}: it is a directory") from None
    except OSError as exc:
        raise IOFailureError(f"cannot read {path}: {exc.strerror or exc}") from None
    return _decode(raw, path)


def _read_stdin() -> str:
    raw = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
    return _decode(raw, "stdin")


def _read_url(url: str, timeout: float) -> str:
    import urllib.error
    import urllib.request

    from eidos import __version__

    _check_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": f"eidos/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            raw = resp.read(MAX_DOCUMENT_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise NotFoundError(f"{url}: HTTP 404 Not Found") from None
        raise IOFailureError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise IOFailureError(f"cannot reach {url}: {exc.reason}") from None
    except TimeoutError:
        raise IOFailureError(f"cannot reach {url}: timed out after {timeout:g}s") from None
    except OSError as exc:
        raise IOFailureError(f"cannot read {url}: {exc}") from None
    except ValueError as exc:  # http.client.InvalidURL and friends: a malformed URL
        raise InvalidRequestError(f"invalid URL {url!r}: {exc}") from None
    return _decode(raw, url)


def _check_url(url: str) -> None:
    """A malformed URL is the user's mistake (exit 2), not an unreachable server (exit 3)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise InvalidRequestError(f"invalid URL {url!r}: {exc}") from None
    if not parts.hostname:
        raise InvalidRequestError(f"invalid URL {url!r}: no host given")


def read_text(uri: str, *, timeout: float = URL_TIMEOUT, kube: Kube | None = None) -> str:
    """Read the text behind ``uri``: a path, ``-`` (stdin), ``http(s)://`` or ``cm://``.

    ``kube`` is the Kubernetes client for ``cm://`` (default: one from the environment).

    Raises:
        InvalidRequestError: unsupported scheme, oversized or non-UTF-8 content.
        NotFoundError: missing file or HTTP 404.
        IOFailureError: unreadable file or unreachable URL.
    """
    if uri == "-":
        return _read_stdin()
    lowered = uri.lower()
    if lowered.startswith(("http://", "https://")):
        return _read_url(uri, timeout)
    if lowered.startswith("cm://"):
        from eidos.serializer.configmap import read_configmap_text

        return read_configmap_text(uri, kube=kube)
    if "://" in uri:
        scheme = uri.split("://", 1)[0]
        raise InvalidRequestError(
            f"unsupported source {scheme}://; use a file path, '-', http(s):// or cm://ns/name"
        )
    return _read_file(uri)


def read_document(uri: str, *, timeout: float = URL_TIMEOUT, kube: Kube | None = None) -> Any:
    """Read and decode the JSON or YAML document behind ``uri``."""
    origin = "stdin" if uri == "-" else uri
    return loads(read_text(uri, timeout=timeout, kube=kube), origin=origin)
