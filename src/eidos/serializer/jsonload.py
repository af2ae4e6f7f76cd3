"""Strict JSON reading: duplicate keys refused (with their line), nesting bounded.

The stdlib decoder keeps the last of two equal keys, so ``{"kind": "Recipe", "kind":
"Snapshot"}`` would silently be a Snapshot; here it is an error that names the key and the
line. Locating the line takes a second, slow pass that runs only when a duplicate exists.
"""

from __future__ import annotations

import json

from eidos.serializer.limits import MAX_DEPTH, check_depth, too_deep

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~4 ms of a cold ``eidos bundle`` of a JSON recipe
    from typing import Any

__all__ = ["JsonLoadError", "load_json"]


class JsonLoadError(ValueError):
    """A JSON text that is malformed (``syntax``) or has duplicate keys."""

    def __init__(self, message: str, *, syntax: bool = False) -> None:
        super().__init__(message)
        self.syntax = syntax


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return obj


def load_json(text: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse one JSON document.

    Raises:
        JsonLoadError: malformed JSON or a duplicate key (``line L, column C: duplicate key
            'k' (first on line F)``).
        DocumentLimitError: nested deeper than ``max_depth``.
    """
    try:
        doc = json.loads(text, object_pairs_hook=_unique)
    except json.JSONDecodeError as exc:
        raise JsonLoadError(str(exc), syntax=True) from None
    except RecursionError:
        raise too_deep(max_depth) from None
    except _DuplicateKey as exc:
        raise JsonLoadError(_first_duplicate(text) or f"duplicate key {exc.key!r}") from None
    check_depth(doc, max_depth)
    return doc


def _first_duplicate(text: str) -> str | None:
    """Describe the first repeated key in document order and where it is (no recursion).

    Containers are tracked on a stack; strings and scalars are decoded by the stdlib
    (``raw_decode``), so escapes are handled exactly as in the real parse.
    """
    decoder = json.JSONDecoder()
    stack: list[dict[str, int] | None] = []  # key -> line per open object, None per array
    expect_key = False
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char in "{[":
            stack.append({} if char == "{" else None)
            expect_key = char == "{"
        elif char in "}]":
            stack.pop()
        elif char == ",":
            expect_key = bool(stack) and stack[-1] is not None
        elif char == ":":
            expect_key = False
        elif not char.isspace():
            value, end = decoder.raw_decode(text, pos)
            keys = stack[-1] if stack else None
            if expect_key and keys is not None and isinstance(value, str):
                line = text.count("\n", 0, pos) + 1
                if value in keys:
                    column = pos - text.rfind("\n", 0, pos)
                    return (
                        f"line {line}, column {column}: duplicate key {value!r} "
                        f"(first on line {keys[value]})"
                    )
                keys[value] = line
            pos = end
            continue
        pos += 1
    return None
