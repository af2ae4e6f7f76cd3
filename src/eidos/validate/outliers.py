"""``eidos diff --fleet``: for every key, the nodes whose value differs from the majority.

Nodes are added one at a time (a fleet is streamed, never held); per key only the
distinct values and the indexes of the nodes holding each are kept. The majority is the
most common value (a key a node lacks counts as the value "absent"); on a tie the value
seen first wins and the key is marked ``tie``.
"""

from __future__ import annotations

from eidos.validate.volatile import KeyFilter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from eidos.validate.diff import Entry

__all__ = ["ABSENT", "FleetDiff", "KeyOutliers"]

#: Stands for "this node does not have the key" among a key's values.
ABSENT: Any = ("absent",)


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return ("unhashable", repr(value))
    return (type(value), value)


class KeyOutliers:
    """One key on which some nodes differ from the majority."""

    __slots__ = ("group", "key", "majority", "majority_nodes", "outliers", "tie")

    def __init__(
        self,
        group: str,
        key: str,
        *,
        majority: Any,
        majority_nodes: int,
        outliers: list[tuple[str, Any]],
        tie: bool,
    ) -> None:
        self.group = group
        self.key = key
        self.majority = majority
        self.majority_nodes = majority_nodes
        self.outliers = outliers
        self.tie = tie

    def to_dict(self) -> dict[str, Any]:
        """Wire form; an absent majority or outlier value is ``absent: true``."""
        out: dict[str, Any] = {"key": self.key}
        if self.majority is ABSENT:
            out["majorityAbsent"] = True
        else:
            out["majority"] = self.majority
        out["majorityNodes"] = self.majority_nodes
        if self.tie:
            out["tie"] = True
        out["outliers"] = [
            {"node": node, "absent": True} if value is ABSENT else {"node": node, "value": value}
            for node, value in self.outliers
        ]
        return out


class FleetDiff:
    """Accumulates nodes' entries; :meth:`outliers` compares every key across them."""

    def __init__(self, keys: KeyFilter) -> None:
        self.keys = keys
        self.nodes: list[str] = []
        self._where: dict[str, tuple[str, str]] = {}
        self._values: dict[str, dict[Any, tuple[Any, list[int]]]] = {}
        self._ignored: set[str] = set()

    def add(self, node: str, entries: dict[str, Entry]) -> None:
        """Record one node's entries (``node`` names it in the output)."""
        index = len(self.nodes)
        self.nodes.append(node)
        ignored = self.keys.ignored
        for path, (group, key, value) in entries.items():
            if ignored(path):
                self._ignored.add(path)
                continue
            values = self._values.get(path)
            if values is None:
                values = self._values[path] = {}
                self._where[path] = (group, key)
            holder = values.get(_hashable(value))
            if holder is None:
                values[_hashable(value)] = (value, [index])
            else:
                holder[1].append(index)

    @property
    def ignored(self) -> int:
        """How many distinct key paths were left out."""
        return len(self._ignored)

    def _key(self, path: str) -> KeyOutliers | None:
        total = len(self.nodes)
        groups = list(self._values[path].values())
        present = sum(len(nodes) for _, nodes in groups)
        if len(groups) == 1 and present == total:
            return None
        if present < total:
            held = {i for _, nodes in groups for i in nodes}
            groups.append((ABSENT, [i for i in range(total) if i not in held]))
        best = max(len(nodes) for _, nodes in groups)
        leaders = [g for g in groups if len(g[1]) == best]
        winner = leaders[0]
        majority, majority_nodes = winner
        outliers: list[tuple[int, Any]] = []
        for value, nodes in groups:
            if nodes is not majority_nodes:
                outliers.extend((i, value) for i in nodes)
        outliers.sort(key=lambda item: item[0])
        group, key = self._where[path]
        return KeyOutliers(
            group,
            key,
            majority=majority,
            majority_nodes=len(majority_nodes),
            outliers=[(self.nodes[i], value) for i, value in outliers],
            tie=len(leaders) > 1,
        )

    def outliers(self) -> list[KeyOutliers]:
        """Every key with an odd node out, sorted by group and key."""
        found = [k for path in self._values if (k := self._key(path)) is not None]
        found.sort(key=lambda k: (k.group, k.key))
        return found

    def to_dict(self, found: list[KeyOutliers]) -> dict[str, Any]:
        """Wire form: node count, summary, odd nodes by count, keys grouped."""
        per_node: dict[str, int] = {}
        for k in found:
            for node, _ in k.outliers:
                per_node[node] = per_node.get(node, 0) + 1
        groups: dict[str, list[dict[str, Any]]] = {}
        for k in found:
            groups.setdefault(k.group, []).append(k.to_dict())
        return {
            "kind": "FleetDiff",
            "nodes": len(self.nodes),
            "equal": not found,
            "summary": {
                "keys": len(self._values),
                "oddKeys": len(found),
                "oddNodes": len(per_node),
                "ignored": self.ignored,
            },
            "oddNodes": [
                {"node": node, "keys": n}
                for node, n in sorted(per_node.items(), key=lambda item: (-item[1], item[0]))
            ],
            "groups": [{"group": g, "keys": keys} for g, keys in groups.items()],
        }
