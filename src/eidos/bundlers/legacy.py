"""Components for a recipe without ``componentRefs`` (the upstream reference recipes).

Such a recipe says what to install only through its measurements: the GPU Operator and
the Network Operator, each when the recipe names its version (``K8s/image/<operator>``).
They become two components installed in that order, with the chart and namespace those
recipes always had, so the reference recipes bundle as before. Their image entries (where
each chart keeps its images, and the chart's defaults) list the operator chart's own images
in images.txt, not only those of the custom resources.
"""

from __future__ import annotations

from eidos.bundlers.common import DEFAULT_CHART_REPO
from eidos.errors import BundlerValidationError
from eidos.model import Chart, ComponentRef, Recipe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["INIT_CONTAINER", "NFD_SUBCHART", "OPERATORS", "legacy_components"]

#: operator (component and chart name) -> the chart version from the measurement
OPERATORS = ("gpu-operator", "network-operator")


def _entry(block: str, repository: str, name: str, enabled: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "repository": f"{block}.repository",
        "name": f"{block}.image",
        "tag": f"{block}.version",
        "default": {"repository": repository, "name": name},
    }
    if enabled:
        out["enabled"] = enabled
        out["default"]["enabled"] = False
    return out


_NV, _CN, _K8S = "nvcr.io/nvidia", "nvcr.io/nvidia/cloud-native", "nvcr.io/nvidia/k8s"
#: Where each operator chart keeps its images, with the defaults of every chart generation
#: (tests/bundlers/test_legacy.py checks them against the vendored charts). The values a
#: legacy recipe derives set each tag; ``enabled`` defaults off where a chart's default
#: differs between generations (the derived values always set those flags).
_IMAGES: dict[str, list[dict[str, Any]]] = {
    "gpu-operator": [
        _entry("operator", _NV, "gpu-operator"),
        _entry("validator", _CN, "gpu-operator-validator"),
        _entry("driver", _NV, "driver", "driver.enabled"),
        {
            **_entry("driver.manager", _CN, "k8s-driver-manager"),
            "enabled": "driver.enabled",
        },
        _entry("toolkit", _K8S, "container-toolkit", "toolkit.enabled"),
        _entry("devicePlugin", _NV, "k8s-device-plugin", "devicePlugin.enabled"),
        _entry("dcgm", _CN, "dcgm", "dcgm.enabled"),
        _entry("dcgmExporter", _K8S, "dcgm-exporter", "dcgmExporter.enabled"),
        _entry("gfd", _NV, "k8s-device-plugin", "gfd.enabled"),
        _entry("migManager", _CN, "k8s-mig-manager", "migManager.enabled"),
        _entry("gds", _CN, "nvidia-fs", "gds.enabled"),
        _entry("gdrcopy", _CN, "gdrdrv", "gdrcopy.enabled"),
    ],
    "network-operator": [
        {
            "repository": "operator.repository",
            "name": "operator.image",
            "tag": "operator.tag",
            "default": {"repository": _CN, "name": "network-operator"},
        },
    ],
}
#: The OFED driver's init container of each Network Operator chart: (repository, tag).
INIT_CONTAINER = {
    "25.4.0": ("ghcr.io/mellanox", "v0.0.3"),
    "25.10.0": ("nvcr.io/nvidia/mellanox", "network-operator-v25.10.0"),
    "26.1.2": ("nvcr.io/nvidia/mellanox", "network-operator-v26.1.2"),
}
#: The Node Feature Discovery subchart of each GPU Operator chart (its Chart.yaml), whose
#: image the chart deploys with ``nfd.enabled``; the tag is that chart's appVersion.
NFD_SUBCHART = {
    "v25.3.0": "v0.17.2",
    "v25.3.3": "v0.17.3",
    "v25.10.1": "v0.18.2",
    "v26.3.3": "v0.18.3",
}


def _version(recipe: Recipe, operator: str) -> str | None:
    image = recipe.subtype("K8s", "image")
    value = image.data.get(operator) if image is not None else None
    if isinstance(value, str) and value:
        return value.removeprefix("v") if operator == "network-operator" else value
    return None


def _images(recipe: Recipe, operator: str, version: str) -> list[dict[str, Any]]:
    """The chart's image entries (see :data:`_IMAGES`).

    The GPU Operator's NFD image is tagged as its chart ships it, else as the recipe's
    K8s/image/node-feature-discovery says.
    """
    # "optional": an operand whose tag the values do not set runs at the chart's default
    # tag, which eidos does not know for every chart release: not listed (docs/bundles.md)
    entries = [{**e, "default": dict(e["default"]), "optional": True} for e in _IMAGES[operator]]
    if operator == "network-operator":
        entries[0]["default"]["tag"] = f"v{version}"
        init = INIT_CONTAINER.get(version)
        if init is not None:
            block = "operator.ofedDriver.initContainer"
            entries.append(
                {
                    "repository": f"{block}.repository",
                    "name": f"{block}.image",
                    "tag": f"{block}.version",
                    "default": {
                        "repository": init[0],
                        "name": "network-operator-init-container",
                        "tag": init[1],
                    },
                }
            )
        return entries
    image = recipe.subtype("K8s", "image")
    measured = image.data.get("node-feature-discovery") if image is not None else None
    tag = NFD_SUBCHART.get(version) or (measured if isinstance(measured, str) else None)
    if tag:
        default = {"repository": "registry.k8s.io/nfd/node-feature-discovery", "tag": tag}
        nfd = "node-feature-discovery.image"
        entries.append(
            {
                "repository": f"{nfd}.repository",
                "tag": f"{nfd}.tag",
                "enabled": "nfd.enabled",
                "default": {**default, "enabled": True},
            }
        )
    return entries


def legacy_components(recipe: Recipe) -> list[ComponentRef]:
    """The operators the recipe names a version of, GPU Operator first.

    Raises:
        BundlerValidationError: the recipe has no K8s measurement or names neither operator.
    """
    if recipe.measurement("K8s") is None:
        raise BundlerValidationError(
            "recipe has no K8s measurement and no componentRefs: nothing to bundle "
            "(the operator versions and settings live there)",
            details={"key": "K8s"},
        )
    refs = []
    for operator in OPERATORS:
        version = _version(recipe, operator)
        if version is None:
            continue
        chart = Chart(DEFAULT_CHART_REPO, operator, version)
        refs.append(
            ComponentRef(
                operator,
                chart=chart,
                namespace=operator,
                paths={"images": _images(recipe, operator, version)},
            )
        )
    if not refs:
        raise BundlerValidationError(
            "recipe has no componentRefs and no K8s/image/gpu-operator or "
            "K8s/image/network-operator version: nothing to bundle",
            details={"key": "K8s/image"},
        )
    return refs
