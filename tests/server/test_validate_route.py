"""POST /v1/validate: the report for a recipe and snapshots (JSON or YAML envelope), its
limits (413, 429 with Retry-After), its errors, and a schemathesis suite of its own."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from test_routes import assert_error

from eidos.model import NodeFailure, Snapshot, SnapshotList
from eidos.recipe import RecipeBuilder, RecipeStore, infer_query
from eidos.serializer import dumps, loads
from eidos.server.app import create_app
from eidos.server.settings import ServerSettings
from eidos.server.source import EngineSource
from eidos.server.validation import MAX_BODY_BYTES

H100 = Path(__file__).parents[1] / "fixtures" / "reference" / "snapshots" / "h100.yaml"
SNAPSHOT = loads(H100.read_text())
RECIPE = (
    RecipeBuilder(RecipeStore.load(), cache_size=0)
    .build(infer_query(Snapshot.from_dict(SNAPSHOT)).query)
    .to_dict()
)


def _a100() -> dict:
    doc = copy.deepcopy(SNAPSHOT)
    doc["metadata"]["source-node"] = "gpu-a100"
    for m in doc["measurements"]:
        if m["type"] == "GPU":
            m["subtypes"][0]["data"]["gpu.model"] = "NVIDIA A100-SXM4-80GB"
    return doc


async def _post(client, envelope, **kw):
    body = envelope if isinstance(envelope, bytes | str) else json.dumps(envelope)
    return await client.post("/v1/validate", content=body, **kw)


async def test_the_h100_snapshot_passes_and_another_gpu_fails_with_the_details(client):
    r = await _post(client, {"recipe": RECIPE, "snapshots": [SNAPSHOT, _a100()]})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.headers["cache-control"] == "no-store"
    report = r.json()
    assert report["kind"] == "ValidationReport" and report["result"] == "fail"
    assert [n["result"] for n in report["nodes"]] == ["pass", "fail"]
    (failed,) = [c for c in report["nodes"][1]["checks"] if c["status"] == "fail"]
    assert failed["check"] == "GPU.smi.gpu.model contains H100"
    assert (failed["expected"], failed["actual"]) == ("contains H100", "NVIDIA A100-SXM4-80GB")
    assert report["summary"]["failedNodes"] == 1


async def test_a_yaml_envelope_with_a_snapshot_list_and_fail_on(client):
    fleet = SnapshotList([Snapshot.from_dict(SNAPSHOT)], [NodeFailure("gpu-9", "timed out")])
    envelope = {
        "kind": "ValidationRequest",
        "apiVersion": "validation.dgxc.io/v1",
        "recipe": RECIPE,
        "snapshots": [fleet.to_dict()],
        "failOn": "skip",
    }
    r = await _post(client, dumps(envelope, "yaml"), headers={"content-type": "application/yaml"})
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["failOn"] == "skip" and report["result"] == "fail"
    assert report["nodes"][1] | {"checks": []} == {
        "node": "gpu-9",
        "source": "snapshots[0]",
        "result": "fail",
        "missing": "timed out",
        "passed": 0,
        "failed": 0,
        "warnings": 0,
        "skipped": len(RECIPE["constraints"]),
        "checks": [],
    }


@pytest.mark.parametrize(
    ("envelope", "field", "message"),
    [
        ([1, 2], None, "must be a mapping with recipe and snapshots"),
        ({"recipe": RECIPE, "snapshots": [SNAPSHOT], "extra": 1}, "extra", "unknown field"),
        ({"snapshots": [SNAPSHOT]}, "recipe", "missing recipe"),
        ({"recipe": RECIPE, "snapshots": []}, "snapshots", "non-empty list"),
        ({"recipe": RECIPE, "snapshots": [SNAPSHOT], "failOn": "never"}, "failOn", "never"),
        ({"kind": "Recipe", "recipe": RECIPE, "snapshots": [SNAPSHOT]}, "kind", "kind must be"),
        ({"recipe": SNAPSHOT, "snapshots": [SNAPSHOT]}, "recipe", "not a Recipe document"),
        ({"recipe": RECIPE, "snapshots": [RECIPE]}, None, "snapshots[0]: not a Snapshot"),
        (
            {
                "recipe": RECIPE,
                "snapshots": [
                    {
                        "kind": "Snapshot",
                        "measurements": [
                            {"type": "OS", "subtypes": [{"subtype": "x", "data": {"k": [1]}}]}
                        ],
                    }
                ],
            },
            "snapshots",
            "expected a scalar value",
        ),
    ],
)
async def test_invalid_envelopes_are_400_naming_the_field(client, envelope, field, message):
    body = assert_error(await _post(client, envelope), 400, "INVALID_REQUEST")
    assert message in body["message"]
    if field is not None:
        assert body["details"] == {"field": field}


async def test_a_body_over_the_limit_is_413_without_reading_it_whole(client):
    r = await _post(client, b"{}", headers={"content-length": str(MAX_BODY_BYTES + 1)})
    assert_error(r, 413, "INVALID_REQUEST")
    r = await _post(client, b" " * (MAX_BODY_BYTES + 1))
    body = assert_error(r, 413, "INVALID_REQUEST")
    assert body["details"] == {"limitBytes": MAX_BODY_BYTES}


async def test_too_many_running_validations_is_429_with_retry_after(client):
    (route,) = [r for r in client.app.routes if r.path == "/v1/validate"]
    handler = route.endpoint.__self__
    handler._running = handler.max_running
    r = await _post(client, {"recipe": RECIPE, "snapshots": [SNAPSHOT]})
    assert_error(r, 429, "RATE_LIMIT_EXCEEDED", retryable=True)
    assert r.headers["retry-after"] == "1"
    handler._running = 0
    assert (await _post(client, {"recipe": RECIPE, "snapshots": [SNAPSHOT]})).status_code == 200


async def test_get_is_405_with_allow_post(client):
    r = await client.get("/v1/validate")
    assert_error(r, 405, "METHOD_NOT_ALLOWED")
    assert r.headers["allow"] == "POST"


APP = create_app(
    ServerSettings(rate_limit=0, client_rate_limit=0, access_log=False), EngineSource.load()
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).include(path="/v1/validate")
schema.config.generation.update(max_examples=8, deterministic=True)
schema.config.phases.update(phases=["examples", "fuzzing"])  # coverage: minutes on this body


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_every_answer_conforms_to_the_document(case):
    # The envelope's documents are checked by the document loaders, which accept more than
    # the schema describes (absent lists, any metadata values) and refuse what no schema
    # can say (a constraint that does not parse): so schema-valid bodies may be 400s and
    # schema-invalid ones 200s. Every other check holds: status codes, headers, bodies.
    case.call_and_validate(excluded_checks=[positive_data_acceptance, negative_data_rejection])


async def test_reports_conform_to_the_documented_schema(client):
    import jsonschema

    document = (await client.get("/openapi.json")).json()
    root = {"$ref": "#/components/schemas/ValidationReport", "components": document["components"]}
    request = {
        "$ref": "#/components/schemas/ValidationRequest",
        "components": document["components"],
    }
    envelope = {"recipe": RECIPE, "snapshots": [SNAPSHOT, _a100()], "failOn": "warning"}
    jsonschema.validate(envelope, request)
    r = await _post(client, envelope)
    jsonschema.validate(r.json(), root)
    assert document["paths"]["/v1/validate"]["post"]["requestBody"]["required"] is True


def test_a_real_server_answers_the_report_the_cli_writes(live, tmp_path):
    import subprocess
    import sys

    import httpx

    server = live({"EIDOS_RATE_LIMIT": "0", "EIDOS_CLIENT_RATE_LIMIT": "0"})
    envelope = {"recipe": RECIPE, "snapshots": [SNAPSHOT, _a100()]}
    served = httpx.post(server.url + "/v1/validate", content=json.dumps(envelope), timeout=30)
    assert served.status_code == 200, served.text
    assert served.headers["connection"] == "close"  # a request with a body closes its connection
    recipe, a100 = tmp_path / "r.json", tmp_path / "a100.json"
    recipe.write_text(json.dumps(RECIPE))
    a100.write_text(json.dumps(_a100()))
    argv = ["validate", "-r", str(recipe), "-f", str(H100), "-f", str(a100), "-t", "json"]
    cli = subprocess.run(
        [sys.executable, "-m", "eidos", *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert cli.returncode == 6, cli.stderr
    ours, theirs = served.json(), json.loads(cli.stdout)
    for report in (ours, theirs):
        report.pop("metadata")
        report.pop("recipe")
        for node in report["nodes"]:
            node.pop("source")
    assert ours == theirs
    too_big = httpx.post(
        server.url + "/v1/validate",
        content=b"x" * (MAX_BODY_BYTES + 1),
        timeout=30,
    )
    assert too_big.status_code == 413
