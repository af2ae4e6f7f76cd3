"""Measurements: typed readings grouped into named subtypes, grouped by measurement type.

A reading is a bare scalar (``bool``, ``int``, ``float`` or ``str``); its Python type is
part of the format (``"5"`` is not ``5``). Integers are unbounded, so 64-bit unsigned
values such as ``18446744073709551615`` survive every round trip.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "MEASUREMENT_TYPES",
    "DocumentError",
    "Measurement",
    "Reading",
    "Subtype",
    "to_reading",
]

Reading = bool | int | float | str

#: Known measurement types, in the order snapshots emit them.
MEASUREMENT_TYPES = ("SystemD", "OS", "K8s", "GPU")


class DocumentError(ValueError):
    """A document that does not have the expected shape (the message says where)."""


def to_reading(value: Any, where: str) -> Reading:
    """Check that ``value`` is a scalar reading; raise :class:`DocumentError` otherwise."""
    if isinstance(value, bool | int | float | str):
        return value
    kind = "null" if value is None else type(value).__name__
    raise DocumentError(f"{where}: expected a scalar value (bool, int, float, string), got {kind}")


class Subtype:
    """A named group of readings, with optional human explanations (``context``)."""

    __slots__ = ("context", "data", "name")

    def __init__(
        self,
        name: str,
        data: dict[str, Reading] | None = None,
        context: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.data: dict[str, Reading] = data if data is not None else {}
        self.context: dict[str, str] = context if context is not None else {}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Subtype):
            return NotImplemented
        return (self.name, _typed(self.data), self.context) == (
            other.name,
            _typed(other.data),
            other.context,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Subtype({self.name!r}, {len(self.data)} readings)"

    def copy(self, *, with_context: bool = True) -> Subtype:
        """Return an independent copy (maps copied, readings are immutable)."""
        return Subtype(self.name, dict(self.data), dict(self.context) if with_context else {})

    def to_dict(self) -> dict[str, Any]:
        """Wire form: ``{subtype, data, context?}`` with sorted keys."""
        out: dict[str, Any] = {"subtype": self.name, "data": dict(sorted(self.data.items()))}
        if self.context:
            out["context"] = dict(sorted(self.context.items()))
        return out

    @classmethod
    def from_dict(cls, raw: Any, where: str) -> Subtype:
        """Read the wire form, naming the offending path on error."""
        if not isinstance(raw, dict):
            raise DocumentError(f"{where}: expected a mapping with 'subtype' and 'data'")
        name = raw.get("subtype")
        if not isinstance(name, str) or not name:
            raise DocumentError(f"{where}: 'subtype' must be a non-empty string")
        where = f"{where} ({name})"
        data_raw = raw.get("data")
        if data_raw is None:
            data_raw = {}
        if not isinstance(data_raw, dict):
            raise DocumentError(f"{where}.data: expected a mapping")
        data = {str(k): to_reading(v, f"{where}.data.{k}") for k, v in data_raw.items()}
        ctx_raw = raw.get("context") or {}
        if not isinstance(ctx_raw, dict):
            raise DocumentError(f"{where}.context: expected a mapping")
        context = {str(k): "" if v is None else str(v) for k, v in ctx_raw.items()}
        return cls(name, data, context)


def _typed(data: dict[str, Reading]) -> dict[str, tuple[type, Reading]]:
    return {k: (type(v), v) for k, v in data.items()}


class Measurement:
    """All subtypes of one measurement type (``OS``, ``SystemD``, ``K8s``, ``GPU``)."""

    __slots__ = ("subtypes", "type")

    def __init__(self, type: str, subtypes: list[Subtype] | None = None) -> None:
        self.type = type
        self.subtypes: list[Subtype] = subtypes if subtypes is not None else []

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Measurement):
            return NotImplemented
        return (self.type, self.subtypes) == (other.type, other.subtypes)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Measurement({self.type!r}, {[s.name for s in self.subtypes]})"

    def subtype(self, name: str) -> Subtype | None:
        """The first subtype called ``name``, if any."""
        for sub in self.subtypes:
            if sub.name == name:
                return sub
        return None

    def copy(self, *, with_context: bool = True) -> Measurement:
        """Return an independent deep copy."""
        return Measurement(self.type, [s.copy(with_context=with_context) for s in self.subtypes])

    def merge(self, overlay: Measurement) -> None:
        """Merge ``overlay`` into this measurement: overlay keys win, nothing is removed.

        Subtypes present in both are merged key by key (data and context); new subtypes
        are appended in the overlay's order.
        """
        for sub in overlay.subtypes:
            mine = self.subtype(sub.name)
            if mine is None:
                self.subtypes.append(sub.copy())
            else:
                mine.data.update(sub.data)
                mine.context.update(sub.context)

    def to_dict(self) -> dict[str, Any]:
        """Wire form: ``{type, subtypes}``."""
        return {"type": self.type, "subtypes": [s.to_dict() for s in self.subtypes]}

    @classmethod
    def adopt(cls, raw: dict[str, Any]) -> Measurement:
        """Take a wire form that was checked when it was built (the embedded recipe data)."""
        return cls(
            raw["type"],
            [
                Subtype(s["subtype"], dict(s.get("data") or {}), dict(s.get("context") or {}))
                for s in raw.get("subtypes") or ()
            ],
        )

    @classmethod
    def from_dict(cls, raw: Any, where: str) -> Measurement:
        """Read the wire form, naming the offending path on error."""
        if not isinstance(raw, dict):
            raise DocumentError(f"{where}: expected a mapping with 'type' and 'subtypes'")
        mtype = raw.get("type")
        if not isinstance(mtype, str) or not mtype:
            raise DocumentError(f"{where}: 'type' must be a non-empty string")
        subs = raw.get("subtypes") or []
        if not isinstance(subs, list):
            raise DocumentError(f"{where} ({mtype}).subtypes: expected a list")
        return cls(
            mtype,
            [Subtype.from_dict(s, f"{where} ({mtype}).subtypes[{i}]") for i, s in enumerate(subs)],
        )
