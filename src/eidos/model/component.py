"""Component references: one deployable component of a recipe, complete in itself.

A ``ComponentRef`` carries everything a bundler needs without the recipe data: the chart
coordinates (or inline manifests), namespace, merged Helm values, dependencies, and
*where* in its values the node selectors, tolerations, node count and image references
live (``paths``, dotted Helm value paths such as ``operator.tolerations``).
"""

from __future__ import annotations

from eidos.model.measurement import DocumentError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "COMPONENT_TYPES",
    "IMAGE_PARTS",
    "PATH_LISTS",
    "Chart",
    "ComponentRef",
    "check_names",
    "check_path",
    "check_paths",
]

COMPONENT_TYPES = ("helm", "manifests")
#: ``paths`` entries that list values paths: name -> what the bundler writes there.
PATH_LISTS: dict[str, str] = {
    "systemNodeSelector": "node selector of the system (control) pods",
    "systemTolerations": "tolerations of the system (control) pods",
    "acceleratedNodeSelector": "node selector of the pods that must run on GPU nodes",
    "acceleratedTolerations": "tolerations of the pods that must run on GPU nodes",
    "acceleratedTaint": "the GPU nodes' taint as one 'key=value:Effect' string",
    "nodeCount": "the cluster's node count (from the nodes criterion)",
}
#: The parts of one image reference, each naming the values path that holds it; the
#: reference is ``registry/repository/name:tag`` with the parts a chart does not use left out.
IMAGE_PARTS = ("registry", "repository", "name", "tag")
#: Besides its parts, an image entry may name the boolean values path that deploys it
#: (``enabled``) and give ``default``: what the chart uses where the values leave a part
#: (or ``enabled``) out, e.g. ``{tag: v1.17.2}`` for a chart whose tag defaults to its
#: appVersion; ``suffix``, text the chart appends to the tag (``-dcgm-4.x``); ``subchart``,
#: ``NAME VERSION`` of the subchart whose values give the defaults.
IMAGE_FIELDS = (*IMAGE_PARTS, "enabled", "default", "suffix", "subchart")


def check_path(path: Any, where: str) -> str:
    """A dotted values path: non-empty segments, no whitespace."""
    if not isinstance(path, str) or not path or path.split() != [path]:  # whitespace in it
        raise DocumentError(f"{where}: {path!r} is not a values path (a.b.c)")
    if any(part == "" for part in path.split(".")):
        raise DocumentError(f"{where}: {path!r} has an empty segment")
    return path


def check_paths(raw: Any, where: str) -> dict[str, Any]:
    """Validate a ``paths`` mapping (see :data:`PATH_LISTS` and ``images``)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DocumentError(f"{where}: expected a mapping")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "images":
            out[key] = [_image(item, f"{where}.images[{i}]") for i, item in enumerate(value or [])]
        elif key in PATH_LISTS:
            if not isinstance(value, list):
                raise DocumentError(f"{where}.{key}: expected a list of values paths")
            out[key] = [check_path(p, f"{where}.{key}") for p in value]
        else:
            valid = ", ".join([*PATH_LISTS, "images"])
            raise DocumentError(f"{where}: unknown entry {key!r}; valid: {valid}")
    return out


def _image(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise DocumentError(f"{where}: expected a mapping of {', '.join(IMAGE_FIELDS)}")
    unknown = sorted(str(k) for k in raw if k not in IMAGE_FIELDS)
    if unknown:
        raise DocumentError(f"{where}: unknown field(s) {', '.join(unknown)}")
    if "repository" not in raw and "registry" not in raw:
        raise DocumentError(f"{where}: give the path of the repository or of the registry")
    out: dict[str, Any] = {
        part: check_path(raw[part], f"{where}.{part}")
        for part in (*IMAGE_PARTS, "enabled")
        if part in raw
    }
    for key in ("suffix", "subchart"):
        if key in raw:
            text = raw[key]
            if not isinstance(text, str) or not text or not text.isprintable():
                raise DocumentError(f"{where}.{key}: expected a printable string")
            out[key] = text
    if "default" in raw:
        out["default"] = _image_default(raw["default"], f"{where}.default")
    return out


def _image_default(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise DocumentError(f"{where}: expected a mapping of {', '.join(IMAGE_PARTS)}, enabled")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        flag = key == "enabled" and isinstance(value, bool)
        part = key in IMAGE_PARTS and isinstance(value, str) and value and value.isprintable()
        if flag or part:
            out[key] = value
        else:
            raise DocumentError(f"{where}.{key}: expected a string part or enabled: true|false")
    return out


def check_names(raw: Any, where: str) -> list[str]:
    """A list of Kubernetes object names (``crds``, ``webhooks``)."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(
        isinstance(n, str) and n and len(n) <= 253 and set(n) <= _OBJECT_NAME for n in raw
    ):
        raise DocumentError(f"{where}: expected a list of Kubernetes object names")
    return list(raw)


_OBJECT_NAME = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-.")


