"""Output formats (json, yaml, table) and content-detected decoding of JSON or YAML."""

from __future__ import annotations

from eidos.errors import InvalidRequestError
from eidos.names import OUTPUT_FORMATS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FORMATS", "MAX_DOCUMENT_BYTES", "dumps", "loads", "parse_format"]

FORMATS = OUTPUT_FORMATS
#: Largest document eidos reads (a full snapshot is ~80 KB; ConfigMaps cap at 1 MiB).
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024


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

    Raises:
        InvalidRequestError: empty, oversized, malformed or unsafe content (names ``origin``).
    """
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InvalidRequestError(
            f"{origin}: document is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB"
        )
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise InvalidRequestError(f"{origin}: the document is empty")
    if stripped[0] in "{[":
        import json

        try:
            return json.loads(stripped)
        except json.JSONDecodeError as exc:
            if stripped[0] == "[" or not _maybe_flow_yaml(stripped):
                raise InvalidRequestError(f"{origin}: invalid JSON: {exc}") from None
    from eidos.serializer.yamlload import YamlLoadError, load_yaml

    try:
        return load_yaml(text.lstrip("\ufeff"))
    except YamlLoadError as exc:
        raise InvalidRequestError(f"{origin}: invalid YAML: {exc}") from None


def _maybe_flow_yaml(text: str) -> bool:
    """A ``{...}`` text that is not JSON may still be YAML flow style."""
    return '"' not in text[:2]
