"""Render documents as aligned text tables for terminals.

Documents with measurements become ``TYPE SUBTYPE KEY VALUE`` rows after a short header;
anything else is flattened into ``FIELD VALUE`` rows (``a.b[0].c``).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["render_rows", "render_table"]


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "<none>"
    text = str(value)
    return text.replace("\n", "\\n").replace("\t", "\\t")


def render_rows(header: list[str], rows: list[list[str]]) -> str:
    """Align ``rows`` under ``header`` with two spaces between columns."""
    if not rows:
        return "<empty>\n"
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def _flatten(value: Any, prefix: str, out: list[list[str]]) -> None:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            _flatten(item, f"{prefix}[{i}]", out)
    else:
        out.append([prefix, _text(value) if value not in ({}, []) else ""])


def render_table(doc: Any) -> str:
    """Render ``doc`` as a table (measurement rows for snapshots and recipes)."""
    if isinstance(doc, dict) and isinstance(doc.get("measurements"), list):
        head: list[list[str]] = []
        rest = {k: v for k, v in doc.items() if k != "measurements"}
        _flatten(rest, "", head)
        rows = []
        for m in doc["measurements"]:
            if not m.get("subtypes"):
                rows.append([m.get("type", ""), "(none)", "", ""])
            for sub in m.get("subtypes") or []:
                for key, value in (sub.get("data") or {}).items():
                    rows.append([m.get("type", ""), sub.get("subtype", ""), key, _text(value)])
        top = render_rows(["FIELD", "VALUE"], head) if head else ""
        return top + ("\n" if top else "") + render_rows(["TYPE", "SUBTYPE", "KEY", "VALUE"], rows)
    out: list[list[str]] = []
    _flatten(doc, "", out)
    return render_rows(["FIELD", "VALUE"], out)
