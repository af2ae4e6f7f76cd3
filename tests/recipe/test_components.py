"""The component registry against the real charts: versions that exist, values keys and
scheduling/image paths the chart accepts, and values that agree with the bundlers.

Chart facts come from tests/fixtures/charts/<chart>-<version>/ (copies of the charts'
Chart.yaml, values.yaml and values.schema.json); see chart_facts.py for the rule.
"""

from __future__ import annotations

import itertools
from functools import cache

import pytest
from chart_facts import ChartFacts, chart_dir

from eidos.bundlers.config import BundleConfig
from eidos.bundlers.gpu_operator.settings import read_settings
from eidos.bundlers.gpu_operator.values import helm_values
from eidos.bundlers.recipe_keys import RecipeKeys
from eidos.model import Constraint, Query, Recipe
from eidos.model.query import GPUS, INTENTS, OS_FAMILIES, PLATFORMS, SERVICES
from eidos.recipe import EMBEDDED_DATA, RecipeBuilder, RecipeStore
from eidos.recipe.compose import leaf_paths

STORE = RecipeStore.load()
BUILDER = RecipeBuilder(STORE, cache_size=0)
#: The components issue 11 asks the registry to hold, at least.
REQUIRED = {
    "gpu-operator",
    "network-operator",
    "nvidia-dra-driver-gpu",
    "node-feature-discovery",
    "cert-manager",
    "kai-scheduler",
    "kube-prometheus-stack",
    "prometheus-adapter",
    "nvsentinel",
    "skyhook-operator",
    "k8s-nim-operator",
    "kubeflow-trainer",
    "aws-efa-k8s-device-plugin",
    "dynamo-crds",
    "dynamo-platform",
}
#: Registered for site overlays, chosen by no embedded overlay (docs/recipe-data.md says why).
UNSELECTED = {"node-feature-discovery"}
#: Image tag paths the charts document only as comments (``#version: ""``; the tag is the
#: chart's appVersion unless set), which the GPU/Network Operator bundlers write.
COMMENTED = {
    "operator.version",
    "validator.version",
    "operator.tag",
    "image.tag",
    "node-feature-discovery.image.tag",
}
#: Image entry fields that are not values paths.
NOT_PATHS = {"default", "suffix", "subchart"}
#: Image defaults the fixtures cannot show: subcharts that are not vendored here.
UNVERIFIABLE = {("dynamo-platform", "dynamo-operator.controllerManager.manager.image.tag")}


def _queries() -> list[Query]:
    out = []
    for service, os_, gpu, intent, platform in itertools.product(
        (None, *SERVICES), (None, *OS_FAMILIES), (None, *GPUS), (None, *INTENTS), (None, *PLATFORMS)
    ):
        if os_ is not None and gpu is not None and platform is not None:
            continue  # keep the matrix to ~2,000 builds; every overlay is still reached
        out.append(Query.build(service=service, os=os_, gpu=gpu, intent=intent, platform=platform))
    return [*out, Query.build(intent="training", nodes=1), Query.build(nodes=64, service="eks")]


@cache
def recipes() -> list[Recipe]:
    return [BUILDER.build(q) for q in _queries()]


@cache
def facts(chart: str, version: str) -> ChartFacts:
    directory = chart_dir(chart, version)
    assert directory is not None, f"no chart {chart} {version} in tests/fixtures/charts"
    return ChartFacts(directory)


def _chart_versions() -> dict[str, set[str]]:
    versions: dict[str, set[str]] = {}
    for recipe in recipes():
        for ref in recipe.component_refs:
            assert ref.chart is not None
            versions.setdefault(ref.name, set()).add(ref.chart.version)
    return versions


def test_the_registry_holds_the_required_components():
    assert set(STORE.components) >= REQUIRED
    for component in STORE.components.values():
        assert len(component.description) > 20, component.name


def test_every_component_but_the_listed_ones_is_chosen_by_some_recipe():
    chosen = set(_chart_versions())
    assert set(STORE.components) - chosen == UNSELECTED


def test_every_chart_version_is_one_that_exists():
    versions = _chart_versions()
    for name in UNSELECTED:
        component = STORE.components[name]
        versions[name] = {component.version or "v0.18.2"}
    for name, found in versions.items():
        component = STORE.components[name]
        for version in found:
            chart = facts(component.chart_name, version)
            assert chart.name == component.chart_name, name


