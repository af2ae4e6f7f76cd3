"""Recipe queries and the asymmetric wildcard match between an overlay key and a query.

An overlay key (the *rule*) matches a query (the *candidate*) when every field the rule
names is satisfied by the query; fields the rule leaves out (or sets to ``any``) are
wildcards. A field the rule names but the query leaves open does **not** match, so a
vaguer query never picks up a more specific overlay::

    rule {service: eks, gpu: h100}   query {service: eks, gpu: h100, os: ubuntu}  -> match
    rule {service: eks, gpu: h100}   query {service: eks}                         -> no match
    rule {k8s: "1.33"}               query {k8s: v1.33.5-eks-3025e55}              -> match

Enum values are case-insensitive everywhere; versions match at the rule's precision.
``nodes`` is a count: a query gives a number (``8``), an overlay key a number or a range
(``">= 2"``, ``">= 2, <= 16"``) that the query's count must fall in.
"""

from __future__ import annotations

from eidos.model.predicate import ConstraintError, Predicate
from eidos.model.version import Version, VersionError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "ALIASES",
    "ENUM_FIELDS",
    "FIELDS",
    "GPUS",
    "INTENTS",
    "MAX_NODES",
    "OS_FAMILIES",
    "PLATFORMS",
    "SERVICES",
    "VERSION_FIELDS",
    "NodeCount",
    "Query",
    "QueryError",
    "normalize_enum",
    "parse_nodes",
    "parse_version_field",
]

OS_FAMILIES = ("ubuntu", "rhel", "cos", "amazonlinux")
SERVICES = ("eks", "gke", "aks", "oke", "self-managed", "kind")
GPUS = ("h100", "h200", "gb200", "b200", "a100", "l40", "l40s")
INTENTS = ("training", "inference")
PLATFORMS = ("kubeflow", "dynamo", "nim")

#: enum field -> (valid values, human name)
ENUM_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "os": (OS_FAMILIES, "os family"),
    "service": (SERVICES, "service"),
    "gpu": (GPUS, "gpu type"),
    "intent": (INTENTS, "intent"),
    "platform": (PLATFORMS, "platform"),
}
#: version field -> human name
VERSION_FIELDS: dict[str, str] = {
    "osv": "os version",
    "kernel": "kernel version",
    "k8s": "kubernetes version",
}
_VERSION_EXAMPLES = {
    "osv": "24.04",
    "kernel": "6.8.0-1028-aws",
    "k8s": "1.33 or v1.33.5-eks-3025e55",
}
#: all criteria, in wire order
FIELDS = ("os", "osv", "kernel", "service", "k8s", "gpu", "intent", "platform", "nodes")
#: criteria a rule string shows only when set (the reference's format has no place for them)
_NEW_FIELDS = {"platform": "Platform", "nodes": "Nodes"}
#: alternative names of criteria: alias -> field (``env`` from the reference, ``accelerator``
#: from the Go peer)
ALIASES = {"env": "service", "accelerator": "gpu"}
#: the largest node count a query may give
MAX_NODES = 100_000


class QueryError(ValueError):
    """An invalid criterion value; the message names the field and the valid values."""


