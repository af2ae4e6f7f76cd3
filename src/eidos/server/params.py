"""``GET /v1/recipe`` and ``/v1/query`` parameters -> a validated ``Query`` and flags.

Stricter than the reference on purpose (no silent wrong recipes): unknown and repeated
parameters are 400s, and boolean flags accept only true/false/1/0. ``env`` is an alias
of ``service`` (as in the reference) and ``accelerator`` of ``gpu`` (the Go peer's name),
each used when the main parameter is absent or empty. ``/v1/query`` also takes
``selector`` (required).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from eidos.errors import InvalidRequestError
from eidos.model.query import (
    ALIASES,
    ENUM_FIELDS,
    FIELDS,
    Query,
    QueryError,
    normalize_enum,
    parse_nodes,
    parse_version_field,
)

__all__ = [
    "FLAGS",
    "FORBIDDEN",
    "PARAMETERS",
    "QUERY_PARAMETERS",
    "RecipeParams",
    "parse_recipe_params",
]

#: Boolean parameters: name -> meaning.
FLAGS = {
    "context": "include the explanation of every value",
    "strict": "404 NOT_FOUND when no overlay matches (only the base would apply)",
}
#: Every accepted parameter, in documentation order (each alias right after its field).
PARAMETERS = tuple(
    name
    for field in (*FIELDS, *FLAGS)
    for name in (field, *(a for a, f in ALIASES.items() if f == field))
)
#: ``/v1/query`` takes the recipe parameters plus the selector.
QUERY_PARAMETERS = (*PARAMETERS, "selector")
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
    selector: str | None = None


def _invalid(message: str, parameter: str) -> InvalidRequestError:
    return InvalidRequestError(message, details={"parameter": parameter})


def _collect(query_string: bytes, accepted: tuple[str, ...] = PARAMETERS) -> dict[str, str]:
    try:
        pairs = parse_qsl(
            query_string.decode("latin-1"), keep_blank_values=True, max_num_fields=_MAX_FIELDS
        )
    except ValueError:
        raise InvalidRequestError(f"too many query parameters (at most {_MAX_FIELDS})") from None
    seen: dict[str, str] = {}
    for name, value in pairs:
        if name not in accepted:
            raise _invalid(
                f"unknown query parameter {name!r}; valid parameters: {', '.join(accepted)}", name
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


def _aliased(field: str, seen: dict[str, str]) -> str | None:
    """An enum field's value, from its alias when the field itself is absent or empty."""
    value = _enum(field, seen.get(field), field)
    for alias, target in ALIASES.items():
        if target == field:
            other = _enum(field, seen.get(alias), alias)  # validated even when unused
            value = other if value is None else value
    return value


def _field(field: str, seen: dict[str, str]) -> Any:
    if field in ENUM_FIELDS:
        return _aliased(field, seen)
    try:
        if field == "nodes":
            return parse_nodes(seen.get(field))
        return parse_version_field(field, seen.get(field))
    except QueryError as exc:
        raise _invalid(str(exc), field) from None


def parse_recipe_params(query_string: bytes, *, selector: bool = False) -> RecipeParams:
    """Validate the raw query string of a recipe (or, with ``selector``, a query) request.

    Raises:
        InvalidRequestError: the message names the parameter and its valid values.
    """
    seen = _collect(query_string, QUERY_PARAMETERS if selector else PARAMETERS)
    values = {field: _field(field, seen) for field in FIELDS}
    query = Query(with_context=_flag("context", seen.get("context", "")), **values)
    path = None
    if selector:
        path = seen.get("selector", "").strip()
        if not path:
            raise _invalid(
                "missing selector: give a dot path such as "
                "components.gpu-operator.chart.version, or '.' for the whole recipe",
                "selector",
            )
    return RecipeParams(query, _flag("strict", seen.get("strict", "")), path)
