"""In-process bundle benchmarks (run by `make bench`; skipped in the normal suite)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eidos.bundlers import BundleConfig, make_bundles
from eidos.model import Recipe
from eidos.serializer import read_document

RECIPE = Path(__file__).parents[1] / "fixtures/reference/recipes/h100-eks-ubuntu-training.yaml"


@pytest.fixture(scope="module")
def recipe() -> Recipe:
    return Recipe.from_dict(read_document(str(RECIPE)))


def test_bench_bundle_both_bundlers(benchmark, recipe, tmp_path):
    config = BundleConfig(force=True)
    make_bundles(recipe, tmp_path, None, config)  # warm: imports, templates

    report = benchmark(lambda: make_bundles(recipe, tmp_path, None, config))
    assert report.ok and report.total_files == 12


@pytest.mark.parametrize("name", ["gpu-operator", "network-operator"])
def test_bench_bundle_one_bundler(benchmark, recipe, tmp_path, name):
    config = BundleConfig(force=True)
    make_bundles(recipe, tmp_path, [name], config)

    report = benchmark(lambda: make_bundles(recipe, tmp_path, [name], config))
    assert report.ok
