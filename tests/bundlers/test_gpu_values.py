"""GPU Operator mapping (pure): settings -> Helm values, ClusterPolicy, README facts."""

from __future__ import annotations

from typing import Any

import pytest

from eidos.bundlers import BundleConfig
from eidos.bundlers.common import BundleMeta
from eidos.bundlers.gpu_operator import facts
from eidos.bundlers.gpu_operator.settings import GpuSettings
from eidos.bundlers.gpu_operator.values import (
    cluster_policy,
    helm_values,
    kernel_module_key,
    mig_node_label,
    validator,
)

BASE = {"operator": "v25.3.0", "driver": "570.133.20"}


def _values(**kwargs: Any) -> dict[str, Any]:
    versions = {**BASE, **kwargs.pop("versions", {})}
    return helm_values(GpuSettings(versions=versions, **kwargs), BundleConfig())


@pytest.mark.parametrize(
    ("operator", "key"),
    [
        ("v24.6.2", "useOpenKernelModules"),
        ("v24.9.0", "kernelModuleType"),
        ("v25.3.0", "kernelModuleType"),
        ("main-latest", "kernelModuleType"),
    ],
)
def test_kernel_module_key_follows_the_operator_release(operator: str, key: str) -> None:
    assert kernel_module_key(operator) == key


def test_open_kernel_modules_before_v24_9_use_the_old_boolean() -> None:
    driver = _values(versions={"operator": "v24.6.2"}, open_kernel_module=True)["driver"]
    assert driver["useOpenKernelModules"] is True and "kernelModuleType" not in driver


def test_absent_kernel_module_choice_leaves_the_chart_default() -> None:
    assert "kernelModuleType" not in _values()["driver"]


def test_secure_boot_selects_the_signed_precompiled_driver_by_branch() -> None:
    driver = _values(secure_boot=True)["driver"]
    assert (driver["usePrecompiled"], driver["version"]) == (True, "570")


def test_secure_boot_with_a_preinstalled_driver_changes_nothing_in_the_driver() -> None:
    driver = _values(secure_boot=True, driver_enabled=False)["driver"]
    assert "usePrecompiled" not in driver and driver["enabled"] is False


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        (
            "v25.3.0",
            {"repository": "r/cloud-native", "image": "gpu-operator-validator", "version": "v1"},
        ),
        ("v25.10.1", {"repository": "r", "image": "gpu-operator", "version": "v1"}),
    ],
)
def test_validator_image_moved_into_the_operator_image_in_v25_10(
    operator: str, expected: dict[str, str]
) -> None:
    assert validator("r", operator, "v1") == expected


def test_rdma_and_host_mofed_land_in_driver_rdma() -> None:
    assert _values(rdma=True, use_host_mofed=True)["driver"]["rdma"] == {
        "enabled": True,
        "useHostMofed": True,
    }
    assert "rdma" not in _values()["driver"]


@pytest.mark.parametrize(
    ("vgpu", "cc", "workload"),
    [(True, None, "vm-vgpu"), (None, True, "vm-passthrough"), (False, False, "container")],
)
def test_vgpu_and_confidential_computing_pick_the_sandbox_workload(
    vgpu: bool | None, cc: bool | None, workload: str
) -> None:
    values = _values(vgpu=vgpu, confidential_computing=cc)
    assert values["sandboxWorkloads"] == {"enabled": bool(vgpu or cc), "defaultWorkload": workload}


def test_no_sandbox_keys_without_vgpu_or_cc_in_the_recipe() -> None:
    assert not {"sandboxWorkloads", "vgpuManager", "ccManager"} & set(_values())


def test_registry_prefixes_every_image_repository() -> None:
    values = _values(
        registry="mirror.example.com/nv", versions={"toolkit": "v1", "dcgm": "d", "gdrcopy": "g"}
    )
    assert values["toolkit"]["repository"] == "mirror.example.com/nv/k8s"
    assert values["gdrcopy"]["repository"] == "mirror.example.com/nv/cloud-native"
    assert values["driver"]["repository"] == "mirror.example.com/nv"


def test_mig_profile_becomes_a_node_label_only_when_mig_is_on() -> None:
    assert mig_node_label(GpuSettings(mig=True, mig_profile="all-balanced")) == (
        "nvidia.com/mig.config=all-balanced"
    )
    assert mig_node_label(GpuSettings(mig=False, mig_profile="all-balanced")) is None


def test_labels_go_to_operand_pods_and_the_cluster_policy() -> None:
    config = BundleConfig(labels={"team": "ml"}, annotations={"owner": "me"})
    settings = GpuSettings(versions=BASE)
    values = helm_values(settings, config)
    assert values["daemonsets"] == {"labels": {"team": "ml"}, "annotations": {"owner": "me"}}
    policy = cluster_policy(values, config)
    assert policy["metadata"] == {
        "name": "cluster-policy",
        "labels": {"team": "ml"},
        "annotations": {"owner": "me"},
    }
    assert policy["spec"]["daemonsets"] == values["daemonsets"]


def test_cluster_policy_names_images_and_omits_chart_only_keys() -> None:
    values = _values(versions={"toolkit": "v1.17.5"})
    spec = cluster_policy(values, BundleConfig())["spec"]
    assert spec["toolkit"] == {
        "repository": "nvcr.io/nvidia/k8s",
        "image": "container-toolkit",
        "enabled": True,
        "version": "v1.17.5",
    }
    assert "nfd" not in spec and spec["operator"] == {"defaultRuntime": "containerd"}


def test_readme_facts_reflect_the_recipe_not_a_fixed_list() -> None:
    settings = GpuSettings(versions=BASE, gds=False, cdi=True, driver_enabled=False)
    values = helm_values(settings, BundleConfig())
    rows = {r["name"]: r for r in facts.components(settings, values)}
    assert rows["GPUDirect Storage (nvidia-fs)"]["state"] == "disabled"
    assert rows["NVIDIA driver"]["state"] == "not deployed (preinstalled on the nodes)"
    settings_rows = {r["name"]: r["value"] for r in facts.settings_rows(settings, values)}
    assert settings_rows["CDI"] == "enabled"


def test_warnings_call_out_what_the_user_must_do() -> None:
    meta = BundleMeta(bundler_version="1", recipe_version="1", timestamp="", query={"os": "rhel"})
    warnings = facts.warnings(GpuSettings(versions=BASE, vgpu=True, secure_boot=True), meta)
    assert any("vgpuManager.repository" in w for w in warnings)
    assert any("Ubuntu only" in w for w in warnings)
