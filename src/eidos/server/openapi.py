"""The OpenAPI 3.1 document served at ``/openapi.json``, built from the code it describes.

Parameter names, enum values and version grammar come from ``eidos.model.query`` and
``eidos.server.params``, so the document cannot drift from what the server accepts.
"""

from __future__ import annotations

from typing import Any

from eidos.model.query import ALIASES, ENUM_FIELDS, FIELDS, MAX_NODES, VERSION_FIELDS
from eidos.server.metrics import GO_BUCKETS
from eidos.server.openapi_bundle import bundle_operation
from eidos.server.openapi_schemas import document_schemas
from eidos.server.openapi_validate import validate_operation, validation_schemas
from eidos.server.page import ASSETS, CSP
from eidos.server.params import FLAGS, FORBIDDEN

__all__ = ["build_openapi"]

_WS = " *"
#: The version grammar of ``eidos.model.Version.parse``, or a wildcard ("", "any").
VERSION_PATTERN = (
    rf"^{_WS}([vV]?[0-9]{{1,18}}(\.[0-9]{{1,18}}){{0,2}}([-+][^{FORBIDDEN}]*)?"
    rf"|[aA][nN][yY])?{_WS}$"
)
_REF = "#/components/"


def _any_case(word: str) -> str:
    return "".join(
        f"[{c.lower()}{c.upper()}]" if c.isalpha() else f"\\{c}" if c in ".-+" else c for c in word
    )


def _enum_param(field: str) -> dict[str, Any]:
    values, human = ENUM_FIELDS[field]
    choices = "|".join(_any_case(v) for v in ("any", *values))
    return {
        "description": f"{human.capitalize()}, case-insensitive: {', '.join(values)} "
        "(omit, leave empty or give 'any' for a wildcard).",
        "schema": {
            "type": "string",
            "pattern": rf"^{_WS}({choices})?{_WS}$",
            "examples": list(values),
        },
    }


def _version_param(field: str) -> dict[str, Any]:
    example = {"osv": "24.04", "kernel": "6.8.0-1028-aws", "k8s": "v1.33.5-eks-3025e55"}[field]
    return {
        "description": f"{VERSION_FIELDS[field].capitalize()}: [v]MAJOR[.MINOR[.PATCH]] "
        "with optional vendor extras after - or +; a rule matches at its "
        "own precision (1.33 matches v1.33.5-eks-3025e55).",
        "schema": {"type": "string", "pattern": VERSION_PATTERN, "examples": [example]},
    }


def _nodes_param() -> dict[str, Any]:
    return {
        "description": f"Number of nodes in the cluster, 1 to {MAX_NODES}; overlays may "
        "choose by it (omit, leave empty or give 'any' for a wildcard).",
        "schema": {
            "type": "string",
            "pattern": rf"^{_WS}(0*[1-9][0-9]{{0,4}}|0*100000|{_any_case('any')})?{_WS}$",
            "examples": ["8"],
        },
    }


def _field_param(field: str) -> dict[str, Any]:
    if field in ENUM_FIELDS:
        return _enum_param(field)
    if field == "nodes":
        return _nodes_param()
    return _version_param(field)


def _parameters(*, selector: bool = False) -> list[dict[str, Any]]:
    params = []
    for field in FIELDS:
        params.append({"name": field, "in": "query", "required": False, **_field_param(field)})
        for alias in (a for a, f in ALIASES.items() if f == field):
            spec = _enum_param(field)
            spec["description"] = f"Alias of {field} (used when {field} is not given)."
            params.append({"name": alias, "in": "query", "required": False, **spec})
    for flag, meaning in FLAGS.items():
        params.append(
            {
                "name": flag,
                "in": "query",
                "required": False,
                "description": f"true or 1 to {meaning}.",
                "schema": {
                    "type": "string",
                    "default": "false",
                    "pattern": rf"^{_WS}({_any_case('true')}|{_any_case('false')}"
                    rf"|1|0)?{_WS}$",
                    "examples": ["true", "false"],
                },
            }
        )
    if selector:
        params.append(
            {
                "name": "selector",
                "in": "query",
                "required": True,
                "description": "Dot path into the recipe: components.<name>.values.<path>, "
                "components.<name>.chart, deploymentOrder, constraints (indexed from 0), "
                "measurements.<type>.<subtype>.<key>, request, or '.' for all of it.",
                "schema": {
                    "type": "string",
                    "pattern": rf"^[^{FORBIDDEN}]*[^{FORBIDDEN} ][^{FORBIDDEN}]*$",
                    "examples": ["components.gpu-operator.chart.version", "deploymentOrder"],
                },
            }
        )
    params.append(
        {
            "name": "If-None-Match",
            "in": "header",
            "required": False,
            "description": "An ETag from an earlier response; a match answers 304.",
            "schema": {"type": "string"},
        }
    )
    return params


