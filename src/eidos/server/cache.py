"""Encoded recipes kept by normalised query: a recipe is a pure function of its query.

Each entry holds the JSON bytes, a weak ETag over everything but the build timestamp
(stable across replicas and restarts for the same data), and whether only the base
matched. Bounded LRU; touched only from the event loop.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from eidos.model import Recipe
from eidos.server.responses import json_bytes

__all__ = ["EncodedRecipe", "RecipeCache", "etag_matches"]


@dataclass(frozen=True, slots=True)
class EncodedRecipe:
    """A recipe ready to send."""

    body: bytes
    etag: str
    base_only: bool

    @classmethod
    def encode(cls, recipe: Recipe) -> EncodedRecipe:
        """Serialize ``recipe`` once and fingerprint it."""
        doc = recipe.to_dict()
        stable: dict[str, Any] = dict(doc)
        stable["metadata"] = {
            k: v for k, v in doc.get("metadata", {}).items() if k != "recipe-timestamp"
        }
        digest = hashlib.sha256(json_bytes(stable)).hexdigest()[:32]
        return cls(json_bytes(doc), f'W/"{digest}"', not recipe.matched_rules)

    @classmethod
    def encode_value(cls, value: Any, *, base_only: bool) -> EncodedRecipe:
        """Serialize one selected value (``/v1/query``) and fingerprint it."""
        return cls.encode_value_bytes(json_bytes(value), base_only=base_only)

    @classmethod
    def encode_value_bytes(cls, body: bytes, *, base_only: bool = False) -> EncodedRecipe:
        """Fingerprint an already encoded JSON body."""
        return cls(body, f'W/"{hashlib.sha256(body).hexdigest()[:32]}"', base_only)


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison of ``If-None-Match`` (a list or ``*``) with ``etag`` (RFC 9110)."""
    opaque = etag.removeprefix("W/")
    for raw in if_none_match.split(","):
        candidate = raw.strip()
        if candidate == "*" or candidate.removeprefix("W/") == opaque:
            return True
    return False


class RecipeCache:
    """At most ``size`` encoded recipes, least recently used evicted first (0 = off)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], EncodedRecipe] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> EncodedRecipe | None:
        """The entry for ``key``, marked as recently used."""
        entry = self._items.get(key)
        if entry is not None:
            self._items.move_to_end(key)
        return entry

    def put(self, key: tuple[Any, ...], entry: EncodedRecipe) -> None:
        """Store ``entry``; evict the oldest beyond ``size``."""
        if self.size <= 0:
            return
        self._items[key] = entry
        if len(self._items) > self.size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
