"""``eidos diff`` for people: changes grouped under their measurement, odd nodes per key.

::

    GPU/smi
      ~ driver: 570.133.20 -> 580.105.08
      + gpu.c2c-mode: Disabled
      - gpu.vbios-version: 96.00.BC.00.01

    1 changed, 1 added, 1 removed (41 volatile or per-node keys ignored)
"""

from __future__ import annotations

import json

from eidos.validate.diff import MISSING, DocumentDiff
from eidos.validate.outliers import ABSENT, FleetDiff, KeyOutliers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["render_diff_table", "render_fleet_table"]


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list) or value is None:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    text = str(value)
    if text == "" or text != text.strip() or "\n" in text or "\t" in text:
        return json.dumps(text, ensure_ascii=False)
    return text


def _ignored(count: int) -> str:
    return (
        f" ({count} volatile or per-node keys ignored; --all-keys compares them)" if count else ""
    )


def render_diff_table(diff: DocumentDiff, a: str, b: str) -> str:
    """The changes under ``--- a`` / ``+++ b``, then one summary line."""
    lines = [f"--- {a}", f"+++ {b}"]
    group = None
    for g, key, old, new in diff.changes:
        if g != group:
            lines.extend(["", g])
            group = g
        if old is MISSING:
            lines.append(f"  + {key}: {_show(new)}")
        elif new is MISSING:
            lines.append(f"  - {key}: {_show(old)}")
        else:
            lines.append(f"  ~ {key}: {_show(old)} -> {_show(new)}")
    counts = diff.counts()
    if diff.equal:
        lines.append(f"\nno differences{_ignored(counts['ignored'])}")
    else:
        lines.append(
            f"\n{counts['changed']} changed, {counts['added']} added, {counts['removed']} "
            f"removed{_ignored(counts['ignored'])}"
        )
    return "\n".join(lines) + "\n"


def _outlier_value(value: Any) -> str:
    return "(absent)" if value is ABSENT else _show(value)


def render_fleet_table(fleet: FleetDiff, found: list[KeyOutliers]) -> str:
    """Per group, each key's majority and the nodes that differ; then a summary."""
    lines: list[str] = []
    group = None
    for k in found:
        if k.group != group:
            lines.extend(["", k.group] if lines else [k.group])
            group = k.group
        share = f"{k.majority_nodes} of {len(fleet.nodes)} nodes"
        tie = ", a tie" if k.tie else ""
        lines.append(f"  {k.key}: {_outlier_value(k.majority)} ({share}{tie}); differs on:")
        width = max(len(node) for node, _ in k.outliers)
        lines.extend(
            f"    {node.ljust(width)}  {_outlier_value(value)}" for node, value in k.outliers
        )
    odd = {node for k in found for node, _ in k.outliers}
    summary = (
        f"{len(fleet.nodes)} nodes: all agree on every key"
        if not found
        else f"{len(fleet.nodes)} nodes: {len(found)} key{'s' if len(found) != 1 else ''} "
        f"differ, on {len(odd)} node{'s' if len(odd) != 1 else ''}"
    )
    lines.append(("\n" if lines else "") + summary + _ignored(fleet.ignored))
    return "\n".join(lines) + "\n"
