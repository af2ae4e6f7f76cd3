"""Components for a recipe without ``componentRefs`` (the upstream reference recipes).

Such a recipe says what to install only through its measurements: the GPU Operator and
the Network Operator, each when the recipe names its version (``K8s/image/<operator>``).
They become two components installed in that order, with the chart and namespace those
recipes always had, so the reference recipes bundle as before.
"""

from __future__ import annotations

from eidos.bundlers.common import DEFAULT_CHART_REPO
from eidos.errors import BundlerValidationError
from eidos.model import Chart, ComponentRef, Recipe

__all__ = ["OPERATORS", "legacy_components"]

#: operator (component and chart name) -> the chart version from the measurement
OPERATORS = ("gpu-operator", "network-operator")


def _version(recipe: Recipe, operator: str) -> str | None:
    image = recipe.subtype("K8s", "image")
    value = image.data.get(operator) if image is not None else None
    if isinstance(value, str) and value:
        return value.removeprefix("v") if operator == "network-operator" else value
    return None


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
        refs.append(ComponentRef(operator, chart=chart, namespace=operator))
    if not refs:
        raise BundlerValidationError(
            "recipe has no componentRefs and no K8s/image/gpu-operator or "
            "K8s/image/network-operator version: nothing to bundle",
            details={"key": "K8s/image"},
        )
    return refs
