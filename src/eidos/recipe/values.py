"""Helm values: copy, deep-merge with provenance, and walk leaves (pure functions).

The merge rule (docs/recipe-data.md): mappings merge key by key, recursively (an empty
mapping changes nothing); anything else (scalars, lists, ``null``) in the overlay replaces
what was there, so a list is replaced as a whole, never appended to or merged by index
(Helm's own rule for values files). ``null`` stays in the values: Helm then drops the
chart's default for that key.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["copy_values", "leaf_paths", "merge_values", "set_path"]


def copy_values(value: Any) -> Any:
    """A deep copy of plain values data (dicts, lists, scalars); much faster than deepcopy."""
    if isinstance(value, dict):
        return {k: copy_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_values(v) for v in value]
    return value


def merge_values(
    into: dict[str, Any],
    overlay: dict[str, Any],
    *,
    source: str = "",
    context: dict[str, str] | None = None,
    prefix: str = "",
) -> None:
    """Merge ``overlay`` into ``into`` in place (see the module docstring).

    With ``context``, each leaf the overlay sets is recorded as ``path -> source`` and the
    leaves it replaces are forgotten.
    """
    for key, value in overlay.items():
        path = f"{prefix}{key}"
        mine = into.get(key)
        if isinstance(value, dict) and isinstance(mine, dict):
            if context is not None and value:
                context.pop(path, None)  # an empty mapping that now gets children
            merge_values(mine, value, source=source, context=context, prefix=path + ".")
            continue
        if context is not None:
            context.pop(path, None)
            _forget(context, path + ".")
            if isinstance(value, dict) and value:
                into[key] = {}
                merge_values(into[key], value, source=source, context=context, prefix=path + ".")
                continue
            context[path] = source
        into[key] = copy_values(value)


def _forget(context: dict[str, str], prefix: str) -> None:
    for path in [p for p in context if p.startswith(prefix)]:
        del context[path]


def leaf_paths(values: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted paths of every leaf (a scalar, a list, ``null`` or an empty mapping)."""
    out: list[str] = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.extend(leaf_paths(value, path + "."))
        else:
            out.append(path)
    return out


def set_path(values: dict[str, Any], path: str, value: Any) -> None:
    """Set ``a.b.c`` to ``value``, creating mappings on the way (replacing non-mappings)."""
    *parents, last = path.split(".")
    current = values
    for part in parents:
        child = current.get(part)
        if not isinstance(child, dict):
            child = current[part] = {}
        current = child
    current[last] = value