def _headers(*names: str) -> dict[str, Any]:
    return {n: {"$ref": f"{_REF}headers/{n}"} for n in names}


def _error(description: str, *extra: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": _headers("X-Request-Id", "X-API-Version", *extra),
        "content": {"application/json": {"schema": {"$ref": f"{_REF}schemas/Error"}}},
    }


def _ok(
    description: str, schema: dict[str, Any], *headers: str, media: str = "application/json"
) -> dict[str, Any]:
    return {
        "description": description,
        "headers": _headers("X-Request-Id", "X-API-Version", *headers),
        "content": {media: {"schema": schema}},
    }


_LIMITED = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
_COMMON_ERRORS = {
    "500": "Unexpected failure (sanitized; no stack trace).",
    "504": "The request ran past the handler timeout.",
}


def _operation(
    op_id: str,
    summary: str,
    tag: str,
    responses: dict[str, Any],
    *,
    limited: bool,
    parameters: list[dict[str, Any]] | None = None,
    method: str = "get",
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    responses = dict(responses)
    if limited:
        responses["429"] = _error(
            "Rate limit exceeded; retry after Retry-After seconds.", "Retry-After", *_LIMITED
        )
    for code, text in _COMMON_ERRORS.items():
        responses.setdefault(code, _error(text))
    operation: dict[str, Any] = {
        "operationId": op_id,
        "summary": summary,
        "tags": [tag],
        "responses": responses,
    }
    if parameters:
        operation["parameters"] = parameters
    if body:
        operation["requestBody"] = body
    return {method: operation}


def _recipe_responses() -> dict[str, Any]:
    recipe = {"$ref": f"{_REF}schemas/Recipe"}
    cached = ("Cache-Control", "ETag", *_LIMITED)
    return {
        "200": _ok("The recipe: base plus every matching overlay", recipe, *cached),
        "304": {
            "description": "Not modified (If-None-Match matched the ETag).",
            "headers": _headers("X-Request-Id", "X-API-Version", *cached),
        },
        "400": _error("Invalid parameter; the message names it and its valid values."),
        "404": _error("strict=true and no overlay matched the query."),
    }


def _query_responses() -> dict[str, Any]:
    out = _recipe_responses()
    cached = ("Cache-Control", "ETag", *_LIMITED)
    out["200"] = _ok("The selected value: a string, number, boolean, list or object", {}, *cached)
    out["404"] = _error(
        "The selector names nothing in the recipe (details.nearest lists the closest valid "
        "keys), or strict=true and no overlay matched the query."
    )
    return out


_CACHED = ("Cache-Control", "ETag", *_LIMITED)
_IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "An ETag from an earlier response; a match answers 304.",
    "schema": {"type": "string"},
}


def _page_headers() -> dict[str, Any]:
    out = _headers("X-Request-Id", "X-API-Version")
    out["Cache-Control"] = {"$ref": f"{_REF}headers/PageCache-Control"}
    out["ETag"] = {"$ref": f"{_REF}headers/PageETag"}
    out.update(_headers("Content-Security-Policy", *_LIMITED))
    return out


def _root_ok(info: dict[str, Any]) -> dict[str, Any]:
    out = _ok("Service information (JSON), or the explorer page (HTML)", info, *_LIMITED)
    out["content"]["text/html"] = {"schema": {"type": "string"}}
    return out


def _page_not_modified() -> dict[str, Any]:
    return {
        "description": "Not modified: the page's If-None-Match matched its ETag.",
        "headers": _page_headers(),
    }


def _page_paths() -> dict[str, Any]:
    """The explorer page's own files (docs/explorer.md)."""
    out = {}
    for path, (name, media) in ASSETS.items():
        if path == "/":
            continue
        ok = _ok(f"The page's {name}", {"type": "string"}, media=media)
        ok["headers"] = _page_headers()
        out[path] = _operation(
            f"getExplorer{name.split('.')[-1].upper()}",
            f"The explorer page's {name}",
            "Explorer",
            {"200": ok, "304": _page_not_modified()},
            limited=True,
            parameters=[_IF_NONE_MATCH],
        )
    return out


def _validate() -> dict[str, Any]:
    report = {"$ref": f"{_REF}schemas/ValidationReport"}
    ok = _ok("The validation report: every constraint on every node", report, *_LIMITED)
    operation = validate_operation(ok, _error)
    for code, text in _COMMON_ERRORS.items():
        operation["responses"].setdefault(code, _error(text))
    return operation


