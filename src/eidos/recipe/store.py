"""The recipe store: registry, base and overlays, loaded once and never mutated.

Embedded data ships as ``data/*.yaml`` and, for start-up speed, as the generated module
``_compiled.py`` (a Python literal, byte-compiled at install; ``make data`` regenerates it
and ``make lint`` keeps the two in sync). ``--data FILE|DIR`` reads YAML or JSON (a
directory's ``*.yaml|*.yml|*.json`` files in name order): data **with** a ``base``
replaces the embedded data (the reference's ``data-v1.yaml`` loads unchanged); data
**without** one extends it with site-local components and overlays.
"""

from __future__ import annotations

import os

from eidos.errors import RecipeError
from eidos.model import DocumentError, Measurement
from eidos.recipe.compose import find_cycle, leaf_paths
from eidos.recipe.registry import overlapping
from eidos.recipe.schema import DataSet, Overlay, read_data

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from eidos.model import Constraint
    from eidos.recipe.registry import Component, ComponentPatch

__all__ = ["EMBEDDED_DATA", "Overlay", "RecipeStore"]

EMBEDDED_DATA = os.path.join(os.path.dirname(__file__), "data")
_EMBEDDED = "embedded recipe data"


class RecipeStore:
    """Immutable recipe data: ``base`` and ``overlays`` sorted by (specificity, file order)."""

    __slots__ = (
        "base",
        "base_constraints",
        "base_patches",
        "components",
        "origin",
        "overlays",
    )

    def __init__(
        self,
        base: list[Measurement],
        overlays: list[Overlay],
        origin: str,
        *,
        components: dict[str, Component] | None = None,
        base_patches: list[ComponentPatch] | None = None,
        base_constraints: list[Constraint] | None = None,
    ) -> None:
        self.base = tuple(base)
        self.overlays = tuple(sorted(overlays, key=lambda o: (o.key.specificity(), o.index)))
        self.origin = origin
        self.components: dict[str, Component] = components or {}
        self.base_patches = tuple(base_patches or ())
        self.base_constraints = tuple(base_constraints or ())

    @classmethod
    def from_data(cls, data: DataSet, origin: str, *, trusted: bool = False) -> RecipeStore:
        """Build a store from checked parts; cross-references are checked here.

        Raises:
            RecipeError: an unknown component or dependency, a version given twice, or a
                dependency cycle (the message names the chain).
        """
        if not trusted:
            _check_references(data, origin)
        return cls(
            _merge_types(data.base),
            data.overlays,
            origin,
            components=data.components,
            base_patches=data.base_patches,
            base_constraints=data.base_constraints,
        )

    @classmethod
    def from_dict(cls, raw: Any, origin: str, *, trusted: bool = False) -> RecipeStore:
        """Build a store from one decoded document (a mapping with base and overlays).

        ``trusted`` skips the checks the embedded data passed when it was built.

        Raises:
            RecipeError: malformed data; the message names the file and the place.
        """
        return cls.from_data(_read(raw, origin, trusted=trusted), origin, trusted=trusted)

    @classmethod
    def load(cls, path: str | None = None) -> RecipeStore:
        """Load the embedded data (``path=None``) or external data from a file or directory.

        Raises:
            RecipeError: unreadable or malformed data (never cached: the next call retries).
        """
        if path is None:
            from eidos.recipe import _compiled

            return cls.from_dict(_compiled.DATA, _EMBEDDED, trusted=True)
        parts = [_read(raw, where) for where, raw in _documents(path)]
        data = _combine(parts)
        if not data.has_base:
            from eidos.recipe import _compiled

            embedded = _read(_compiled.DATA, _EMBEDDED, trusted=True)
            data = _combine([embedded, data], extending=True)
            return cls.from_data(data, f"{_EMBEDDED} + {path}")
        return cls.from_data(data, path)


def _read(raw: Any, origin: str, *, trusted: bool = False) -> DataSet:
    try:
        return read_data(raw, origin, trusted=trusted)
    except DocumentError as exc:
        raise RecipeError(f"invalid recipe data: {exc}") from None


def _merge_types(measurements: list[Measurement]) -> list[Measurement]:
    """Fold repeated measurement types (from several data files) into one each."""
    merged: dict[str, Measurement] = {}
    for m in measurements:
        if m.type in merged:
            merged[m.type].merge(m)
        else:
            merged[m.type] = m
    return list(merged.values())


