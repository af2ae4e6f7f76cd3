"""The recipe explorer: static files shipped in ``server/static/``, served from memory.

The page is a client of the public API (``/v1/criteria``, ``/v1/recipe``, ``/openapi.json``
and, where the server has them, ``POST /v1/bundle`` and ``POST /v1/validate``). Its files
are read once when the app is built and answered with a strong ETag (``If-None-Match`` ->
304), ``Cache-Control: no-cache`` (always revalidated, so an upgrade shows at once) and a
strict Content-Security-Policy: scripts, styles, images and requests from this origin only,
no inline script or style, no framing. Nothing is added in front of the API routes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from eidos.server.cache import etag_matches

__all__ = ["ASSETS", "CSP", "PAGE_PATHS", "STATIC_DIR", "Asset", "Page", "wants_html"]

STATIC_DIR = Path(__file__).with_name("static")
#: URL path -> (file in STATIC_DIR, media type); "/" answers index.html to browsers.
ASSETS: dict[str, tuple[str, str]] = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/explorer/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/explorer/app.css": ("app.css", "text/css; charset=utf-8"),
    "/explorer/icon.svg": ("icon.svg", "image/svg+xml"),
}
#: The routes that serve only page files (``/`` is shared with the service information).
PAGE_PATHS = tuple(path for path in ASSETS if path != "/")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
_HEADERS = {
    "Cache-Control": "no-cache",
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True, slots=True)
class Asset:
    """One file of the page, ready to send."""

    body: bytes
    etag: str
    media_type: str

    @classmethod
    def read(cls, path: Path, media_type: str) -> Asset:
        """Read ``path`` and fingerprint it (a strong ETag over the bytes)."""
        body = path.read_bytes()
        return cls(body, f'"{hashlib.sha256(body).hexdigest()[:32]}"', media_type)


def wants_html(request: Request) -> bool:
    """Whether the client asked for HTML (a browser navigating to ``/``)."""
    return "text/html" in request.headers.get("accept", "")


class Page:
    """The page's files by URL path."""

    def __init__(self, directory: Path = STATIC_DIR) -> None:
        self.assets = {
            path: Asset.read(directory / name, media) for path, (name, media) in ASSETS.items()
        }

    def respond(self, request: Request, path: str, vary: str | None = None) -> Response:
        """The file at ``path``; 304 when ``If-None-Match`` names its ETag."""
        asset = self.assets[path]
        headers = {**_HEADERS, "ETag": asset.etag}
        if vary:
            headers["Vary"] = vary
        if_none_match = request.headers.get("if-none-match")
        if if_none_match is not None and etag_matches(if_none_match, asset.etag):
            return Response(status_code=304, headers=headers)
        return Response(asset.body, media_type=asset.media_type, headers=headers)

    async def file(self, request: Request) -> Response:
        """Route handler for the page's own files."""
        return self.respond(request, request.url.path)
