"""Constraints: typed predicates a recipe assumes of a node or cluster, in a small grammar.

A constraint names a snapshot reading by its measurement path and tests it::

    K8s.server.version >= 1.32                       a version range (one comparison)
    K8s.server.version >= 1.32, < 1.35               all comparisons must hold
    OS.release.ID in [ubuntu, rhel]                  one of
    GPU.smi.gpu.model contains H100                  substring (strings only)
    OS.kmod.nvidia_peermem == true                   booleans: == and != only
    SystemD.containerd.service.LimitMEMLOCK == 18446744073709551615

The path is ``Type.subtype.key`` (a SystemD subtype is a unit name and keeps its suffix,
``containerd.service``; the key is everything after the subtype and may hold dots and
slashes). The value type comes from the path (:data:`PATH_KINDS`): versions compare at the
precision the constraint writes (``>= 6.8`` holds for ``6.8.0-1024-aws``; ``< 1.35`` does
not hold for ``1.35.2``; ``== 1.33`` holds for ``v1.33.5-eks-1``), integers numerically,
strings exactly. Everything is checked when the data loads (:class:`ConstraintError`).
"""

from __future__ import annotations

from eidos.model.measurement import MEASUREMENT_TYPES
from eidos.model.version import Version, VersionError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "KINDS",
    "OPERATORS",
    "PATH_KINDS",
    "SEVERITIES",
    "Comparison",
    "Constraint",
    "ConstraintError",
    "Predicate",
    "kind_of",
    "split_path",
]

KINDS = ("version", "integer", "string", "boolean")
SEVERITIES = ("error", "warning")
#: Comparison operators, longest first (so ``>=`` is not read as ``>``).
OPERATORS = (">=", "<=", "==", "!=", ">", "<")
_ORDERING = (">=", "<=", ">", "<")
#: (path pattern, kind): first match wins; ``*`` stands for the rest of the path.
#: ``auto`` takes its kind from the literal: true/false boolean, integers integer, else string.
PATH_KINDS: tuple[tuple[str, str], ...] = (
    ("K8s.server.version", "version"),
    ("K8s.node.kernel-version", "version"),
    ("K8s.node.container-runtime-version", "version"),
    ("K8s.image.*", "version"),
    ("K8s.*", "string"),
    ("OS.release.VERSION_ID", "version"),
    ("OS.release.*", "string"),
    ("OS.sysctl./proc/sys/kernel/osrelease", "version"),
    ("OS.sysctl.*", "auto"),
    ("OS.kmod.*", "boolean"),
    ("OS.grub.*", "string"),
    ("GPU.smi.driver", "version"),
    ("GPU.smi.cuda-version", "version"),
    ("GPU.smi.gpu.gsp-firmware-version", "version"),
    ("GPU.smi.gpu-count", "integer"),
    ("GPU.*", "string"),
    ("SystemD.*", "auto"),
)
_UNIT_SUFFIXES = (".service", ".socket", ".target", ".mount", ".timer", ".slice", ".scope")


class ConstraintError(ValueError):
    """A constraint that does not parse or does not type-check (the message says why)."""


def split_path(path: str) -> tuple[str, str, str]:
    """``OS.sysctl./proc/sys/vm/swappiness`` -> ``("OS", "sysctl", "/proc/sys/vm/swappiness")``.

    Raises:
        ConstraintError: an unknown measurement type or a path without subtype and key.
    """
    mtype, _, rest = path.partition(".")
    if mtype not in MEASUREMENT_TYPES:
        raise ConstraintError(
            f"unknown measurement type {mtype!r} in {path!r}; "
            f"known types: {', '.join(MEASUREMENT_TYPES)}"
        )
    subtype, key = "", ""
    if mtype == "SystemD":
        for suffix in _UNIT_SUFFIXES:
            at = rest.find(suffix + ".")
            if at > 0:
                subtype, key = rest[: at + len(suffix)], rest[at + len(suffix) + 1 :]
                break
    else:
        subtype, _, key = rest.partition(".")
    if not subtype or not key:
        form = "SystemD.<unit>.<property>" if mtype == "SystemD" else f"{mtype}.<subtype>.<key>"
        raise ConstraintError(f"invalid path {path!r}: expected {form}")
    return mtype, subtype, key


def kind_of(path: str) -> str:
    """The declared kind for ``path`` (one of :data:`KINDS` or ``auto``)."""
    split_path(path)
    for pattern, kind in PATH_KINDS:
        if pattern.endswith("*"):
            if path.startswith(pattern[:-1]):
                return kind
        elif path == pattern:
            return kind
    return "string"  # pragma: no cover - every type has a catch-all pattern


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


