"""In-process recipe benchmarks (run by `make bench`; skipped in the normal suite)."""

from __future__ import annotations

import pytest

from eidos.model import Query
from eidos.recipe import RecipeBuilder, RecipeStore
from eidos.serializer import dumps


@pytest.fixture(scope="module")
def store() -> RecipeStore:
    return RecipeStore.load()


def test_bench_store_load(benchmark):
    benchmark(RecipeStore.load)


def test_bench_build_uncached(benchmark, store):
    builder = RecipeBuilder(store, cache_size=0)
    query = Query.build(os="ubuntu", service="eks", gpu="h100", intent="training")
    recipe = benchmark(builder.build, query)
    assert recipe.matched_rules


def test_bench_build_full_stack_uncached(benchmark, store):
    """Every component of a full stack: platform, nodes and context provenance included."""
    builder = RecipeBuilder(store, cache_size=0)
    query = Query.build(
        os="ubuntu",
        service="eks",
        gpu="h100",
        intent="inference",
        platform="dynamo",
        nodes=8,
        with_context=True,
    )
    recipe = benchmark(builder.build, query)
    assert len(recipe.component_refs) >= 10


def test_bench_build_cached(benchmark, store):
    builder = RecipeBuilder(store)
    query = Query.build(os="ubuntu", service="eks", gpu="h100", intent="training")
    builder.build(query)
    recipe = benchmark(builder.build, query)
    assert recipe.matched_rules


def test_bench_recipe_to_yaml(benchmark, store):
    query = Query.build(os="ubuntu", service="eks", gpu="h100", intent="training")
    recipe = RecipeBuilder(store).build(query)
    text = benchmark(lambda: dumps(recipe.to_dict(), "yaml"))
    assert text.startswith("kind: Recipe")
