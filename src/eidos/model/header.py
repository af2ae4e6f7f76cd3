"""Document header: ``kind``, ``apiVersion`` and string ``metadata``."""

from __future__ import annotations

from eidos.model.measurement import DocumentError, Measurement

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "KIND_RECIPE",
    "KIND_SNAPSHOT",
    "Document",
    "Header",
    "api_version",
    "read_header",
    "read_measurements",
]

KIND_SNAPSHOT = "Snapshot"
KIND_RECIPE = "Recipe"


def api_version(kind: str) -> str:
    """``Snapshot`` -> ``snapshot.dgxc.io/v1`` (the reference's rule)."""
    return f"{kind.lower()}.dgxc.io/v1"


class Header:
    """The header every document starts with."""

    __slots__ = ("api_version", "kind", "metadata")

    def __init__(
        self, kind: str, metadata: dict[str, str] | None = None, api_version_: str | None = None
    ) -> None:
        self.kind = kind
        self.api_version = api_version_ or api_version(kind)
        self.metadata: dict[str, str] = metadata if metadata is not None else {}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Header):
            return NotImplemented
        return (self.kind, self.api_version, self.metadata) == (
            other.kind,
            other.api_version,
            other.metadata,
        )

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> dict[str, Any]:
        """Wire form of the header fields, in order."""
        out: dict[str, Any] = {"kind": self.kind, "apiVersion": self.api_version}
        if self.metadata:
            out["metadata"] = dict(sorted(self.metadata.items()))
        return out


def read_header(raw: Any, expected_kind: str) -> Header:
    """Check a decoded document's ``kind`` and read its header.

    Raises:
        DocumentError: not a mapping, a different/missing ``kind``, or an ``apiVersion``
            other than ``<kind>.dgxc.io/v1``.
    """
    if not isinstance(raw, dict):
        raise DocumentError(
            f"not a {expected_kind} document: expected a mapping, got {type(raw).__name__}"
        )
    kind = raw.get("kind")
    if kind != expected_kind:
        got = "no 'kind' field" if kind is None else f"kind {kind!r}"
        raise DocumentError(
            f"not a {expected_kind} document: {got} (expected kind: {expected_kind})"
        )
    meta = raw.get("metadata") or {}
    if not isinstance(meta, dict):
        raise DocumentError("metadata: expected a mapping of strings")
    api = raw.get("apiVersion")
    expected_api = api_version(expected_kind)
    if api not in (None, "", expected_api):
        raise DocumentError(
            f"unsupported apiVersion {api!r} for kind {expected_kind} (expected {expected_api})"
        )
    return Header(
        kind,
        {str(k): "" if v is None else str(v) for k, v in meta.items()},
        api if isinstance(api, str) and api else None,
    )


class Document:
    """What snapshots and recipes share: a header and a list of measurements."""

    __slots__ = ("header", "measurements")

    header: Header
    measurements: list[Measurement]

    @property
    def metadata(self) -> dict[str, str]:
        """The header's metadata map."""
        return self.header.metadata

    def measurement(self, mtype: str) -> Measurement | None:
        """The first measurement of type ``mtype``, if any."""
        for m in self.measurements:
            if m.type == mtype:
                return m
        return None


def read_measurements(raw: dict[str, Any]) -> list[Measurement]:
    """Read a decoded document's ``measurements`` list (absent means none).

    Raises:
        DocumentError: not a list, or a malformed measurement (the message says where).
    """
    items = raw.get("measurements") or []
    if not isinstance(items, list):
        raise DocumentError("measurements: expected a list")
    return [Measurement.from_dict(m, f"measurements[{i}]") for i, m in enumerate(items)]
