"""A recipe for a Kubernetes minor installs on that minor whenever its own floor admits it.

The constraint ``K8s.server.version >= X`` is what ``eidos validate`` checks of a cluster;
if it holds for the minor the recipe was asked for, every chart of the recipe must accept
that minor (its Chart.yaml ``kubeVersion``). Otherwise validate would pass a cluster on
which the bundle cannot install. The charts are tests/fixtures/charts (chart_facts.py).
"""

from __future__ import annotations

import itertools
from functools import cache

import pytest
from chart_facts import ChartFacts, chart_dir

from eidos.model import Query, Version
from eidos.model.query import GPUS, PLATFORMS, SERVICES
from eidos.recipe import RecipeBuilder, RecipeStore

BUILDER = RecipeBuilder(RecipeStore.load(), cache_size=0)
MINORS = ("1.30", "1.31", "1.32", "1.33", "1.34")


@cache
def _kube_floor(chart: str, version: str) -> Version:
    directory = chart_dir(chart, version)
    assert directory is not None, f"no chart {chart} {version} in tests/fixtures/charts"
    wanted = str(ChartFacts(directory).chart.get("kubeVersion", ">=0"))
    return Version.parse(wanted.replace(" ", "").lstrip(">=").split("-")[0])


@pytest.mark.parametrize("minor", MINORS)
def test_a_recipe_whose_kubernetes_floor_admits_the_minor_installs_on_it(minor):
    cluster = Version.parse(f"v{minor}.0")
    admitted = 0
    for service, gpu, platform in itertools.product(
        (None, *SERVICES), (None, *GPUS), (None, *PLATFORMS)
    ):
        query = Query.build(service=service, gpu=gpu, platform=platform, k8s=minor)
        recipe = BUILDER.build(query)
        floor = next(c for c in recipe.constraints if c.path == "K8s.server.version")
        if not floor.holds(str(cluster)):
            continue  # validate refuses this cluster: the recipe asks for a newer one
        admitted += 1
        for ref in recipe.component_refs:
            assert ref.chart is not None
            needed = _kube_floor(ref.chart.name, ref.chart.version)
            assert needed <= cluster, (query.to_dict(), ref.name, str(needed))
    assert admitted > 0  # every minor has recipes that install on it


@pytest.mark.parametrize("minor", ("1.30", "1.31"))
def test_below_1_32_the_dra_driver_is_left_out_unless_a_platform_needs_it(minor):
    recipe = BUILDER.build(Query.build(service="eks", gpu="h100", k8s=minor))
    assert "nvidia-dra-driver-gpu" not in recipe.deployment_order
    dynamo = BUILDER.build(Query.build(service="eks", gpu="h100", k8s=minor, platform="dynamo"))
    assert "nvidia-dra-driver-gpu" in dynamo.deployment_order
    floor = next(c for c in dynamo.constraints if c.path == "K8s.server.version")
    assert not floor.holds(f"v{minor}.9")  # so validate tells the user to upgrade first
