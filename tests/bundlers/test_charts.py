"""Bundles speak the charts' language: values keys exist, manifests match the CRDs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from bundle_helpers import (
    CHART_FILES,
    CHARTS,
    COMMENTED_KEYS,
    _commented,
    bundle,
    chart_key_problems,
    check_against_charts,
    component_dir,
    crd_problems,
    nearest_chart,
    read_yaml,
    reference_dict,
    reference_recipe,
    with_key,
)

from eidos.model import Recipe

BUNDLERS = list(CHART_FILES)


def test_reference_recipe_bundles_match_charts_and_crds(tmp_path: Path) -> None:
    recipe = reference_recipe()
    report = bundle(recipe, tmp_path)
    assert report.ok
    problems = [p for b in BUNDLERS for p in check_against_charts(recipe, tmp_path, b)]
    assert problems == []


#: recipe variants that switch on every optional block the bundlers can write
VARIANTS = {
    "everything-on": {
        "K8s/config/mig": True,
        "K8s/config/mig_strategy": "mixed",
        "K8s/config/gds": True,
        "K8s/config/gdrcopy": True,
        "K8s/config/secure_boot": True,
        "K8s/config/use_open_kernel_module": True,
        "K8s/config/vgpu": True,
        "K8s/config/driver_install_dir": "/home/kubernetes/bin/nvidia",
        "K8s/config/toolkit_install_dir": "/home/kubernetes/bin/nvidia",
        "K8s/image/nvidia-fs": "2.20.5",
        "K8s/network-config/deploy_ofed": True,
        "K8s/network-config/enable_sriov": True,
        "K8s/network-config/enable_nv_ipam": True,
        "K8s/image/nv-ipam": "v0.3.7",
        "K8s/network-config/enable_nic_feature_discovery": True,
        "K8s/image/nic-feature-discovery": "v0.0.1",
    },
    "confidential": {
        "K8s/config/confidential_computing": True,
        "K8s/config/driver_enabled": False,
        "K8s/config/toolkit_enabled": False,
    },
    "nothing-on": {
        "K8s/config/rdma": False,
        "K8s/network-config/enable_multus": False,
        "K8s/network-config/enable_whereabouts": False,
    },
}


@pytest.mark.parametrize("variant", list(VARIANTS), ids=list(VARIANTS))
@pytest.mark.parametrize("operator", ["v25.3.0", "v25.10.1", "v26.3.3"])
def test_every_optional_block_matches_each_chart_generation(
    tmp_path: Path, variant: str, operator: str
) -> None:
    raw = reference_dict()
    for path, value in VARIANTS[variant].items():
        raw = with_key(raw, path, value)
    raw = with_key(raw, "K8s/image/gpu-operator", operator)
    recipe = Recipe.from_dict(raw)
    report = bundle(recipe, tmp_path, ["gpu-operator"])
    assert report.ok, report.results[0].error
    assert check_against_charts(recipe, tmp_path, "gpu-operator") == []


@pytest.mark.parametrize("variant", list(VARIANTS), ids=list(VARIANTS))
@pytest.mark.parametrize("operator", ["v25.4.0", "v25.10.0", "v26.1.2"])
def test_every_nic_cluster_policy_shape_matches_each_crd_generation(
    tmp_path: Path, variant: str, operator: str
) -> None:
    raw = reference_dict()
    for path, value in VARIANTS[variant].items():
        raw = with_key(raw, path, value)
    raw = with_key(raw, "K8s/image/network-operator", operator)
    recipe = Recipe.from_dict(raw)
    report = bundle(recipe, tmp_path, ["network-operator"])
    assert report.ok, report.results[0].error
    assert check_against_charts(recipe, tmp_path, "network-operator") == []


def _embedded_queries() -> list[object]:
    from eidos.recipe import RecipeStore

    return [o.key for o in RecipeStore.load().overlays]


EMBEDDED = _embedded_queries()
sys.path.insert(0, str(Path(__file__).parents[1] / "recipe"))
from chart_facts import ChartFacts, chart_dir  # noqa: E402

#: bundled values keys the charts only document as comments (the bundlers write them)
_COMMENTED = {
    ("gpu-operator", "operator.version"),
    ("gpu-operator", "validator.version"),
    ("network-operator", "operator.tag"),
}


def _leaves(values: dict, prefix: str = "") -> list[str]:
    out: list[str] = []
    for key, value in values.items():
        if isinstance(value, dict) and value:
            out += _leaves(value, f"{prefix}{key}.")
        else:
            out.append(f"{prefix}{key}")
    return out


def full_stack_problems(recipe: Recipe, out: Path) -> list[str]:
    """Every values key of every bundled component the chart does not accept, and every
    operator custom resource that does not validate against its CRD."""
    problems: list[str] = []
    for ref in recipe.component_refs:
        assert ref.chart is not None
        found = chart_dir(ref.chart.name, ref.chart.version)
        assert found is not None, (ref.name, ref.chart.version)
        chart = ChartFacts(found)
        folder = component_dir(out, ref.name)
        if not (folder / "values.yaml").exists():
            continue
        values = read_yaml(folder / "values.yaml") or {}
        for path in _leaves(values):
            if not chart.accepts(path) and (ref.name, path) not in _COMMENTED:
                problems.append(f"{ref.name} {ref.chart.version}: {path}")
        if ref.name in CHART_FILES:
            crd, manifest = CHART_FILES[ref.name]
            doc = read_yaml(folder / manifest)
            problems += [f"{ref.name}: {p}" for p in crd_problems(doc, found / crd)]
    return problems


@pytest.mark.parametrize("query", EMBEDDED, ids=[q.rule_string() for q in EMBEDDED])  # type: ignore[attr-defined]
def test_embedded_recipes_bundle_cleanly_against_charts_and_crds(
    tmp_path: Path, query: object
) -> None:
    from eidos.recipe import RecipeBuilder, RecipeStore

    recipe = RecipeBuilder(RecipeStore.load(), cache_size=0).build(query)  # type: ignore[arg-type]
    report = bundle(recipe, tmp_path)
    assert report.ok, [r.error for r in report.results]
    assert full_stack_problems(recipe, tmp_path) == []


def test_overrides_land_on_keys_the_charts_accept(tmp_path: Path) -> None:
    from eidos.bundlers.overrides import Overrides, parse_set
    from eidos.model import Query
    from eidos.model.scheduling import parse_toleration
    from eidos.recipe import RecipeBuilder, RecipeStore

    query = Query.build(service="eks", gpu="h100", intent="training", os="ubuntu")
    recipe = RecipeBuilder(RecipeStore.load(), cache_size=0).build(query)
    overrides = Overrides(
        sets=(parse_set("cert-manager:replicaCount=2"),),
        system_node_selector={"nodeGroup": "system"},
        system_tolerations=(parse_toleration("dedicated=system:NoSchedule", "x"),),
        accelerated_node_selector={"nvidia.com/gpu.present": "true"},
        accelerated_tolerations=(parse_toleration("nvidia.com/gpu=present:NoSchedule", "x"),),
        registry="registry.example.com/mirror",
    )
    assert bundle(recipe, tmp_path, overrides=overrides).ok
    assert full_stack_problems(recipe, tmp_path) == []


@pytest.mark.parametrize(("bundler", "path"), sorted(COMMENTED_KEYS))
def test_commented_chart_keys_are_really_documented_by_every_chart(bundler: str, path: str) -> None:
    charts = [c for c in CHARTS.iterdir() if c.name.startswith(bundler)]
    assert charts
    for chart in charts:
        assert _commented(chart, path), f"{chart.name} does not document {path}"


def test_chart_key_check_catches_unknown_and_mistyped_keys() -> None:
    chart = nearest_chart("gpu-operator", "v25.3.0")
    problems = chart_key_problems(
        "gpu-operator", {"namespace": "x", "driver": {"enabled": "yes"}, "mig": 3}, chart
    )
    assert problems == [
        "namespace: not in gpu-operator-v25.3.0/values.yaml",
        "driver.enabled: str here, bool in chart",
        "mig: int here, dict in chart",
    ]


def test_nearest_chart_prefers_exact_then_closest_release() -> None:
    assert nearest_chart("gpu-operator", "v25.3.0").name == "gpu-operator-v25.3.0"
    assert nearest_chart("gpu-operator", "v25.3.2").name == "gpu-operator-v25.3.3"
    assert nearest_chart("network-operator", "v25.7.0").name == "network-operator-v25.4.0"


def test_crd_check_catches_missing_required_and_unknown_fields() -> None:
    crd = nearest_chart("gpu-operator", "v25.3.0") / CHART_FILES["gpu-operator"][0]
    problems = crd_problems(
        {
            "apiVersion": "nvidia.com/v1",
            "kind": "ClusterPolicy",
            "metadata": {"name": "x"},
            "spec": {"driver": {"enabled": True, "bogus": 1}},
        },
        crd,
    )
    assert any("'operator' is a required property" in p for p in problems)
    assert "spec.driver.bogus: unknown field (the API server would drop it)" in problems
