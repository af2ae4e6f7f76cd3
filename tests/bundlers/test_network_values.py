"""Network Operator mapping (pure): settings -> Helm values and NicClusterPolicy."""

from __future__ import annotations

import json
from typing import Any

import pytest

from eidos.bundlers import BundleConfig
from eidos.bundlers.network_operator.settings import COMPONENTS, NetSettings
from eidos.bundlers.network_operator.values import helm_values, image_ref, nic_cluster_policy

OFF = {c.name: False for c in COMPONENTS}


def _settings(**on: str) -> NetSettings:
    return NetSettings(
        operator_version="v25.4.0", enabled={**OFF, **dict.fromkeys(on, True)}, versions=dict(on)
    )


def _policy(**on: str) -> dict[str, Any]:
    return nic_cluster_policy(_settings(**on), BundleConfig())


def test_values_hold_only_what_the_chart_reads() -> None:
    assert helm_values(_settings()) == {
        "operator": {"repository": "nvcr.io/nvidia/cloud-native", "tag": "v25.4.0"},
        "nfd": {"enabled": True, "deployNodeFeatureRules": True},
    }


def test_nothing_enabled_gives_an_empty_policy() -> None:
    assert _policy() == {
        "apiVersion": "mellanox.com/v1alpha1",
        "kind": "NicClusterPolicy",
        "metadata": {"name": "nic-cluster-policy"},
        "spec": {},
    }


@pytest.mark.parametrize(
    ("tag", "repository"),
    [
        ("v1.5.3", "ghcr.io/mellanox"),
        ("network-operator-v25.10.0", "nvcr.io/nvidia/mellanox"),
    ],
)
def test_repository_follows_the_tag_family(tag: str, repository: str) -> None:
    assert image_ref(_settings(rdma=tag), "rdma") == ("k8s-rdma-shared-dev-plugin", repository, tag)


def test_doca_driver_always_comes_from_the_recipe_registry() -> None:
    settings = NetSettings(
        operator_version="v25.4.0",
        registry="mirror.example.com/nv",
        enabled={**OFF, "ofed": True},
        versions={"ofed": "25.04-0.6.1.0-2"},
    )
    ofed = nic_cluster_policy(settings, BundleConfig())["spec"]["ofedDriver"]
    assert (ofed["image"], ofed["repository"], ofed["version"]) == (
        "doca-driver",
        "mirror.example.com/nv/mellanox",
        "25.04-0.6.1.0-2",
    )
    assert ofed["startupProbe"] == {"initialDelaySeconds": 10, "periodSeconds": 20}


def test_device_plugin_configs_are_valid_json() -> None:
    spec = _policy(rdma="v1.5.3", sriov="v3.9.0")["spec"]
    rdma = json.loads(spec["rdmaSharedDevicePlugin"]["config"])
    assert rdma["configList"][0]["selectors"]["vendors"] == ["15b3"]
    assert "1021" in rdma["configList"][0]["selectors"]["deviceIDs"]
    sriov = json.loads(spec["sriovDevicePlugin"]["config"])
    assert sriov["resourceList"][0]["selectors"]["isRdma"] is True


def test_secondary_network_holds_multus_plugins_and_whereabouts() -> None:
    spec = _policy(multus="v4.1.0", cni_plugins="v1.6.2", whereabouts="v0.7.0")["spec"]
    assert list(spec["secondaryNetwork"]) == ["cniPlugins", "multus", "ipamPlugin"]
    assert spec["secondaryNetwork"]["multus"]["config"] == ""


def test_labels_and_annotations_go_to_the_policy_metadata() -> None:
    policy = nic_cluster_policy(
        _settings(), BundleConfig(labels={"a": "b"}, annotations={"c": "d"})
    )
    assert policy["metadata"] == {
        "name": "nic-cluster-policy",
        "labels": {"a": "b"},
        "annotations": {"c": "d"},
    }


def _read(edits: dict[str, Any] | None = None) -> NetSettings:
    from bundle_helpers import reference_dict, with_key

    from eidos.bundlers.network_operator.settings import read_settings
    from eidos.bundlers.recipe_keys import RecipeKeys
    from eidos.model import Recipe

    raw = reference_dict()
    for key, value in (edits or {}).items():
        raw = with_key(raw, key, value)
    return read_settings(RecipeKeys(Recipe.from_dict(raw), "network-operator"))


def test_without_flags_pinned_components_are_deployed_and_unpinned_ones_not() -> None:
    assert _read().enabled == {
        "ofed": False,
        "rdma": True,
        "sriov": False,
        "multus": True,
        "cni_plugins": True,
        "whereabouts": True,
        "nv_ipam": False,
        "nic_fd": False,
    }


def test_cni_plugins_follow_multus() -> None:
    settings = _read({"K8s/network-config/enable_multus": False})
    assert not settings.enabled["multus"] and not settings.enabled["cni_plugins"]


def test_whereabouts_is_dropped_with_a_warning_where_the_operator_has_no_ipam_plugin() -> None:
    settings = _read({"K8s/image/network-operator": "v25.10.0"})
    assert not settings.enabled["whereabouts"]
    assert settings.warnings == (
        "whereabouts IPAM is not part of Network Operator v25.10.0; "
        "K8s/image/whereabouts-ipam is ignored",
    )


def test_nfd_is_left_to_the_gpu_operator_bundle_when_the_recipe_has_one() -> None:
    assert _read().nfd is False
    assert _read({"K8s/image/gpu-operator": ...}).nfd is True
    assert _read({"K8s/image/gpu-operator": ..., "K8s/config/nfd_enabled": False}).nfd is False