def _values_sources(name: str) -> list[tuple[str, dict]]:
    out = [("registry", STORE.components[name].values)]
    out += [("base", p.values) for p in STORE.base_patches if p.name == name]
    out += [(o.label, p.values) for o in STORE.overlays for p in o.patches if p.name == name]
    return out


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_values_key_the_data_sets_is_accepted_by_the_chart(name):
    component = STORE.components[name]
    versions = _chart_versions().get(name) or {"v0.18.2"}
    for version in versions:
        chart = facts(component.chart_name, version)
        for where, values in _values_sources(name):
            for path in leaf_paths(values):
                assert chart.accepts(path), f"{name} {version} ({where}): {path}"
        for path in component.values_from:
            assert chart.accepts(path), f"{name} {version} valuesFrom: {path}"


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_scheduling_and_image_paths_are_where_the_chart_has_them(name):
    component = STORE.components[name]
    for version in _chart_versions().get(name) or {"v0.18.2"}:
        chart = facts(component.chart_name, version)
        for kind, paths in component.paths.items():
            if kind == "images":
                for image in paths:
                    for part, path in image.items():
                        if part in NOT_PATHS:
                            continue
                        assert chart.accepts(path) or path in COMMENTED, f"{name}: {part} {path}"
                        found, value = chart.value(path)
                        if found and part in ("registry", "repository"):
                            assert isinstance(value, str) and value, f"{name}: {path}"
                continue
            for path in paths:
                assert chart.accepts(path), f"{name}: {kind} {path}"
                found, value = chart.value(path)
                if not found or value is None:
                    continue
                expected = {
                    "NodeSelector": dict,
                    "Tolerations": list,
                    "Taint": str,
                    "nodeCount": int,
                }
                want = next(t for suffix, t in expected.items() if kind.endswith(suffix))
                assert isinstance(value, want), f"{name}: {kind} {path} is {value!r}"


def test_the_checker_refuses_what_the_charts_do_not_have():
    """The paths AICR's registry declares but these charts lack, so the test can fail."""
    gpu = facts("gpu-operator", "v25.10.1")
    assert not gpu.accepts("daemonsets.nodeSelector")  # the ClusterPolicy has no such field
    assert not gpu.accepts("operator.nodeSelector")
    assert not gpu.accepts("fullnameOverride")
    assert gpu.accepts("node-feature-discovery.master.nodeSelector")  # from the subchart
    kps = facts("kube-prometheus-stack", "82.8.0")
    assert not kps.accepts("grafana.resources")  # grafana is not vendored; only the allowlist
    assert kps.accepts("prometheus.prometheusSpec.resources.requests.cpu")  # resources: {}
    cert = facts("cert-manager", "v1.17.2")
    assert cert.accepts("image.tag")  # only in values.schema.json
    assert not cert.accepts("image.tagg")


def test_embedded_constraints_are_written_normalised_and_adopted_as_written():
    checked = RecipeStore.load(EMBEDDED_DATA)  # read like --data: every constraint parsed
    adopted = [*STORE.base_constraints, *(c for o in STORE.overlays for c in o.constraints)]
    parsed = [*checked.base_constraints, *(c for o in checked.overlays for c in o.constraints)]
    assert len(adopted) == len(parsed) > 20
    assert sorted((c.check, c.severity, c.reason) for c in adopted) == sorted(
        (c.check, c.severity, c.reason) for c in parsed
    )
    for constraint in adopted:
        assert constraint.kind in ("version", "integer", "string", "boolean")


def test_one_source_for_the_gpu_operator_version():
    component = STORE.components["gpu-operator"]
    assert component.version_from == "K8s/image/gpu-operator" and not component.version
    for recipe in recipes():
        ref = recipe.component("gpu-operator")
        assert ref is not None and ref.chart is not None
        image = recipe.subtype("K8s", "image")
        assert image is not None and ref.chart.version == image.data["gpu-operator"]


