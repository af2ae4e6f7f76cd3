"""Compose a recipe's components and constraints from the base and the matching overlays.

Helm values merge by Helm's own rule: mappings merge key by key, recursively (an empty
mapping changes nothing); anything else (scalars, lists, ``null``) in the overlay replaces
what was there, so a list is replaced as a whole, never appended to or merged by index.
``null`` stays in the values: Helm then drops the chart's default for that key.

The deployment order is Kahn's: dependencies first; among components ready at the same
time the name decides, so the same set of components always gives the same order. A cycle
is reported as the chain that closes it (``a -> b -> c -> a``).

Components: the base's ``componentRefs`` and then each matching overlay's, least specific
first. The first reference to a component starts from its registry entry; every further
one merges its values (:func:`merge_values`), adds dependencies, may change version or
namespace, and ``enabled: false`` drops it (a later overlay may bring it back). Then the
chart version and the ``valuesFrom`` values are read from the recipe's measurements, the
node count is written where ``paths.nodeCount`` says, and the components are sorted
dependencies first. Constraints: keyed by path; a later overlay replaces an earlier one.
"""

from __future__ import annotations

from eidos.errors import RecipeError
from eidos.model import Chart, ComponentRef, Constraint, Measurement, Query

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from eidos.recipe.registry import Component, ComponentPatch
    from eidos.recipe.schema import Overlay
    from eidos.recipe.store import RecipeStore

__all__ = [
    "BASE_LABEL",
    "REGISTRY_LABEL",
    "CycleError",
    "compose_components",
    "compose_constraints",
    "copy_paths",
    "copy_values",
    "deployment_order",
    "find_cycle",
    "leaf_paths",
    "merge_values",
    "set_path",
]

BASE_LABEL = "base"
REGISTRY_LABEL = "registry"
_NODES_LABEL = "criteria nodes"

# --- Helm values ---------------------------------------------------------------------------


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


def copy_paths(paths: dict[str, Any]) -> dict[str, Any]:
    """A copy of a component's ``paths`` (lists of values paths, or of image mappings)."""
    return {
        kind: [copy_values(item) if isinstance(item, dict) else item for item in items]
        for kind, items in paths.items()
    }


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


# --- deployment order ----------------------------------------------------------------------


