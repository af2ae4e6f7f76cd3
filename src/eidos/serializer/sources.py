"""Input sources: read a document's text from a file, stdin (``-``) or an http(s) URL.

URL bodies are read into memory (:mod:`~eidos.serializer.fetch`) under a size cap and one
deadline for the whole download; nothing is written to disk. ``cm://namespace/name`` reads
a ConfigMap through :mod:`eidos.kube`.
"""

from __future__ import annotations

import os
import sys

from eidos.errors import InvalidRequestError, IOFailureError, NotFoundError
from eidos.serializer.formats import MAX_DOCUMENT_BYTES, loads

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from eidos.kube import Kube

__all__ = ["URL_TIMEOUT", "read_document", "read_text", "url_timeout"]

#: Seconds allowed for a whole URL read (connect + headers + body), unless
#: ``EIDOS_URL_TIMEOUT`` says otherwise.
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
    if sys.stdin is None:  # started with fd 0 closed
        raise IOFailureError("standard input is closed; give a file instead of '-'")
    raw = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
    return _decode(raw, "stdin")


def _read_url(url: str, timeout: float | None) -> str:
    from eidos.serializer.fetch import fetch

    return _decode(fetch(url, timeout=timeout or url_timeout(), max_bytes=MAX_DOCUMENT_BYTES), url)


def url_timeout() -> float:
    """Seconds for a whole URL read: ``EIDOS_URL_TIMEOUT`` or :data:`URL_TIMEOUT`.

    Raises:
        InvalidRequestError: the variable is not a positive number of seconds.
    """
    raw = os.environ.get("EIDOS_URL_TIMEOUT", "").strip()
    if not raw:
        return URL_TIMEOUT
    try:
        value = float(raw.removesuffix("s"))
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise InvalidRequestError(
            f"invalid EIDOS_URL_TIMEOUT {raw!r}: expected a number of seconds > 0, e.g. 30"
        )
    return value


def read_text(uri: str, *, timeout: float | None = None, kube: Kube | None = None) -> str:
    """Read the text behind ``uri``: a path, ``-`` (stdin), ``http(s)://`` or ``cm://``.

    ``timeout`` bounds a whole URL read (default :func:`url_timeout`); ``kube`` is the
    Kubernetes client for ``cm://`` (default: one from the environment).

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


def read_document(uri: str, *, timeout: float | None = None, kube: Kube | None = None) -> Any:
    """Read and decode the JSON or YAML document behind ``uri``."""
    origin = "stdin" if uri == "-" else uri
    return loads(read_text(uri, timeout=timeout, kube=kube), origin=origin)
