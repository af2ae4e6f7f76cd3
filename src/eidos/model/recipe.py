"""Recipe: a header, the request that built it, the matched overlays and the measurements."""

from __future__ import annotations

from eidos.model.header import KIND_RECIPE, Document, Header, read_header, read_measurements
from eidos.model.measurement import DocumentError, Measurement, Subtype
from eidos.model.query import Query, QueryError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Recipe"]


class Recipe(Document):
    """A configuration recipe (``kind: Recipe``)."""

    __slots__ = ("matched_rules", "request")

    def __init__(
        self,
        measurements: list[Measurement] | None = None,
        *,
        request: Query | None = None,
        matched_rules: list[str] | None = None,
        metadata: dict[str, str] | None = None,
    ) -> None:
        self.header = Header(KIND_RECIPE, metadata)
        self.request = request
        self.matched_rules: list[str] = matched_rules if matched_rules is not None else []
        self.measurements: list[Measurement] = measurements if measurements is not None else []

    def subtype(self, mtype: str, name: str) -> Subtype | None:
        """The subtype ``name`` of measurement ``mtype``, if both exist."""
        m = self.measurement(mtype)
        return m.subtype(name) if m is not None else None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Recipe):
            return NotImplemented
        return (self.header, self.request, self.matched_rules, self.measurements) == (
            other.header,
            other.request,
            other.matched_rules,
            other.measurements,
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
        return out

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
        recipe = cls(read_measurements(raw), request=request, matched_rules=list(rules))
        recipe.header = header
        return recipe
