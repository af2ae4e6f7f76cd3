"""Route handlers: the API's routes and the explorer page's files.

``/`` answers the explorer page to a client that accepts ``text/html`` (a browser) and the
service information (JSON) to everyone else.

``POST /v1/validate`` lives in :mod:`eidos.server.validation`. Recipes (and query answers)
are served from encoded bytes cached by normalised query (and selector); a miss builds
through the ``RecipeSource`` and encodes once. Parsed query strings are memoised too
(bounded), so a repeated request costs two dictionary lookups.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from eidos.errors import NoMatchingRuleError, NotFoundError
from eidos.model.selector import SelectorError, resolve
from eidos.server.cache import EncodedRecipe, RecipeCache, etag_matches
from eidos.server.metrics import API_ROUTES, ServerMetrics
from eidos.server.page import PAGE_PATHS, Page, wants_html
from eidos.server.params import RecipeParams, parse_recipe_params
from eidos.server.readiness import Readiness
from eidos.server.responses import JSON, json_bytes, utc_timestamp
from eidos.server.source import RecipeSource
from eidos.server.validation import ValidateHandler

__all__ = ["CACHE_CONTROL", "SERVICE", "Handlers"]

SERVICE = "eidos-api-server"
CACHE_CONTROL = "public, max-age=600"
_PARSED_MAX = 4096


class Handlers:
    """The endpoints, sharing one source, cache, metrics registry and readiness flag."""

    def __init__(
        self,
        *,
        source: RecipeSource,
        cache: RecipeCache,
        metrics: ServerMetrics,
        readiness: Readiness,
        version: str,
        openapi: bytes,
        criteria: bytes,
        page: Page,
    ) -> None:
        self.source = source
        self.cache = cache
        self.metrics = metrics
        self.readiness = readiness
        self._hits = metrics.cache_lookups.labels("hit")
        self._misses = metrics.cache_lookups.labels("miss")
        self._matched = metrics.rule_matches.labels("matched")
        self._openapi = openapi
        self._criteria = EncodedRecipe.encode_value_bytes(criteria)
        self.page = page
        self._validate = ValidateHandler()
        self._parsed: dict[tuple[bytes, bool], tuple[RecipeParams, tuple[Any, ...]]] = {}
        self._root = json_bytes(
            {"service": SERVICE, "version": version, "routes": [r for r in API_ROUTES if r != "/"]}
        )

    def routes(self) -> list[Route]:
        """The route table (GET, and HEAD by implication; POST for /v1/validate)."""
        return [
            Route("/", self.root, methods=["GET"]),
            Route("/v1/recipe", self.recipe, methods=["GET"]),
            Route("/v1/query", self.query, methods=["GET"]),
            Route("/v1/validate", self._validate.handle, methods=["POST"]),
            Route("/health", self.health, methods=["GET"]),
            Route("/ready", self.ready, methods=["GET"]),
            Route("/metrics", self.metrics_text, methods=["GET"]),
            Route("/openapi.json", self.openapi, methods=["GET"]),
            Route("/v1/criteria", self.criteria, methods=["GET"]),
            *(Route(path, self.page.file, methods=["GET"]) for path in PAGE_PATHS),
        ]

    async def root(self, request: Request) -> Response:
        """The explorer page for browsers; service name, version and routes for the rest."""
        if wants_html(request):
            return self.page.respond(request, "/", vary="Accept")
        return Response(self._root, media_type=JSON, headers={"Vary": "Accept"})

    async def criteria(self, request: Request) -> Response:
        """Every criterion, its accepted values and the values the data knows."""
        entry = self._criteria
        headers = {"Cache-Control": CACHE_CONTROL, "ETag": entry.etag}
        if_none_match = request.headers.get("if-none-match")
        if if_none_match is not None and etag_matches(if_none_match, entry.etag):
            return Response(status_code=304, headers=headers)
        return Response(entry.body, media_type=JSON, headers=headers)

    async def recipe(self, request: Request) -> Response:
        """The recipe for the query string; 304 when If-None-Match matches."""
        params, key = self._parse(request.scope["query_string"], selector=False)
        return await self._respond(request, params, key)

    async def query(self, request: Request) -> Response:
        """One value of the recipe, selected by ``selector``, as JSON."""
        params, key = self._parse(request.scope["query_string"], selector=True)
        return await self._respond(request, params, key)

    async def _respond(
        self, request: Request, params: RecipeParams, key: tuple[Any, ...]
    ) -> Response:
        entry = await self._encoded(params, key)
        if params.strict and entry.base_only:
            raise NoMatchingRuleError(
                "no overlay matched the query; only the base recipe would apply "
                "(leave out strict=true to accept it)",
                details=params.query.to_dict(),
            )
        headers = {"Cache-Control": CACHE_CONTROL, "ETag": entry.etag}
        if_none_match = request.headers.get("if-none-match")
        if if_none_match is not None and etag_matches(if_none_match, entry.etag):
            return Response(status_code=304, headers=headers)
        return Response(entry.body, media_type=JSON, headers=headers)

    def _parse(
        self, query_string: bytes, *, selector: bool
    ) -> tuple[RecipeParams, tuple[Any, ...]]:
        parsed = self._parsed.get((query_string, selector))
        if parsed is None:
            params = parse_recipe_params(query_string, selector=selector)
            parsed = (params, (*params.query.cache_key(), params.selector))
            if len(self._parsed) >= _PARSED_MAX:
                self._parsed.clear()
            self._parsed[(query_string, selector)] = parsed
        return parsed

    async def _encoded(self, params: RecipeParams, key: tuple[Any, ...]) -> EncodedRecipe:
        entry = self.cache.get(key)
        if entry is not None:
            self._hits.inc()
            return entry
        self._misses.inc()
        start = time.perf_counter()
        try:
            recipe = await self.source.build(params.query)
        finally:
            self.metrics.recipe_builds.observe(time.perf_counter() - start)
        self._matched.inc(len(recipe.matched_rules))
        if params.selector is None:
            entry = EncodedRecipe.encode(recipe)
        else:
            try:
                value = resolve(recipe.query_view(), params.selector)
            except SelectorError as exc:
                raise NotFoundError(
                    f"selector {params.selector!r}: {exc}",
                    details={"parameter": "selector", "nearest": exc.nearest},
                ) from None
            entry = EncodedRecipe.encode_value(value, base_only=not recipe.matched_rules)
        self.cache.put(key, entry)
        return entry

    async def health(self, request: Request) -> Response:
        """Liveness: the process answers."""
        return Response(
            json_bytes({"status": "healthy", "timestamp": utc_timestamp()}), media_type=JSON
        )

    async def ready(self, request: Request) -> Response:
        """Readiness: 200 when serving, 503 (JSON) while starting or draining."""
        if self.readiness.ready:
            return Response(
                json_bytes({"status": "ready", "timestamp": utc_timestamp()}), media_type=JSON
            )
        body = {
            "status": "not_ready",
            "timestamp": utc_timestamp(),
            "reason": self.readiness.reason,
        }
        return Response(json_bytes(body), status_code=503, media_type=JSON)

    async def metrics_text(self, request: Request) -> Response:
        """Prometheus exposition of this process."""
        from prometheus_client import CONTENT_TYPE_LATEST

        return Response(self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def openapi(self, request: Request) -> Response:
        """The OpenAPI document."""
        return Response(self._openapi, media_type=JSON)
