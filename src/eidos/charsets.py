"""Checks of short identifiers by character class: names, versions, labels, numbers.

Most values eidos checks have one shape: a first character from one set, then characters
from a second, ending in one from a third, at most so many (a namespace is
``[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?``). :func:`token` checks that shape with set
operations, in linear time on any input. Start-up cost is why there is no ``re`` here:
``re`` and the ``enum`` it loads are ~5 ms of a cold ``eidos bundle``, which checks dozens
of values (docs/performance.md). The tests hold every check against the regular
expression it replaced. Digits are ASCII digits only, as ``[0-9]`` is (``str.isdigit``
takes others).
"""

from __future__ import annotations

__all__ = [
    "ALNUM",
    "DIGITS",
    "LOWER_DIGITS",
    "digits",
    "integer",
    "label_key",
    "label_value",
    "token",
]

DIGITS = frozenset("0123456789")
LOWER_DIGITS = frozenset("abcdefghijklmnopqrstuvwxyz") | DIGITS
ALNUM = LOWER_DIGITS | frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

_DNS_MIDDLE = LOWER_DIGITS | frozenset("-.")
_LABEL_MIDDLE = ALNUM | frozenset("-_.")


def token(
    text: str,
    first: frozenset[str],
    middle: frozenset[str],
    last: frozenset[str] | None = None,
    *,
    longest: int | None = None,
) -> bool:
    """Whether ``text`` has the shape ``first middle* last``, at most ``longest`` long.

    One character of ``first``, then characters of ``middle``, the last (when there are two
    or more) one of ``last`` (default: of ``middle``).
    """
    if not text or text[0] not in first or (longest is not None and len(text) > longest):
        return False
    if len(text) == 1:
        return True
    return text[-1] in (middle if last is None else last) and middle.issuperset(text[1:-1])


def digits(text: str, *, longest: int | None = None) -> bool:
    """One or more ASCII digits, at most ``longest``."""
    return bool(text) and DIGITS.issuperset(text) and (longest is None or len(text) <= longest)


def integer(text: str, *, longest: int | None = None) -> bool:
    """``0``, or ASCII digits without a leading zero, at most ``longest``: ``0|[1-9][0-9]*``."""
    return text == "0" or (digits(text, longest=longest) and text[0] != "0")


def label_key(text: str) -> bool:
    """A Kubernetes label key: an optional DNS prefix (at most 253) and ``/``, then a name."""
    prefix, slash, name = text.rpartition("/")
    if slash and not token(prefix, LOWER_DIGITS, _DNS_MIDDLE, LOWER_DIGITS, longest=253):
        return False
    return token(name, ALNUM, _LABEL_MIDDLE, ALNUM, longest=63)


def label_value(text: str) -> bool:
    """A Kubernetes label value: empty, or a name of at most 63 characters."""
    return not text or token(text, ALNUM, _LABEL_MIDDLE, ALNUM, longest=63)
