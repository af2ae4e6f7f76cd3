"""The recipe engine: store, builder and snapshot-to-query inference.

The snapshot inference loads on first use (``eidos recipe`` with criteria never needs it),
as ``eidos.serializer`` does for its protocols.
"""

from eidos.recipe.builder import RecipeBuilder
from eidos.recipe.store import EMBEDDED_DATA, RecipeStore

TYPE_CHECKING = False
if TYPE_CHECKING:
    from eidos.recipe.from_snapshot import Inference, infer_query, query_from_snapshot

_FROM_SNAPSHOT = ("Inference", "infer_query", "query_from_snapshot")


def __getattr__(name: str) -> object:
    if name in _FROM_SNAPSHOT:
        from eidos.recipe import from_snapshot

        return getattr(from_snapshot, name)
    raise AttributeError(f"module 'eidos.recipe' has no attribute {name!r}")


__all__ = [
    "EMBEDDED_DATA",
    "Inference",
    "RecipeBuilder",
    "RecipeStore",
    "infer_query",
    "query_from_snapshot",
]
