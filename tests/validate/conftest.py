"""Fixtures for validate/ (helpers in validate_helpers.py)."""

from __future__ import annotations

import pytest
from validate_helpers import h100

from eidos.model import Recipe, Snapshot
from eidos.recipe import RecipeBuilder, RecipeStore, infer_query


@pytest.fixture(scope="session")
def h100_recipe() -> Recipe:
    """The recipe ``eidos recipe --snapshot h100.yaml`` builds."""
    snapshot = Snapshot.from_dict(h100())
    builder = RecipeBuilder(RecipeStore.load(), cache_size=0)
    return builder.build(infer_query(snapshot, None).query)
