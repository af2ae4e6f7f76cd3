"""YAML files of a bundle: a header comment, a comment above each top-level block, the data.

Values never pass through a template: the data is emitted by :func:`~eidos.serializer.
yamlemit.emit_yaml` (property-tested against PyYAML's reader, so every value reads back as
itself), multi-line strings as ``|`` blocks where that is exact, and every comment line is
cleaned to one printable line, so no recipe or flag value can change a file's structure.
"""

from __future__ import annotations

from eidos.bundlers.recipe_keys import clean_text
from eidos.serializer.yamlemit import emit_yaml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

__all__ = ["render_yaml"]


def _comment(lines: Sequence[str]) -> str:
    return "".join(f"# {clean_text(line, 400)}\n".replace("# \n", "#\n") for line in lines)


def render_yaml(
    doc: Mapping[str, Any],
    *,
    header: Sequence[str] = (),
    comments: Mapping[str, Sequence[str]] | None = None,
    blank_lines: bool = True,
) -> str:
    """``doc`` as YAML, with ``header`` and per top-level key ``comments`` as comment lines."""
    parts = [_comment(header)] if header else []
    if not comments and not blank_lines:
        if header:
            parts.append("\n")
        parts.append(emit_yaml(dict(doc), literal=True) if doc else "{}\n")
        return "".join(parts)
    comments = comments or {}
    for index, (key, value) in enumerate(doc.items()):
        block = _comment(comments.get(key, ())) + emit_yaml({key: value}, literal=True)
        if (index and blank_lines) or (not index and header):
            block = "\n" + block
        parts.append(block)
    if not doc:
        parts.append(("\n" if header else "") + "{}\n")
    return "".join(parts)
