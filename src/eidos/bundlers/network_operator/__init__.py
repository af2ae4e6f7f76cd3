"""The network-operator bundler: Helm values, NicClusterPolicy, scripts and README.

validate -> read settings -> map to values (pure, :mod:`.values`) -> render -> write.
"""

from __future__ import annotations

import time
from pathlib import Path
from threading import Event
from typing import Any

from eidos.bundlers.common import (
    BundlePlan,
    bundle_meta,
    chart_source,
    source_comments,
    write_bundle,
)
from eidos.bundlers.config import BundleConfig
from eidos.bundlers.network_operator import facts
from eidos.bundlers.network_operator.settings import NetSettings, read_settings
from eidos.bundlers.network_operator.values import SOURCES, helm_values, nic_cluster_policy
from eidos.bundlers.recipe_keys import RecipeKeys
from eidos.bundlers.result import BundleResult
from eidos.bundlers.tree import FileTree
from eidos.bundlers.writer import BundleWriter
from eidos.bundlers.yamldoc import render_yaml
from eidos.model import Recipe

__all__ = ["NetworkOperatorBundler"]

TEMPLATES = Path(__file__).parent / "templates"
_Plan = BundlePlan[NetSettings]


class NetworkOperatorBundler:
    """Bundles the NVIDIA Network Operator (namespace ``network-operator`` unless configured)."""

    name = "network-operator"

    def __init__(self, config: BundleConfig) -> None:
        self.config = config

    def _plan(self, recipe: Recipe) -> _Plan:
        keys = RecipeKeys(recipe, self.name)
        settings = read_settings(keys)
        return BundlePlan(
            keys=keys,
            settings=settings,
            values=helm_values(settings),
            chart=chart_source(
                self.config,
                keys,
                chart="network-operator",
                default_version=settings.operator_version.removeprefix("v"),
            ),
            meta=bundle_meta(recipe, self.config),
        )

    def validate(self, recipe: Recipe) -> None:
        """Check the recipe (see :func:`.settings.read_settings` for what is required)."""
        self._plan(recipe)

    def _context(self, plan: _Plan) -> dict[str, Any]:
        s = plan.settings
        return {
            "name": self.name,
            "meta": plan.meta,
            "chart": plan.chart,
            "k8s_version": s.k8s_version,
            "operator_version": s.operator_version,
            "components": facts.components(s),
            "nfd": s.nfd,
            "use_host_mofed": s.use_host_mofed,
            "warnings": list(s.warnings),
        }

    def _stage_yaml(self, plan: _Plan, writer: BundleWriter) -> None:
        comments = source_comments(plan.values, SOURCES, plan.keys)
        header = plan.meta.header("Network Operator Helm values")
        writer.add("values.yaml", render_yaml(plan.values, header=header, comments=comments))
        header = [
            *plan.meta.header("Network Operator NicClusterPolicy"),
            "",
            *facts.provenance(plan.settings),
        ]
        policy = nic_cluster_policy(plan.settings, self.config)
        writer.add(
            "manifests/nicclusterpolicy.yaml",
            render_yaml(policy, header=header, blank_lines=False),
        )

    def make(self, recipe: Recipe, out: FileTree, *, stop: Event) -> BundleResult:
        """Stage the files of ``<output>/network-operator/`` in ``out`` (see the module doc)."""
        started = time.perf_counter()
        plan = self._plan(recipe)
        return write_bundle(
            out,
            self.name,
            plan.meta,
            templates=TEMPLATES,
            stage_yaml=lambda writer: self._stage_yaml(plan, writer),
            context=self._context(plan),
            started=started,
            stop=stop,
        )
