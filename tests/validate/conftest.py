"""Fixtures for validate/: the real h100 snapshot, the recipe built from it, variations."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from eidos.model import Recipe, Snapshot
from eidos.recipe import RecipeBuilder, RecipeStore, infer_query
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


@pytest.fixture(scope="session")
def h100_recipe() -> Recipe:
    """The recipe ``eidos recipe --snapshot h100.yaml`` builds."""
    snapshot = Snapshot.from_dict(h100())
    builder = RecipeBuilder(RecipeStore.load(), cache_size=0)
    return builder.build(infer_query(snapshot, None).query)
