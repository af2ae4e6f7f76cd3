"""The gpu-operator bundler: Helm values, ClusterPolicy, scripts and README for the GPU Operator.

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
from eidos.bundlers.gpu_operator import facts
from eidos.bundlers.gpu_operator.settings import GpuSettings, read_settings
from eidos.bundlers.gpu_operator.values import (
    SOURCES,
    cluster_policy,
    helm_values,
    mig_node_label,
)
from eidos.bundlers.recipe_keys import RecipeKeys
from eidos.bundlers.result import BundleResult
from eidos.bundlers.tree import FileTree
from eidos.bundlers.writer import BundleWriter
from eidos.bundlers.yamldoc import render_yaml
from eidos.model import Recipe

__all__ = ["GpuOperatorBundler"]

TEMPLATES = Path(__file__).parent / "templates"
_Plan = BundlePlan[GpuSettings]


class GpuOperatorBundler:
    """Bundles the NVIDIA GPU Operator (namespace ``gpu-operator`` unless configured)."""

    name = "gpu-operator"

    def __init__(self, config: BundleConfig) -> None:
        self.config = config

    def _plan(self, recipe: Recipe) -> _Plan:
        keys = RecipeKeys(recipe, self.name)
        settings = read_settings(keys)
        return BundlePlan(
            keys=keys,
            settings=settings,
            values=helm_values(settings, self.config),
            chart=chart_source(
                self.config,
                keys,
                chart="gpu-operator",
                default_version=settings.versions["operator"],
            ),
            meta=bundle_meta(recipe, self.config),
        )

    def validate(self, recipe: Recipe) -> None:
        """Check the recipe (see :func:`.settings.read_settings` for what is required)."""
        self._plan(recipe)

    def _context(self, plan: _Plan) -> dict[str, Any]:
        return {
            "name": self.name,
            "meta": plan.meta,
            "chart": plan.chart,
            "k8s_version": plan.settings.k8s_version,
            "mig_label": mig_node_label(plan.settings),
            "components": facts.components(plan.settings, plan.values),
            "settings": facts.settings_rows(plan.settings, plan.values),
            "warnings": facts.warnings(plan.settings, plan.meta),
        }

    def _stage_yaml(self, plan: _Plan, writer: BundleWriter) -> None:
        comments = source_comments(plan.values, SOURCES, plan.keys)
        header = plan.meta.header("GPU Operator Helm values")
        writer.add("values.yaml", render_yaml(plan.values, header=header, comments=comments))
        header = plan.meta.header(
            "GPU Operator ClusterPolicy (created by the chart from values.yaml; "
            "for review and kubectl diff)"
        )
        policy = cluster_policy(plan.values, self.config)
        writer.add(
            "manifests/clusterpolicy.yaml", render_yaml(policy, header=header, blank_lines=False)
        )

    def make(self, recipe: Recipe, out: FileTree, *, stop: Event) -> BundleResult:
        """Stage the files of ``<output>/gpu-operator/`` in ``out`` (see the module docstring)."""
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
