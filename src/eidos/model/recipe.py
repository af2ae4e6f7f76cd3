"""Recipe: the request, the matched overlays, measurements, components and constraints.

Everything downstream (bundles, validation, queries) reads a recipe, never the recipe
data: ``componentRefs`` are complete (chart, values, paths), ``deploymentOrder`` lists
them dependencies first, and ``constraints`` are parsed and typed.
"""

from __future__ import annotations

from eidos.model.component import ComponentRef
from eidos.model.constraint import Constraint, ConstraintError
from eidos.model.header import KIND_RECIPE, Document, Header, read_header, read_measurements
from eidos.model.measurement import DocumentError, Measurement, Subtype
from eidos.model.query import Query, QueryError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Recipe"]


class Recipe(Document):
    """A configuration recipe (``kind: Recipe``)."""

    __slots__ = ("component_refs", "constraints", "deployment_order", "matched_rules", "request")

    def __init__(
        self,
        measurements: list[Measurement] | None = None,
        *,
        request: Query | None = None,
        matched_rules: list[str] | None = None,
        metadata: dict[str, str] | None = None,
        component_refs: list[ComponentRef] | None = None,
        deployment_order: list[str] | None = None,
        constraints: list[Constraint] | None = None,
    ) -> None:
        self.header = Header(KIND_RECIPE, metadata)
        self.request = request
        self.matched_rules: list[str] = matched_rules if matched_rules is not None else []
        self.measurements: list[Measurement] = measurements if measurements is not None else []
        self.component_refs: list[ComponentRef] = component_refs or []
        self.deployment_order: list[str] = deployment_order or []
        self.constraints: list[Constraint] = constraints or []

    def component(self, name: str) -> ComponentRef | None:
        """The component reference called ``name``, if the recipe has one."""
        for ref in self.component_refs:
            if ref.name == name:
                return ref
        return None

    def subtype(self, mtype: str, name: str) -> Subtype | None:
        """The subtype ``name`` of measurement ``mtype``, if both exist."""
        m = self.measurement(mtype)
        return m.subtype(name) if m is not None else None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Recipe):
            return NotImplemented
        return self._parts() == other._parts()

    def _parts(self) -> tuple[object, ...]:
        return (
            self.header,
            self.request,
            self.matched_rules,
            self.measurements,
            self.component_refs,
            self.deployment_order,
            self.constraints,
        )

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> dict[str, Any]:
        """Wire form: kind, apiVersion, metadata, request?, matchedRules?, measurements."""
        out = self.header.to_dict()
        if self.request is not None and (not self.request.is_empty() or self.request.with_context):
            out["request"] = self.request.to_dict()
        if self.matched_rules:
            out["matchedRules"] = list(self.matched_rules)
        out["measurements"] = [m.to_dict() for m in self.measurements]
        if self.component_refs:
            out["componentRefs"] = [ref.to_dict() for ref in self.component_refs]
            out["deploymentOrder"] = list(self.deployment_order)
        if self.constraints:
            context = self.request is not None and self.request.with_context
            out["constraints"] = [c.to_dict(with_context=context) for c in self.constraints]
        return out

    def query_view(self) -> dict[str, Any]:
        """The document ``eidos query`` selects from: components by name, measurements nested.

        ``components.<name>.values...``, ``deploymentOrder``, ``constraints``,
        ``measurements.<type>.<subtype>.<key>``, ``request``, ``matchedRules``, ``metadata``.
        """
        doc = self.to_dict()
        view: dict[str, Any] = {k: doc[k] for k in ("kind", "apiVersion") if k in doc}
        for key in ("metadata", "request", "matchedRules"):
            if key in doc:
                view[key] = doc[key]
        view["components"] = {
            ref["name"]: {k: v for k, v in ref.items() if k != "name"}
            for ref in doc.get("componentRefs", [])
        }
        view["deploymentOrder"] = doc.get("deploymentOrder", [])
        view["constraints"] = doc.get("constraints", [])
        measurements: dict[str, Any] = {}
        for m in self.measurements:
            mine = measurements.setdefault(m.type, {})
            for sub in m.subtypes:
                mine.setdefault(sub.name, {}).update(sorted(sub.data.items()))
        view["measurements"] = measurements
        return view

    @classmethod
    def from_dict(cls, raw: Any) -> Recipe:
        """Read and check a decoded recipe document.

        Raises:
            DocumentError: wrong kind or malformed content (the message says where).
        """
        header = read_header(raw, KIND_RECIPE)
        request = None
        if raw.get("request") is not None:
            try:
                request = Query.from_dict(raw["request"])
            except QueryError as exc:
                raise DocumentError(f"request: {exc}") from None
        rules = raw.get("matchedRules") or []
        if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
            raise DocumentError("matchedRules: expected a list of strings")
        recipe = cls(
            read_measurements(raw),
            request=request,
            matched_rules=list(rules),
            component_refs=_component_refs(raw),
            deployment_order=_order(raw),
            constraints=_constraints(raw),
        )
        recipe.header = header
        return recipe


def _component_refs(raw: dict[str, Any]) -> list[ComponentRef]:
    items = raw.get("componentRefs") or []
    if not isinstance(items, list):
        raise DocumentError("componentRefs: expected a list")
    refs = [ComponentRef.from_dict(r, f"componentRefs[{i}]") for i, r in enumerate(items)]
    names = [r.name for r in refs]
    for name in names:
        if names.count(name) > 1:
            raise DocumentError(f"componentRefs: {name!r} is listed more than once")
    return refs


def _order(raw: dict[str, Any]) -> list[str]:
    order = raw.get("deploymentOrder") or []
    if not isinstance(order, list) or not all(isinstance(n, str) for n in order):
        raise DocumentError("deploymentOrder: expected a list of component names")
    return list(order)


def _constraints(raw: dict[str, Any]) -> list[Constraint]:
    items = raw.get("constraints") or []
    if not isinstance(items, list):
        raise DocumentError("constraints: expected a list")
    try:
        return [Constraint.from_dict(c, f"constraints[{i}]") for i, c in enumerate(items)]
    except ConstraintError as exc:
        raise DocumentError(str(exc)) from None
