"""SnapshotList: the snapshots of several nodes in one document (a fleet result).

``eidos validate`` and ``eidos diff`` read it as well as single snapshots and directories of
them; a fleet run writes it (docs/snapshot.md, "Fleet results")::

    kind: SnapshotList
    apiVersion: snapshot.dgxc.io/v1
    metadata: {fleet-timestamp: "2026-12-08T10:00:00Z", fleet-nodes: "3"}
    items:                      # complete Snapshot documents, one per node
      - {kind: Snapshot, apiVersion: snapshot.dgxc.io/v1, metadata: {source-node: gpu-1}, ...}
    failures:                   # nodes that gave no snapshot, and why
      - {node: gpu-3, reason: "agent Job timed out after 300s"}
"""

from __future__ import annotations

from eidos.model.header import KIND_SNAPSHOT, Header, api_version
from eidos.model.measurement import DocumentError
from eidos.model.snapshot import Snapshot

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["KIND_SNAPSHOT_LIST", "NodeFailure", "SnapshotList", "read_list_parts"]

KIND_SNAPSHOT_LIST = "SnapshotList"


class NodeFailure:
    """A node of the fleet that gave no snapshot, and the one-line reason."""

    __slots__ = ("node", "reason")

    def __init__(self, node: str, reason: str) -> None:
        self.node = node
        self.reason = reason

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NodeFailure):
            return NotImplemented
        return (self.node, self.reason) == (other.node, other.reason)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"NodeFailure({self.node!r}, {self.reason!r})"

    def to_dict(self) -> dict[str, str]:
        """Wire form ``{node, reason}``."""
        return {"node": self.node, "reason": self.reason}


class SnapshotList:
    """Snapshots of several nodes plus the nodes that failed (``kind: SnapshotList``)."""

    __slots__ = ("failures", "header", "items")

    def __init__(
        self,
        items: list[Snapshot] | None = None,
        failures: list[NodeFailure] | None = None,
        metadata: dict[str, str] | None = None,
    ) -> None:
        self.header = Header(KIND_SNAPSHOT_LIST, metadata, api_version(KIND_SNAPSHOT))
        self.items: list[Snapshot] = items if items is not None else []
        self.failures: list[NodeFailure] = failures if failures is not None else []

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SnapshotList):
            return NotImplemented
        return (self.header, self.items, self.failures) == (
            other.header,
            other.items,
            other.failures,
        )

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> dict[str, Any]:
        """Wire form: kind, apiVersion, metadata, items, failures (when there are any)."""
        out = self.header.to_dict()
        out["items"] = [s.to_dict() for s in self.items]
        if self.failures:
            out["failures"] = [f.to_dict() for f in self.failures]
        return out

    @classmethod
    def from_dict(cls, raw: Any) -> SnapshotList:
        """Read and check a decoded SnapshotList (every item as a full Snapshot).

        Raises:
            DocumentError: wrong kind or malformed content (the message says where).
        """
        metadata, items, failures = read_list_parts(raw)
        snapshots = []
        for i, item in enumerate(items):
            try:
                snapshots.append(Snapshot.from_dict(item))
            except DocumentError as exc:
                raise DocumentError(f"items[{i}]: {exc}") from None
        return cls(snapshots, failures, metadata)


def read_list_parts(raw: Any) -> tuple[dict[str, str], list[Any], list[NodeFailure]]:
    """Check a SnapshotList's frame: its metadata, its raw items (unchecked) and failures.

    Readers that look at a few readings of each item (``eidos validate``) check the
    items themselves, as lightly as they need.

    Raises:
        DocumentError: not a SnapshotList, or ``items``/``failures`` malformed.
    """
    if not isinstance(raw, dict) or raw.get("kind") != KIND_SNAPSHOT_LIST:
        got = raw.get("kind") if isinstance(raw, dict) else type(raw).__name__
        raise DocumentError(f"not a {KIND_SNAPSHOT_LIST} document (kind {got!r})")
    api = raw.get("apiVersion")
    if api not in (None, "", api_version(KIND_SNAPSHOT)):
        raise DocumentError(
            f"unsupported apiVersion {api!r} for kind {KIND_SNAPSHOT_LIST} "
            f"(expected {api_version(KIND_SNAPSHOT)})"
        )
    meta = raw.get("metadata") or {}
    if not isinstance(meta, dict):
        raise DocumentError("metadata: expected a mapping of strings")
    items = raw.get("items")
    items = [] if items is None else items
    if not isinstance(items, list):
        raise DocumentError("items: expected a list of Snapshot documents")
    raw_failures = raw.get("failures")
    raw_failures = [] if raw_failures is None else raw_failures
    if not isinstance(raw_failures, list):
        raise DocumentError("failures: expected a list of {node, reason}")
    failures = []
    for i, entry in enumerate(raw_failures):
        node = entry.get("node") if isinstance(entry, dict) else None
        reason = entry.get("reason") if isinstance(entry, dict) else None
        if not isinstance(node, str) or not node or not isinstance(reason, str):
            raise DocumentError(f"failures[{i}]: expected {{node: NAME, reason: TEXT}}")
        failures.append(NodeFailure(node, reason))
    metadata = {str(k): "" if v is None else str(v) for k, v in meta.items()}
    return metadata, items, failures
