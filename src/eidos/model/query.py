"""Recipe queries and the asymmetric wildcard match between an overlay key and a query.

An overlay key (the *rule*) matches a query (the *candidate*) when every field the rule
names is satisfied by the query; fields the rule leaves out (or sets to ``any``) are
wildcards. A field the rule names but the query leaves open does **not** match, so a
vaguer query never picks up a more specific overlay::

    rule {service: eks, gpu: h100}   query {service: eks, gpu: h100, os: ubuntu}  -> match
    rule {service: eks, gpu: h100}   query {service: eks}                         -> no match
    rule {k8s: "1.33"}               query {k8s: v1.33.5-eks-3025e55}              -> match

Enum values are case-insensitive everywhere; versions match at the rule's precision.
"""

from __future__ import annotations

from eidos.model.version import Version, VersionError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "ENUM_FIELDS",
    "FIELDS",
    "GPUS",
    "INTENTS",
    "OS_FAMILIES",
    "SERVICES",
    "VERSION_FIELDS",
    "Query",
    "QueryError",
    "normalize_enum",
    "parse_version_field",
]

OS_FAMILIES = ("ubuntu", "rhel", "cos", "amazonlinux")
SERVICES = ("eks", "gke", "aks", "oke", "self-managed")
GPUS = ("h100", "h200", "gb200", "b200", "a100", "l40", "l40s")
INTENTS = ("training", "inference")

#: enum field -> (valid values, human name)
ENUM_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "os": (OS_FAMILIES, "os family"),
    "service": (SERVICES, "service"),
    "gpu": (GPUS, "gpu type"),
    "intent": (INTENTS, "intent"),
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
FIELDS = ("os", "osv", "kernel", "service", "k8s", "gpu", "intent")


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


class Query:
    """The criteria of a recipe request; ``None`` in a field is a wildcard."""

    __slots__ = ("gpu", "intent", "k8s", "kernel", "os", "osv", "service", "with_context")

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
        with_context: bool = False,
    ) -> None:
        self.os = os
        self.osv = osv
        self.kernel = kernel
        self.service = service
        self.k8s = k8s
        self.gpu = gpu
        self.intent = intent
        self.with_context = with_context

    @classmethod
    def build(cls, *, with_context: bool = False, **criteria: Any) -> Query:
        """Validate and normalise raw criteria (strings or version mappings).

        Raises:
            QueryError: on an unknown field, enum value or version.
        """
        unknown = set(criteria) - set(FIELDS)
        if unknown:
            raise QueryError(
                f"unknown criteria: {', '.join(sorted(unknown))}; valid: {', '.join(FIELDS)}"
            )
        values: dict[str, Any] = {}
        for field in FIELDS:
            raw = criteria.get(field)
            if field in ENUM_FIELDS:
                values[field] = normalize_enum(field, raw)
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
            if field in VERSION_FIELDS:
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
            parts.append(value.text if isinstance(value, Version) else value)
        parts.append(self.with_context)
        return tuple(parts)

    def rule_string(self) -> str:
        """The ``matchedRules`` form: ``OS: ubuntu any, Kernel: any, Service: eks, ...``."""

        def show(value: Any) -> str:
            if value is None:
                return "any"
            return value.short() if isinstance(value, Version) else str(value)

        return (
            f"OS: {show(self.os)} {show(self.osv)}, Kernel: {show(self.kernel)}, "
            f"Service: {show(self.service)}, K8s: {show(self.k8s)}, GPU: {show(self.gpu)}, "
            f"Intent: {show(self.intent)}, Context: {'true' if self.with_context else 'false'}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Wire form: set criteria only, versions as written; ``withContext`` when true."""
        out: dict[str, Any] = {}
        for field, value in self.fields().items():
            if value is not None:
                out[field] = value.text if isinstance(value, Version) else value
        if self.with_context:
            out["withContext"] = True
        return out

    @classmethod
    def from_dict(cls, raw: Any) -> Query:
        """Read a request or overlay key (versions as strings or mappings)."""
        if not isinstance(raw, dict):
            raise QueryError("expected a mapping of criteria")
        with_context = bool(raw.get("withContext", False))
        criteria = {k: v for k, v in raw.items() if k != "withContext"}
        if "env" in criteria and criteria.get("service") in (None, ""):
            criteria["service"] = criteria.pop("env")
        criteria.pop("env", None)
        return cls.build(with_context=with_context, **criteria)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Query):
            return NotImplemented
        return self.cache_key() == other.cache_key()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Query({self.to_dict()!r})"