def _derived_leaves(values: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in values.items():
        if isinstance(value, dict) and value:
            out.update(_derived_leaves(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def test_gpu_operator_values_agree_with_what_its_bundler_derives():
    """valuesFrom values equal the bundler's; the registry's own values it never touches."""
    for recipe in recipes()[::7]:
        ref = recipe.component("gpu-operator")
        assert ref is not None
        derived = _derived_leaves(
            helm_values(read_settings(RecipeKeys(recipe, "gpu-operator")), BundleConfig())
        )
        ours = _derived_leaves(ref.values)
        for path, value in ours.items():
            if path in derived:
                assert derived[path] == value, f"{recipe.request}: {path}"
            else:
                clash = [d for d in derived if d.startswith(path + ".")]
                assert not clash, f"{recipe.request}: {path} vs {clash}"


def test_the_driver_root_follows_the_service_everywhere():
    for recipe in recipes():
        dra = recipe.component("nvidia-dra-driver-gpu")
        config = recipe.subtype("K8s", "config")
        assert dra is not None and config is not None
        assert dra.values["nvidiaDriverRoot"] == config.data["driver_install_dir"]


def test_every_recipe_is_deployable_in_its_order():
    for recipe in recipes():
        names = [ref.name for ref in recipe.component_refs]
        assert names == recipe.deployment_order
        for ref in recipe.component_refs:
            for dep in ref.dependency_refs:
                assert names.index(dep) < names.index(ref.name), (recipe.request, ref.name, dep)


def _reading(recipe: Recipe, constraint: Constraint) -> object:
    sub = recipe.subtype(constraint.mtype, constraint.subtype)
    return None if sub is None else sub.data.get(constraint.key)


def test_a_recipe_satisfies_its_own_constraints_where_it_names_the_value():
    checked = 0
    for recipe in recipes():
        for constraint in recipe.constraints:
            reading = _reading(recipe, constraint)
            if reading is not None:
                checked += 1
                assert constraint.holds(reading), (recipe.request, constraint.check, reading)
    assert checked > 1000


def test_the_kubernetes_constraint_is_at_least_each_charts_kube_version():
    for recipe in recipes():
        constraint = next(c for c in recipe.constraints if c.path == "K8s.server.version")
        floor = constraint.predicate.comparisons[0].value
        for ref in recipe.component_refs:
            assert ref.chart is not None
            chart = facts(ref.chart.name, ref.chart.version).chart
            wanted = str(chart.get("kubeVersion", ">=0")).replace(" ", "").lstrip(">=")
            minimum = wanted.split("-")[0]
            assert floor >= type(floor).parse(minimum), (ref.name, minimum, constraint.check)


def _registry_versions(name: str) -> set[str]:
    component = STORE.components[name]
    return {component.version} if component.version else (_chart_versions().get(name) or set())


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_image_defaults_are_what_the_chart_uses(name):
    """Every ``default`` part is the chart's value there, or its appVersion for an empty tag;
    every ``enabled`` default is the chart's; so images.txt lists what the chart deploys."""
    component = STORE.components[name]
    versions = {"gpu-operator": "v25.10.1", "node-feature-discovery": "v0.18.2"}
    version = versions.get(name) or sorted(_registry_versions(name))[-1]
    top = facts(component.chart_name, version)
    for image in component.paths.get("images", []):
        default = image.get("default", {})
        if "subchart" in image:
            sub, version = image["subchart"].split(" ")
            deps = {d["name"]: str(d["version"]) for d in top.chart.get("dependencies", [])}
            assert deps.get(sub) == version, (name, image["subchart"], deps.get(sub))
        for part in ("registry", "repository", "name", "tag", "enabled"):
            if part not in image or (name, image[part]) in UNVERIFIABLE:
                continue
            chart, path = top, image[part]
            head, _, rest = path.partition(".")
            if head in top.subcharts and top.subcharts[head] is None and not top.value(path)[0]:
                assert image.get("subchart", "").startswith(f"{head} "), (name, path)
                continue  # an unvendored subchart: its defaults are recorded data
            if top.subcharts.get(head) is not None and not top.value(path)[0]:
                chart, path = top.subcharts[head], rest  # type: ignore[assignment]
            found, value = chart.value(path)
            app = str(chart.chart.get("appVersion", ""))
            if part == "tag" and not value:
                assert default.get("tag") in (app, "v" + app, None), (name, image[part], app)
                continue
            if not found and image[part] in COMMENTED:
                continue
            assert found, (name, image[part])
            assert default.get(part) == value, (name, image[part], value, default.get(part))
        if "default" in image:
            assert all(image.get(k) for k in default if k != "enabled"), (name, image)
