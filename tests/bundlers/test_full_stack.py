"""The full-stack bundle: layout, overrides, images, failures, determinism."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_helpers import bundle, read_yaml

from eidos.bundlers import BundleConfig, build_bundle
from eidos.bundlers.overrides import Overrides, parse_set, parse_value
from eidos.errors import InvalidRequestError
from eidos.model import Query, Recipe
from eidos.model.scheduling import parse_toleration
from eidos.recipe import RecipeBuilder, RecipeStore


def _recipe(**criteria: str) -> Recipe:
    query = Query.build(
        **(criteria or {"os": "ubuntu", "service": "eks", "gpu": "h100", "intent": "training"})
    )
    return RecipeBuilder(RecipeStore.load(), cache_size=0).build(query)


def _files(recipe: Recipe, **config: object) -> dict[str, bytes]:
    tree = build_bundle(recipe, BundleConfig(version="1.0", **config)).tree  # type: ignore[arg-type]
    return {path: data for path, (data, _) in tree.items()}


def test_layout_numbers_the_folders_in_deployment_order() -> None:
    recipe = _recipe()
    files = _files(recipe)
    folders = sorted({p.split("/")[0] for p in files if "/" in p})
    assert folders == [f"{i:02d}-{n}" for i, n in enumerate(recipe.deployment_order, 1)]
    for name in (
        "README.md",
        "deploy.sh",
        "undeploy.sh",
        "recipe.yaml",
        "images.txt",
        "charts.txt",
        "checksums.txt",
    ):
        assert name in files
    listed = {line.split("  ", 1)[1] for line in files["checksums.txt"].decode().splitlines()}
    assert listed == set(files) - {"checksums.txt"}


def test_same_recipe_and_flags_give_identical_bytes() -> None:
    recipe = _recipe()
    overrides = Overrides(sets=(parse_set("cert-manager:replicaCount=2"),), registry="r.io/m")
    assert _files(recipe, overrides=overrides) == _files(recipe, overrides=overrides)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("false", False),
        ("null", None),
        ("3", 3),
        ("-2", -2),
        ("1.5", 1.5),
        ('"3"', "3"),
        ("'true'", "true"),
        ('[1, "a"]', [1, "a"]),
        ('{"a": 1}', {"a": 1}),
        ("v1.2.3", "v1.2.3"),
        ("", ""),
    ],
)
def test_set_values_are_typed(text: str, value: object) -> None:
    assert parse_value(text) == value
    assert type(parse_value(text)) is type(value)


@pytest.mark.parametrize(
    "text",
    [
        "nocolon=1",
        "gpu-operator:=1",
        "gpu-operator:a",
        "Bad:a=1",
        "x:a..b=1",
        "x:enabled=maybe",
        "x:a=[1,",
    ],
)
def test_malformed_set_is_refused(text: str) -> None:
    with pytest.raises(InvalidRequestError):
        parse_set(text)


def test_set_reaches_values_and_escaped_dots_stay_in_keys() -> None:
    sets = (
        parse_set("gpu-operator:driver.version=580.95.05"),
        parse_set("cert-manager:podLabels.example\\.com/team=ml"),
        parse_set("skyhook-operator:estimatedNodeCount=12"),
    )
    files = _files(_recipe(), overrides=Overrides(sets=sets))
    import yaml

    gpu = yaml.safe_load(files["04-gpu-operator/values.yaml"])
    assert gpu["driver"]["version"] == "580.95.05"
    cert = yaml.safe_load(files["02-cert-manager/values.yaml"])
    assert cert["podLabels"] == {"example.com/team": "ml"}
    sky = yaml.safe_load(files["08-skyhook-operator/values.yaml"])
    assert sky["estimatedNodeCount"] == 12
    assert b"nvcr.io/nvidia/driver:580.95.05" in files["images.txt"]
    assert b"--set gpu-operator:driver.version=580.95.05" in files["README.md"]


def test_dropping_a_component_others_need_is_refused_and_a_leaf_is_dropped() -> None:
    recipe = _recipe()
    with pytest.raises(InvalidRequestError, match="nvsentinel depends on it"):
        build_bundle(
            recipe,
            BundleConfig(overrides=Overrides(sets=(parse_set("cert-manager:enabled=false"),))),
        )
    files = _files(
        recipe,
        overrides=Overrides(
            sets=(parse_set("cert-manager:enabled=false"), parse_set("nvsentinel:enabled=false"))
        ),
    )
    assert not any("cert-manager" in p or "nvsentinel" in p for p in files)
    assert b"cert-manager" not in files["deploy.sh"]


def test_selecting_a_component_brings_its_dependencies() -> None:
    files = _files(_recipe(), components=("nvsentinel",))
    folders = sorted({p.split("/")[0] for p in files if "/" in p})
    assert folders == [
        "01-cert-manager",
        "02-kube-prometheus-stack",
        "03-gpu-operator",
        "04-nvsentinel",
    ]


def test_unknown_component_in_options_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match="unknown component 'nope'"):
        build_bundle(_recipe(), BundleConfig(chart_versions={"nope": "1.0"}))


def test_scheduling_lands_at_every_declared_path() -> None:
    overrides = Overrides(
        system_node_selector={"nodeGroup": "system"},
        accelerated_tolerations=(parse_toleration("nvidia.com/gpu=present:NoSchedule", "x"),),
    )
    import yaml

    files = _files(_recipe(), overrides=overrides)
    recipe = _recipe()
    for position, ref in enumerate(recipe.component_refs, 1):
        values = yaml.safe_load(files[f"{position:02d}-{ref.name}/values.yaml"])
        for path in ref.paths.get("systemNodeSelector", []):
            node = values
            for key in path.split("."):
                node = node[key]
            assert node == {"nodeGroup": "system"}, (ref.name, path)
        for path in ref.paths.get("acceleratedTolerations", []):
            node = values
            for key in path.split("."):
                node = node[key]
            assert node == [
                {
                    "key": "nvidia.com/gpu",
                    "operator": "Equal",
                    "value": "present",
                    "effect": "NoSchedule",
                }
            ], (ref.name, path)
    sky = yaml.safe_load(files["08-skyhook-operator/values.yaml"])
    taint = sky["controllerManager"]["manager"]["env"]["runtimeRequiredTaint"]
    assert taint == "nvidia.com/gpu=present:NoSchedule"


def test_registry_rewrites_every_image_in_values_and_images_txt() -> None:
    plain = _files(_recipe())
    mirrored = _files(_recipe(), overrides=Overrides(registry="registry.example.com/mirror"))
    before = plain["images.txt"].decode().split()
    after = mirrored["images.txt"].decode().split()
    assert len(before) == len(after) > 20
    assert all(i.startswith("registry.example.com/mirror/") for i in after)
    assert sorted(i.split("/", 1)[1] for i in before) == sorted(i.split("/", 2)[2] for i in after)
    import yaml

    kai = yaml.safe_load(mirrored["05-kai-scheduler/values.yaml"])
    assert kai["global"]["registry"] == "registry.example.com/mirror/nvidia/kai-scheduler"
    gpu = yaml.safe_load(mirrored["04-gpu-operator/values.yaml"])
    assert gpu["driver"]["repository"] == "registry.example.com/mirror/nvidia"


def test_a_failing_component_fails_its_dependents_and_the_rest_is_written(tmp_path: Path) -> None:
    bad = Overrides(
        sets=(parse_set("kube-prometheus-stack:prometheus.prometheusSpec.image.tag='bad tag'"),)
    )
    report = bundle(_recipe(), tmp_path, overrides=bad)
    status = {r.name: r.status for r in report.results}
    assert status["kube-prometheus-stack"] == "failed"
    assert status["gpu-operator"] == "failed"  # depends on it
    assert status["cert-manager"] == "ok"
    assert "not an image reference" in str(report.results[2].error)
    assert (tmp_path / "02-cert-manager" / "values.yaml").exists()
    report = bundle(_recipe(), tmp_path / "ff", overrides=bad, fail_fast=True)
    assert not report.ok and not (tmp_path / "ff").exists()


def test_network_operator_policy_is_applied_after_its_chart(tmp_path: Path) -> None:
    recipe = _recipe(service="self-managed", os="ubuntu", gpu="h100", intent="training")
    assert "network-operator" in recipe.deployment_order
    assert bundle(recipe, tmp_path, overrides=Overrides(registry="mirror.local")).ok
    deploy = (tmp_path / "deploy.sh").read_text()
    position = recipe.deployment_order.index("network-operator") + 1
    policy = f"{position:02d}-network-operator/manifests/nicclusterpolicy.yaml"
    assert f"apply_manifest {policy}" in deploy
    doc = read_yaml(tmp_path / policy)
    assert doc["spec"]["ofedDriver"]["repository"].startswith("mirror.local/")
    images = (tmp_path / "images.txt").read_text()
    assert "mirror.local/nvidia/mellanox/doca-driver:" in images


def test_an_unknown_deployer_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequestError, match="unknown deployer 'kustomize'; valid deployers"):
        bundle(_recipe(), tmp_path / "out", deployer="kustomize")
    assert not (tmp_path / "out").exists()


def test_the_report_serialises_statuses_errors_and_files_for_the_summary(tmp_path: Path) -> None:
    bad = Overrides(sets=(parse_set("cert-manager:image.tag='no good'"),))
    doc = bundle(_recipe(), tmp_path, overrides=bad).to_dict()
    assert doc["success"] is False
    status = {c["name"]: c["status"] for c in doc["components"]}
    assert status["cert-manager"] == "failed" and status["nvsentinel"] == "failed"
    assert status["kube-prometheus-stack"] == "ok"
    failed = next(c for c in doc["components"] if c["name"] == "cert-manager")
    assert failed["error"]["code"] == "INVALID_REQUEST"
    assert "not an image reference" in failed["error"]["message"]
    assert doc["totalFiles"] == sum(1 for p in tmp_path.rglob("*") if p.is_file()) - 1
