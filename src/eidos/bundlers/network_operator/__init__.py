"""The Network Operator's profile: operator values and the NicClusterPolicy from the recipe.

read settings (:mod:`.settings`) -> values and policy (pure, :mod:`.values`) -> README
facts (:mod:`.facts`); the generic renderer writes the files and the deployer applies the
policy after the chart.
"""

from __future__ import annotations

from eidos.bundlers.common import BundleMeta, source_comments
from eidos.bundlers.config import BundleConfig
from eidos.bundlers.derived import ResourceDoc
from eidos.bundlers.markdown import table
from eidos.bundlers.network_operator import facts
from eidos.bundlers.network_operator.settings import NetSettings, read_settings
from eidos.bundlers.network_operator.values import SOURCES, helm_values, nic_cluster_policy
from eidos.bundlers.recipe_keys import RecipeKeys
from eidos.model import Recipe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["NetworkOperatorDerived", "derive"]

NAME = "network-operator"


class NetworkOperatorDerived:
    """The Network Operator settings of one recipe and the values they imply."""

    def __init__(self, settings: NetSettings, keys: RecipeKeys) -> None:
        self.settings = settings
        self.values: dict[str, Any] = helm_values(settings)
        self.comments = source_comments(self.values, SOURCES, keys)

    def resources(self, values: dict[str, Any], config: BundleConfig) -> list[ResourceDoc]:
        """The NicClusterPolicy, applied after the chart (since 24.x the chart has none)."""
        header = ["Network Operator NicClusterPolicy", "", *facts.provenance(self.settings)]
        policy = nic_cluster_policy(self.settings, config)
        return [ResourceDoc("nicclusterpolicy.yaml", policy, header, apply=True)]

    def notes(self, values: dict[str, Any]) -> str:
        """The NicClusterPolicy components table of the README."""
        rows = [
            (r["name"], r["state"], r["image"] or "-", r["sources"], r["path"])
            for r in facts.components(self.settings)
        ]
        return (
            "NicClusterPolicy components (the recipe keys that decide each):\n\n"
            + table(("Component", "State", "Image", "Recipe keys", "Policy path"), rows)
            + "\nCheck: `kubectl get nicclusterpolicies.mellanox.com nic-cluster-policy "
            "-o jsonpath='{.status.state}'` prints `ready`.\n"
        )

    def warnings(self, meta: BundleMeta) -> list[str]:
        """Warnings the settings raised (components the recipe asks for but cannot have)."""
        return list(self.settings.warnings)

    def gpu_node_labels(self) -> list[str]:
        """None: the Network Operator labels nothing."""
        return []


def derive(recipe: Recipe, config: BundleConfig) -> NetworkOperatorDerived:
    """Read and check the recipe (see :func:`.settings.read_settings` for what is required)."""
    keys = RecipeKeys(recipe, NAME)
    return NetworkOperatorDerived(read_settings(keys), keys)
