"""GET /v1/query, and the recipe parameters issue 11 adds (platform, nodes, accelerator)."""

from __future__ import annotations

import pytest
from test_routes import assert_error

H100_EKS = {"service": "eks", "gpu": "h100", "intent": "training"}


@pytest.mark.parametrize(
    ("selector", "value"),
    [
        ("components.gpu-operator.values.driver.version", "580.105.08"),
        ("components.gpu-operator.chart.version", "v25.10.1"),
        ("components.kube-prometheus-stack.values.prometheus.prometheusSpec.retention", "15d"),
        ("measurements.K8s.config.cdi", True),
        ("request", H100_EKS),
    ],
)
async def test_query_answers_the_selected_value_as_json(client, selector, value):
    r = await client.get("/v1/query", params={**H100_EKS, "selector": selector})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json() == value
    assert r.headers["cache-control"] == "public, max-age=600" and r.headers["etag"]


async def test_query_order_matches_the_recipe(client):
    recipe = (await client.get("/v1/recipe", params=H100_EKS)).json()
    order = await client.get("/v1/query", params={**H100_EKS, "selector": "deploymentOrder"})
    assert order.json() == recipe["deploymentOrder"] == [r["name"] for r in recipe["componentRefs"]]


async def test_a_selector_that_names_nothing_is_404_with_the_nearest_keys(client):
    r = await client.get("/v1/query", params={**H100_EKS, "selector": "components.gpu-operatr"})
    body = assert_error(r, 404, "NOT_FOUND")
    assert body["details"]["nearest"][0] == "gpu-operator"
    assert "no 'gpu-operatr' under components" in body["message"]


async def test_query_needs_a_selector_and_recipe_refuses_one(client):
    body = assert_error(await client.get("/v1/query", params=H100_EKS), 400, "INVALID_REQUEST")
    assert body["details"] == {"parameter": "selector"}
    r = await client.get("/v1/recipe", params={**H100_EKS, "selector": "x"})
    assert_error(r, 400, "INVALID_REQUEST")


async def test_recipe_takes_platform_nodes_and_accelerator(client):
    r = await client.get(
        "/v1/recipe",
        params={"service": "eks", "accelerator": "H100", "platform": "Kubeflow", "nodes": "8"},
    )
    assert r.status_code == 200
    doc = r.json()
    assert doc["request"] == {"service": "eks", "gpu": "h100", "platform": "kubeflow", "nodes": 8}
    assert "kubeflow-trainer" in doc["deploymentOrder"]
    same = await client.get(
        "/v1/recipe",
        params={"service": "eks", "gpu": "h100", "platform": "kubeflow", "nodes": "08"},
    )
    assert same.headers["etag"] == r.headers["etag"]


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({"nodes": "0"}, "nodes", "invalid node count '0'"),
        ({"nodes": ">= 2"}, "nodes", "invalid node count"),
        ({"platform": "slurm"}, "platform", "valid values: any, kubeflow, dynamo, nim"),
        ({"accelerator": "t4"}, "accelerator", "invalid gpu type 't4'"),
        ({"gpu": "h100", "accelerator": "t4"}, "accelerator", "invalid gpu type 't4'"),
    ],
)
async def test_bad_new_parameters_are_400_naming_them(client, params, parameter, message):
    body = assert_error(await client.get("/v1/recipe", params=params), 400, "INVALID_REQUEST")
    assert body["details"]["parameter"] == parameter and message in body["message"]
