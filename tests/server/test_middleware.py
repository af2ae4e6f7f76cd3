"""The middleware chain in-process: recovery, timeout, rate limit, metrics, access log."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from server_support import FailingSource, SlowSource

from eidos import logging as elog
from eidos.errors import RecipeError
from eidos.server.logs import configure_logging
from eidos.server.middleware import is_valid_request_id


async def test_an_unexpected_exception_is_a_sanitized_500_and_counted(make_client):
    secret = "token=hunter2 at /srv/secret.py line 3"
    async with make_client(source=FailingSource(KeyError(secret))) as client:
        r = await client.get("/v1/recipe?gpu=h100")
        assert r.status_code == 500
        body = r.json()
        assert body["code"] == "INTERNAL" and body["message"] == "Internal server error"
        assert body["retryable"] is False and "details" not in body
        assert "hunter2" not in r.text and "Traceback" not in r.text
        assert r.headers["x-request-id"] == body["requestId"]
        metrics = (await client.get("/metrics")).text
    assert "eidos_panic_recoveries_total 1.0" in metrics
    assert 'eidos_http_requests_total{method="GET",path="/v1/recipe",status="500"} 1.0' in metrics


async def test_an_eidos_error_from_the_source_keeps_its_code_and_status(make_client):
    async with make_client(source=FailingSource(RecipeError("data broken"))) as client:
        r = await client.get("/v1/recipe?gpu=h100")
    assert r.status_code == 500 and r.json()["code"] == "RECIPE_ERROR"
    assert r.json()["message"] == "data broken"


async def test_a_handler_past_its_deadline_is_answered_504(make_client, engine):
    async with make_client(source=SlowSource(engine, 5), handler_timeout=0.05) as client:
        r = await client.get("/v1/recipe?gpu=h100")
    assert r.status_code == 504
    body = r.json()
    assert body["code"] == "TIMEOUT" and body["retryable"] is True
    assert body["details"] == {"timeoutSeconds": 0.05}


async def test_rate_limit_per_client_gives_429_with_retry_after(make_client):
    async with make_client(client_rate_limit=1, client_rate_burst=2) as client:
        first = await client.get("/v1/recipe")
        assert first.status_code == 200
        assert first.headers["x-ratelimit-limit"] == "1"
        assert first.headers["x-ratelimit-remaining"] == "1"
        assert int(first.headers["x-ratelimit-reset"]) > 1_700_000_000
        assert (await client.get("/")).status_code == 200
        refused = await client.get("/v1/recipe")
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "1"
        assert refused.headers["x-ratelimit-remaining"] == "0"
        body = refused.json()
        assert body["code"] == "RATE_LIMIT_EXCEEDED" and body["retryable"] is True
        for probe in ("/health", "/ready", "/metrics"):
            assert (await client.get(probe)).status_code == 200
        metrics = (await client.get("/metrics")).text
    assert "eidos_rate_limit_rejects_total 1.0" in metrics


async def test_global_bucket_applies_across_clients(make_client):
    async with make_client(rate_limit=0.5, rate_burst=1) as client:
        assert (await client.get("/")).status_code == 200
        refused = await client.get("/")
        assert refused.status_code == 429 and refused.headers["retry-after"] == "2"


async def test_metrics_use_bounded_labels_and_go_buckets(client):
    await client.get("/v1/recipe?gpu=h100")
    for junk in ("/a", "/b", "/c/d"):
        await client.get(junk)
    await client.request("BREW", "/v1/recipe")
    text = (await client.get("/metrics")).text
    assert 'eidos_http_requests_total{method="GET",path="/v1/recipe",status="200"} 1.0' in text
    assert 'eidos_http_requests_total{method="GET",path="other",status="404"} 3.0' in text
    assert 'eidos_http_requests_total{method="other",path="/v1/recipe",status="405"} 1.0' in text
    assert "/c/d" not in text and "BREW" not in text
    buckets = [
        line.split('le="')[1].split('"')[0]
        for line in text.splitlines()
        if line.startswith("eidos_http_request_duration_seconds_bucket{")
        and 'path="/v1/recipe"' in line
        and 'method="GET"' in line
    ]
    assert buckets == [
        "0.005",
        "0.01",
        "0.025",
        "0.05",
        "0.1",
        "0.25",
        "0.5",
        "1.0",
        "2.5",
        "5.0",
        "10.0",
        "+Inf",
    ]
    assert "eidos_http_requests_in_flight 1.0" in text  # the /metrics request itself
    assert "_created" not in text
    assert 'eidos_recipe_cache_lookups_total{result="miss"} 1.0' in text


@pytest.fixture
def log_stream():
    stream = io.StringIO()
    configure_logging("info", stream=stream)
    yield stream
    elog.configure("warning", "text")


async def test_access_log_is_one_json_line_per_request_with_the_request_id(make_client, log_stream):
    given = str(uuid.uuid4())
    async with make_client(access_log=True) as client:
        await client.get("/v1/recipe?gpu=h100", headers={"X-Request-Id": given})
    lines = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    access = [line for line in lines if line["msg"] == "request"]
    assert len(access) == 1
    entry = access[0]
    assert entry["requestId"] == given and entry["status"] == 200
    assert entry["method"] == "GET" and entry["path"] == "/v1/recipe"
    assert entry["client"] == "203.0.113.7" and entry["bytes"] > 1000
    assert entry["level"] == "INFO" and entry["durationMs"] >= 0


async def test_recovery_log_line_carries_the_request_id_but_not_the_response(
    make_client, log_stream
):
    async with make_client(source=FailingSource(ValueError("boom"))) as client:
        r = await client.get("/v1/recipe?gpu=h100")
    errors = [
        json.loads(line)
        for line in log_stream.getvalue().splitlines()
        if '"panic recovered"' in line
    ]
    assert errors and errors[0]["requestId"] == r.json()["requestId"]
    assert errors[0]["error"] == "ValueError: boom"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("550e8400-e29b-41d4-a716-446655440000", True),
        ("550E8400-E29B-41D4-A716-446655440000", True),
        ("{550e8400-e29b-41d4-a716-446655440000}", True),
        ("urn:uuid:550e8400-e29b-41d4-a716-446655440000", True),
        ("URN:UUID:550e8400-e29b-41d4-a716-446655440000", True),
        ("550e8400e29b41d4a716446655440000", True),
        ("not-a-valid-uuid", False),
        ("", False),
        ("550e8400-e29b-41d4-a716-44665544000g", False),
        ("550e8400e-29b-41d4-a716-446655440000", False),
        ("550e8400-e29b-41d4-a716-446655440000\n", False),
        ("{550e8400-e29b-41d4-a716-446655440000", False),
        ("550e8400-e29b-41d4-a716-4466554400000", False),
        ("５５0e8400-e29b-41d4-a716-446655440000", False),
    ],
)
def test_request_ids_are_checked_like_go_uuid_parse(value, valid):
    assert is_valid_request_id(value) is valid
