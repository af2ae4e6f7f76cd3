"""Build recipes: base plus every matching overlay, least specific first.

The store is shared and never mutated; each build copies what it returns. Built recipes
are cached per normalised query (bounded), so repeated queries cost a dictionary lookup
and the copies.
"""

from __future__ import annotations

import time

from eidos import __version__
from eidos.model import ComponentRef, Constraint, Measurement, Query, Recipe
from eidos.recipe.compose import compose_components, compose_constraints, copy_paths, copy_values
from eidos.recipe.store import RecipeStore

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

__all__ = ["RecipeBuilder"]


class _Built:
    """What a query builds, before per-request copies and metadata."""

    __slots__ = ("constraints", "measurements", "order", "refs", "rules")

    def __init__(
        self,
        rules: list[str],
        measurements: list[Measurement],
        refs: list[ComponentRef],
        order: list[str],
        constraints: list[Constraint],
    ) -> None:
        self.rules = rules
        self.measurements = measurements
        self.refs = refs
        self.order = order
        self.constraints = constraints


def _copy_ref(ref: ComponentRef) -> ComponentRef:
    return ComponentRef(
        ref.name,
        type=ref.type,
        chart=ref.chart,
        namespace=ref.namespace,
        values=copy_values(ref.values),
        dependency_refs=list(ref.dependency_refs),
        paths=copy_paths(ref.paths),
        manifests=copy_values(ref.manifests),
        context=dict(ref.context),
    )


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
        self._cache: dict[tuple[object, ...], _Built] = {}

    def build(self, query: Query, *, timestamp: datetime | None = None) -> Recipe:
        """Return the recipe for ``query`` (metadata stamped now, or at ``timestamp``).

        Raises:
            RecipeError: the matching overlays leave a component without a dependency, or
                a chart version's measurement is missing.
        """
        key = query.cache_key()
        built = self._cache.get(key)
        if built is None:
            built = self._build(query)
            if self.cache_size:
                self._cache[key] = built
                if len(self._cache) > self.cache_size:
                    self._cache.pop(next(iter(self._cache)))  # evict the oldest entry
            fresh = True
        else:
            fresh = False
        if timestamp is None:
            when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        else:
            when = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        cached = self.cache_size or not fresh
        return Recipe(
            [m.copy() for m in built.measurements] if cached else built.measurements,
            request=query,
            matched_rules=list(built.rules),
            metadata={"recipe-timestamp": when, "recipe-version": self.version},
            component_refs=[_copy_ref(r) for r in built.refs] if cached else built.refs,
            deployment_order=list(built.order),
            constraints=list(built.constraints),
        )

    def _build(self, query: Query) -> _Built:
        result = [m.copy() for m in self.store.base]
        by_type = {m.type: m for m in result}
        rules: list[str] = []
        matched = []
        for overlay in self.store.overlays:
            if not overlay.key.matches(query):
                continue
            matched.append(overlay)
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
        refs, order = compose_components(self.store, matched, result, query)
        return _Built(rules, result, refs, order, compose_constraints(self.store, matched))
