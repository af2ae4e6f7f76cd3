"""Limits every document eidos reads obeys, whatever its format or source.

A document may be at most :data:`MAX_DOCUMENT_BYTES` long, also once YAML aliases are
expanded, and nest at most :data:`MAX_DEPTH` levels (a snapshot nests 5, recipe data 6): a
deeper one would exhaust the parsers' and the model's recursion long before it means
anything. Both are checked without recursion.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MAX_DEPTH", "MAX_DOCUMENT_BYTES", "DocumentLimitError", "check_depth", "too_deep"]

#: Largest document eidos reads, in bytes (a full snapshot is ~80 KB; ConfigMaps cap at 1 MiB).
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
#: Deepest nesting of mappings and lists a document may have.
MAX_DEPTH = 100


class DocumentLimitError(ValueError):
    """A document past a size or nesting limit (the message names the limit)."""


def too_deep(limit: int = MAX_DEPTH) -> DocumentLimitError:
    """The error for a document nested deeper than ``limit``."""
    return DocumentLimitError(
        f"document refused: nested deeper than {limit} levels (the nesting limit)"
    )


_SCALARS = frozenset({str, int, float, bool, type(None)})


def check_depth(doc: Any, limit: int = MAX_DEPTH) -> None:
    """Refuse a decoded tree of dicts and lists that nests deeper than ``limit``.

    Level by level, so the cost is one visit per container whatever the depth.

    Raises:
        DocumentLimitError: too deep.
    """
    level = [doc] if isinstance(doc, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            raise too_deep(limit)
        below: list[Any] = []
        for node in level:
            # a set lookup skips the scalars (most of a snapshot) before the isinstance
            below += [
                c
                for c in (node.values() if isinstance(node, dict) else node)
                if type(c) not in _SCALARS and isinstance(c, dict | list)
            ]
        level = below
