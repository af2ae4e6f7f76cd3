"""Compose a recipe's components and constraints from the base and the matching overlays.

Components: the base's ``componentRefs`` and then each matching overlay's, least specific
first. The first reference to a component starts from its registry entry; every further
one merges its values (``values.merge_values``), adds dependencies, may change version or
namespace, and ``enabled: false`` drops it (a later overlay may bring it back). Then the
chart version and the ``valuesFrom`` values are read from the recipe's measurements, the
node count is written where ``paths.nodeCount`` says, and the components are sorted
dependencies first. Constraints: keyed by path; a later overlay replaces an earlier one.
"""

from __future__ import annotations

from eidos.errors import RecipeError
from eidos.model import Chart, ComponentRef, Constraint, Measurement, Query
from eidos.recipe.order import CycleError, deployment_order
from eidos.recipe.schema import BASE_LABEL
from eidos.recipe.values import copy_values, merge_values, set_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from eidos.recipe.registry import Component, ComponentPatch
    from eidos.recipe.schema import Overlay
    from eidos.recipe.store import RecipeStore

__all__ = ["REGISTRY_LABEL", "compose_components", "compose_constraints"]

REGISTRY_LABEL = "registry"
_NODES_LABEL = "criteria nodes"


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
        self.why = ""

    def apply(self, patch: ComponentPatch, label: str) -> None:
        self.enabled = patch.enabled
        self.why = label
        if patch.values:
            merge_values(self.values, patch.values, source=label, context=self.context)
        self.deps.extend(d for d in patch.dependencies if d not in self.deps)
        if patch.version is not None:
            self.version = patch.version
        if patch.namespace is not None:
            self.namespace = patch.namespace


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
        paths=copy_values(component.paths),
        manifests=copy_values(component.manifests),
        context=draft.context or {},
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
    steps = [(BASE_LABEL, p) for p in store.base_patches]
    steps += [(o.label, p) for o in overlays for p in o.patches]
    for label, patch in steps:
        draft = drafts.get(patch.name)
        if draft is None:
            draft = drafts[patch.name] = _Draft(store.components[patch.name], query.with_context)
        draft.apply(patch, label)
    live = {name: d for name, d in drafts.items() if d.enabled}
    for name, draft in live.items():
        for dep in draft.deps:
            if dep not in live:
                reason = f"{drafts[dep].why} turned it off" if dep in drafts else "none selects it"
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
