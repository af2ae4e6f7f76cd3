"""/openapi.json matches what the server does: schemathesis drives the in-process app."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from eidos.server.app import create_app
from eidos.server.metrics import ROUTES
from eidos.server.params import PARAMETERS
from eidos.server.settings import ServerSettings
from eidos.server.source import EngineSource

APP = create_app(
    ServerSettings(rate_limit=0, client_rate_limit=0, access_log=False), EngineSource.load()
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).exclude(path="/v1/validate")
schema.config.generation.update(max_examples=40, deterministic=True)
#: POST /v1/validate has its own suite (tests/server/test_validate_route.py).
METHODS = {"/v1/validate": ["post"], "/v1/bundle": ["post"]}


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_every_response_conforms_and_nothing_is_a_5xx(case):
    # POST /v1/bundle: the option grammars (--set, tolerations, ...) are wider than a JSON
    # schema can say, so schema-valid values may be refused with a documented 400.
    bundle = case.operation.path == "/v1/bundle"
    case.call_and_validate(excluded_checks=[positive_data_acceptance] if bundle else [])


@pytest.fixture(scope="module")
def document() -> dict:
    async def fetch() -> bytes:
        transport = httpx.ASGITransport(app=APP)
        async with httpx.AsyncClient(transport=transport, base_url="http://eidos") as client:
            return (await client.get("/openapi.json")).content

    return json.loads(asyncio.run(fetch()))


def test_documented_paths_are_exactly_the_routes(document):
    assert sorted(document["paths"]) == sorted(ROUTES)
    served = sorted(route.path for route in APP.routes)  # type: ignore[attr-defined]
    assert served == sorted(ROUTES)
    for path, item in document["paths"].items():
        assert list(item) == METHODS.get(path, ["get"])


def test_documented_parameters_are_exactly_the_accepted_ones(document):
    params = document["paths"]["/v1/recipe"]["get"]["parameters"]
    assert [p["name"] for p in params if p["in"] == "query"] == list(PARAMETERS)


def test_document_is_valid_openapi_3_1(document):
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(document["components"]["schemas"]["Recipe"])
    assert document["openapi"] == "3.1.0"
    for path, item in document["paths"].items():
        (operation,) = item.values()
        responses = operation["responses"]
        assert {"500", "504"} <= set(responses), path
        assert ("429" in responses) == (path not in ("/health", "/ready", "/metrics")), path
