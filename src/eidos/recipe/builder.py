"""Build recipes: base plus every matching overlay, least specific first.

The store is shared and never mutated; each build deep-copies the base. Built recipes
are cached per normalised query (bounded), so repeated queries cost a dictionary lookup.
"""

from __future__ import annotations

import time

from eidos import __version__
from eidos.model import Measurement, Query, Recipe
from eidos.recipe.store import RecipeStore

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

__all__ = ["RecipeBuilder"]


class RecipeBuilder:
    """Turns queries into recipes from one :class:`RecipeStore`.

    Args:
        store: the recipe data.
        version: written to ``recipe-version`` metadata.
        cache_size: how many distinct queries to keep built recipes for (0 disables).
    """

    def __init__(
        self, store: RecipeStore, *, version: str = __version__, cache_size: int = 512
    ) -> None:
        self.store = store
        self.version = version
        self.cache_size = cache_size
        self._cache: dict[tuple[object, ...], tuple[list[str], list[Measurement]]] = {}

    def build(self, query: Query, *, timestamp: datetime | None = None) -> Recipe:
        """Return the recipe for ``query`` (metadata stamped now, or at ``timestamp``)."""
        key = query.cache_key()
        hit = self._cache.get(key)
        if hit is None:
            hit = self._build(query)
            if self.cache_size:
                self._cache[key] = hit
                if len(self._cache) > self.cache_size:
                    self._cache.pop(next(iter(self._cache)))  # evict the oldest entry
        rules, measurements = hit
        if timestamp is None:
            when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        else:
            when = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        return Recipe(
            [m.copy() for m in measurements],
            request=query,
            matched_rules=list(rules),
            metadata={"recipe-timestamp": when, "recipe-version": self.version},
        )

    def _build(self, query: Query) -> tuple[list[str], list[Measurement]]:
        result = [m.copy() for m in self.store.base]
        by_type = {m.type: m for m in result}
        rules: list[str] = []
        for overlay in self.store.overlays:
            if not overlay.key.matches(query):
                continue
            rules.append(overlay.rule)
            for m in overlay.measurements:
                mine = by_type.get(m.type)
                if mine is None:
                    mine = m.copy()
                    by_type[m.type] = mine
                    result.append(mine)
                else:
                    mine.merge(m)
        if not query.with_context:
            for m in result:
                for sub in m.subtypes:
                    sub.context = {}
        return rules, result
