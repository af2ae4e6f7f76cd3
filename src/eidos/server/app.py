"""The composition root of one server process: routes, middleware, error handlers, lifespan."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from eidos import __version__
from eidos.errors import (
    EidosError,
    InternalError,
    InvalidRequestError,
    MethodNotAllowedError,
    NotFoundError,
)
from eidos.server.bundle import BundleHandler
from eidos.server.cache import RecipeCache
from eidos.server.criteria import criteria_document
from eidos.server.metrics import ServerMetrics
from eidos.server.middleware import build_middleware
from eidos.server.openapi import build_openapi
from eidos.server.page import Page
from eidos.server.readiness import Readiness
from eidos.server.responses import error_response, json_bytes
from eidos.server.routes import Handlers
from eidos.server.settings import ServerSettings
from eidos.server.source import CriteriaSource, RecipeSource

__all__ = ["create_app"]


def _request_id(request: Request) -> str | None:
    state = request.scope.get("state")
    return state.get("request_id") if isinstance(state, dict) else None


async def _eidos_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EidosError)  # registered for EidosError only
    return error_response(exc, _request_id(request))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)  # registered for HTTPException only
    method, path = request.method, request.url.path
    headers: dict[str, str] = {}
    failure: EidosError
    if exc.status_code == 404:
        failure = NotFoundError(f"no route {path!r}; GET / lists the routes")
    elif exc.status_code == 405:
        allowed = sorted(m.strip() for m in (exc.headers or {}).get("Allow", "GET").split(","))
        headers["Allow"] = ", ".join(allowed)
        failure = MethodNotAllowedError(
            f"method {method} is not allowed on {path}; use {' or '.join(allowed)}",
            details={"method": method},
        )
    elif exc.status_code < 500:
        failure = InvalidRequestError(exc.detail)
    else:
        failure = InternalError(exc.detail)
    response = error_response(failure, _request_id(request), headers)
    if exc.status_code not in (404, 405):
        response.status_code = exc.status_code
    return response


def create_app(
    settings: ServerSettings,
    source: RecipeSource,
    *,
    version: str = __version__,
    readiness: Readiness | None = None,
    metrics: ServerMetrics | None = None,
) -> Starlette:
    """Build the ASGI app for ``settings`` serving recipes from ``source``.

    ``readiness`` turns ready when the lifespan starts and not ready when it ends; the
    process runner also flips it on SIGTERM.
    """
    readiness = readiness or Readiness()
    metrics = metrics or ServerMetrics()
    handlers = Handlers(
        source=source,
        cache=RecipeCache(settings.cache_size),
        metrics=metrics,
        readiness=readiness,
        version=version,
        openapi=json_bytes(build_openapi(version)),
        criteria=json_bytes(
            criteria_document(
                source.known_criteria() if isinstance(source, CriteriaSource) else None
            )
        ),
        page=Page(),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        readiness.mark_ready()
        yield
        readiness.mark_draining()

    bundle = BundleHandler(
        max_body=settings.max_bundle_body,
        rate=settings.bundle_rate_limit,
        burst=settings.bundle_rate_burst,
    )
    app = Starlette(
        routes=[*handlers.routes(), Route("/v1/bundle", bundle.handle, methods=["POST"])],
        middleware=build_middleware(settings, metrics),
        exception_handlers={EidosError: _eidos_error, HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False
    app.state.readiness = readiness
    app.state.metrics = metrics
    return app
