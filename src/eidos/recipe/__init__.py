"""The recipe engine: store, builder and snapshot-to-query inference."""

from eidos.recipe.builder import RecipeBuilder
from eidos.recipe.from_snapshot import Inference, infer_query, query_from_snapshot
from eidos.recipe.store import EMBEDDED_DATA, RecipeStore

__all__ = [
    "EMBEDDED_DATA",
    "Inference",
    "RecipeBuilder",
    "RecipeStore",
    "infer_query",
    "query_from_snapshot",
]
