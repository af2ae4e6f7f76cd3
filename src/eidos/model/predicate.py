"""The test part of a constraint: typed comparisons, ``in`` lists and ``contains``.

``Predicate.parse(">= 1.30, < 1.35", "version")`` reads what follows a constraint's path
(the grammar is in :mod:`eidos.model.constraint`); ``holds(reading)`` converts a snapshot
reading to the predicate's kind and tests it. Versions compare at the precision the literal
is written with. The node-count criterion of overlay keys uses the same comparisons.
"""

from __future__ import annotations

from eidos.model.version import Version, VersionError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["KINDS", "OPERATORS", "Comparison", "ConstraintError", "Predicate"]

KINDS = ("version", "integer", "string", "boolean")
#: Comparison operators, longest first (so ``>=`` is not read as ``>``).
OPERATORS = (">=", "<=", "==", "!=", ">", "<")
_ORDERING = (">=", "<=", ">", "<")


class ConstraintError(ValueError):
    """A constraint that does not parse or does not type-check (the message says why)."""


def _auto_kind(literals: list[str]) -> str:
    if literals and all(t in ("true", "false") for t in literals):
        return "boolean"
    if literals and all(_is_int(t) for t in literals):
        return "integer"
    return "string"


def _is_int(text: str) -> bool:
    body = text[1:] if text[:1] in "+-" else text
    return body.isascii() and body.isdigit()


def _typed(text: str, kind: str) -> Any:
    """Parse a literal as ``kind`` (raises ConstraintError)."""
    if kind == "version":
        try:
            return Version.parse(text)
        except VersionError as exc:
            raise ConstraintError(str(exc)) from None
    if kind == "integer":
        if not _is_int(text):
            raise ConstraintError(f"{text!r} is not an integer")
        return int(text)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise ConstraintError(f"{text!r} is not true or false")
        return text == "true"
    return text


class Comparison:
    """One ``OP literal`` test, typed (``>= 1.32`` as a version, ``== 8`` as an integer)."""

    __slots__ = ("kind", "literal", "op", "value")

    def __init__(self, op: str, literal: str, kind: str) -> None:
        if op not in OPERATORS:
            raise ConstraintError(f"unknown operator {op!r}; valid: {', '.join(OPERATORS)}")
        if op in _ORDERING and kind in ("string", "boolean"):
            raise ConstraintError(f"{op} needs a version or an integer, not a {kind}")
        self.op = op
        self.literal = literal
        self.kind = kind
        self.value = _typed(literal, kind)

    def holds(self, actual: Any) -> bool:
        """Whether the typed ``actual`` (already converted to this kind) passes."""
        mine, theirs = self.value, actual
        if self.kind == "version":
            n = mine.precision
            mine, theirs = mine._key()[:n], theirs._key()[:n]
        if self.op == "==":
            return bool(theirs == mine)
        if self.op == "!=":
            return bool(theirs != mine)
        if self.op == ">=":
            return bool(theirs >= mine)
        if self.op == "<=":
            return bool(theirs <= mine)
        if self.op == ">":
            return bool(theirs > mine)
        return bool(theirs < mine)

    def __str__(self) -> str:
        return f"{self.op} {_quote(self.literal)}"


