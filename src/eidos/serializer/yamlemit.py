"""A small, fast YAML emitter for eidos documents (block style, yaml.v3-like layout).

Documents are maps, lists and scalars only. Strings are quoted exactly when a YAML 1.1 or
1.2 reader would otherwise read them as something else, so every value keeps its type on
the way back (``"1"``, ``"24.04"``, ``"true"``, ``"yes"`` stay strings). PyYAML's emitter
costs ~27 ms to import on the CLI start-up path; this one costs nothing and is checked
against PyYAML's reader by property tests.
"""

from __future__ import annotations

import math

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["emit_yaml", "plain_text"]

_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_RESERVED = {
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "true",
    "True",
    "TRUE",
    "false",
    "False",
    "FALSE",
    "y",
    "Y",
    "yes",
    "Yes",
    "YES",
    "n",
    "N",
    "no",
    "No",
    "NO",
    "on",
    "On",
    "ON",
    "off",
    "Off",
    "OFF",
    "=",
    "<<",
}


#: Strings that start with a letter, '/' or '_' and hold only these characters, with single
#: spaces between words, are plain unless reserved (fast path; the general rules below
#: decide everything else). Set tests, not a regular expression: ``re`` (with ``enum``)
#: costs ~5 ms of start-up that the recipe path otherwise does not pay.
_PLAIN_HEAD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/_")
_PLAIN_BODY = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./@+=,()%~ -"
)


def _safe_plain(text: str) -> bool:
    return bool(text) and text[0] in _PLAIN_HEAD and _PLAIN_BODY.issuperset(text)


def _needs_escapes(text: str) -> bool:
    """Whether ``text`` holds what only a double-quoted scalar can hold.

    That is controls (tab included), DEL, C1, the Unicode line and paragraph separators and
    the BOM; callers screen with ``str.isprintable()`` first, which is C-fast.
    """
    return any(
        ord(ch) < 32 or ord(ch) == 127 or ch in "\u2028\u2029\ufeff" or 0x80 <= ord(ch) < 0xA0
        for ch in text
    )


#: Characters a YAML number, date or time may consist of (after a leading digit or dot).
_NUMERIC = frozenset("0123456789._:+-eExXoObBabcdefABCDEFtTzZ ")


def _looks_numeric(text: str) -> bool:
    """Would a YAML 1.1/1.2 reader take this for a number, date or special float?"""
    body = text.lstrip("+-")
    if not body:
        return False
    low = body.lower()
    if low in (".inf", ".nan", "inf", "nan", "infinity"):
        return True
    head = body[0]
    if not (head.isdigit() or head == "."):
        return False
    # digits, dots, underscores, exponents, hex/octal/binary, colons (sexagesimal), dates
    return _NUMERIC.issuperset(body)


def _needs_quotes(text: str) -> str | None:
    """Return the quoting style a string needs: None (plain), "'" or '"'."""
    if _safe_plain(text) and "  " not in text and text[-1] != " ":
        low = text.lower()
        if text in _RESERVED or low in ("inf", "nan", "infinity"):
            return '"'
        return None
    if not text.isprintable() and _needs_escapes(text):
        return '"'
    if text in _RESERVED or _looks_numeric(text):
        return '"'
    if text[0] in _INDICATORS or text[0] == " " or text[-1] == " ":
        return "'"
    if ": " in text or " #" in text or text.endswith(":"):
        return "'"
    return None


def plain_text(text: str) -> bool:
    """Whether the emitter writes the string ``text`` plain (unquoted).

    Such a plain scalar reads back as that very string (the property tests' promise), which
    :mod:`.yamlfast` relies on.
    """
    return _needs_quotes(text) is None


def _quote_double(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif code < 32 or code == 127 or 0x80 <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif ch in "\u2028\u2029\ufeff":
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


#: Rendered strings, memoised: documents repeat their keys and many values. Bounded.
_RENDERED: dict[str, str] = {}
_RENDERED_MAX = 8192


def _string(text: str) -> str:
    rendered = _RENDERED.get(text)
    if rendered is None:
        style = _needs_quotes(text)
        if style is None:
            rendered = text
        elif style == "'":
            rendered = "'" + text.replace("'", "''") + "'"
        else:
            rendered = _quote_double(text)
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.clear()
        _RENDERED[text] = rendered
    return rendered


def _scalar(value: Any) -> str:
    if type(value) is str:
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        if "e" in text and "." not in text:
            mantissa, exp = text.split("e")
            text = f"{mantissa}.0e{exp}"
        return text
    return _string(str(value))


def _key(key: Any) -> str:
    return _string(key if type(key) is str else str(key))


def _literal(text: str) -> str | None:
    """``|`` or ``|-`` when ``text`` reads back exactly as a literal block, else None."""
    body = text[:-1] if text.endswith("\n") else text
    if "\n" not in body or not body or body[0] in " \n" or body.endswith("\n"):
        return None
    for line in body.split("\n"):
        if not line.isprintable() or (line and not line.strip()) or line.endswith(" "):
            return None
    return "|" if text.endswith("\n") else "|-"


def _emit(value: Any, indent: int, step: int, out: list[str], literal: bool = False) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            _emit_entry(f"{pad}{_key(key)}:", item, indent, step, out, literal=literal)
    elif isinstance(value, list):
        for item in value:
            _emit_item(pad, item, indent, step, out, literal=literal)


def _emit_entry(
    prefix: str, item: Any, indent: int, step: int, out: list[str], *, literal: bool = False
) -> None:
    kind = type(item)
    if kind is dict or kind is list or isinstance(item, dict | list):
        if item:
            out.append(prefix)
            _emit(item, indent + step, step, out, literal)
        else:
            out.append(prefix + (" {}" if isinstance(item, dict) else " []"))
        return
    style = _literal(item) if literal and kind is str and "\n" in item else None
    if style is None:
        out.append(f"{prefix} {_scalar(item)}")
        return
    out.append(f"{prefix} {style}")
    pad = " " * (indent + step)
    out.extend(f"{pad}{line}" if line else "" for line in item.removesuffix("\n").split("\n"))


def _emit_item(
    pad: str, item: Any, indent: int, step: int, out: list[str], *, literal: bool = False
) -> None:
    if isinstance(item, dict) and item:
        first = True
        inner = indent + 2
        for key, sub in item.items():
            prefix = f"{pad}- {_key(key)}:" if first else f"{' ' * inner}{_key(key)}:"
            _emit_entry(prefix, sub, inner, step, out, literal=literal)
            first = False
    elif isinstance(item, list) and item:
        out.append(f"{pad}-")
        _emit(item, indent + step, step, out, literal)
    elif isinstance(item, dict):
        out.append(f"{pad}- {{}}")
    elif isinstance(item, list):
        out.append(f"{pad}- []")
    else:
        out.append(f"{pad}- {_scalar(item)}")


def emit_yaml(doc: Any, *, indent: int = 2, literal: bool = False) -> str:
    """Render ``doc`` (maps, lists, scalars) as block YAML ending with one newline.

    With ``literal``, multi-line strings that a ``|`` block holds exactly are written as
    one (readable configuration files); the others stay double-quoted.
    """
    if not isinstance(doc, dict | list):
        return _scalar(doc) + "\n"
    if not doc:
        return ("{}" if isinstance(doc, dict) else "[]") + "\n"
    out: list[str] = []
    _emit(doc, 0, indent, out, literal)
    return "\n".join(out) + "\n"
