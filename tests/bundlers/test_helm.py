"""The real helm reads every component's bundled values: ``helm lint --strict`` and
``helm template`` of a chart skeleton per component (the vendored Chart.yaml, values.yaml,
values.schema.json and crds/, plus one template that renders ``.Values``), so helm checks
the values against the chart's schema and parses every file, and each value we wrote
reaches the chart as written (types included)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from bundle_helpers import CHARTS, REFERENCE_RECIPE

from eidos.bundlers import BundleConfig, build_bundle
from eidos.bundlers.overrides import Overrides, parse_set
from eidos.model import Query, Recipe
from eidos.model.scheduling import parse_toleration
from eidos.recipe import RecipeBuilder, RecipeStore
from helm_tool import helm_binary

pytestmark = pytest.mark.timeout(600)

TEMPLATE = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-values
data:
  values.json: {{ toJson .Values | quote }}
"""


@pytest.fixture(scope="module")
def helm() -> Path:
    path, why = helm_binary()
    if path is None:
        pytest.skip(why)
    return path


def _chart_dir(name: str, version: str) -> Path | None:
    bare = version.removeprefix("v")
    for candidate in (f"{name}-{version}", f"{name}-{bare}", f"{name}-v{bare}"):
        if (CHARTS / candidate).is_dir():
            return CHARTS / candidate
    return None


def _skeleton(source: Path, into: Path) -> Path:
    chart = yaml.safe_load((source / "Chart.yaml").read_text())
    chart.pop("dependencies", None)  # subcharts are not vendored; their values pass through
    chart["version"] = str(chart["version"]).removeprefix("v")  # lint --strict: SemVer 2
    into.mkdir(parents=True)
    (into / "Chart.yaml").write_text(yaml.safe_dump(chart))
    for name in ("values.yaml", "values.schema.json"):
        if (source / name).exists():
            shutil.copy(source / name, into / name)
    if (source / "crds").is_dir():
        shutil.copytree(source / "crds", into / "crds")
    (into / "templates").mkdir()
    (into / "templates" / "values.yaml").write_text(TEMPLATE)
    return into


def _leaves(values: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    if isinstance(values, dict) and values:
        return [leaf for k, v in values.items() for leaf in _leaves(v, (*path, k))]
    return [(path, values)]


def _at(values: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        values = values[key]
    return values


def _run(helm: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "HELM_NO_PLUGINS": "1"}
    return subprocess.run(
        [str(helm), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def _recipes() -> dict[str, tuple[Recipe, BundleConfig]]:
    builder = RecipeBuilder(RecipeStore.load(), cache_size=0)
    eks = builder.build(Query.build(os="ubuntu", service="eks", gpu="h100", intent="training"))
    network = builder.build(Query.build(service="self-managed", gpu="h100", intent="training"))
    overrides = Overrides(
        sets=(parse_set("cert-manager:replicaCount=2"), parse_set("gpu-operator:cdi.enabled=true")),
        system_node_selector={"nodeGroup": "system"},
        accelerated_tolerations=(
            parse_toleration("nvidia.com/gpu=present:NoSchedule", "--accelerated-toleration"),
        ),
        registry="registry.example.com/mirror",
    )
    reference = Recipe.from_dict(yaml.safe_load(REFERENCE_RECIPE.read_text()))
    return {
        "eks-h100-training": (eks, BundleConfig()),
        "eks-h100-training-overrides": (eks, BundleConfig(overrides=overrides)),
        "self-managed-h100-training": (network, BundleConfig()),
        "reference-recipe": (reference, BundleConfig()),
    }


RECIPES = _recipes()


@pytest.mark.parametrize("case", sorted(RECIPES))
def test_helm_accepts_every_bundled_values_file(helm: Path, tmp_path: Path, case: str) -> None:
    recipe, config = RECIPES[case]
    bundle = build_bundle(recipe, config)
    assert bundle.report.ok
    files = dict(bundle.tree.items())
    charts = [line.split() for line in files["charts.txt"][0].decode().splitlines()]
    checked = 0
    for name, _repo, _chart, version in charts:
        source = _chart_dir(_chart, version)
        folder = next(r.directory for r in bundle.report.results if r.name == name)
        if source is None:
            continue
        checked += 1
        values_file = tmp_path / f"{name}.values.yaml"
        values_file.write_bytes(files[f"{folder}/values.yaml"][0])
        chart = _skeleton(source, tmp_path / "charts" / name)
        lint = _run(helm, tmp_path, "lint", "--strict", str(chart), "-f", str(values_file))
        assert lint.returncode == 0, (name, lint.stdout[-3000:], lint.stderr[-3000:])
        done = _run(helm, tmp_path, "template", name, str(chart), "-f", str(values_file))
        assert done.returncode == 0, (name, done.stderr[-3000:])
        rendered = json.loads(yaml.safe_load(done.stdout)["data"]["values.json"])
        ours = yaml.safe_load(values_file.read_text()) or {}
        for path, value in _leaves(ours):
            if value is None:
                continue  # helm deletes a key set to null
            if value == {}:  # an empty mapping merges with the chart's own
                assert isinstance(_at(rendered, path), dict), (name, ".".join(path))
                continue
            assert _at(rendered, path) == value, (name, ".".join(path), value)
    assert checked == len(charts)  # every chart of these recipes is vendored


def test_helm_refuses_a_value_the_chart_schema_forbids(helm: Path, tmp_path: Path) -> None:
    source = _chart_dir("cert-manager", "v1.17.2")
    assert source is not None and (source / "values.schema.json").exists()
    chart = _skeleton(source, tmp_path / "cert-manager")
    bad = tmp_path / "bad.yaml"
    bad.write_text("replicaCount: many\n")
    done = _run(helm, tmp_path, "template", "cert-manager", str(chart), "-f", str(bad))
    assert done.returncode != 0
    assert "replicaCount" in done.stderr
