"""Helpers for validate/ tests: the real h100 snapshot and ways to vary it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from eidos.serializer import loads

H100 = Path(__file__).parents[1] / "fixtures" / "reference" / "snapshots" / "h100.yaml"
H100_DOC: dict[str, Any] = loads(H100.read_text(), origin=str(H100))


def h100() -> dict[str, Any]:
    """A fresh copy of the real h100 snapshot document."""
    return copy.deepcopy(H100_DOC)


def reading(doc: dict[str, Any], mtype: str, subtype: str) -> dict[str, Any]:
    """The data map of ``mtype/subtype`` in ``doc`` (to change it in place)."""
    for m in doc["measurements"]:
        if m["type"] == mtype:
            for sub in m["subtypes"]:
                if sub["subtype"] == subtype:
                    data: dict[str, Any] = sub["data"]
                    return data
    raise KeyError(f"{mtype}/{subtype}")


def renamed(doc: dict[str, Any], node: str) -> dict[str, Any]:
    doc["metadata"]["source-node"] = node
    return doc
