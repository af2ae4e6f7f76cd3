"""The OpenAPI schemas of the documents the server returns: errors, status, recipes.

Enum values come from ``eidos.model`` (criteria, component types, constraint severities),
so the schemas cannot drift from what the server emits.
"""

from __future__ import annotations

from typing import Any

from eidos.model.component import COMPONENT_TYPES
from eidos.model.constraint import SEVERITIES
from eidos.model.measurement import MEASUREMENT_TYPES
from eidos.model.query import ENUM_FIELDS, FIELDS, MAX_NODES

__all__ = ["document_schemas"]

_REF = "#/components/"


def _criteria_schema() -> dict[str, Any]:
    """``GET /v1/criteria``: one entry per criterion, in wire order, then the flags."""
    strings = {"type": "array", "items": {"type": "string"}}
    entry = {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "kind", "description", "aliases", "known"],
        "properties": {
            "name": {"type": "string", "enum": list(FIELDS)},
            "kind": {"type": "string", "enum": ["enum", "version", "count"]},
            "description": {"type": "string"},
            "values": strings,
            "example": {"type": "string"},
            "minimum": {"type": "integer"},
            "maximum": {"type": "integer"},
            "aliases": strings,
            "known": strings,
        },
    }
    flag = {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "description"],
        "properties": {"name": {"type": "string"}, "description": {"type": "string"}},
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["criteria", "flags"],
        "properties": {
            "criteria": {"type": "array", "items": entry},
            "flags": {"type": "array", "items": flag},
        },
    }


def document_schemas() -> dict[str, Any]:
    """The ``components.schemas`` of the OpenAPI document."""
    text_map = {"type": "object", "additionalProperties": {"type": "string"}}
    reading = {"type": ["string", "number", "integer", "boolean"]}
    query_props: dict[str, Any] = {f: {"type": "string"} for f in FIELDS}
    for field, (values, _) in ENUM_FIELDS.items():
        query_props[field] = {"type": "string", "enum": list(values)}
    query_props["nodes"] = {"type": "integer", "minimum": 1, "maximum": MAX_NODES}
    query_props["withContext"] = {"type": "boolean"}
    return {
        "Error": {
            "type": "object",
            "additionalProperties": False,
            "required": ["code", "message", "requestId", "timestamp", "retryable"],
            "properties": {
                "code": {
                    "type": "string",
                    "enum": [
                        "INVALID_REQUEST",
                        "NOT_FOUND",
                        "METHOD_NOT_ALLOWED",
                        "RATE_LIMIT_EXCEEDED",
                        "INTERNAL",
                        "SERVICE_UNAVAILABLE",
                        "TIMEOUT",
                    ],
                },
                "message": {"type": "string"},
                "details": {"type": "object"},
                "requestId": {"type": "string"},
                "timestamp": {"type": "string", "format": "date-time"},
                "retryable": {"type": "boolean"},
            },
        },
        "Status": {
            "type": "object",
            "required": ["status", "timestamp"],
            "properties": {
                "status": {"enum": ["healthy", "ready", "not_ready"]},
                "timestamp": {"type": "string", "format": "date-time"},
                "reason": {"type": "string"},
            },
        },
        "Criteria": _criteria_schema(),
        "ServiceInfo": {
            "type": "object",
            "required": ["service", "version", "routes"],
            "properties": {
                "service": {"const": "eidos-api-server"},
                "version": {"type": "string"},
                "routes": {"type": "array", "items": {"type": "string"}},
            },
        },
        "Query": {"type": "object", "additionalProperties": False, "properties": query_props},
        "Subtype": {
            "type": "object",
            "additionalProperties": False,
            "required": ["subtype", "data"],
            "properties": {
                "subtype": {"type": "string", "minLength": 1},
                "data": {"type": "object", "additionalProperties": reading},
                "context": text_map,
            },
        },
        "Measurement": {
            "type": "object",
            "additionalProperties": False,
            "required": ["type", "subtypes"],
            "properties": {
                "type": {"type": "string", "minLength": 1, "examples": list(MEASUREMENT_TYPES)},
                "subtypes": {"type": "array", "items": {"$ref": f"{_REF}schemas/Subtype"}},
            },
        },
        "Recipe": {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind", "apiVersion", "metadata", "measurements"],
            "properties": {
                "kind": {"const": "Recipe"},
                "apiVersion": {"const": "recipe.dgxc.io/v1"},
                "metadata": text_map,
                "request": {"$ref": f"{_REF}schemas/Query"},
                "matchedRules": {"type": "array", "items": {"type": "string"}},
                "measurements": {"type": "array", "items": {"$ref": f"{_REF}schemas/Measurement"}},
                "componentRefs": {
                    "type": "array",
                    "items": {"$ref": f"{_REF}schemas/ComponentRef"},
                },
                "deploymentOrder": {"type": "array", "items": {"type": "string"}},
                "constraints": {"type": "array", "items": {"$ref": f"{_REF}schemas/Constraint"}},
            },
        },
        **_component_schemas(text_map),
    }


def _component_schemas(text_map: dict[str, Any]) -> dict[str, Any]:
    paths = {"type": "array", "items": {"type": "string"}}
    return {
        "ComponentRef": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "type", "namespace", "dependencyRefs", "values"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "type": {"enum": list(COMPONENT_TYPES)},
                "chart": {
                    "type": "object",
                    "required": ["repository", "name", "version"],
                    "properties": {
                        "repository": {"type": "string"},
                        "name": {"type": "string"},
                        "version": {"type": "string"},
                    },
                },
                "namespace": {"type": "string"},
                "dependencyRefs": {"type": "array", "items": {"type": "string"}},
                "values": {"type": "object"},
                "paths": {
                    "type": "object",
                    "additionalProperties": paths,
                    "properties": {
                        "images": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": {"type": "string"},
                                "properties": {
                                    "default": {
                                        "type": "object",
                                        "properties": {"enabled": {"type": "boolean"}},
                                        "additionalProperties": {"type": "string"},
                                    }
                                },
                            },
                        }
                    },
                },
                "manifests": {"type": "array", "items": {"type": "object"}},
                "crds": {"type": "array", "items": {"type": "string"}},
                "webhooks": {"type": "array", "items": {"type": "string"}},
                "context": text_map,
            },
        },
        "Constraint": {
            "type": "object",
            "additionalProperties": False,
            "required": ["check", "severity", "reason"],
            "properties": {
                "check": {"type": "string", "examples": ["K8s.server.version >= 1.32"]},
                "severity": {"enum": list(SEVERITIES)},
                "reason": {"type": "string"},
                "source": {"type": "string"},
            },
        },
    }