class CycleError(ValueError):
    """The dependencies form a cycle; ``chain`` lists it, first name repeated at the end."""

    def __init__(self, chain: list[str]) -> None:
        super().__init__("dependency cycle: " + " -> ".join(chain))
        self.chain = chain


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """A cycle in ``graph`` (name -> dependencies) as a closed chain, or ``None``.

    Dependencies that are not keys of ``graph`` are ignored here (checked elsewhere).
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in sorted(graph):
        if state.get(root):
            continue
        path: list[str] = [root]
        stack: list[list[str]] = [sorted(graph[root], reverse=True)]
        state[root] = 1
        while stack:
            pending = stack[-1]
            if not pending:
                state[path.pop()] = 2
                stack.pop()
                continue
            nxt = pending.pop()
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(sorted(graph[nxt], reverse=True))
    return None


def deployment_order(graph: dict[str, list[str]]) -> list[str]:
    """Every key of ``graph`` (name -> dependencies), dependencies first.

    Raises:
        CycleError: the dependencies among the keys form a cycle.
    """
    waiting = {name: {d for d in deps if d in graph and d != name} for name, deps in graph.items()}
    for name, deps in graph.items():
        if name in deps:
            raise CycleError([name, name])
    dependents: dict[str, list[str]] = {name: [] for name in graph}
    for name, needs in waiting.items():
        for dep in needs:
            dependents[dep].append(name)
    ready = sorted((name for name, deps in waiting.items() if not deps), reverse=True)
    order: list[str] = []
    while ready:
        name = ready.pop()  # the smallest name; recipes hold a few dozen components at most
        order.append(name)
        for child in dependents[name]:
            waiting[child].discard(name)
            if not waiting[child]:
                ready.append(child)
                ready.sort(reverse=True)
    if len(order) < len(graph):
        rest = {n: sorted(waiting[n]) for n in graph if n not in order}
        chain = find_cycle(rest)
        raise CycleError(chain or sorted(rest))
    return order


# --- components and constraints ------------------------------------------------------------


class _Draft:
    """A component being composed."""

    __slots__ = ("component", "context", "deps", "enabled", "namespace", "values", "version", "why")

    def __init__(self, component: Component, with_context: bool) -> None:
        self.component = component
        self.values = copy_values(component.values)
        self.context: dict[str, str] | None = None
        if with_context:
            self.context = {}
            merge_values({}, component.values, source=REGISTRY_LABEL, context=self.context)
        self.deps = list(component.dependencies)
        self.enabled = True
        self.namespace = component.namespace
        self.version = component.version
        self.why: Overlay | None = None

    def apply(self, patch: ComponentPatch, overlay: Overlay | None) -> None:
        self.enabled = patch.enabled
        self.why = overlay
        if patch.values:
            label = "" if self.context is None else _label(overlay)
            merge_values(self.values, patch.values, source=label, context=self.context)
        self.deps.extend(d for d in patch.dependencies if d not in self.deps)
        if patch.version is not None:
            self.version = patch.version
        if patch.namespace is not None:
            self.namespace = patch.namespace


def _label(overlay: Overlay | None) -> str:
    return BASE_LABEL if overlay is None else overlay.label


def _measurement(measurements: list[Measurement], key: tuple[str, str, str]) -> object:
    mtype, subtype, name = key
    for m in measurements:
        if m.type == mtype:
            sub = m.subtype(subtype)
            if sub is not None and name in sub.data:
                return sub.data[name]
    return None


def _ref(draft: _Draft, measurements: list[Measurement], query: Query) -> ComponentRef:
    component = draft.component
    chart = None
    if component.type == "helm":
        version = draft.version
        if component.version_from:
            found = _measurement(measurements, component.version_key())
            if not isinstance(found, str) or not found:
                raise RecipeError(
                    f"component {component.name} takes its chart version from "
                    f"{component.version_from}, which this recipe does not have"
                )
            version = found
        chart = Chart(component.repository, component.chart_name, version)
    for path, key in component.values_from.items():
        found = _measurement(measurements, key)
        if found is not None:
            set_path(draft.values, path, found)
            if draft.context is not None:
                draft.context[path] = "measurement " + "/".join(key)
    nodes = query.nodes.count if query.nodes is not None else None
    if nodes is not None:
        for path in component.paths.get("nodeCount", ()):
            set_path(draft.values, path, nodes)
            if draft.context is not None:
                draft.context[path] = _NODES_LABEL
    return ComponentRef(
        component.name,
        type=component.type,
        chart=chart,
        namespace=draft.namespace,
        values=draft.values,
        dependency_refs=list(draft.deps),
        paths=copy_paths(component.paths),
        manifests=copy_values(component.manifests),
        context=draft.context or {},
        crds=list(component.crds),
        webhooks=list(component.webhooks),
    )


def compose_components(
    store: RecipeStore, overlays: list[Overlay], measurements: list[Measurement], query: Query
) -> tuple[list[ComponentRef], list[str]]:
    """The recipe's component references (in deployment order) and that order.

    Raises:
        RecipeError: a component depends on one the recipe does not have, or a chart
            version measurement is missing (the message names the chain).
    """
    drafts: dict[str, _Draft] = {}
    steps: list[tuple[Overlay | None, ComponentPatch]] = [(None, p) for p in store.base_patches]
    steps += [(o, p) for o in overlays for p in o.patches]
    for overlay, patch in steps:
        draft = drafts.get(patch.name)
        if draft is None:
            draft = drafts[patch.name] = _Draft(store.components[patch.name], query.with_context)
        draft.apply(patch, overlay)
    live = {name: d for name, d in drafts.items() if d.enabled}
    for name, draft in live.items():
        for dep in draft.deps:
            if dep not in live:
                reason = (
                    f"{_label(drafts[dep].why)} turned it off"
                    if dep in drafts
                    else "none selects it"
                )
                raise RecipeError(
                    f"component {name} depends on {dep}, which this recipe does not have "
                    f"({reason}): {name} -> {dep}"
                )
    try:
        order = deployment_order({name: d.deps for name, d in live.items()})
    except CycleError as exc:  # pragma: no cover - the store refuses cyclic data
        raise RecipeError(str(exc)) from None
    return [_ref(live[name], measurements, query) for name in order], order


def compose_constraints(store: RecipeStore, overlays: list[Overlay]) -> list[Constraint]:
    """The recipe's constraints: the base's, replaced path by path by each overlay's."""
    chosen: dict[str, Constraint] = {c.path: c for c in store.base_constraints}
    for overlay in overlays:
        for constraint in overlay.constraints:
            chosen[constraint.path] = constraint
    return list(chosen.values())
