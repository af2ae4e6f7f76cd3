"""OpenAPI schemas of ``POST /v1/validate``: the request envelope, snapshots, the report.

Names and enums come from the code (``FAIL_ON``, the report's statuses, the envelope's
fields), so the document cannot drift from what the endpoint reads and writes.
"""

from __future__ import annotations

from typing import Any

from eidos.model.constraint import SEVERITIES
from eidos.model.fleet import KIND_SNAPSHOT_LIST
from eidos.model.header import KIND_SNAPSHOT, api_version
from eidos.names import FAIL_ON
from eidos.server.validation import KIND_REQUEST, MAX_BODY_BYTES
from eidos.validate.report import API_VERSION, KIND_REPORT, STATUSES

__all__ = ["validate_operation", "validation_schemas"]

_REF = "#/components/schemas/"
_COUNTS = ("passed", "failed", "warnings", "skipped")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF + name}


def _ints(*names: str) -> dict[str, Any]:
    return {n: {"type": "integer", "minimum": 0} for n in names}


def _snapshot_schemas(text_map: dict[str, Any]) -> dict[str, Any]:
    return {
        "Snapshot": {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind", "apiVersion", "measurements"],
            "properties": {
                "kind": {"const": KIND_SNAPSHOT},
                "apiVersion": {"const": api_version(KIND_SNAPSHOT)},
                "metadata": text_map,
                "measurements": {"type": "array", "items": _ref("Measurement")},
            },
        },
        "SnapshotList": {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind", "items"],
            "properties": {
                "kind": {"const": KIND_SNAPSHOT_LIST},
                "apiVersion": {"const": api_version(KIND_SNAPSHOT)},
                "metadata": text_map,
                "items": {"type": "array", "items": _ref("Snapshot")},
                "failures": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["node", "reason"],
                        "properties": {
                            "node": {"type": "string", "minLength": 1},
                            "reason": {"type": "string"},
                        },
                    },
                },
            },
        },
    }


def _check_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["check", "path", "severity", "status", "expected", "reason"],
        "properties": {
            "check": {"type": "string"},
            "path": {"type": "string"},
            "severity": {"enum": list(SEVERITIES)},
            "status": {"enum": list(STATUSES)},
            "expected": {"type": "string"},
            "actual": {"type": ["string", "number", "integer", "boolean"]},
            "message": {"type": "string"},
            "reason": {"type": "string"},
        },
    }


def _report_schema(text_map: dict[str, Any]) -> dict[str, Any]:
    node = {
        "type": "object",
        "additionalProperties": False,
        "required": ["node", "source", "result", *_COUNTS, "checks"],
        "properties": {
            "node": {"type": "string"},
            "source": {"type": "string"},
            "result": {"enum": ["pass", "fail"]},
            "missing": {"type": "string"},
            **_ints(*_COUNTS),
            "checks": {"type": "array", "items": _check_schema()},
        },
    }
    summary_fields = ("nodes", "failedNodes", "constraints", "checks", *_COUNTS)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "apiVersion", "result", "failOn", "summary", "nodes"],
        "properties": {
            "kind": {"const": KIND_REPORT},
            "apiVersion": {"const": API_VERSION},
            "metadata": text_map,
            "result": {"enum": ["pass", "fail"]},
            "failOn": {"enum": list(FAIL_ON)},
            "recipe": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "source": {"type": "string"},
                    "request": _ref("Query"),
                    "constraints": {"type": "integer", "minimum": 0},
                },
            },
            "summary": {
                "type": "object",
                "additionalProperties": False,
                "required": list(summary_fields),
                "properties": _ints(*summary_fields),
            },
            "nodes": {"type": "array", "items": node},
        },
    }


def validation_schemas() -> dict[str, Any]:
    """Schemas to merge into ``components.schemas``."""
    text_map = {"type": "object", "additionalProperties": {"type": "string"}}
    return {
        **_snapshot_schemas(text_map),
        "ValidationRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["recipe", "snapshots"],
            "properties": {
                "kind": {"const": KIND_REQUEST},
                "apiVersion": {"const": API_VERSION},
                "recipe": _ref("Recipe"),
                "snapshots": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"oneOf": [_ref("Snapshot"), _ref("SnapshotList")]},
                },
                "failOn": {"enum": list(FAIL_ON), "default": FAIL_ON[0]},
            },
        },
        "ValidationReport": _report_schema(text_map),
    }


def validate_operation(ok: dict[str, Any], error: Any) -> dict[str, Any]:
    """The ``post`` operation object, given the ``ok(...)`` and ``error(...)`` builders."""
    body = {"schema": _ref("ValidationRequest")}
    limited = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
    return {
        "operationId": "postValidate",
        "summary": "Check snapshots against a recipe's constraints",
        "description": "The body is a ValidationRequest, as JSON or YAML (detected from the "
        f"content), at most {MAX_BODY_BYTES} bytes. The answer is 200 whether the nodes pass "
        "or fail; the report's result says which.",
        "tags": ["Validation"],
        "requestBody": {
            "required": True,
            "content": {"application/json": body, "application/yaml": body},
        },
        "responses": {
            "200": ok,
            "400": error(
                "The body is not a valid ValidationRequest (the message names the field or "
                "document and what is wrong)."
            ),
            "413": error(f"The body is larger than {MAX_BODY_BYTES} bytes."),
            "429": error(
                "Rate limit exceeded, or too many validations running; retry after "
                "Retry-After seconds.",
                "Retry-After",
                *limited,
            ),
        },
    }