def _split_check(text: str) -> tuple[str, str]:
    """``PATH TEST`` -> (path, test): the path ends at a space or an operator."""
    end = 0
    while end < len(text) and not text[end].isspace() and text[end] not in "<>=!":
        end += 1
    return text[:end], text[end:]


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


class Constraint:
    """One parsed constraint: path, predicate, severity and a one-line reason.

    Args:
        check: the constraint text, ``PATH TEST`` (see the module docstring).
        severity: ``error`` (the recipe does not hold) or ``warning``.
        reason: one line saying why the recipe assumes this.
        source: which part of the data set it (recipes carry it with ``--context``).
    """

    __slots__ = (
        "_check",
        "_predicate",
        "key",
        "mtype",
        "path",
        "reason",
        "severity",
        "source",
        "subtype",
    )

    def __init__(self, check: str, severity: str = "error", reason: str = "", source: str = ""):
        if not isinstance(check, str) or not check.strip():
            raise ConstraintError("a constraint needs a check, e.g. 'K8s.server.version >= 1.32'")
        path, test = _split_check(check.strip())
        self.mtype, self.subtype, self.key = split_path(path)
        self.path = path
        try:
            self._predicate: Predicate | None = Predicate.parse(test, kind_of(path))
        except ConstraintError as exc:
            raise ConstraintError(f"{check.strip()!r}: {exc}") from None
        self._check = ""
        if severity not in SEVERITIES:
            raise ConstraintError(f"invalid severity {severity!r}; valid: {', '.join(SEVERITIES)}")
        if not isinstance(reason, str) or not reason.strip() or "\n" in reason.strip():
            raise ConstraintError(f"{path}: the reason must be one non-empty line")
        self.severity = severity
        self.reason = reason.strip()
        self.source = source

    @classmethod
    def adopt(cls, raw: dict[str, Any], source: str = "") -> Constraint:
        """A constraint checked when its data was built (the embedded recipe data).

        Its ``check`` is already normalised; the test is parsed on first use, not now.
        """
        self = cls.__new__(cls)
        self._check = raw["check"]
        self._predicate = None
        self.path = _split_check(self._check)[0]
        self.mtype, self.subtype, self.key = split_path(self.path)
        self.severity = raw.get("severity", "error")
        self.reason = raw["reason"]
        self.source = source
        return self

    @property
    def predicate(self) -> Predicate:
        """What the constraint tests of a reading."""
        if self._predicate is None:
            self._predicate = Predicate.parse(_split_check(self._check)[1], kind_of(self.path))
        return self._predicate

    @property
    def check(self) -> str:
        """The normalised constraint text (parses back to an equal constraint)."""
        return self._check or f"{self.path} {self.predicate}"

    @property
    def kind(self) -> str:
        """The value kind the reading is compared as (one of :data:`KINDS`)."""
        return self.predicate.kind

    def holds(self, actual: Any) -> bool:
        """Whether a snapshot reading (``None`` when absent) satisfies this constraint."""
        return self.predicate.holds(actual)

    def to_dict(self, *, with_context: bool = False) -> dict[str, Any]:
        """Wire form: ``{check, severity, reason}`` (plus ``source`` with context)."""
        out: dict[str, Any] = {"check": self.check, "reason": self.reason}
        out["severity"] = self.severity
        if with_context and self.source:
            out["source"] = self.source
        return out

    @classmethod
    def from_dict(cls, raw: Any, where: str = "constraint") -> Constraint:
        """Read ``{check, severity?, reason}`` (severity defaults to error)."""
        if not isinstance(raw, dict):
            raise ConstraintError(f"{where}: expected a mapping with check, severity and reason")
        unknown = sorted(str(k) for k in raw if k not in ("check", "severity", "reason", "source"))
        if unknown:
            raise ConstraintError(f"{where}: unknown field(s) {', '.join(unknown)}")
        try:
            return cls(
                raw.get("check"),  # type: ignore[arg-type]
                raw.get("severity", "error"),
                raw.get("reason", ""),
                str(raw.get("source") or ""),
            )
        except ConstraintError as exc:
            raise ConstraintError(f"{where}: {exc}") from None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Constraint):
            return NotImplemented
        return (self.check, self.severity, self.reason) == (
            other.check,
            other.severity,
            other.reason,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Constraint({self.check!r}, {self.severity!r})"
