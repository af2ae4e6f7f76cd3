"""A reader for exactly the YAML that :mod:`.yamlemit` writes; anything else is declined.

Why it exists (measured, docs/performance.md): reading a recipe with PyYAML costs its
import (~25 ms, most of a cold ``eidos bundle``) plus the parse; this reader costs ~2 ms
for the same recipe. It accepts only the emitter's layout -- block mappings and sequences
indented by two, ``{}``/``[]``, one-line plain, single- and double-quoted scalars -- and
a plain scalar only where the emitter itself would write that text plain (so its type is
the one :func:`~.yamlload.load_yaml` gives it). Everything else (comments, flow
collections, anchors, block scalars, tabs, CR, duplicate keys, deep nesting) returns
:data:`DECLINED` and the caller falls back to :func:`~.yamlload.load_yaml`, which gives
the same answer or the proper error. Property tests check the agreement.
"""

from __future__ import annotations

from eidos.charsets import digits, integer
from eidos.serializer.limits import MAX_DEPTH
from eidos.serializer.yamlemit import plain_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DECLINED", "load_emitted"]

DECLINED: Any = object()
"""Returned for any text this reader does not accept."""

_NUMBER_START = frozenset("-0123456789")
_SPECIAL = {".inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}
_KEYWORDS: dict[str, Any] = {"true": True, "false": False, "null": None}
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r"}


class _Declined(Exception):
    """The text is not the emitter's output."""


def _double(text: str, start: int) -> tuple[str, int]:
    """The double-quoted scalar at ``text[start]`` and the index after its closing quote."""
    out: list[str] = []
    i = start + 1
    while True:
        end = text.find('"', i)
        slash = text.find("\\", i, end if end >= 0 else None)
        if end < 0:
            raise _Declined
        if slash < 0:
            out.append(text[i:end])
            return "".join(out), end + 1
        out.append(text[i:slash])
        kind = text[slash + 1 : slash + 2]
        if kind in _ESCAPES:
            out.append(_ESCAPES[kind])
            i = slash + 2
        elif kind in ("x", "u"):
            width = 2 if kind == "x" else 4
            digits = text[slash + 2 : slash + 2 + width]
            if len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise _Declined
            out.append(chr(int(digits, 16)))
            i = slash + 2 + width
        else:
            raise _Declined


def _single(text: str, start: int) -> tuple[str, int]:
    """The single-quoted scalar at ``text[start]`` and the index after its closing quote."""
    out: list[str] = []
    i = start + 1
    while True:
        end = text.find("'", i)
        if end < 0:
            raise _Declined
        out.append(text[i:end])
        if text[end + 1 : end + 2] != "'":
            return "".join(out), end + 1
        out.append("'")
        i = end + 2


def _plain(text: str) -> Any:
    value = _KEYWORDS.get(text, DECLINED)
    if value is not DECLINED:
        return value
    if text[:1] in _NUMBER_START:
        number = _number(text)
        if number is not None:
            return number
    if text in _SPECIAL:
        return _SPECIAL[text]
    if plain_text(text):
        return text
    raise _Declined


def _number(text: str) -> int | float | None:
    r"""An int for ``-?(0|[1-9][0-9]*)``, a float for ``-?[0-9]+\.[0-9]+(e[-+][0-9]+)?``."""
    body = text[1:] if text[0] == "-" else text
    if integer(body):
        return int(text)
    whole, dot, rest = body.partition(".")
    fraction, e, power = rest.partition("e")
    if (
        dot
        and digits(whole)
        and digits(fraction)
        and (not e or (power[:1] in ("-", "+") and digits(power[1:])))
    ):
        return float(text)
    return None


def _scalar(text: str) -> Any:
    """A whole value text: a quoted or plain scalar, ``{}`` or ``[]``."""
    head = text[:1]
    if head in {'"', "'"}:
        value, end = _double(text, 0) if head == '"' else _single(text, 0)
        if end != len(text):
            raise _Declined
        return value
    if text == "{}":
        return {}
    if text == "[]":
        return []
    return _plain(text)


def _key(line: str) -> tuple[str, str | None]:
    """(key, rest after ``": "``, or None when the line ends with the key's ``:``)."""
    head = line[:1]
    if head in {'"', "'"}:
        key, end = _double(line, 0) if head == '"' else _single(line, 0)
    else:
        end = line.find(": ")
        end = len(line) - 1 if end < 0 else end
        key = line[:end]
        if type(_plain(key)) is not str:
            raise _Declined
    if line[end : end + 2] == ": ":
        return key, line[end + 2 :]
    if end == len(line) - 1 and line[end] == ":":
        return key, None
    raise _Declined


class _Reader:
    __slots__ = ("lines", "pos")

    def __init__(self, lines: list[tuple[int, str]]) -> None:
        self.lines = lines
        self.pos = 0

    def node(self, indent: int, depth: int) -> Any:
        if depth > MAX_DEPTH - 2:  # the fallback decides near the limit
            raise _Declined
        at, text = self.lines[self.pos]
        if at != indent:
            raise _Declined
        if text == "-" or text.startswith("- "):
            return self.sequence(indent, depth)
        return self.mapping(indent, depth)

    def _child(self, indent: int, depth: int) -> Any:
        """The block nested under a ``key:`` or ``-`` line."""
        if self.pos >= len(self.lines) or self.lines[self.pos][0] != indent + 2:
            raise _Declined
        return self.node(indent + 2, depth + 1)

    def mapping(self, indent: int, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        lines = self.lines
        while self.pos < len(lines) and lines[self.pos][0] == indent:
            text = lines[self.pos][1]
            if text == "-" or text.startswith("- "):
                raise _Declined
            key, rest = _key(text)
            if key in out:
                raise _Declined
            self.pos += 1
            out[key] = self._child(indent, depth) if rest is None else _scalar(rest)
        return out

    def sequence(self, indent: int, depth: int) -> list[Any]:
        out: list[Any] = []
        lines = self.lines
        while self.pos < len(lines) and lines[self.pos][0] == indent:
            text = lines[self.pos][1]
            if text == "-":
                self.pos += 1
                out.append(self._child(indent, depth))
                continue
            if not text.startswith("- "):
                raise _Declined
            item = text[2:]
            quoted = item[:1] in ('"', "'")
            if quoted or item in ("{}", "[]") or not (": " in item or item.endswith(":")):
                try:
                    out.append(_scalar(item))
                    self.pos += 1
                    continue
                except _Declined:
                    if not quoted:  # a quoted item may still be a mapping's quoted key
                        raise
            lines[self.pos] = (indent + 2, item)  # "- key: v" opens a mapping at indent+2
            out.append(self.mapping(indent + 2, depth + 1))
        return out


def load_emitted(text: str) -> Any:
    """The document ``text`` holds, if the emitter wrote it; else :data:`DECLINED`."""
    if not text.endswith("\n") or not text.replace("\n", " ").isprintable():
        return DECLINED  # tabs, CR, other line breaks, BOM, surrogates: load_yaml decides
    lines: list[tuple[int, str]] = []
    for raw in text[:-1].split("\n"):
        body = raw.lstrip(" ")
        if not body or body[0] == "#" or raw[-1] == " ":
            return DECLINED
        lines.append((len(raw) - len(body), body))
    if not lines:
        return DECLINED
    reader = _Reader(lines)
    try:
        if len(lines) == 1 and lines[0][0] == 0 and not lines[0][1].startswith("- "):
            text0 = lines[0][1]
            if text0 in ("{}", "[]") or (": " not in text0 and not text0.endswith(":")):
                return _scalar(text0)
            if text0[:1] in ('"', "'"):  # a quoted scalar holding ": " (or a quoted key)
                try:
                    return _scalar(text0)
                except _Declined:
                    pass
        doc = reader.node(0, 1)
    except (_Declined, RecursionError, ValueError):
        return DECLINED
    return doc if reader.pos == len(lines) else DECLINED
