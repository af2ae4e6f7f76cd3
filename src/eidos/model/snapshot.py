"""Snapshot: a header plus the measurements captured from one node."""

from __future__ import annotations

from eidos.model.header import KIND_SNAPSHOT, Document, Header, read_header, read_measurements
from eidos.model.measurement import Measurement

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Snapshot"]


class Snapshot(Document):
    """A captured node state (``kind: Snapshot``)."""

    __slots__ = ()

    def __init__(
        self, measurements: list[Measurement] | None = None, metadata: dict[str, str] | None = None
    ) -> None:
        self.header = Header(KIND_SNAPSHOT, metadata)
        self.measurements: list[Measurement] = measurements if measurements is not None else []

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Snapshot):
            return NotImplemented
        return (self.header, self.measurements) == (other.header, other.measurements)

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> dict[str, Any]:
        """Wire form: kind, apiVersion, metadata, measurements."""
        out = self.header.to_dict()
        out["measurements"] = [m.to_dict() for m in self.measurements]
        return out

    @classmethod
    def from_dict(cls, raw: Any) -> Snapshot:
        """Read and check a decoded snapshot document.

        Raises:
            DocumentError: wrong kind or malformed content (the message says where).
        """
        header = read_header(raw, KIND_SNAPSHOT)
        snap = cls(read_measurements(raw))
        snap.header = header
        return snap
