"""In-process bundle benchmarks (run by `make bench`; skipped in the normal suite)."""

from __future__ import annotations

import pytest
import yaml

from eidos.bundlers import BundleConfig, build_bundle, make_bundles
from eidos.model import Query, Recipe
from eidos.recipe import RecipeBuilder, RecipeStore
from eidos.serializer import dumps
from eidos.serializer.yamlfast import load_emitted
from eidos.serializer.yamlload import load_yaml


@pytest.fixture(scope="module")
def full_stack() -> Recipe:
    query = Query.build(os="ubuntu", service="eks", gpu="h100", intent="training")
    return RecipeBuilder(RecipeStore.load(), cache_size=0).build(query)


@pytest.fixture(scope="module")
def reference(request) -> Recipe:
    path = (
        request.config.rootpath / "tests/fixtures/reference/recipes/h100-eks-ubuntu-training.yaml"
    )
    return Recipe.from_dict(yaml.safe_load(path.read_text()))


def test_bench_build_full_stack_in_memory(benchmark, full_stack):
    build_bundle(full_stack, BundleConfig())  # warm: imports
    bundle = benchmark(lambda: build_bundle(full_stack, BundleConfig()))
    assert bundle.report.ok


def test_bench_write_full_stack_with_force(benchmark, full_stack, tmp_path):
    config = BundleConfig(force=True)
    make_bundles(full_stack, tmp_path, config)
    report = benchmark(lambda: make_bundles(full_stack, tmp_path, config))
    assert report.ok


def test_bench_build_reference_recipe(benchmark, reference):
    build_bundle(reference, BundleConfig())
    assert benchmark(lambda: build_bundle(reference, BundleConfig())).report.ok


@pytest.mark.parametrize("reader", ["yamlfast", "pyyaml"])
def test_bench_read_full_stack_recipe(benchmark, full_stack, reader):
    text = dumps(full_stack.to_dict(), "yaml")
    read = load_emitted if reader == "yamlfast" else load_yaml
    assert benchmark(lambda: read(text)) == load_yaml(text)