def _combine(parts: list[DataSet], *, extending: bool = False) -> DataSet:
    """Merge data sets in order; something given twice is an error naming both files.

    That is a component, an overlay key, a base component or a base constraint path.
    Overlay keys may repeat an embedded one when ``extending``: the site's overlay then
    applies right after the embedded one.
    """
    if len(parts) == 1:
        return parts[0]
    out = DataSet(" + ".join(p.origin for p in parts))
    owners: dict[tuple[Any, ...], str] = {}
    for part in parts:
        origin = part.origin
        out.has_base = out.has_base or part.has_base
        out.base.extend(part.base)
        for name, component in part.components.items():
            _claim(owners, ("component", name), origin, f"component {name!r}")
            out.components[name] = component
        for patch in part.base_patches:
            _claim(owners, ("base ref", patch.name), origin, f"base componentRef {patch.name!r}")
            out.base_patches.append(patch)
        for constraint in part.base_constraints:
            _claim(owners, ("constraint", constraint.path), origin, f"base {constraint.path}")
            out.base_constraints.append(constraint)
        for overlay in part.overlays:
            what = f"overlay key {overlay.key.criteria_string()}"
            key = ("overlay", overlay.key.cache_key(), extending and part is parts[-1])
            _claim(owners, key, overlay.origin, what)
            overlay.index = len(out.overlays)
            out.overlays.append(overlay)
    return out


def _claim(
    owners: dict[tuple[Any, ...], str], key: tuple[Any, ...], origin: str, what: str
) -> None:
    first = owners.get(key)
    if first is not None:
        raise RecipeError(f"invalid recipe data: {what} is given in both {first} and {origin}")
    owners[key] = origin


def _check_references(data: DataSet, origin: str) -> None:
    known = data.components

    def fail(message: str) -> RecipeError:
        return RecipeError(f"invalid recipe data: {origin}: {message}")

    def check(name: str, where: str) -> None:
        if name not in known:
            valid = ", ".join(sorted(known)) or "none (the data has no components)"
            raise fail(f"{where}: unknown component {name!r}; known components: {valid}")

    graph: dict[str, list[str]] = {n: list(c.dependencies) for n, c in known.items()}
    for name, component in known.items():
        for dep in component.dependencies:
            check(dep, f"component {name} depends on {dep}")
    places = [("base.componentRefs", p) for p in data.base_patches]
    places += [(f"overlay {o.key.criteria_string()}", p) for o in data.overlays for p in o.patches]
    for where, patch in places:
        check(patch.name, where)
        for dep in patch.dependencies:
            check(dep, f"{where}: {patch.name} depends on {dep}")
            if dep not in graph[patch.name]:
                graph[patch.name].append(dep)
        for path in leaf_paths(patch.values):
            taken = overlapping(path, known[patch.name].values_from)
            if taken is not None:
                source = "/".join(known[patch.name].values_from[taken])
                raise fail(
                    f"{where}: {patch.name} values.{path}: {taken} comes from {source} "
                    "(valuesFrom); change that measurement instead"
                )
        if patch.version is not None and known[patch.name].version_from:
            raise fail(
                f"{where}: {patch.name} takes its version from "
                f"{known[patch.name].version_from}; change that measurement instead"
            )
    chain = find_cycle(graph)
    if chain is not None:
        raise fail("dependency cycle: " + " -> ".join(chain))


def _documents(path: str) -> list[tuple[str, Any]]:
    if not os.path.isdir(path):
        return [(path, _load_file(path))]
    files = sorted(f for f in os.listdir(path) if f.endswith((".yaml", ".yml", ".json")))
    if not files:
        raise RecipeError(f"{path}: no recipe data files (*.yaml, *.yml, *.json) in directory")
    return [(os.path.join(path, name), _load_file(os.path.join(path, name))) for name in files]


def _load_file(path: str) -> Any:
    """Read one data file: unreadable is exit 3, undecodable (not YAML/JSON) exit 5."""
    from eidos.errors import EidosError, InvalidRequestError
    from eidos.serializer import read_document

    try:
        return read_document(path)
    except InvalidRequestError as exc:
        raise RecipeError(f"cannot load recipe data: {exc.message}") from None
    except EidosError as exc:
        raise type(exc)(f"cannot load recipe data: {exc.message}") from None
