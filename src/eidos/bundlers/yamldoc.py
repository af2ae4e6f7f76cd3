"""YAML files of a bundle: emitted by PyYAML, commented, and checked by reading them back.

Values never pass through a template: each top-level block is emitted by PyYAML (keys in
the order the bundler built them, multi-line strings as literal blocks), comment lines
are cleaned to one printable line, and the finished text is parsed again and compared
with the input, so no recipe value can change the document's structure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from eidos.bundlers.recipe_keys import clean_text
from eidos.errors import InternalError

__all__ = ["render_yaml"]

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Literal(str):
    """A multi-line string value, written as a ``|`` literal block."""

    __slots__ = ()


class _BlockDumper(_Dumper):  # type: ignore[misc]
    """Safe dumper: literal blocks for :class:`_Literal` values, never anchors/aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _literal(dumper: Any, value: _Literal) -> Any:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


_BlockDumper.add_representer(_Literal, _literal)


def _mark(value: Any) -> Any:
    """Copy ``value`` with multi-line string values (never keys) marked as literals.

    Values ending in blank lines stay quoted: a ``|+`` block would end the document.
    """
    if isinstance(value, dict):
        return {k: _mark(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mark(v) for v in value]
    if isinstance(value, str) and "\n" in value.strip() and not value.endswith("\n\n"):
        return _Literal(value)
    return value


def _dump(doc: Mapping[str, Any]) -> str:
    text: str = yaml.dump(
        _mark(dict(doc)),
        Dumper=_BlockDumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=4096,
        indent=2,
    )
    return text


def _comment(lines: Sequence[str]) -> str:
    return "".join(f"# {clean_text(line, 400)}\n".replace("# \n", "#\n") for line in lines)


def render_yaml(
    doc: Mapping[str, Any],
    *,
    header: Sequence[str] = (),
    comments: Mapping[str, Sequence[str]] | None = None,
    blank_lines: bool = True,
) -> str:
    """Emit ``doc`` with a header comment and optional comments above top-level keys.

    Raises:
        InternalError: the emitted text does not read back as ``doc`` (a bug, never data).
    """
    comments = comments or {}
    parts = [_comment(header)] if header else []
    for index, (key, value) in enumerate(doc.items()):
        block = _comment(comments.get(key, ())) + _dump({key: value})
        if (index and blank_lines) or (not index and header):
            block = "\n" + block
        parts.append(block)
    text = "".join(parts)
    if (yaml.load(text, Loader=_Loader) or {}) != dict(doc):
        raise InternalError("generated YAML does not read back as the data it was made from")
    return text
