"""The component registry and the component references of the base and overlays.

A registry entry (``components:`` in the data) says what a component *is*: chart
coordinates, namespace, dependencies, default values, values taken from the recipe's
measurements (``valuesFrom``: one source for a driver version the GPU Operator bundler
also reads), and where its scheduling and image settings live. A component reference
(``componentRefs:`` in the base or an overlay) says that a recipe *uses* it and how it
differs there: values to merge, dependencies to add, another version or namespace, or
``enabled: false`` to drop it again.
"""

from __future__ import annotations

from eidos.model import DocumentError
from eidos.model.component import COMPONENT_TYPES, check_names, check_path, check_paths
from eidos.recipe.compose import leaf_paths

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Component", "ComponentPatch", "check_name", "measurement_key", "overlapping"]

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_MAX_NAME = 53  # a Helm release name
_COMPONENT_FIELDS = (
    "name",
    "description",
    "type",
    "chart",
    "namespace",
    "dependencies",
    "values",
    "valuesFrom",
    "paths",
    "manifests",
    "crds",
    "webhooks",
)
_PATCH_FIELDS = ("name", "enabled", "version", "namespace", "dependencyRefs", "values")


def check_name(name: Any, where: str) -> str:
    """A component name: a DNS label of at most 53 characters (a Helm release name)."""
    if (
        not isinstance(name, str)
        or not name
        or len(name) > _MAX_NAME
        or not set(name) <= _NAME_CHARS
        or name[0] == "-"
        or name[-1] == "-"
    ):
        raise DocumentError(
            f"{where}: component name {name!r} must be lower-case letters, digits and '-' "
            f"(at most {_MAX_NAME} characters, no leading or trailing '-')"
        )
    return name


def _unknown(raw: dict[str, Any], valid: tuple[str, ...], where: str) -> None:
    unknown = [str(k) for k in raw if k not in valid]
    if unknown:
        raise DocumentError(
            f"{where}: unknown field(s) {', '.join(unknown)}; valid: {', '.join(valid)}"
        )


