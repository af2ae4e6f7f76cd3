"""Where the server gets recipes: any object with ``async build(query) -> Recipe``.

``EngineSource`` adapts the recipe engine shared with the CLI. A build takes tens of
microseconds, so it runs inline on the event loop rather than paying for a thread hop.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from eidos.model import Query, Recipe
from eidos.recipe import RecipeBuilder, RecipeStore
from eidos.recipe.catalog import known_criteria

__all__ = ["CriteriaSource", "EngineSource", "RecipeSource"]


class RecipeSource(Protocol):
    """Builds the recipe for a query."""

    async def build(self, query: Query) -> Recipe:
        """Return the recipe for ``query``."""
        ...


@runtime_checkable
class CriteriaSource(Protocol):
    """A source that can say which criterion values its data has overlays for."""

    def known_criteria(self) -> dict[str, list[str]]:
        """Criterion -> the values some overlay key names (``GET /v1/criteria``)."""
        ...


class EngineSource:
    """The recipe engine (``RecipeBuilder``) behind the ``RecipeSource`` protocol."""

    def __init__(self, builder: RecipeBuilder) -> None:
        self.builder = builder

    @classmethod
    def load(cls, data: str | None = None) -> EngineSource:
        """Load the embedded data (``None``) or a FILE/DIR; the server caches responses."""
        return cls(RecipeBuilder(RecipeStore.load(data), cache_size=0))

    async def build(self, query: Query) -> Recipe:
        """Build inline; the engine is pure and fast."""
        return self.builder.build(query)

    def known_criteria(self) -> dict[str, list[str]]:
        """The values the loaded data's overlay keys name, per criterion."""
        return known_criteria(self.builder.store)
