"""Output formats (json, yaml, table) and content-detected decoding of JSON or YAML."""

from __future__ import annotations

from eidos.errors import InvalidRequestError
from eidos.names import OUTPUT_FORMATS
from eidos.serializer.limits import MAX_DEPTH, MAX_DOCUMENT_BYTES, DocumentLimitError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FORMATS", "MAX_DEPTH", "MAX_DOCUMENT_BYTES", "dumps", "loads", "parse_format"]

FORMATS = OUTPUT_FORMATS


def parse_format(value: str | None, *, default: str = "yaml") -> str:
    """Validate an output format name (case-insensitive).

    Raises:
        InvalidRequestError: unknown format, listing the valid ones.
    """
    if value is None or value == "":
        return default
    fmt = value.strip().lower()
    if fmt not in FORMATS:
        raise InvalidRequestError(
            f"unknown output format {value!r}; valid formats: {', '.join(FORMATS)}"
        )
    return fmt


def dumps(doc: Any, fmt: str, *, indent: int = 2) -> str:
    """Render a document (``to_dict()`` output) as text ending with a newline."""
    if fmt == "json":
        import json

        return json.dumps(doc, indent=indent, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        from eidos.serializer.yamlemit import emit_yaml

        return emit_yaml(doc, indent=indent)
    if fmt == "table":
        from eidos.serializer.table import render_table

        return render_table(doc)
    raise InvalidRequestError(f"unknown output format {fmt!r}; valid formats: {', '.join(FORMATS)}")


def loads(text: str, *, origin: str = "input") -> Any:
    """Decode JSON or YAML, detected from the content (not the file name).

    Both formats refuse duplicate keys and obey the limits of :mod:`eidos.serializer.limits`
    (size, also after YAML alias expansion, and nesting depth).

    Raises:
        InvalidRequestError: empty, oversized, too deep, malformed or unsafe content, or a
            duplicate key (names ``origin``, and the line where it can).
    """
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InvalidRequestError(
            f"{origin}: document is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB"
        )
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise InvalidRequestError(f"{origin}: the document is empty")
    try:
        if stripped[0] in "{[":
            from eidos.serializer.jsonload import JsonLoadError, load_json

            try:
                return load_json(stripped)
            except JsonLoadError as exc:
                if not exc.syntax or stripped[0] == "[" or not _maybe_flow_yaml(stripped):
                    raise InvalidRequestError(f"{origin}: invalid JSON: {exc}") from None
        from eidos.serializer.yamlfast import DECLINED, load_emitted

        doc = load_emitted(text.lstrip("\ufeff"))
        if doc is not DECLINED:  # eidos's own output: no PyYAML needed (docs/performance.md)
            return doc
        from eidos.serializer.yamlload import YamlLoadError, load_yaml

        try:
            return load_yaml(text.lstrip("\ufeff"))
        except YamlLoadError as exc:
            raise InvalidRequestError(f"{origin}: invalid YAML: {exc}") from None
    except DocumentLimitError as exc:
        raise InvalidRequestError(f"{origin}: {exc}") from None


def _maybe_flow_yaml(text: str) -> bool:
    """A ``{...}`` text that is not JSON may still be YAML flow style."""
    return '"' not in text[:2]