def normalize_enum(field: str, value: Any) -> str | None:
    """Lower-case and validate an enum criterion; ``None``/empty/``any`` mean wildcard."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise QueryError(f"invalid {ENUM_FIELDS[field][1]} {value!r}: expected a string")
    text = value.strip().lower()
    if text in ("", "any"):
        return None
    valid, human = ENUM_FIELDS[field]
    if text not in valid:
        raise QueryError(
            f"invalid {human} {value.strip()!r}; valid values: any, {', '.join(valid)}"
        )
    return text


def parse_version_field(field: str, value: Any) -> Version | None:
    """Parse a version criterion from a string or the reference's mapping form."""
    if value is None:
        return None
    if isinstance(value, Version):
        return value
    human = VERSION_FIELDS[field]
    try:
        if isinstance(value, dict):
            return Version.from_mapping(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise VersionError(f"expected a string, got {type(value).__name__}")
        if value.strip().lower() in ("", "any"):
            return None
        return Version.parse(value)
    except VersionError as exc:
        if exc.negative:
            raise QueryError(f"{human} cannot contain negative numbers: {value}") from None
        reason = str(exc).removeprefix(f"invalid version {str(value).strip()!r}: ")
        raise QueryError(
            f"invalid {human} {value!r}: {reason} (expected [v]MAJOR[.MINOR[.PATCH]] with "
            f"optional -/+ extras, e.g. {_VERSION_EXAMPLES.get(field, '1.33')})"
        ) from None


class NodeCount:
    """A node count (``8``) or, in an overlay key, a range of counts (``>= 2, <= 16``)."""

    __slots__ = ("count", "predicate", "text")

    def __init__(self, predicate: Predicate, count: int | None) -> None:
        self.predicate = predicate
        self.count = count
        self.text = str(count) if count is not None else str(predicate)

    def matches(self, candidate: NodeCount) -> bool:
        """Whether ``candidate`` (a query's count) falls in this rule's range."""
        return candidate.count is not None and self.predicate.holds(candidate.count)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"NodeCount({self.text!r})"


def parse_nodes(value: Any, *, rule: bool = False) -> NodeCount | None:
    """Parse a node count; with ``rule`` (overlay keys) also a range such as ``>= 2``.

    Raises:
        QueryError: not a whole number from 1 to :data:`MAX_NODES` (or a valid range).
    """
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text.lower() in ("", "any"):
        return None
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    hint = " (overlay keys also take a range such as '>= 2')" if rule else ""
    if isinstance(text, str) and text.isascii() and text.isdigit():
        count = int(text)
        if 1 <= count <= MAX_NODES:
            return NodeCount(Predicate.parse(f"== {count}", "integer"), count)
    elif rule and isinstance(text, str) and text[:1] in "<>=!":
        try:
            predicate = Predicate.parse(text, "integer")
        except ConstraintError as exc:
            raise QueryError(f"invalid node count {text!r}: {exc}") from None
        return NodeCount(predicate, None)
    raise QueryError(
        f"invalid node count {value!r}: expected a whole number from 1 to {MAX_NODES}{hint}"
    )


class Query:
    """The criteria of a recipe request; ``None`` in a field is a wildcard."""

    __slots__ = (
        "gpu",
        "intent",
        "k8s",
        "kernel",
        "nodes",
        "os",
        "osv",
        "platform",
        "service",
        "with_context",
    )

    def __init__(
        self,
        *,
        os: str | None = None,
        osv: Version | None = None,
        kernel: Version | None = None,
        service: str | None = None,
        k8s: Version | None = None,
        gpu: str | None = None,
        intent: str | None = None,
        platform: str | None = None,
        nodes: NodeCount | None = None,
        with_context: bool = False,
    ) -> None:
        self.os = os
        self.osv = osv
        self.kernel = kernel
        self.service = service
        self.k8s = k8s
        self.gpu = gpu
        self.intent = intent
        self.platform = platform
        self.nodes = nodes
        self.with_context = with_context

    @classmethod
    def build(cls, *, with_context: bool = False, rule: bool = False, **criteria: Any) -> Query:
        """Validate and normalise raw criteria (strings or version mappings).

        ``rule`` reads an overlay key, where ``nodes`` may be a range.

        Raises:
            QueryError: on an unknown field, enum value or version.
        """
        unknown = set(criteria) - set(FIELDS)
        if unknown:
            raise QueryError(
                f"unknown criteria: {', '.join(sorted(unknown))}; valid: {', '.join(FIELDS)}"
            )
        values: dict[str, Any] = {}
        for field, raw in criteria.items():
            if raw is None:
                continue
            if field in ENUM_FIELDS:
                values[field] = normalize_enum(field, raw)
            elif field == "nodes":
                values[field] = parse_nodes(raw, rule=rule)
            else:
                values[field] = parse_version_field(field, raw)
        return cls(with_context=with_context, **values)

    def fields(self) -> dict[str, Any]:
        """Criteria in wire order (wildcards included as ``None``)."""
        return {f: getattr(self, f) for f in FIELDS}

    def is_empty(self) -> bool:
        """True when every criterion is a wildcard (``with_context`` does not count)."""
        return all(v is None for v in self.fields().values())

    def specificity(self) -> int:
        """Number of criteria that are not wildcards."""
        return sum(v is not None for v in self.fields().values())

    def matches(self, candidate: Query) -> bool:
        """Whether this rule matches ``candidate`` (see the module docstring)."""
        for field in FIELDS:
            mine = getattr(self, field)
            if mine is None:
                continue
            theirs = getattr(candidate, field)
            if theirs is None:
                return False
            if field in VERSION_FIELDS or field == "nodes":
                if not mine.matches(theirs):
                    return False
            elif mine != theirs:
                return False
        return True

    def cache_key(self) -> tuple[Any, ...]:
        """A hashable key: equal for queries that build the same recipe."""
        parts: list[Any] = []
        for field in FIELDS:
            value = getattr(self, field)
            parts.append(value.text if isinstance(value, Version | NodeCount) else value)
        parts.append(self.with_context)
        return tuple(parts)

    def rule_string(self) -> str:
        """The ``matchedRules`` form: ``OS: ubuntu any, Kernel: any, Service: eks, ...``."""

        def show(value: Any) -> str:
            if value is None:
                return "any"
            return value.short() if isinstance(value, Version) else str(value)

        extra = "".join(
            f", {label}: {show(getattr(self, field))}"
            for field, label in _NEW_FIELDS.items()
            if getattr(self, field) is not None
        )
        return (
            f"OS: {show(self.os)} {show(self.osv)}, Kernel: {show(self.kernel)}, "
            f"Service: {show(self.service)}, K8s: {show(self.k8s)}, GPU: {show(self.gpu)}, "
            f"Intent: {show(self.intent)}{extra}, "
            f"Context: {'true' if self.with_context else 'false'}"
        )

    def criteria_string(self) -> str:
        """The set criteria as ``k=v`` pairs (``service=eks, gpu=h100``), or ``any``."""
        pairs = [f"{k}={v}" for k, v in self.to_dict().items() if k != "withContext"]
        return ", ".join(pairs) or "any"

    def to_dict(self) -> dict[str, Any]:
        """Wire form: set criteria only, versions as written; ``withContext`` when true."""
        out: dict[str, Any] = {}
        for field, value in self.fields().items():
            if isinstance(value, NodeCount):
                out[field] = value.count if value.count is not None else value.text
            elif value is not None:
                out[field] = value.text if isinstance(value, Version) else value
        if self.with_context:
            out["withContext"] = True
        return out

    @classmethod
    def from_dict(cls, raw: Any, *, rule: bool = False) -> Query:
        """Read a request or (``rule``) an overlay key; versions as strings or mappings.

        ``env`` is an alias of ``service`` and ``accelerator`` of ``gpu`` (used when the
        main name is absent or empty).
        """
        if not isinstance(raw, dict):
            raise QueryError("expected a mapping of criteria")
        bad = [k for k in raw if not isinstance(k, str)]
        if bad:
            raise QueryError(f"criteria names must be strings, got {bad[0]!r}")
        with_context = bool(raw.get("withContext", False))
        criteria = {k: v for k, v in raw.items() if k != "withContext"}
        for alias, field in ALIASES.items():
            if alias in criteria and criteria.get(field) in (None, ""):
                criteria[field] = criteria.pop(alias)
            criteria.pop(alias, None)
        return cls.build(with_context=with_context, rule=rule, **criteria)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Query):
            return NotImplemented
        return self.cache_key() == other.cache_key()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Query({self.to_dict()!r})"
