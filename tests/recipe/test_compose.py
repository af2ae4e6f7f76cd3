"""Composing components and constraints: references, merges, provenance, order, errors."""

from __future__ import annotations

import pytest

from eidos.errors import RecipeError
from eidos.model import Query, Recipe
from eidos.recipe import RecipeBuilder, RecipeStore


def _component(name: str, *deps: str, **extra: object) -> dict:
    return {
        "name": name,
        "description": f"{name} for the tests of the recipe composer",
        "chart": {"repository": "https://charts.example.com", "name": name, "version": "1.0.0"},
        "namespace": name,
        "dependencies": list(deps),
        **extra,
    }


IMAGE = {"type": "K8s", "subtypes": [{"subtype": "image", "data": {"op": "v2.0.0"}}]}
DATA = {
    "components": [
        _component(
            "operator",
            values={"a": {"x": 1, "list": [1, 2]}},
            valuesFrom={"tag": "K8s/image/op"},
            chart={"repository": "oci://r", "name": "operator", "versionFrom": "K8s/image/op"},
        ),
        _component("monitoring"),
        _component("scheduler", "operator", paths={"nodeCount": ["estimatedNodeCount"]}),
        _component("network", "operator"),
    ],
    "base": {
        "types": [IMAGE],
        "componentRefs": [{"name": "operator"}, {"name": "monitoring"}, {"name": "scheduler"}],
        "constraints": [
            {"check": "K8s.server.version >= 1.30", "reason": "base floor"},
            {"check": "OS.kmod.nouveau == false", "reason": "no nouveau"},
        ],
    },
    "overlays": [
        {
            "key": {"service": "eks"},
            "componentRefs": [
                {"name": "operator", "values": {"a": {"list": [9]}, "b": True}},
                {"name": "monitoring", "enabled": False},
            ],
            "constraints": [{"check": "K8s.server.version >= 1.32", "reason": "eks floor"}],
        },
        {
            "key": {"service": "eks", "gpu": "h100"},
            "componentRefs": [{"name": "monitoring"}, {"name": "network", "namespace": "net"}],
        },
        {"key": {"gpu": "gb200"}, "componentRefs": [{"name": "operator", "enabled": False}]},
    ],
}


@pytest.fixture(scope="module")
def builder() -> RecipeBuilder:
    return RecipeBuilder(RecipeStore.from_dict(DATA, "test data"))


def build(builder: RecipeBuilder, **criteria: object) -> Recipe:
    return builder.build(Query.build(**criteria))


def test_base_components_come_from_the_registry_with_measured_versions(builder):
    recipe = build(builder, service="gke")
    assert recipe.deployment_order == ["monitoring", "operator", "scheduler"]
    operator = recipe.component("operator")
    assert operator is not None and operator.chart is not None
    assert operator.chart.to_dict() == {
        "repository": "oci://r",
        "name": "operator",
        "version": "v2.0.0",
    }
    assert operator.values == {"a": {"x": 1, "list": [1, 2]}, "tag": "v2.0.0"}
    assert [c.check for c in recipe.constraints] == [
        "K8s.server.version >= 1.30",
        "OS.kmod.nouveau == false",
    ]


def test_overlays_merge_values_drop_and_bring_back_components(builder):
    recipe = build(builder, service="eks")
    assert "monitoring" not in recipe.deployment_order
    operator = recipe.component("operator")
    assert operator is not None
    assert operator.values == {"a": {"x": 1, "list": [9]}, "tag": "v2.0.0", "b": True}
    assert recipe.constraints[0].reason == "eks floor"  # replaced in place, by path
    more = build(builder, service="eks", gpu="h100")
    assert more.deployment_order == ["monitoring", "operator", "network", "scheduler"]
    network = more.component("network")
    assert network is not None and network.namespace == "net"


def test_dropping_a_component_others_need_names_the_chain(builder):
    with pytest.raises(
        RecipeError,
        match=r"component scheduler depends on operator.*overlay gpu=gb200 turned it off",
    ):
        build(builder, gpu="gb200")


def test_nodes_fill_the_node_count_paths(builder):
    recipe = build(builder, service="gke", nodes=12)
    scheduler = recipe.component("scheduler")
    assert scheduler is not None and scheduler.values == {"estimatedNodeCount": 12}


def test_context_says_which_overlay_set_each_value(builder):
    recipe = builder.build(Query.build(service="eks", nodes=3, with_context=True))
    operator = recipe.component("operator")
    scheduler = recipe.component("scheduler")
    assert operator is not None and scheduler is not None
    assert operator.context == {
        "a.list": "overlay service=eks",
        "a.x": "registry",
        "b": "overlay service=eks",
        "tag": "measurement K8s/image/op",
    }
    assert scheduler.context == {"estimatedNodeCount": "criteria nodes"}
    doc = recipe.to_dict()
    assert doc["constraints"][0]["source"] == "overlay service=eks"
    assert "context" not in build(builder, service="eks").to_dict()["componentRefs"][0]


def test_a_missing_version_measurement_is_exit_5(builder):
    data = {**DATA, "base": {**DATA["base"], "types": []}}  # type: ignore[dict-item]
    with pytest.raises(RecipeError, match="operator takes its chart version from K8s/image/op"):
        RecipeBuilder(RecipeStore.from_dict(data, "t")).build(Query())


def test_cached_builds_hand_out_independent_values(builder):
    first = build(builder, service="eks")
    first.component("operator").values["a"]["x"] = "changed"  # type: ignore[union-attr]
    second = build(builder, service="eks")
    assert second.component("operator").values["a"]["x"] == 1  # type: ignore[union-attr]


def test_the_recipe_document_round_trips_with_components_and_constraints(builder):
    recipe = builder.build(Query.build(service="eks", gpu="h100", with_context=True))
    again = Recipe.from_dict(recipe.to_dict())
    assert again == recipe
    view = again.query_view()
    assert view["components"]["operator"]["chart"]["version"] == "v2.0.0"
    assert view["measurements"]["K8s"]["image"]["op"] == "v2.0.0"
