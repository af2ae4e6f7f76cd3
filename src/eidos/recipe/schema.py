"""Read one recipe data document into checked parts (the store combines them).

Checked here, with the file and the entry named (exit 5): mapping keys are strings,
measurement types are known, no type twice in one list and no subtype twice in one
measurement, no overlay key twice, no component or constraint path twice in one list.

The embedded data is checked the same way when it is built (``tools/gen_data.py``) and by
the test suite; at start-up it is read ``trusted``: the whole-document checks are skipped,
registry entries and constraints are taken as written, and an overlay's body is parsed
when a recipe first matches it, so start-up work follows what a recipe uses. (Two threads
that match a fresh overlay at once both parse it; either result is the same.)
"""

from __future__ import annotations

from eidos.model import Constraint, ConstraintError, DocumentError, Measurement, Query, QueryError
from eidos.model.measurement import MEASUREMENT_TYPES
from eidos.recipe.compose import BASE_LABEL
from eidos.recipe.registry import Component, ComponentPatch

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["BASE_LABEL", "DataSet", "Overlay", "read_data"]

_TOP = ("base", "overlays", "components")
_BODY = ("types", "componentRefs", "constraints")


class Overlay:
    """One overlay: its rule (``key``), where it came from, and what it adds.

    From trusted data the body (measurements, component references, constraints) is kept
    as read and parsed the first time a recipe matches the overlay.
    """

    __slots__ = ("_body", "_raw", "_rule", "index", "key", "origin")

    def __init__(
        self,
        key: Query,
        measurements: list[Measurement],
        index: int,
        *,
        patches: list[ComponentPatch] | None = None,
        constraints: list[Constraint] | None = None,
        origin: str = "",
        raw: dict[str, Any] | None = None,
    ) -> None:
        self.key = key
        self.index = index
        self.origin = origin
        self._raw = raw
        self._rule: str | None = None
        self._body: tuple[list[Measurement], list[ComponentPatch], list[Constraint]] | None = None
        if raw is None:
            self._body = (measurements, patches or [], constraints or [])

    def _parsed(self) -> tuple[list[Measurement], list[ComponentPatch], list[Constraint]]:
        if self._body is None:
            raw = self._raw or {}
            where = f"overlays[{self.index}]"
            self._body = (
                _measurements(raw.get("types"), f"{where}.types", trusted=True),
                _patches(raw.get("componentRefs"), f"{where}.componentRefs"),
                _constraints(
                    raw.get("constraints"), f"{where}.constraints", self.label, trusted=True
                ),
            )
        return self._body

    @property
    def measurements(self) -> list[Measurement]:
        """The measurements the overlay merges into a recipe."""
        return self._parsed()[0]

    @property
    def patches(self) -> list[ComponentPatch]:
        """The overlay's component references."""
        return self._parsed()[1]

    @property
    def constraints(self) -> list[Constraint]:
        """The overlay's constraints (each replaces the one on its path)."""
        return self._parsed()[2]

    @property
    def rule(self) -> str:
        """The ``matchedRules`` entry of this overlay."""
        if self._rule is None:
            self._rule = self.key.rule_string()
        return self._rule

    @property
    def label(self) -> str:
        """How ``--context`` names this overlay: ``overlay service=eks, gpu=h100``."""
        return f"overlay {self.key.criteria_string()}"


class DataSet:
    """The parts of one data document (or several merged): all lists in file order."""

    __slots__ = (
        "base",
        "base_constraints",
        "base_patches",
        "components",
        "has_base",
        "origin",
        "overlays",
    )

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.has_base = False
        self.base: list[Measurement] = []
        self.base_patches: list[ComponentPatch] = []
        self.base_constraints: list[Constraint] = []
        self.overlays: list[Overlay] = []
        self.components: dict[str, Component] = {}


def _fail(origin: str, message: str) -> DocumentError:
    return DocumentError(f"{origin}: {message}")


