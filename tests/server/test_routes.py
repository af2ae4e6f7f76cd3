"""The endpoints in-process: recipes, validation errors, routing errors, probes, caching."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from eidos.model import Query
from eidos.recipe import RecipeBuilder, RecipeStore

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ERROR_KEYS = ["code", "message", "details", "requestId", "timestamp", "retryable"]


def expected(**criteria: str) -> dict:
    recipe = RecipeBuilder(RecipeStore.load(), cache_size=0).build(Query.build(**criteria))
    doc = recipe.to_dict()
    return {k: doc.get(k) for k in ("request", "matchedRules", "measurements")}


def assert_error(response, status: int, code: str, *, retryable: bool = False) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert [k for k in ERROR_KEYS if k in body] == list(body)
    assert body["code"] == code and body["retryable"] is retryable
    assert body["requestId"] == response.headers["x-request-id"]
    assert body["timestamp"].endswith("Z")
    return body


async def test_recipe_is_the_engine_recipe_with_header_and_cache_headers(client):
    r = await client.get("/v1/recipe", params={"os": "ubuntu", "gpu": "h100", "service": "eks"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.headers["cache-control"] == "public, max-age=600"
    assert re.fullmatch(r'W/"[0-9a-f]{32}"', r.headers["etag"])
    assert r.headers["x-api-version"] == "v1"
    assert UUID.match(r.headers["x-request-id"])
    doc = r.json()
    assert list(doc)[:3] == ["kind", "apiVersion", "metadata"]
    assert doc["kind"] == "Recipe" and doc["apiVersion"] == "recipe.dgxc.io/v1"
    assert set(doc["metadata"]) == {"recipe-timestamp", "recipe-version"}
    assert {k: doc.get(k) for k in ("request", "matchedRules", "measurements")} == expected(
        os="ubuntu", gpu="h100", service="eks"
    )
    assert r.content.endswith(b"}\n") and b"\n" not in r.content[:-1]


@pytest.mark.parametrize(
    "query",
    [
        "os=UBUNTU&gpu=H100&service=EKS",
        "os=Ubuntu&gpu=h100&env=eks",
        "os=ubuntu&gpu=h100&service=eks&env=gke",
        "os=+ubuntu+&gpu=h100&service=eks&intent=",
        "os=ubuntu&gpu=h100&service=&env=eks",
    ],
    ids=["upper", "env-alias", "service-wins", "blank-and-spaces", "empty-service"],
)
async def test_enums_are_case_insensitive_and_env_is_an_alias_of_service(client, query):
    r = await client.get(f"/v1/recipe?{query}")
    assert r.status_code == 200, r.text
    assert r.json()["request"] == {"os": "ubuntu", "service": "eks", "gpu": "h100"}


async def test_versions_keep_the_text_the_user_wrote(client):
    r = await client.get("/v1/recipe?osv=24.04&k8s=v1.33.5-eks-3025e55&kernel=6.8&service=eks")
    assert r.json()["request"] == {
        "osv": "24.04",
        "kernel": "6.8",
        "service": "eks",
        "k8s": "v1.33.5-eks-3025e55",
    }


async def test_empty_query_gives_the_base_without_request_or_rules(client):
    doc = (await client.get("/v1/recipe")).json()
    assert "request" not in doc and "matchedRules" not in doc
    assert doc["measurements"]


async def test_context_true_keeps_explanations_and_default_strips_them(client):
    plain = (await client.get("/v1/recipe?service=eks&gpu=h100")).json()
    rich = (await client.get("/v1/recipe?service=eks&gpu=h100&context=true")).json()
    contexts = [s for m in rich["measurements"] for s in m["subtypes"] if "context" in s]
    assert contexts and rich["request"]["withContext"] is True
    assert not [s for m in plain["measurements"] for s in m["subtypes"] if "context" in s]


@pytest.mark.parametrize(
    ("query", "parameter", "fragment"),
    [
        ("os=windows", "os", "valid values: any, ubuntu, rhel, cos, amazonlinux"),
        ("service=openshift", "service", "valid values: any, eks, gke, aks, oke, self-managed"),
        ("env=openshift", "env", "valid values: any, eks, gke"),
        ("os=%C3%BCbuntu", "os", "valid values: any, ubuntu"),
        ("os=ubuntu%09", "os", "control characters"),
        ("gpu=t4", "gpu", "valid values: any, h100, h200, gb200, b200, a100, l40, l40s"),
        ("intent=testing", "intent", "valid values: any, training, inference"),
        ("osv=bad", "osv", "invalid os version 'bad'"),
        ("kernel=-6.8", "kernel", "kernel version cannot contain negative numbers"),
        ("k8s=1.2.3.4", "k8s", "more than 3 numeric components"),
        ("context=yes", "context", "valid values: true, false, 1, 0"),
        ("strict=maybe", "strict", "valid values: true, false, 1, 0"),
        ("gpus=h100", "gpus", "valid parameters: os, osv, kernel, service, env, k8s, gpu"),
        ("os=ubuntu&os=cos", "os", "given more than once"),
    ],
    ids=lambda v: v if "=" in v else None,
)
async def test_bad_input_is_400_naming_the_parameter_and_valid_values(
    client, query, parameter, fragment
):
    body = assert_error(await client.get(f"/v1/recipe?{query}"), 400, "INVALID_REQUEST")
    assert fragment in body["message"]
    assert body["details"] == {"parameter": parameter}


async def test_strict_with_only_the_base_matching_is_404(client):
    body = assert_error(await client.get("/v1/recipe?k8s=1.29&strict=true"), 404, "NOT_FOUND")
    assert "no overlay matched" in body["message"]
    assert (await client.get("/v1/recipe?os=ubuntu&service=eks&strict=1")).status_code == 200
    assert (await client.get("/v1/recipe?k8s=1.29&strict=false")).status_code == 200


async def test_if_none_match_answers_304_without_a_body(client):
    first = await client.get("/v1/recipe?service=eks")
    etag = first.headers["etag"]
    for header in (etag, etag.removeprefix("W/"), f'"nope", {etag}', "*"):
        again = await client.get("/v1/recipe?service=eks", headers={"If-None-Match": header})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == "public, max-age=600"
    other = await client.get("/v1/recipe?service=gke", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


async def test_etag_ignores_the_build_time_so_replicas_agree(make_client):
    async with make_client() as one, make_client() as two:
        a = await one.get("/v1/recipe?gpu=gb200&service=eks")
        b = await two.get("/v1/recipe?gpu=gb200&service=eks")
    assert a.headers["etag"] == b.headers["etag"]


async def test_unknown_paths_are_404_json_and_there_is_no_catch_all(client):
    for path in ("/foo", "/v1/recipe/", "/health/", "/v1", "/v2/recipe"):
        body = assert_error(await client.get(path), 404, "NOT_FOUND")
        assert path in body["message"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/v1/recipe",
        "/v1/query",
        "/v1/criteria",
        "/health",
        "/ready",
        "/metrics",
        "/openapi.json",
        "/explorer/app.js",
    ],
)
async def test_wrong_methods_are_405_with_allow(client, method, path):
    r = await client.request(method, path)
    body = assert_error(r, 405, "METHOD_NOT_ALLOWED")
    assert r.headers["allow"] == "GET, HEAD"
    assert body["details"] == {"method": method}


async def test_root_lists_service_version_and_routes(client):
    from eidos import __version__

    assert (await client.get("/")).json() == {
        "service": "eidos-api-server",
        "version": __version__,
        "routes": [
            "/v1/recipe",
            "/v1/query",
            "/v1/criteria",
            "/v1/validate",
            "/v1/bundle",
            "/health",
            "/ready",
            "/metrics",
            "/openapi.json",
        ],
    }


async def test_health_and_ready_are_json_with_utc_timestamps(client):
    for path, status in (("/health", "healthy"), ("/ready", "ready")):
        r = await client.get(path)
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert r.json()["status"] == status and r.json()["timestamp"].endswith("Z")


async def test_ready_is_503_json_before_start_up_and_after_shutdown(client):
    readiness = client.app.state.readiness
    readiness.mark_draining()
    r = await client.get("/ready")
    assert r.status_code == 503 and r.headers["content-type"] == "application/json"
    assert r.json()["status"] == "not_ready" and r.json()["reason"] == "service is shutting down"
    assert (await client.get("/health")).status_code == 200


async def test_request_id_is_echoed_when_valid_and_replaced_otherwise(client):
    given = str(uuid.uuid4())
    r = await client.get("/health", headers={"X-Request-Id": given})
    assert r.headers["x-request-id"] == given
    r = await client.get("/v1/recipe?os=bad", headers={"X-Request-Id": "not-a-valid-uuid"})
    assert UUID.match(r.headers["x-request-id"])
    assert r.json()["requestId"] == r.headers["x-request-id"]


async def test_openapi_json_is_served(client):
    doc = json.loads((await client.get("/openapi.json")).content)
    assert doc["openapi"] == "3.1.0" and "/v1/recipe" in doc["paths"]


async def test_ready_is_503_until_start_up_has_run(engine):
    import httpx

    from eidos.server.app import create_app
    from eidos.server.settings import ServerSettings

    app = create_app(ServerSettings(access_log=False), engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://eidos") as client:
        r = await client.get("/ready")
        assert r.status_code == 503 and r.json()["reason"] == "service is starting"
        async with app.router.lifespan_context(app):
            assert (await client.get("/ready")).status_code == 200
        assert (await client.get("/ready")).status_code == 503
