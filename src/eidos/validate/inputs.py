"""Where snapshots come from: files, ``-``, URLs, ``cm://``, directories and SnapshotLists.

:func:`read_nodes` yields one :class:`NodeInput` per node, one document at a time, so a
fleet of a thousand snapshots is never held in memory at once. Each document is decoded
once, through the same loader (and limits) as every other document eidos reads.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from eidos.errors import InvalidRequestError, NotFoundError
from eidos.model.fleet import KIND_SNAPSHOT_LIST, read_list_parts
from eidos.model.header import KIND_SNAPSHOT, read_header
from eidos.model.measurement import DocumentError
from eidos.serializer import loads, read_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from eidos.kube import Kube

__all__ = [
    "DOCUMENT_SUFFIXES",
    "NodeInput",
    "node_name",
    "nodes_from_document",
    "read_nodes",
    "unique_names",
]

#: Files of a snapshot directory that are read (others are ignored, as are hidden files).
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")


class NodeInput:
    """One node's snapshot document (decoded, header checked), or why there is none.

    A plain class, not a dataclass: ``dataclasses`` loads ``inspect`` (~40 ms of start-up).
    """

    __slots__ = ("doc", "missing", "node", "origin")

    def __init__(
        self, node: str, origin: str, doc: dict[str, Any] | None, missing: str = ""
    ) -> None:
        self.node = node
        """The node's name: the snapshot's ``source-node``, else its file name."""
        self.origin = origin
        """Where it came from: a path, a URL, ``stdin``, ``fleet.yaml items[3]``."""
        self.doc = doc
        """The decoded Snapshot document; ``None`` for a node listed under ``failures``."""
        self.missing = missing
        """Why the node has no snapshot (a fleet failure), else empty."""

    def __repr__(self) -> str:
        return f"NodeInput({self.node!r}, {self.origin!r})"


def _stem(origin: str) -> str:
    base = origin.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    for suffix in DOCUMENT_SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            return base[: -len(suffix)]
    return base or origin


def node_name(doc: dict[str, Any], origin: str) -> str:
    """The snapshot's ``source-node``, else the file (or ConfigMap) name without suffix."""
    meta = doc.get("metadata")
    node = meta.get("source-node") if isinstance(meta, dict) else None
    if isinstance(node, str) and node.strip():
        return node.strip()
    return "stdin" if origin == "stdin" else _stem(origin)


def _decode(uri: str, kube: Kube | None, timeout: float | None) -> tuple[Any, str]:
    origin = "stdin" if uri == "-" else uri
    return loads(read_text(uri, timeout=timeout, kube=kube), origin=origin), origin


def nodes_from_document(raw: Any, origin: str) -> Iterator[NodeInput]:
    """The nodes of one decoded document: a Snapshot, or a SnapshotList's items and failures.

    Raises:
        InvalidRequestError: any other document (the message starts with ``origin``).
    """
    kind = raw.get("kind") if isinstance(raw, dict) else None
    try:
        if kind == KIND_SNAPSHOT_LIST:
            _, items, failures = read_list_parts(raw)
            for i, item in enumerate(items):
                where = f"{origin} items[{i}]"
                try:
                    read_header(item, KIND_SNAPSHOT)
                except DocumentError as exc:
                    raise DocumentError(f"items[{i}]: {exc}") from None
                yield NodeInput(node_name(item, where), where, item)
            for failure in failures:
                yield NodeInput(failure.node, origin, None, failure.reason or "no snapshot")
            return
        read_header(raw, KIND_SNAPSHOT)
    except DocumentError as exc:
        text = str(exc)
        if text.startswith("not a Snapshot document"):
            got = "no 'kind' field" if kind is None else f"kind {kind!r}"
            text = f"not a Snapshot or {KIND_SNAPSHOT_LIST} document ({got})"
        raise InvalidRequestError(f"{origin}: {text}") from None
    yield NodeInput(node_name(raw, origin), origin, raw)


def _directory_files(path: str) -> list[str]:
    try:
        names = sorted(
            e.name
            for e in os.scandir(path)
            if not e.name.startswith(".") and e.name.endswith(DOCUMENT_SUFFIXES) and e.is_file()
        )
    except OSError as exc:
        raise NotFoundError(f"cannot read directory {path}: {exc.strerror or exc}") from None
    if not names:
        raise InvalidRequestError(
            f"{path}: no snapshot files in this directory (*{', *'.join(DOCUMENT_SUFFIXES)})"
        )
    return [os.path.join(path, n) for n in names]


def read_nodes(
    uris: Iterable[str], *, kube: Kube | None = None, timeout: float | None = None
) -> Iterator[NodeInput]:
    """Every node in ``uris``, in order: a directory's files in name order, a list's items.

    Raises:
        InvalidRequestError: a document that is neither a Snapshot nor a SnapshotList, or
            a directory without snapshot files.
        NotFoundError, IOFailureError: a source that cannot be read.
    """
    for uri in uris:
        is_dir = "://" not in uri and uri != "-" and os.path.isdir(uri)
        for source in _directory_files(uri) if is_dir else [uri]:
            raw, origin = _decode(source, kube, timeout)
            yield from nodes_from_document(raw, origin)


def unique_names(nodes: Iterable[NodeInput]) -> Iterator[NodeInput]:
    """Rename a node seen before to ``name (origin)``, so that every report row is one node."""
    seen: set[str] = set()
    for item in nodes:
        if item.node in seen:
            renamed = f"{item.node} ({item.origin})"
            seen.add(renamed)
            yield NodeInput(renamed, item.origin, item.doc, item.missing)
        else:
            seen.add(item.node)
            yield item
