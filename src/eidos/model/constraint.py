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
The test after the path is a :class:`~eidos.model.predicate.Predicate`::

    check      = PATH " " test
    test       = comparison *( "," comparison ) / "in" "[" value *( "," value ) "]"
               / "contains" value
    comparison = ( ">=" / "<=" / ">" / "<" / "==" / "!=" ) value
    value      = a word, or a double-quoted string (backslash escapes " and itself)
"""

from __future__ import annotations

from eidos.model.measurement import MEASUREMENT_TYPES
from eidos.model.predicate import KINDS, OPERATORS, Comparison, ConstraintError, Predicate

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

SEVERITIES = ("error", "warning")
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


def _split_check(text: str) -> tuple[str, str]:
    """``PATH TEST`` -> (path, test): the path ends at a space or an operator."""
    end = 0
    while end < len(text) and not text[end].isspace() and text[end] not in "<>=!":
        end += 1
    return text[:end], text[end:]


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
