"""What the loaded recipe data knows about each criterion: the values its overlays name.

``GET /v1/criteria`` lists every value the server accepts; this adds, per criterion, the
values (enum members, versions as written, node counts or ranges) that at least one overlay
key names, so a client can tell which choices change the recipe.
"""

from __future__ import annotations

from eidos.model.query import ENUM_FIELDS, FIELDS, NodeCount
from eidos.model.version import Version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from eidos.recipe.store import RecipeStore

__all__ = ["known_criteria"]


def _sort_key(field: str, value: object) -> tuple[object, ...]:
    if field in ENUM_FIELDS:
        assert isinstance(value, str)
        return (ENUM_FIELDS[field][0].index(value),)
    if isinstance(value, Version):
        return (value.major, value.minor, value.patch, value.precision, value.text)
    assert isinstance(value, NodeCount)
    return (value.count is None, value.count or 0, value.text)


def known_criteria(store: RecipeStore) -> dict[str, list[str]]:
    """Criterion -> the distinct values the store's overlay keys name, in a stable order.

    Enum values follow the accepted values' order, versions ascend, node counts ascend
    with ranges after them. Every criterion is present (an empty list when no overlay names it).
    """
    seen: dict[str, dict[str, object]] = {field: {} for field in FIELDS}
    for overlay in store.overlays:
        for field, value in overlay.key.fields().items():
            if value is None:
                continue
            text = value.text if isinstance(value, Version | NodeCount) else str(value)
            seen[field].setdefault(text, value)
    return {
        field: [text for text, _ in sorted(values.items(), key=lambda i: _sort_key(field, i[1]))]
        for field, values in seen.items()
    }