def check_keys(raw: Any, origin: str) -> None:
    """Refuse a mapping key that is not a string anywhere in ``raw`` (iterative walk)."""
    stack: list[tuple[Any, str]] = [(raw, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if not isinstance(key, str):
                    place = where or "the top level"
                    raise _fail(
                        origin,
                        f"{place}: key {key!r} is a {type(key).__name__}; "
                        "keys must be strings (quote it)",
                    )
                stack.append((value, f"{where}.{key}" if where else key))
        elif isinstance(node, list):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(node))


def _measurements(raw: Any, where: str, *, trusted: bool = False) -> list[Measurement]:
    if raw is None:
        return []
    if trusted:
        return [Measurement.adopt(item) for item in raw]
    if not isinstance(raw, list):
        raise DocumentError(f"{where}: expected a list of measurements")
    out: list[Measurement] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        m = Measurement.from_dict(item, f"{where}[{i}]")
        if m.type not in MEASUREMENT_TYPES:
            raise DocumentError(
                f"{where}[{i}]: unknown measurement type {m.type!r}; "
                f"known types: {', '.join(MEASUREMENT_TYPES)}"
            )
        if m.type in seen:
            raise DocumentError(f"{where}[{i}]: type {m.type} is already {where}[{seen[m.type]}]")
        seen[m.type] = i
        names = [s.name for s in m.subtypes]
        for j, name in enumerate(names):
            if name in names[:j]:
                raise DocumentError(f"{where}[{i}] ({m.type}): subtype {name!r} appears twice")
        out.append(m)
    return out


def _patches(raw: Any, where: str) -> list[ComponentPatch]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise DocumentError(f"{where}: expected a list of component references")
    patches = [ComponentPatch(item, f"{where}[{i}]") for i, item in enumerate(raw)]
    names = [p.name for p in patches]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise DocumentError(f"{where}[{i}]: component {name!r} appears twice in this list")
    return patches


def _constraints(raw: Any, where: str, source: str, *, trusted: bool = False) -> list[Constraint]:
    if raw is None:
        return []
    if trusted:
        return [Constraint.adopt(item, source) for item in raw]
    if not isinstance(raw, list):
        raise DocumentError(f"{where}: expected a list of constraints")
    out: list[Constraint] = []
    for i, item in enumerate(raw):
        try:
            constraint = Constraint.from_dict(item, f"{where}[{i}]")
        except ConstraintError as exc:
            raise DocumentError(str(exc)) from None
        if any(c.path == constraint.path for c in out):
            raise DocumentError(
                f"{where}[{i}]: a second constraint on {constraint.path}; write a range in "
                "one check instead (e.g. '>= 1.30, < 1.35')"
            )
        constraint.source = source
        out.append(constraint)
    return out


def _body(
    raw: dict[str, Any], where: str, allowed: tuple[str, ...], source: str
) -> tuple[Any, ...]:
    """Measurements, component references and constraints of the base or an overlay."""
    unknown = [str(k) for k in raw if k not in allowed]
    if unknown:
        raise DocumentError(
            f"{where}: unknown field(s) {', '.join(unknown)}; valid: {', '.join(allowed)}"
        )
    return (
        _measurements(raw.get("types"), f"{where}.types"),
        _patches(raw.get("componentRefs"), f"{where}.componentRefs"),
        _constraints(raw.get("constraints"), f"{where}.constraints", source),
    )


def _overlay(raw: Any, index: int, origin: str, trusted: bool) -> Overlay:
    where = f"overlays[{index}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("key"), dict):
        raise DocumentError(f"{where}: expected a mapping with 'key' and 'types'")
    try:
        key = Query.from_dict(raw["key"], rule=True)
    except QueryError as exc:
        raise DocumentError(f"{where}.key: {exc}") from None
    if trusted:
        return Overlay(key, [], index, origin=origin, raw=raw)
    label = f"overlay {key.criteria_string()}"
    types, patches, constraints = _body(raw, where, ("key", *_BODY), label)
    return Overlay(key, types, index, patches=patches, constraints=constraints, origin=origin)


def read_data(raw: Any, origin: str, *, trusted: bool = False) -> DataSet:
    """Check and split one decoded data document (``trusted``: see the module docstring).

    Raises:
        DocumentError: the message starts with ``origin`` and names the entry.
    """
    if not isinstance(raw, dict) or not any(k in raw for k in _TOP):
        what = f"a {raw['kind']} document" if isinstance(raw, dict) and raw.get("kind") else None
        if what is None:
            what = "a mapping without them" if isinstance(raw, dict) else f"a {type(raw).__name__}"
        raise _fail(
            origin, f"recipe data must be a mapping with base, overlays or components, got {what}"
        )
    if not trusted:
        check_keys(raw, origin)
    unknown = [k for k in raw if k not in _TOP]
    if unknown:
        raise _fail(
            origin, f"unknown top-level field(s) {', '.join(unknown)}; valid: {', '.join(_TOP)}"
        )
    data = DataSet(origin)
    try:
        _read_into(data, raw, origin, trusted)
    except DocumentError as exc:
        raise _fail(origin, str(exc)) from None
    return data


def _read_into(data: DataSet, raw: dict[str, Any], origin: str, trusted: bool) -> None:
    if "base" in raw:
        data.has_base = True
        base = raw["base"]
        if trusted:
            data.base = _measurements(base["types"], "base", trusted=True)
            data.base_patches = _patches(base.get("componentRefs"), "base.componentRefs")
            data.base_constraints = _constraints(
                base.get("constraints"), "base.constraints", BASE_LABEL, trusted=True
            )
        elif isinstance(base, dict):
            data.base, data.base_patches, data.base_constraints = _body(
                base, "base", _BODY, BASE_LABEL
            )
        else:
            data.base = _measurements(base, "base")
    components = raw.get("components") or []
    if not isinstance(components, list):
        raise DocumentError("components: expected a list of component entries")
    for i, item in enumerate(components):
        component = Component(item, f"components[{i}]", trusted=trusted)
        if component.name in data.components:
            raise DocumentError(f"components[{i}]: component {component.name!r} is defined twice")
        data.components[component.name] = component
    overlays = raw.get("overlays") or []
    if not isinstance(overlays, list):
        raise DocumentError("overlays: expected a list")
    seen: dict[tuple[Any, ...], int] = {}
    for i, item in enumerate(overlays):
        overlay = _overlay(item, i, origin, trusted)
        if trusted:
            data.overlays.append(overlay)
            continue
        key = overlay.key.cache_key()
        if key in seen:
            raise DocumentError(
                f"overlays[{i}]: same key as overlays[{seen[key]}] "
                f"({overlay.key.criteria_string()}); merge the two"
            )
        seen[key] = i
        data.overlays.append(overlay)
