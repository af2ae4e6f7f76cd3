"""The GPU Operator's profile: Helm values and the ClusterPolicy derived from the recipe.

read settings (:mod:`.settings`) -> values (pure, :mod:`.values`) -> README facts
(:mod:`.facts`); the generic renderer writes the files.
"""

from __future__ import annotations

from eidos.bundlers.common import BundleMeta, source_comments
from eidos.bundlers.config import BundleConfig
from eidos.bundlers.derived import ResourceDoc
from eidos.bundlers.gpu_operator import facts
from eidos.bundlers.gpu_operator.settings import GpuSettings, read_settings
from eidos.bundlers.gpu_operator.values import SOURCES, cluster_policy, helm_values, mig_node_label
from eidos.bundlers.recipe_keys import RecipeKeys
from eidos.model import Recipe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["GpuOperatorDerived", "derive"]

NAME = "gpu-operator"


class GpuOperatorDerived:
    """The GPU Operator settings of one recipe and the values they imply."""

    def __init__(self, settings: GpuSettings, keys: RecipeKeys, config: BundleConfig) -> None:
        self.settings = settings
        self.values: dict[str, Any] = helm_values(settings, config)
        self.comments = source_comments(self.values, SOURCES, keys)

    def resources(self, values: dict[str, Any], config: BundleConfig) -> list[ResourceDoc]:
        """The ClusterPolicy the chart creates from ``values``, for review and kubectl diff."""
        return [
            ResourceDoc(
                "clusterpolicy.yaml",
                cluster_policy(values, config),
                [
                    "GPU Operator ClusterPolicy (created by the chart from values.yaml; "
                    "for review and kubectl diff)"
                ],
                apply=False,
            )
        ]

    def notes(self, values: dict[str, Any]) -> str:
        """The operands and settings tables of the README."""
        return facts.notes(self.settings, values)

    def warnings(self, meta: BundleMeta) -> list[str]:
        """See :func:`.facts.warnings`."""
        return facts.warnings(self.settings, meta)

    def gpu_node_labels(self) -> list[str]:
        """The MIG layout label, when MIG is on with a profile."""
        label = mig_node_label(self.settings)
        return [label] if label else []


def derive(recipe: Recipe, config: BundleConfig) -> GpuOperatorDerived:
    """Read and check the recipe (see :func:`.settings.read_settings` for what is required)."""
    keys = RecipeKeys(recipe, NAME)
    return GpuOperatorDerived(read_settings(keys), keys, config)
