"""The ``POST /v1/bundle`` part of the OpenAPI document, from the route's own parameter table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eidos.names import DEPLOYERS
from eidos.server.bundle import BUNDLE_PARAMETERS, REPEATABLE, ZIP

__all__ = ["bundle_operation"]

_REF = "#/components/"
LIMITED = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def _bundle_parameter(name: str, meaning: str) -> dict[str, Any]:
    value: dict[str, Any] = {"type": "string", "maxLength": 2048}
    if name == "deployer":
        value = {"type": "string", "enum": list(DEPLOYERS), "default": DEPLOYERS[0]}
    schema = {"type": "array", "items": value, "maxItems": 64} if name in REPEATABLE else value
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": meaning[:1].upper() + meaning[1:] + ".",
        "schema": schema,
        "style": "form",
        "explode": True,
    }


def bundle_operation(
    *,
    ok: Callable[..., dict[str, Any]],
    error: Callable[..., dict[str, Any]],
    operation: Callable[..., dict[str, Any]],
) -> dict[str, Any]:
    """The ``POST /v1/bundle`` path item; ``ok``, ``error``, ``operation``: openapi.py's."""
    recipe = {"$ref": f"{_REF}schemas/Recipe"}
    body = {
        "required": True,
        "description": "A recipe (as GET /v1/recipe or eidos recipe gives it), JSON or "
        "YAML; at most max_bundle_body bytes (default 1 MiB).",
        "content": {"application/json": {"schema": recipe}, "application/yaml": {"schema": {}}},
    }
    zip_file = {"type": "string", "contentMediaType": ZIP}
    responses = {
        "200": ok(
            "The bundle as a zip: exactly the files eidos bundle -o DIR writes for these "
            "options, sorted, with fixed times (byte-identical for the same input).",
            zip_file,
            "Content-Disposition",
            *LIMITED,
            media=ZIP,
        ),
        "400": error(
            "Invalid recipe or parameter, or a component that cannot be bundled; the "
            "message says which."
        ),
        "413": error("The request body is larger than max_bundle_body."),
    }
    params = [_bundle_parameter(n, m) for n, m in BUNDLE_PARAMETERS.items()]
    return operation(
        "postBundle",
        "Deployable bundle of a recipe, as a zip",
        "Bundles",
        responses,
        limited=True,
        parameters=params,
        method="post",
        body=body,
    )