def _string(raw: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise DocumentError(f"{where}.{key}: expected a non-empty string")
    return value.strip()


def _names(raw: Any, where: str) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise DocumentError(f"{where}: expected a list of component names")
    names = [check_name(n, where) for n in raw]
    for name in names:
        if names.count(name) > 1:
            raise DocumentError(f"{where}: {name!r} is listed twice")
    return names


def measurement_key(text: Any, where: str) -> tuple[str, str, str]:
    """``K8s/image/driver`` -> ``("K8s", "image", "driver")``."""
    parts = text.split("/") if isinstance(text, str) else []
    if len(parts) != 3 or not all(parts):
        raise DocumentError(f"{where}: expected a measurement TYPE/subtype/key, got {text!r}")
    return parts[0], parts[1], parts[2]


def overlapping(path: str, paths: dict[str, Any]) -> str | None:
    """The path of ``paths`` that ``path`` equals, lies under, or holds, if any."""
    for other in paths:
        if path == other or path.startswith(other + ".") or other.startswith(path + "."):
            return other
    return None


def _mapping(raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DocumentError(f"{where}: expected a mapping")
    return raw


class Component:
    """One registry entry (see the module docstring)."""

    __slots__ = (
        "chart_name",
        "crds",
        "dependencies",
        "description",
        "manifests",
        "name",
        "namespace",
        "paths",
        "repository",
        "type",
        "values",
        "values_from",
        "version",
        "version_from",
        "webhooks",
    )

    def __init__(self, raw: Any, where: str, *, trusted: bool = False) -> None:
        if trusted:
            self._adopt(raw)
        else:
            self._parse(raw, where)

    def _parse(self, raw: Any, where: str) -> None:
        """Read and check an entry (data from a file: every field is checked)."""
        if not isinstance(raw, dict):
            raise DocumentError(f"{where}: expected a mapping with name, chart, namespace, ...")
        self.name = check_name(raw.get("name"), where)
        where = f"{where} ({self.name})"
        _unknown(raw, _COMPONENT_FIELDS, where)
        self.description = _string(raw, "description", where)
        self.type = raw.get("type", "helm")
        if self.type not in COMPONENT_TYPES:
            raise DocumentError(f"{where}.type: expected one of {', '.join(COMPONENT_TYPES)}")
        self.namespace = _string(raw, "namespace", where)
        self.dependencies = _names(raw.get("dependencies"), f"{where}.dependencies")
        self.values = _mapping(raw.get("values"), f"{where}.values")
        self.paths = check_paths(raw.get("paths"), f"{where}.paths")
        self.crds = check_names(raw.get("crds"), f"{where}.crds")
        self.webhooks = check_names(raw.get("webhooks"), f"{where}.webhooks")
        self.values_from: dict[str, tuple[str, str, str]] = {}
        for path, source in _mapping(raw.get("valuesFrom"), f"{where}.valuesFrom").items():
            check_path(path, f"{where}.valuesFrom")
            self.values_from[path] = measurement_key(source, f"{where}.valuesFrom.{path}")
        for path in leaf_paths(self.values):
            taken = overlapping(path, self.values_from)
            if taken is not None:
                raise DocumentError(
                    f"{where}.values.{path}: {taken} comes from a measurement (valuesFrom)"
                )
        manifests = raw.get("manifests") or []
        if not isinstance(manifests, list) or not all(
            isinstance(m, dict) and m.get("kind") and m.get("apiVersion") for m in manifests
        ):
            raise DocumentError(f"{where}.manifests: expected objects with kind and apiVersion")
        self.manifests: list[dict[str, Any]] = manifests
        self.repository = self.chart_name = self.version = self.version_from = ""
        chart = raw.get("chart")
        if self.type == "manifests":
            if chart is not None or not manifests:
                raise DocumentError(f"{where}: a manifests component has manifests and no chart")
            return
        chart = _mapping(chart, f"{where}.chart")
        _unknown(chart, ("repository", "name", "version", "versionFrom"), f"{where}.chart")
        self.repository = _string(chart, "repository", f"{where}.chart")
        if not self.repository.startswith(("https://", "http://", "oci://")):
            raise DocumentError(f"{where}.chart.repository: expected an https:// or oci:// URL")
        self.chart_name = _string(chart, "name", f"{where}.chart")
        if ("version" in chart) == ("versionFrom" in chart):
            raise DocumentError(
                f"{where}.chart: give exactly one of version or versionFrom "
                "(a K8s/image/<key> measurement)"
            )
        if "version" in chart:
            self.version = _string(chart, "version", f"{where}.chart")
        else:
            self.version_from = _string(chart, "versionFrom", f"{where}.chart")
            measurement_key(self.version_from, f"{where}.chart.versionFrom")

    def _adopt(self, raw: dict[str, Any]) -> None:
        """Take an entry that was checked when the data was built (the embedded data)."""
        chart = raw.get("chart") or {}
        self.name = raw["name"]
        self.description = raw["description"]
        self.type = raw.get("type", "helm")
        self.namespace = raw["namespace"]
        self.dependencies = list(raw.get("dependencies") or ())
        self.values = raw.get("values") or {}
        self.paths = raw.get("paths") or {}
        self.manifests = raw.get("manifests") or []
        self.crds = list(raw.get("crds") or ())
        self.webhooks = list(raw.get("webhooks") or ())
        self.values_from = {
            path: tuple(source.split("/")) for path, source in (raw.get("valuesFrom") or {}).items()
        }
        self.repository = chart.get("repository", "")
        self.chart_name = chart.get("name", "")
        self.version = chart.get("version", "")
        self.version_from = chart.get("versionFrom", "")

    def version_key(self) -> tuple[str, str, str]:
        """``versionFrom`` as (type, subtype, key)."""
        return measurement_key(self.version_from, self.name)


class ComponentPatch:
    """One entry of a base or overlay ``componentRefs`` list."""

    __slots__ = ("dependencies", "enabled", "name", "namespace", "values", "version")

    def __init__(self, raw: Any, where: str) -> None:
        if not isinstance(raw, dict):
            raise DocumentError(f"{where}: expected a mapping with at least 'name'")
        self.name = check_name(raw.get("name"), where)
        where = f"{where} ({self.name})"
        _unknown(raw, _PATCH_FIELDS, where)
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            raise DocumentError(f"{where}.enabled: expected true or false")
        self.enabled = enabled
        self.version = _string(raw, "version", where) if "version" in raw else None
        self.namespace = _string(raw, "namespace", where) if "namespace" in raw else None
        self.dependencies = _names(raw.get("dependencyRefs"), f"{where}.dependencyRefs")
        self.values = _mapping(raw.get("values"), f"{where}.values")
