"""Shared helpers for bundler tests: fixtures on disk, recipe editing, chart and CRD checks."""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path
from typing import Any

import yaml

from eidos.bundlers import BundleConfig, BundleReport, make_bundles
from eidos.model import Recipe, Version

FIXTURES = Path(__file__).parents[1] / "fixtures"
REFERENCE_RECIPE = FIXTURES / "reference" / "recipes" / "h100-eks-ubuntu-training.yaml"
REFERENCE_BUNDLE = FIXTURES / "reference" / "bundles" / "h100-eks-ubuntu-training"
CHARTS = FIXTURES / "charts"

#: chart dir prefix, CRD file and manifest of each bundler
CHART_FILES = {
    "gpu-operator": ("crds/nvidia.com_clusterpolicies.yaml", "manifests/clusterpolicy.yaml"),
    "network-operator": (
        "crds/mellanox.com_nicclusterpolicies.yaml",
        "manifests/nicclusterpolicy.yaml",
    ),
}
#: values keys the charts document only as comments (``#version: ""``): (bundler, path)
COMMENTED_KEYS = {
    ("gpu-operator", "operator.version"),
    ("gpu-operator", "validator.version"),
    ("network-operator", "operator.tag"),
}


def reference_dict() -> dict[str, Any]:
    """The reference recipe as decoded YAML (a fresh copy each call)."""
    return copy.deepcopy(_reference_raw())


@functools.cache
def _reference_raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(REFERENCE_RECIPE.read_text())
    return data


def reference_recipe() -> Recipe:
    return Recipe.from_dict(reference_dict())


def with_key(raw: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of a recipe dict with ``Type/subtype/key`` set (``...`` deletes it)."""
    out = copy.deepcopy(raw)
    mtype, subtype, key = path.split("/", 2)
    measurement = next((m for m in out["measurements"] if m["type"] == mtype), None)
    if measurement is None:
        measurement = {"type": mtype, "subtypes": []}
        out["measurements"].append(measurement)
    sub = next((s for s in measurement["subtypes"] if s["subtype"] == subtype), None)
    if sub is None:
        sub = {"subtype": subtype, "data": {}}
        measurement["subtypes"].append(sub)
    if value is ...:
        sub["data"].pop(key, None)
        sub.get("context", {}).pop(key, None)
    else:
        sub["data"][key] = value
    return out


def bundle(
    recipe: Recipe | dict[str, Any], out: Path, names: list[str] | None = None, **config: Any
) -> BundleReport:
    """Run make_bundles with ``config`` as BundleConfig keywords (``names``: components)."""
    if isinstance(recipe, dict):
        recipe = Recipe.from_dict(recipe)
    config.setdefault("version", "0.8.12")
    if names:
        config["components"] = tuple(names)
    return make_bundles(recipe, out, BundleConfig(**config))


def component_dir(out: Path, name: str) -> Path:
    """The folder ``NN-name`` of a component in a written bundle."""
    found = [p for p in out.iterdir() if p.is_dir() and p.name[3:] == name]
    assert len(found) == 1, (name, sorted(p.name for p in out.iterdir()))
    return found[0]


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def _chart_version(path: Path) -> Version:
    return Version.parse(path.name.rsplit("-", 1)[1])


def nearest_chart(bundler: str, operator_version: str) -> Path:
    """The fixture chart whose version is nearest the operator version."""
    want = Version.parse(operator_version)
    candidates = [p for p in CHARTS.iterdir() if p.name.startswith(f"{bundler}-v")]

    def distance(path: Path) -> tuple[int, int, int]:
        got = _chart_version(path)
        return (
            abs(got.major - want.major),
            abs(got.minor - want.minor),
            abs(got.patch - want.patch),
        )

    return min(candidates, key=distance)


@functools.cache
def chart_values(chart: Path) -> Any:
    return read_yaml(chart / "values.yaml")


def _commented(chart: Path, path: str) -> bool:
    """Whether ``a.b`` appears as a commented-out key inside block ``a`` of values.yaml."""
    top, key = path.split(".", 1)
    inside = False
    for line in (chart / "values.yaml").read_text().splitlines():
        if re.fullmatch(rf"{re.escape(top)}:\s*", line):
            inside = True
            continue
        if inside and line and not line[0].isspace() and not line.startswith("#"):
            return False
        if inside and re.match(rf"\s+#\s*{re.escape(key)}\b", line):
            return True
    return False


def chart_key_problems(bundler: str, values: Any, chart: Path) -> list[str]:
    """Keys of ``values`` the chart's default values do not define (or with other types)."""
    problems: list[str] = []

    def walk(ours: Any, theirs: Any, path: str) -> None:
        for key, value in ours.items():
            here = f"{path}.{key}" if path else key
            if not isinstance(theirs, dict) or key not in theirs:
                if (bundler, here) in COMMENTED_KEYS and _commented(chart, here):
                    continue
                problems.append(f"{here}: not in {chart.name}/values.yaml")
                continue
            default = theirs[key]
            if isinstance(value, dict):
                if default == {}:
                    continue
                if not isinstance(default, dict):
                    problems.append(f"{here}: a map here, {type(default).__name__} in chart")
                    continue
                walk(value, default, here)
            elif default is not None and type(value) is not type(default):
                problems.append(
                    f"{here}: {type(value).__name__} here, {type(default).__name__} in chart"
                )

    walk(values, chart_values(chart), "")
    return problems


@functools.cache
def _crd_schema(crd: Path) -> Any:
    doc = read_yaml(crd)
    return next(v for v in doc["spec"]["versions"] if v.get("storage"))["schema"]["openAPIV3Schema"]


def _unknown_fields(obj: Any, schema: dict[str, Any], path: str, out: list[str]) -> None:
    if not isinstance(obj, dict) or schema.get("x-kubernetes-preserve-unknown-fields"):
        if isinstance(obj, list) and "items" in schema:
            for i, item in enumerate(obj):
                _unknown_fields(item, schema["items"], f"{path}[{i}]", out)
        return
    props = schema.get("properties")
    extra = schema.get("additionalProperties")
    for key, value in obj.items():
        here = f"{path}.{key}" if path else key
        if props is not None and key in props:
            _unknown_fields(value, props[key], here, out)
        elif isinstance(extra, dict):
            _unknown_fields(value, extra, here, out)
        elif props is not None and path != "metadata":
            out.append(f"{here}: unknown field (the API server would drop it)")


def crd_problems(manifest: Any, crd: Path) -> list[str]:
    """Schema errors plus unknown fields of a manifest against a CRD's openAPIV3Schema."""
    import jsonschema

    schema = _crd_schema(crd)
    validator = jsonschema.Draft7Validator(schema)
    problems = [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(manifest)
    ]
    _unknown_fields(manifest, schema, "", problems)
    return problems


def operator_version(recipe: Recipe, bundler: str) -> str:
    for m in recipe.measurements:
        if m.type == "K8s":
            for s in m.subtypes:
                if s.name == "image" and bundler in s.data:
                    return str(s.data[bundler])
    raise AssertionError(f"recipe has no K8s/image/{bundler}")


def check_against_charts(recipe: Recipe, out: Path, bundler: str) -> list[str]:
    """All chart-key and CRD problems of one written bundle."""
    chart = nearest_chart(bundler, operator_version(recipe, bundler))
    crd_file, manifest_file = CHART_FILES[bundler]
    root = component_dir(out, bundler)
    problems = chart_key_problems(bundler, read_yaml(root / "values.yaml"), chart)
    problems += crd_problems(read_yaml(root / manifest_file), chart / crd_file)
    return [f"{bundler} ({chart.name}): {p}" for p in problems]
