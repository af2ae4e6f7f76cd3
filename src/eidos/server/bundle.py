"""``POST /v1/bundle``: a recipe in the body, the bundle back as a reproducible zip.

The query takes the options of ``eidos bundle`` (:data:`BUNDLE_PARAMETERS`); the answer
holds exactly the files ``eidos bundle -o DIR`` writes for them (without the directory's
``.eidos-bundle`` ownership marker). The body is capped (``max_bundle_body``), each
client gets its own token bucket for this route (``bundle_rate_limit``), and the bundle
is made on a worker thread so the event loop keeps serving.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from eidos.bundlers import build_bundle
from eidos.bundlers.options import bundle_config, raise_failures
from eidos.bundlers.outdir import mtime_of
from eidos.bundlers.output import archive_bytes
from eidos.errors import InvalidRequestError, RateLimitError
from eidos.model import DocumentError, Recipe
from eidos.serializer import loads
from eidos.server.ratelimit import RateLimiter
from eidos.server.responses import error_response

__all__ = ["BUNDLE_PARAMETERS", "REPEATABLE", "ZIP", "BundleHandler"]

ZIP = "application/zip"
#: query parameter -> what it does (the OpenAPI document and docs/api.md read this table)
BUNDLE_PARAMETERS = {
    "deployer": "how the bundle installs: helm (default), argocd, flux, helmfile",
    "set": "COMPONENT:PATH=VALUE, a Helm value (repeatable; COMPONENT:enabled=false drops it)",
    "component": "bundle only these components and their dependencies (repeatable, a,b)",
    "system-node-selector": "KEY=VALUE for system pods (repeatable)",
    "system-toleration": "KEY[=VALUE][:EFFECT] for system pods (repeatable)",
    "accelerated-node-selector": "KEY=VALUE for pods on GPU nodes (repeatable)",
    "accelerated-toleration": "KEY[=VALUE][:EFFECT] for pods on GPU nodes (repeatable)",
    "registry": "HOST[/PATH]: pull every image from this registry",
    "repo": "Git repository the GitOps deployers (argocd, flux) read the bundle from",
    "repo-revision": "branch, refs/... name or commit of repo (default main)",
    "repo-path": "folder of repo holding the bundle (default: its root)",
}
REPEATABLE = frozenset(
    {
        "set",
        "component",
        "system-node-selector",
        "system-toleration",
        "accelerated-node-selector",
        "accelerated-toleration",
    }
)
_SCHEDULING = (
    "system-node-selector",
    "system-toleration",
    "accelerated-node-selector",
    "accelerated-toleration",
)


def _parameters(query_string: bytes) -> dict[str, list[str]]:
    try:
        pairs = parse_qsl(
            query_string.decode("utf-8"), keep_blank_values=True, strict_parsing=False
        )
    except UnicodeDecodeError:
        raise InvalidRequestError("the query string is not valid UTF-8") from None
    values: dict[str, list[str]] = {}
    for key, value in pairs:
        if key not in BUNDLE_PARAMETERS:
            raise InvalidRequestError(
                f"unknown parameter {key!r}; valid parameters: {', '.join(BUNDLE_PARAMETERS)}",
                details={"parameter": key},
            )
        values.setdefault(key, []).append(value)
        if len(values[key]) > 1 and key not in REPEATABLE:
            raise InvalidRequestError(f"parameter {key!r} given twice", details={"parameter": key})
    return values


def make_zip(body: bytes, query_string: bytes) -> tuple[bytes, str]:
    """The bundle zip for a recipe document and the options; also its file name.

    Raises:
        InvalidRequestError: a malformed recipe or option, or a component that fails
            (any other failure keeps its own class).
    """
    params = _parameters(query_string)
    one = {k: v[0] for k, v in params.items() if k not in REPEATABLE}
    config = bundle_config(
        deployer=one.get("deployer", "helm"),
        sets=params.get("set", []),
        scheduling={k: params[k] for k in _SCHEDULING if k in params},
        registry=one.get("registry"),
        components=params.get("component"),
        repo=one.get("repo") or None,
        repo_revision=one.get("repo-revision") or "main",
        repo_path=one.get("repo-path") or ".",
        prefix="",
        fail_fast=True,
    )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRequestError("request body: the recipe is not valid UTF-8") from None
    raw = loads(text, origin="request body")
    try:
        recipe = Recipe.from_dict(raw)
    except DocumentError as exc:
        raise InvalidRequestError(f"request body: {exc}") from None
    bundle = build_bundle(recipe, config)
    raise_failures(bundle.report)
    mtime = mtime_of(recipe.metadata.get("recipe-timestamp"))
    return archive_bytes(bundle.tree, ".zip", mtime), "bundle.zip"


class BundleHandler:
    """The ``POST /v1/bundle`` endpoint with its body cap and its own rate limit."""

    def __init__(self, *, max_body: int, rate: float, burst: int) -> None:
        self.max_body = max_body
        self.limiter = RateLimiter(rate=0, burst=1, client_rate=rate, client_burst=burst)

    async def handle(self, request: Request) -> Response:
        """Check the rate and size, read the recipe, answer the zip."""
        state = request.scope.get("state")
        request_id = state.get("request_id") if isinstance(state, dict) else None
        if self.limiter.enabled:
            client = request.client.host if request.client else "unknown"
            decision = self.limiter.check(client)
            if not decision.allowed:
                limited = RateLimitError(
                    "bundle rate limit exceeded",
                    details={"limit": decision.limit, "retryAfterSeconds": decision.retry_after},
                )
                headers = {"Retry-After": str(decision.retry_after)}
                return error_response(limited, request_id, headers)
        body = await self._body(request)
        if body is None:
            failure = InvalidRequestError(
                f"request body larger than {self.max_body} bytes",
                details={"limit": self.max_body},
            )
            response = error_response(failure, request_id)
            response.status_code = 413
            return response
        data, name = await run_in_threadpool(make_zip, body, request.scope["query_string"])
        return Response(
            data,
            media_type=ZIP,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    async def _body(self, request: Request) -> bytes | None:
        """The whole body, or None as soon as it passes the cap."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            return None
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
        return b"".join(chunks)
