"""``GET /v1/recipe`` query parameters -> a validated ``Query`` (plus the ``strict`` flag).

Stricter than the reference on purpose (no silent wrong recipes): unknown and repeated
parameters are 400s, and boolean flags accept only true/false/1/0. ``env`` is an alias
of ``service``, used when ``service`` is absent or empty (as in the reference).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from eidos.errors import InvalidRequestError
from eidos.model.query import (
    ENUM_FIELDS,
    FIELDS,
    Query,
    QueryError,
    normalize_enum,
    parse_version_field,
)

__all__ = ["FLAGS", "FORBIDDEN", "PARAMETERS", "RecipeParams", "parse_recipe_params"]

#: Boolean parameters: name -> meaning.
FLAGS = {
    "context": "include the explanation of every value",
    "strict": "404 NOT_FOUND when no overlay matches (only the base would apply)",
}
#: Every accepted parameter, in documentation order (``env`` is an alias of ``service``).
PARAMETERS = (*FIELDS[:4], "env", *FIELDS[4:], *FLAGS)
_TRUE = ("true", "1")
_FALSE = ("false", "0", "")
_MAX_FIELDS = 32
#: Characters no value may hold: controls and every whitespace but the plain space.
FORBIDDEN = "\\x00-\\x1f\\x7f-\\x9f\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_FORBIDDEN = re.compile(f"[{FORBIDDEN}]")


@dataclass(frozen=True, slots=True)
class RecipeParams:
    """A parsed recipe request."""

    query: Query
    strict: bool


def _invalid(message: str, parameter: str) -> InvalidRequestError:
    return InvalidRequestError(message, details={"parameter": parameter})


def _collect(query_string: bytes) -> dict[str, str]:
    try:
        pairs = parse_qsl(
            query_string.decode("latin-1"), keep_blank_values=True, max_num_fields=_MAX_FIELDS
        )
    except ValueError:
        raise InvalidRequestError(f"too many query parameters (at most {_MAX_FIELDS})") from None
    seen: dict[str, str] = {}
    for name, value in pairs:
        if name not in PARAMETERS:
            raise _invalid(
                f"unknown query parameter {name!r}; valid parameters: {', '.join(PARAMETERS)}", name
            )
        if name in seen:
            raise _invalid(f"query parameter {name!r} is given more than once; give it once", name)
        if _FORBIDDEN.search(value):
            raise _invalid(
                f"invalid {name} {value!r}: control characters and whitespace other "
                "than spaces are not allowed",
                name,
            )
        seen[name] = value
    return seen


def _flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _invalid(f"invalid {name} {raw!r}; valid values: true, false, 1, 0", name)


def _enum(field: str, raw: str | None, parameter: str) -> str | None:
    values, human = ENUM_FIELDS[field]
    if raw is not None and not raw.isascii():
        raise _invalid(
            f"invalid {human} {raw.strip()!r}; valid values: any, {', '.join(values)}", parameter
        )
    try:
        return normalize_enum(field, raw)
    except QueryError as exc:
        raise _invalid(str(exc), parameter) from None


def _service(seen: dict[str, str]) -> str | None:
    env = _enum("service", seen.get("env"), "env")
    service = _enum("service", seen.get("service"), "service")
    return service if service is not None else env


def parse_recipe_params(query_string: bytes) -> RecipeParams:
    """Validate the raw query string of a recipe request.

    Raises:
        InvalidRequestError: the message names the parameter and its valid values.
    """
    seen = _collect(query_string)
    values: dict[str, Any] = {}
    for field in FIELDS:
        raw = seen.get(field)
        if field == "service":
            values[field] = _service(seen)
        elif field in ENUM_FIELDS:
            values[field] = _enum(field, raw, field)
        else:
            try:
                values[field] = parse_version_field(field, raw)
            except QueryError as exc:
                raise _invalid(str(exc), field) from None
    query = Query(with_context=_flag("context", seen.get("context", "")), **values)
    return RecipeParams(query, _flag("strict", seen.get("strict", "")))