def _quote(text: str) -> str:
    if text and not any(c in text for c in ' ,[]"') and text not in ("in", "contains"):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Predicate:
    """What a constraint tests: comparisons (all must hold), ``in`` a set, or ``contains``."""

    __slots__ = ("comparisons", "kind", "mode", "options")

    def __init__(
        self,
        kind: str,
        *,
        comparisons: list[Comparison] | None = None,
        options: list[Any] | None = None,
        mode: str = "compare",
    ) -> None:
        self.kind = kind
        self.mode = mode
        self.comparisons = comparisons or []
        self.options = options or []

    @classmethod
    def parse(cls, text: str, kind: str) -> Predicate:
        """Parse the part after the path (``>= 1.30, < 1.35``, ``in [a, b]``, ``contains x``).

        ``kind`` may be ``auto``: the literals decide (see :data:`PATH_KINDS`).
        """
        tokens = _tokenize(text)
        if not tokens:
            raise ConstraintError("missing a test after the path (e.g. '>= 1.30')")
        head = tokens[0]
        if head == "in":
            return cls._parse_in(tokens[1:], kind)
        if head == "contains":
            if len(tokens) != 2:
                raise ConstraintError("'contains' takes exactly one value")
            if kind not in ("string", "auto"):
                raise ConstraintError(f"'contains' needs a string, not a {kind}")
            return cls("string", options=[tokens[1]], mode="contains")
        pairs: list[tuple[str, str]] = []
        rest = tokens
        while rest:
            if rest[0] not in OPERATORS or len(rest) < 2:
                raise ConstraintError(
                    f"expected OPERATOR VALUE at {' '.join(rest)!r}; operators: "
                    f"{', '.join(OPERATORS)}, in [..], contains"
                )
            pairs.append((rest[0], rest[1]))
            rest = rest[2:]
            if rest:
                if rest[0] != ",":
                    raise ConstraintError(f"expected ',' between comparisons at {rest[0]!r}")
                rest = rest[1:]
                if not rest:
                    raise ConstraintError("trailing ','")
        if kind == "auto":
            kind = _auto_kind([literal for _, literal in pairs])
        return cls(kind, comparisons=[Comparison(op, lit, kind) for op, lit in pairs])

    @classmethod
    def _parse_in(cls, tokens: list[str], kind: str) -> Predicate:
        if len(tokens) < 3 or tokens[0] != "[" or tokens[-1] != "]":
            raise ConstraintError("'in' takes a list: in [a, b]")
        items = tokens[1:-1]
        literals = items[0::2]
        if any(sep != "," for sep in items[1::2]) or not literals or "," in literals:
            raise ConstraintError("'in' takes a comma-separated list: in [a, b]")
        if kind == "auto":
            kind = _auto_kind(literals)
        comparisons = [Comparison("==", lit, kind) for lit in literals]
        return cls(kind, comparisons=comparisons, mode="in")

    def convert(self, actual: Any) -> Any:
        """``actual`` (a snapshot reading) as this predicate's kind, or ``None`` if it is not."""
        if actual is None:
            return None
        if self.kind == "boolean":
            if isinstance(actual, bool):
                return actual
            text = str(actual).strip().lower()
            return {"true": True, "false": False}.get(text)
        if self.kind == "integer":
            if isinstance(actual, int) and not isinstance(actual, bool):
                return actual
            text = str(actual).strip()
            return int(text) if _is_int(text) else None
        if self.kind == "version":
            try:
                return Version.parse(str(actual))
            except VersionError:
                return None
        if isinstance(actual, bool):
            return "true" if actual else "false"
        return str(actual)

    def holds(self, actual: Any) -> bool:
        """Whether a snapshot reading passes; a missing or mistyped reading never does."""
        value = self.convert(actual)
        if value is None:
            return False
        if self.mode == "contains":
            return str(self.options[0]) in value
        if self.mode == "in":
            return any(c.holds(value) for c in self.comparisons)
        return all(c.holds(value) for c in self.comparisons)

    def __str__(self) -> str:
        if self.mode == "contains":
            return f"contains {_quote(self.options[0])}"
        if self.mode == "in":
            return "in [" + ", ".join(_quote(c.literal) for c in self.comparisons) + "]"
        return ", ".join(str(c) for c in self.comparisons)


def _tokenize(text: str) -> list[str]:
    """Operators, ``[``, ``]``, ``,``, bare words and double-quoted strings."""
    tokens: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "[],":
            tokens.append(ch)
            i += 1
        elif ch == '"':
            j, buf = i + 1, []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    j += 1
                buf.append(text[j])
                j += 1
            if j >= n:
                raise ConstraintError(f"unterminated quote in {text!r}")
            tokens.append("".join(buf))
            i = j + 1
        elif text.startswith(OPERATORS, i):
            op = next(o for o in OPERATORS if text.startswith(o, i))
            tokens.append(op)
            i += len(op)
        else:
            j = i
            while (
                j < n
                and not text[j].isspace()
                and text[j] not in '[],"'
                and not (text.startswith(OPERATORS, j))
            ):
                j += 1
            tokens.append(text[i:j])
            i = j
    return tokens
