"""The recipe store: base measurements plus overlays, loaded once and never mutated.

Embedded data ships as ``data/recipes-v1.yaml`` and, for start-up speed, as the generated
module ``_compiled.py`` (a Python literal, byte-compiled at install; ``make data``
regenerates it and a test keeps the two in sync). ``--data FILE|DIR`` loads external YAML
or JSON instead; a directory's ``*.yaml|*.yml|*.json`` files are merged in name order.
"""

from __future__ import annotations

import os

from eidos.errors import RecipeError
from eidos.model import DocumentError, Measurement, Query, QueryError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["EMBEDDED_DATA", "Overlay", "RecipeStore"]

EMBEDDED_DATA = os.path.join(os.path.dirname(__file__), "data", "recipes-v1.yaml")


class Overlay:
    """One overlay: a rule (``key``), its position in the data and its measurements."""

    __slots__ = ("index", "key", "measurements", "rule")

    def __init__(self, key: Query, measurements: list[Measurement], index: int) -> None:
        self.key = key
        self.measurements = measurements
        self.index = index
        self.rule = key.rule_string()


class RecipeStore:
    """Immutable recipe data: ``base`` and ``overlays`` sorted by (specificity, file order)."""

    __slots__ = ("base", "origin", "overlays")

    def __init__(self, base: list[Measurement], overlays: list[Overlay], origin: str) -> None:
        self.base = tuple(base)
        self.overlays = tuple(sorted(overlays, key=lambda o: (o.key.specificity(), o.index)))
        self.origin = origin

    @classmethod
    def from_dict(cls, raw: Any, origin: str) -> RecipeStore:
        """Build a store from decoded data (``{base: [...], overlays: [...]}``).

        Raises:
            RecipeError: malformed data; the message names the file and the place.
        """
        _check_shape(raw, origin)
        try:
            base_raw = raw.get("base")
            base_raw = [] if base_raw is None else base_raw
            if not isinstance(base_raw, list):
                raise DocumentError("base: expected a list of measurements")
            base = [Measurement.from_dict(m, f"base[{i}]") for i, m in enumerate(base_raw)]
            overlays_raw = raw.get("overlays")
            overlays_raw = [] if overlays_raw is None else overlays_raw
            if not isinstance(overlays_raw, list):
                raise DocumentError("overlays: expected a list")
            overlays = [_overlay(o, i) for i, o in enumerate(overlays_raw)]
        except (DocumentError, QueryError) as exc:
            raise RecipeError(f"{origin}: invalid recipe data: {exc}") from None
        return cls(_merge_types(base), overlays, origin)

    @classmethod
    def load(cls, path: str | None = None) -> RecipeStore:
        """Load the embedded data (``path=None``) or external data from a file or directory.

        Raises:
            RecipeError: unreadable or malformed data (never cached: the next call retries).
        """
        if path is None:
            from eidos.recipe import _compiled

            return cls.from_dict(_compiled.DATA, "embedded recipe data")
        if os.path.isdir(path):
            return cls.from_dict(_merge_dir(path), path)
        return cls.from_dict(_read(path), path)


def _merge_types(measurements: list[Measurement]) -> list[Measurement]:
    """Fold repeated measurement types (e.g. from several data files) into one each."""
    merged: dict[str, Measurement] = {}
    for m in measurements:
        if m.type in merged:
            merged[m.type].merge(m)
        else:
            merged[m.type] = m
    return list(merged.values())


def _overlay(raw: Any, index: int) -> Overlay:
    where = f"overlays[{index}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("key"), dict):
        raise DocumentError(f"{where}: expected a mapping with 'key' and 'types'")
    try:
        key = Query.from_dict(raw["key"])
    except QueryError as exc:
        raise DocumentError(f"{where}.key: {exc}") from None
    types = raw.get("types") or []
    if not isinstance(types, list):
        raise DocumentError(f"{where}.types: expected a list of measurements")
    return Overlay(
        key, [Measurement.from_dict(m, f"{where}.types[{i}]") for i, m in enumerate(types)], index
    )


def _check_shape(raw: Any, origin: str) -> None:
    """Refuse what is not recipe data (a snapshot, a recipe, a list) instead of using nothing."""
    if isinstance(raw, dict) and ("base" in raw or "overlays" in raw):
        return
    what = f"a {raw['kind']} document" if isinstance(raw, dict) and raw.get("kind") else None
    if what is None:
        what = "a mapping without them" if isinstance(raw, dict) else f"a {type(raw).__name__}"
    raise RecipeError(f"{origin}: recipe data must be a mapping with base and overlays, got {what}")


def _read(path: str) -> Any:
    """Read one data file: unreadable is exit 3, undecodable (not YAML/JSON) exit 5."""
    from eidos.errors import EidosError, InvalidRequestError
    from eidos.serializer import read_document

    try:
        return read_document(path)
    except InvalidRequestError as exc:
        raise RecipeError(f"cannot load recipe data: {exc.message}") from None
    except EidosError as exc:
        raise type(exc)(f"cannot load recipe data: {exc.message}") from None


def _merge_dir(path: str) -> dict[str, Any]:
    files = sorted(f for f in os.listdir(path) if f.endswith((".yaml", ".yml", ".json")))
    if not files:
        raise RecipeError(f"{path}: no recipe data files (*.yaml, *.yml, *.json) in directory")
    merged: dict[str, Any] = {"base": [], "overlays": []}
    for name in files:
        raw = _read(os.path.join(path, name))
        _check_shape(raw, os.path.join(path, name))
        merged["base"].extend(raw.get("base") or [])
        merged["overlays"].extend(raw.get("overlays") or [])
    return merged
