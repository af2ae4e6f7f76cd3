"""Recipes without componentRefs: the operators' image entries match every vendored chart,
and images.txt lists the operator charts' own images, not only the custom resources'."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bundle_helpers import CHARTS, bundle, reference_dict, with_key

from eidos.bundlers import BundleConfig
from eidos.bundlers.images import get_path
from eidos.bundlers.legacy import INIT_CONTAINER, NFD_SUBCHART, legacy_components
from eidos.bundlers.profiles import PROFILES
from eidos.model import Recipe


def _charts(operator: str) -> list[Path]:
    return sorted(CHARTS.glob(f"{operator}-v*"))


def _recipe_with(operator: str, version: str) -> Recipe:
    raw = reference_dict()
    for measurement in raw["measurements"]:
        for sub in measurement["subtypes"]:
            if measurement["type"] == "K8s" and sub["subtype"] == "image":
                sub["data"][operator] = version
    return Recipe.from_dict(raw)


@pytest.mark.parametrize("chart", _charts("gpu-operator") + _charts("network-operator"), ids=str)
def test_image_defaults_match_each_vendored_chart(chart: Path) -> None:
    operator, version = chart.name.rsplit("-", 1)
    meta = yaml.safe_load((chart / "Chart.yaml").read_text())
    values = yaml.safe_load((chart / "values.yaml").read_text())
    ref = next(r for r in legacy_components(_recipe_with(operator, version)) if r.name == operator)
    entries = ref.paths["images"]
    derived = PROFILES[operator](_recipe_with(operator, version), BundleConfig()).values
    checked = 0
    for entry in entries:
        for part in ("repository", "name"):
            found, value = get_path(values, entry[part]) if part in entry else (False, None)
            if found and not get_path(derived, entry[part])[0]:
                checked += 1
                assert value == entry["default"][part], (entry[part], value)
    assert checked >= len(entries) // 2
    deps = {d["name"]: str(d["version"]) for d in meta.get("dependencies", [])}
    if operator == "gpu-operator":
        assert NFD_SUBCHART[version] == "v" + deps["node-feature-discovery"].removeprefix("v")
        assert entries[-1]["default"]["tag"] == NFD_SUBCHART[version]
    else:
        init = values["operator"]["ofedDriver"]["initContainer"]
        assert INIT_CONTAINER[version.removeprefix("v")] == (init["repository"], init["version"])


def test_images_txt_lists_the_operator_charts_images(tmp_path: Path) -> None:
    assert bundle(reference_dict(), tmp_path).ok
    images = (tmp_path / "images.txt").read_text().splitlines()
    for image in (
        "nvcr.io/nvidia/gpu-operator:v25.3.0",
        "nvcr.io/nvidia/cloud-native/gpu-operator-validator:v25.3.0",
        "nvcr.io/nvidia/driver:570.133.20",
        "nvcr.io/nvidia/k8s/container-toolkit:v1.17.5",
        "nvcr.io/nvidia/k8s-device-plugin:v0.17.1",
        "nvcr.io/nvidia/k8s/dcgm-exporter:4.1.1",
        "registry.k8s.io/nfd/node-feature-discovery:v0.17.2",
        "nvcr.io/nvidia/cloud-native/network-operator:v25.4.0",
        "ghcr.io/mellanox/network-operator-init-container:v0.0.3",
        "ghcr.io/k8snetworkplumbingwg/multus-cni:v4.1.0",
    ):
        assert image in images
    assert not any("k8s-mig-manager" in i for i in images)  # off in this recipe
    assert images == sorted(set(images))


def test_a_legacy_bundle_moves_the_operator_images_to_a_mirror(tmp_path: Path) -> None:
    from eidos.bundlers import Overrides

    assert bundle(reference_dict(), tmp_path, overrides=Overrides(registry="mirror.local/x")).ok
    images = (tmp_path / "images.txt").read_text().splitlines()
    assert images and all(i.startswith("mirror.local/x/") for i in images)
    values = yaml.safe_load((tmp_path / "01-gpu-operator" / "values.yaml").read_text())
    assert values["driver"]["repository"] == "mirror.local/x/nvidia"
    assert values["node-feature-discovery"]["image"]["repository"] == (
        "mirror.local/x/nfd/node-feature-discovery"
    )


def test_an_unknown_gpu_operator_version_tags_nfd_as_the_recipe_says(tmp_path: Path) -> None:
    refs = legacy_components(_recipe_with("gpu-operator", "v99.1.0"))
    nfd = refs[0].paths["images"][-1]
    assert nfd["default"]["tag"] == "v0.17.3"  # K8s/image/node-feature-discovery


def test_an_operand_the_recipe_does_not_pin_is_left_out_not_failed(tmp_path: Path) -> None:
    raw = with_key(reference_dict(), "K8s/config/gds", True)
    assert bundle(raw, tmp_path / "a").ok  # the chart's default nvidia-fs tag is unknown
    assert "nvidia-fs" not in (tmp_path / "a" / "images.txt").read_text()
    raw = with_key(raw, "K8s/image/nvidia-fs", "2.20.5")
    assert bundle(raw, tmp_path / "b").ok
    images = (tmp_path / "b" / "images.txt").read_text().splitlines()
    assert "nvcr.io/nvidia/cloud-native/nvidia-fs:2.20.5" in images