def _paths() -> dict[str, Any]:
    status = {"$ref": f"{_REF}schemas/Status"}
    info = {"$ref": f"{_REF}schemas/ServiceInfo"}
    text = {"type": "string"}
    return {
        "/": _operation(
            "getRoot",
            "Service name, version and routes; the explorer page for Accept: text/html",
            "Service",
            {"200": _root_ok(info), "304": _page_not_modified()},
            limited=True,
            parameters=[_IF_NONE_MATCH],
        ),
        "/v1/criteria": _operation(
            "getCriteria",
            "Every criterion, the values it accepts and the values the recipe data knows",
            "Recipes",
            {
                "200": _ok("The criteria", {"$ref": f"{_REF}schemas/Criteria"}, *_CACHED),
                "304": {
                    "description": "Not modified (If-None-Match matched the ETag).",
                    "headers": _headers("X-Request-Id", "X-API-Version", *_CACHED),
                },
            },
            limited=True,
            parameters=[_IF_NONE_MATCH],
        ),
        **_page_paths(),
        "/v1/recipe": _operation(
            "getRecipe",
            "Configuration recipe for criteria",
            "Recipes",
            _recipe_responses(),
            limited=True,
            parameters=_parameters(),
        ),
        "/v1/query": _operation(
            "getQuery",
            "One value of the recipe for criteria, selected by a dot path",
            "Recipes",
            _query_responses(),
            limited=True,
            parameters=_parameters(selector=True),
        ),
        "/v1/bundle": bundle_operation(ok=_ok, error=_error, operation=_operation),
        "/v1/validate": {"post": _validate()},
        "/health": _operation(
            "getHealth",
            "Liveness",
            "Health",
            {"200": _ok("The process is alive", status)},
            limited=False,
        ),
        "/ready": _operation(
            "getReady",
            "Readiness",
            "Health",
            {
                "200": _ok("Ready for traffic", status),
                "503": _ok("Starting or draining; take this replica out of rotation", status),
            },
            limited=False,
        ),
        "/metrics": _operation(
            "getMetrics",
            "Prometheus metrics",
            "Health",
            {"200": _ok("Prometheus text exposition format", text, media="text/plain")},
            limited=False,
        ),
        "/openapi.json": _operation(
            "getOpenAPI",
            "This document",
            "Service",
            {"200": _ok("OpenAPI 3.1 document", {"type": "object"}, *_LIMITED)},
            limited=True,
        ),
    }


def _header(description: str, schema: dict[str, Any], *, required: bool) -> dict[str, Any]:
    return {"description": description, "required": required, "schema": schema}


def _component_headers() -> dict[str, Any]:
    integer = {"type": "string", "pattern": "^[0-9]+$"}
    return {
        "X-Request-Id": _header(
            "The client's UUID when valid, else a generated one.",
            {"type": "string", "minLength": 32},
            required=True,
        ),
        "X-API-Version": _header("API version.", {"type": "string", "const": "v1"}, required=True),
        "Cache-Control": _header(
            "Recipes are cacheable for 10 minutes.",
            {"type": "string", "const": "public, max-age=600"},
            required=True,
        ),
        "ETag": _header(
            "Weak validator of the recipe content (timestamp excluded).",
            {"type": "string", "pattern": '^W/"[0-9a-f]{32}"$'},
            required=True,
        ),
        "X-RateLimit-Limit": _header(
            "Requests per second of the tightest bucket.", integer, required=False
        ),
        "X-RateLimit-Remaining": _header(
            "Whole tokens left in the tightest bucket.", integer, required=False
        ),
        "X-RateLimit-Reset": _header(
            "Unix time when that bucket is full again.", integer, required=False
        ),
        "Retry-After": _header("Seconds to wait before retrying.", integer, required=True),
        "PageCache-Control": _header(
            "The page's files are always revalidated.",
            {"type": "string", "const": "no-cache"},
            required=True,
        ),
        "PageETag": _header(
            "Strong validator of the file's bytes.",
            {"type": "string", "pattern": '^"[0-9a-f]{32}"$'},
            required=True,
        ),
        "Content-Security-Policy": _header(
            "Scripts, styles, images and requests from this origin only; nothing inline.",
            {"type": "string", "const": CSP},
            required=True,
        ),
        "Content-Disposition": _header(
            'attachment; filename="bundle.zip"', {"type": "string"}, required=True
        ),
    }


def build_openapi(version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document for this server at ``version``."""
    buckets = ", ".join(f"{b:g}" for b in GO_BUCKETS)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "eidos API server",
            "version": version,
            "description": "Configuration recipes for GPU-accelerated Kubernetes. Every "
            "error uses the Error schema; a wrong method on a known path "
            "answers 405 with Allow, an unknown path 404. Latency "
            f"histogram buckets (seconds): {buckets}.",
        },
        "servers": [{"url": "http://localhost:8080", "description": "local server"}],
        "tags": [
            {"name": "Recipes"},
            {"name": "Bundles"},
            {"name": "Validation"},
            {"name": "Health"},
            {"name": "Service"},
            {"name": "Explorer"},
        ],
        "paths": _paths(),
        "components": {
            "headers": _component_headers(),
            "schemas": {**document_schemas(), **validation_schemas()},
        },
    }