class Chart:
    """Helm chart coordinates: repository (https:// or oci://), chart name, version."""

    __slots__ = ("name", "repository", "version")

    def __init__(self, repository: str, name: str, version: str) -> None:
        self.repository = repository
        self.name = name
        self.version = version

    def to_dict(self) -> dict[str, str]:
        """Wire form: ``{repository, name, version}``."""
        return {"repository": self.repository, "name": self.name, "version": self.version}

    @classmethod
    def from_dict(cls, raw: Any, where: str) -> Chart:
        """Read the wire form; every field a non-empty string."""
        if not isinstance(raw, dict):
            raise DocumentError(f"{where}: expected a mapping with repository, name, version")
        fields = []
        for key in ("repository", "name", "version"):
            value = raw.get(key)
            if not isinstance(value, str) or not value.strip():
                raise DocumentError(f"{where}.{key}: expected a non-empty string")
            fields.append(value.strip())
        return cls(*fields)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Chart):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]


class ComponentRef:
    """One component of a recipe (see the module docstring)."""

    __slots__ = (
        "chart",
        "context",
        "crds",
        "dependency_refs",
        "manifests",
        "name",
        "namespace",
        "paths",
        "type",
        "values",
        "webhooks",
    )

    def __init__(
        self,
        name: str,
        *,
        type: str = "helm",
        chart: Chart | None = None,
        namespace: str = "default",
        values: dict[str, Any] | None = None,
        dependency_refs: list[str] | None = None,
        paths: dict[str, Any] | None = None,
        manifests: list[dict[str, Any]] | None = None,
        context: dict[str, str] | None = None,
        crds: list[str] | None = None,
        webhooks: list[str] | None = None,
    ) -> None:
        self.name = name
        self.type = type
        self.chart = chart
        self.namespace = namespace
        self.values: dict[str, Any] = values if values is not None else {}
        self.dependency_refs: list[str] = dependency_refs if dependency_refs is not None else []
        self.paths: dict[str, Any] = paths if paths is not None else {}
        self.manifests: list[dict[str, Any]] = manifests if manifests is not None else []
        self.context: dict[str, str] = context if context is not None else {}
        self.crds: list[str] = crds if crds is not None else []
        """CustomResourceDefinitions it installs, established before its dependents install."""
        self.webhooks: list[str] = webhooks if webhooks is not None else []
        """Deployments (in its namespace) serving its admission webhooks: ready before its
        dependents install."""

    def to_dict(self) -> dict[str, Any]:
        """Wire form (``context`` only when it holds something)."""
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.chart is not None:
            out["chart"] = self.chart.to_dict()
        out["namespace"] = self.namespace
        out["dependencyRefs"] = list(self.dependency_refs)
        out["values"] = self.values
        if self.paths:
            out["paths"] = self.paths
        if self.manifests:
            out["manifests"] = self.manifests
        if self.crds:
            out["crds"] = list(self.crds)
        if self.webhooks:
            out["webhooks"] = list(self.webhooks)
        if self.context:
            out["context"] = dict(sorted(self.context.items()))
        return out

    @classmethod
    def from_dict(cls, raw: Any, where: str) -> ComponentRef:
        """Read the wire form of a recipe's component reference."""
        if not isinstance(raw, dict):
            raise DocumentError(f"{where}: expected a mapping")
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            raise DocumentError(f"{where}: 'name' must be a non-empty string")
        where = f"{where} ({name})"
        ctype = raw.get("type", "helm")
        if ctype not in COMPONENT_TYPES:
            raise DocumentError(f"{where}.type: expected one of {', '.join(COMPONENT_TYPES)}")
        chart = Chart.from_dict(raw["chart"], f"{where}.chart") if raw.get("chart") else None
        if ctype == "helm" and chart is None:
            raise DocumentError(f"{where}: a helm component needs 'chart'")
        namespace = raw.get("namespace", "default")
        values = raw.get("values") or {}
        deps = raw.get("dependencyRefs") or []
        manifests = raw.get("manifests") or []
        context = raw.get("context") or {}
        if not isinstance(namespace, str) or not namespace:
            raise DocumentError(f"{where}.namespace: expected a non-empty string")
        if not isinstance(values, dict):
            raise DocumentError(f"{where}.values: expected a mapping")
        if not isinstance(deps, list) or not all(isinstance(d, str) for d in deps):
            raise DocumentError(f"{where}.dependencyRefs: expected a list of component names")
        if not isinstance(manifests, list) or not all(isinstance(m, dict) for m in manifests):
            raise DocumentError(f"{where}.manifests: expected a list of Kubernetes objects")
        if not isinstance(context, dict):
            raise DocumentError(f"{where}.context: expected a mapping")
        return cls(
            name,
            type=ctype,
            chart=chart,
            namespace=namespace,
            values=values,
            dependency_refs=list(deps),
            paths=check_paths(raw.get("paths"), f"{where}.paths"),
            manifests=manifests,
            context={str(k): str(v) for k, v in context.items()},
            crds=check_names(raw.get("crds"), f"{where}.crds"),
            webhooks=check_names(raw.get("webhooks"), f"{where}.webhooks"),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ComponentRef):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ComponentRef({self.name!r})"
