"""Golden: the reference recipe gives the reference bundle, except where the reference was wrong.

Values are compared as parsed YAML. Every difference is listed below with its reason;
an unlisted difference, or a listed one that no longer occurs, fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bundle_helpers import REFERENCE_BUNDLE, bundle, component_dir, read_yaml, reference_recipe

ABSENT = "<absent>"

# reasons, referring to decisions.md §4 ("Bundle") and the brief's chart/CRD rule
NOT_A_CHART_KEY = "not a key of the chart's values.yaml, so Helm ignored it (chart/CRD rule)"
NETWORK_CHART = (
    "the network-operator chart (since 24.x) has no such value and never "
    "deploys a NicClusterPolicy; the setting lives in manifests/nicclusterpolicy.yaml"
)
REGISTRY = "K8s/registry/uri now applies to every image, not only operator and driver"
PINNED = "the recipe's K8s/image version takes effect (reference ignored it)"
CR_IMAGE = (
    "the ClusterPolicy names each operand's image like the chart does, so the CR is "
    "complete on its own"
)
CLUSTER_SCOPED = "ClusterPolicy/NicClusterPolicy are cluster-scoped: no namespace"
NO_LATEST = "real image versions from the recipe, never latest/stable (§4)"
UNPINNED = (
    "the recipe pins no version for it and does not enable it, so it is not "
    "deployed rather than deployed as :latest (§4)"
)

#: (file, path, reference value, our value, reason)
DIFFERENCES: list[tuple[str, str, Any, Any, str]] = [
    # gpu-operator/values.yaml
    (
        "gpu-operator/values.yaml",
        "driver.usePrecompiled",
        ABSENT,
        False,
        "secure_boot takes effect (§4: naming mismatch): signed precompiled driver when true",
    ),
    (
        "gpu-operator/values.yaml",
        "driver.kernelModuleType",
        ABSENT,
        "proprietary",
        "use_open_kernel_module takes effect (§4); kernelModuleType replaced "
        "useOpenKernelModules in GPU Operator v24.9",
    ),
    (
        "gpu-operator/values.yaml",
        "driver.rdma",
        ABSENT,
        {"enabled": True, "useHostMofed": False},
        "rdma means GPUDirect RDMA (driver.rdma), not GDS (§4); network-config/use_host_mofed "
        "takes effect (§4)",
    ),
    (
        "gpu-operator/values.yaml",
        "driver.manager",
        ABSENT,
        {"repository": "nvcr.io/nvidia/cloud-native", "version": "v0.8.0"},
        PINNED,
    ),
    ("gpu-operator/values.yaml", "toolkit.repository", ABSENT, "nvcr.io/nvidia/k8s", REGISTRY),
    ("gpu-operator/values.yaml", "devicePlugin.repository", ABSENT, "nvcr.io/nvidia", REGISTRY),
    (
        "gpu-operator/values.yaml",
        "dcgm.repository",
        ABSENT,
        "nvcr.io/nvidia/cloud-native",
        REGISTRY,
    ),
    ("gpu-operator/values.yaml", "dcgmExporter.repository", ABSENT, "nvcr.io/nvidia/k8s", REGISTRY),
    (
        "gpu-operator/values.yaml",
        "gds.enabled",
        True,
        False,
        "GDS comes from the recipe's gds key (false), not from rdma (§4)",
    ),
    (
        "gpu-operator/values.yaml",
        "namespace",
        "gpu-operator",
        ABSENT,
        NOT_A_CHART_KEY + "; the namespace is helm's --namespace",
    ),
    (
        "gpu-operator/values.yaml",
        "validator",
        ABSENT,
        {
            "repository": "nvcr.io/nvidia/cloud-native",
            "image": "gpu-operator-validator",
            "version": "v25.3.0",
        },
        PINNED,
    ),
    (
        "gpu-operator/values.yaml",
        "gfd",
        ABSENT,
        {"enabled": True, "repository": "nvcr.io/nvidia", "version": "v0.17.1"},
        "GPU feature discovery runs the device-plugin image: pinned to K8s/image/k8s-device-plugin",
    ),
    (
        "gpu-operator/values.yaml",
        "nfd",
        ABSENT,
        {"enabled": True},
        "nfd_enabled (default true) is written explicitly",
    ),
    (
        "gpu-operator/values.yaml",
        "migManager",
        ABSENT,
        {"enabled": False, "repository": "nvcr.io/nvidia/cloud-native", "version": "v0.12.1"},
        "mig takes effect on the MIG manager; K8s/image/k8s-mig-manager is pinned",
    ),
    (
        "gpu-operator/values.yaml",
        "gdrcopy",
        ABSENT,
        {"enabled": False, "repository": "nvcr.io/nvidia/cloud-native", "version": "v2.5"},
        "gdrcopy and K8s/image/gdrdrv take effect (reference never used gdrdrv)",
    ),
    (
        "gpu-operator/values.yaml",
        "cdi",
        ABSENT,
        {"enabled": True},
        "cdi takes effect in the chart values, not only in the ClusterPolicy",
    ),
    (
        "gpu-operator/values.yaml",
        "sandboxWorkloads",
        ABSENT,
        {"enabled": False, "defaultWorkload": "container"},
        "vgpu / confidential_computing take effect (sandbox workloads)",
    ),
    ("gpu-operator/values.yaml", "vgpuManager", ABSENT, {"enabled": False}, "vgpu takes effect"),
    (
        "gpu-operator/values.yaml",
        "ccManager",
        ABSENT,
        {"enabled": False, "defaultMode": "off"},
        "confidential_computing takes effect (§4)",
    ),
    (
        "gpu-operator/values.yaml",
        "kataManager",
        ABSENT,
        {"enabled": False},
        "confidential_computing takes effect (CC workloads run in Kata)",
    ),
    # gpu-operator/manifests/clusterpolicy.yaml
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "metadata.name",
        "gpu-cluster-policy",
        "cluster-policy",
        "the chart creates 'cluster-policy'; the operator acts on one "
        "ClusterPolicy only, so the manifest describes that object",
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "metadata.namespace",
        "gpu-operator",
        ABSENT,
        CLUSTER_SCOPED,
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.driver.repository",
        ABSENT,
        "nvcr.io/nvidia",
        CR_IMAGE,
    ),
    ("gpu-operator/manifests/clusterpolicy.yaml", "spec.driver.image", ABSENT, "driver", CR_IMAGE),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.driver.usePrecompiled",
        ABSENT,
        False,
        "secure_boot takes effect (§4)",
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.driver.kernelModuleType",
        ABSENT,
        "proprietary",
        "use_open_kernel_module takes effect (§4)",
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.driver.rdma",
        ABSENT,
        {"enabled": True, "useHostMofed": False},
        "rdma is GPUDirect RDMA (§4)",
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.driver.manager",
        ABSENT,
        {
            "repository": "nvcr.io/nvidia/cloud-native",
            "image": "k8s-driver-manager",
            "version": "v0.8.0",
        },
        PINNED,
    ),
    *[
        (
            "gpu-operator/manifests/clusterpolicy.yaml",
            f"spec.{block}.{field}",
            ABSENT,
            value,
            CR_IMAGE,
        )
        for block, image, repository, version in (
            ("toolkit", "container-toolkit", "nvcr.io/nvidia/k8s", "v1.17.5"),
            ("devicePlugin", "k8s-device-plugin", "nvcr.io/nvidia", "v0.17.1"),
            ("dcgm", "dcgm", "nvcr.io/nvidia/cloud-native", "4.1.1-2"),
            ("dcgmExporter", "dcgm-exporter", "nvcr.io/nvidia/k8s", "4.1.1"),
        )
        for field, value in (("repository", repository), ("image", image), ("version", version))
    ],
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.gds.enabled",
        True,
        False,
        "GDS comes from gds, not rdma (§4)",
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.daemonsets",
        ABSENT,
        {},
        "required by the ClusterPolicy CRD (the reference manifest failed validation)",
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.nodeStatusExporter",
        ABSENT,
        {"enabled": False},
        "required by the ClusterPolicy CRD",
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.gfd",
        ABSENT,
        {
            "repository": "nvcr.io/nvidia",
            "image": "k8s-device-plugin",
            "enabled": True,
            "version": "v0.17.1",
        },
        "required by the ClusterPolicy CRD; same as values.yaml",
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.validator",
        ABSENT,
        {
            "repository": "nvcr.io/nvidia/cloud-native",
            "image": "gpu-operator-validator",
            "version": "v25.3.0",
        },
        PINNED,
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.migManager",
        ABSENT,
        {
            "repository": "nvcr.io/nvidia/cloud-native",
            "image": "k8s-mig-manager",
            "enabled": False,
            "version": "v0.12.1",
        },
        "same as values.yaml",
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.gdrcopy",
        ABSENT,
        {
            "repository": "nvcr.io/nvidia/cloud-native",
            "image": "gdrdrv",
            "enabled": False,
            "version": "v2.5",
        },
        "same as values.yaml",
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.sandboxWorkloads",
        ABSENT,
        {"enabled": False, "defaultWorkload": "container"},
        "same as values.yaml",
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.vgpuManager",
        ABSENT,
        {"enabled": False},
        "same as values.yaml",
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.ccManager",
        ABSENT,
        {"enabled": False, "defaultMode": "off"},
        "same as values.yaml",
    ),
    (
        "gpu-operator/manifests/clusterpolicy.yaml",
        "spec.kataManager",
        ABSENT,
        {"enabled": False},
        "same as values.yaml",
    ),
    # network-operator/values.yaml
    (
        "network-operator/values.yaml",
        "operator.repository",
        ABSENT,
        "nvcr.io/nvidia/cloud-native",
        REGISTRY + " (the operator image lives in cloud-native)",
    ),
    ("network-operator/values.yaml", "deployCR", True, ABSENT, NETWORK_CHART),
    ("network-operator/values.yaml", "ofedDriver", {"deploy": False}, ABSENT, NETWORK_CHART),
    (
        "network-operator/values.yaml",
        "rdmaSharedDevicePlugin",
        {
            "deploy": True,
            "config": {"resources": [{"name": "rdma_shared_device", "rdmaHcaMax": 1000}]},
        },
        ABSENT,
        NETWORK_CHART,
    ),
    ("network-operator/values.yaml", "sriovDevicePlugin", {"deploy": False}, ABSENT, NETWORK_CHART),
    (
        "network-operator/values.yaml",
        "nvIPAM",
        {"deploy": True, "config": {"enableWebhook": False}},
        ABSENT,
        NETWORK_CHART,
    ),
    (
        "network-operator/values.yaml",
        "secondaryNetwork",
        {"deploy": True, "multus": {"deploy": True}, "ipamPlugin": {"deploy": True}},
        ABSENT,
        NETWORK_CHART,
    ),
    (
        "network-operator/values.yaml",
        "nicFeatureDiscovery",
        {"deploy": True},
        ABSENT,
        NETWORK_CHART,
    ),
    ("network-operator/values.yaml", "namespace", "network-operator", ABSENT, NOT_A_CHART_KEY),
    (
        "network-operator/values.yaml",
        "containerRuntime",
        {"socket": "/var/run/containerd/containerd.sock"},
        ABSENT,
        NOT_A_CHART_KEY,
    ),
    (
        "network-operator/values.yaml",
        "nfd.enabled",
        True,
        False,
        "the recipe's GPU Operator bundle deploys NFD (with the network PCI classes); two NFD "
        "deployments in one cluster conflict",
    ),
    # network-operator/manifests/nicclusterpolicy.yaml
    (
        "network-operator/manifests/nicclusterpolicy.yaml",
        "metadata.namespace",
        "network-operator",
        ABSENT,
        CLUSTER_SCOPED,
    ),
    (
        "network-operator/manifests/nicclusterpolicy.yaml",
        "spec.rdmaSharedDevicePlugin.repository",
        "nvcr.io/nvidia/cloud-native",
        "ghcr.io/mellanox",
        "the recipe's tag v1.5.3 is an upstream release, published at ghcr.io/mellanox",
    ),
    (
        "network-operator/manifests/nicclusterpolicy.yaml",
        "spec.rdmaSharedDevicePlugin.version",
        "latest",
        "v1.5.3",
        NO_LATEST + ": K8s/image/rdma-shared-device-plugin",
    ),
    (
        "network-operator/manifests/nicclusterpolicy.yaml",
        "spec.rdmaSharedDevicePlugin.config",
        '{\n  "configList": [\n    {\n      "resourceName": "rdma_shared_device_a",\n'
        '      "rdmaHcaMax": 1000,\n      "selectors": {\n        "vendors": ["15b3"],\n'
        '        "deviceIDs": ["1017", "1018", "1019", "101a", "101b"]\n      }\n    }\n  ]\n}\n',
        '{\n  "configList": [\n    {\n      "resourceName": "rdma_shared_device_a",\n'
        '      "rdmaHcaMax": 1000,\n      "selectors": {\n        "vendors": ["15b3"],\n'
        '        "deviceIDs": ["1017", "1018", "1019", "101a", "101b", "1021", "1023", "a2dc"]\n'
        "      }\n    }\n  ]\n}\n",
        "ConnectX-7/8 and BlueField-3 (the NICs of H100/B200 systems) were not selected",
    ),
    (
        "network-operator/manifests/nicclusterpolicy.yaml",
        "spec.nvIpam",
        {
            "image": "nvidia-k8s-ipam",
            "repository": "ghcr.io/mellanox",
            "version": "latest",
            "imagePullSecrets": [],
            "enableWebhook": False,
        },
        ABSENT,
        UNPINNED,
    ),
    (
        "network-operator/manifests/nicclusterpolicy.yaml",
        "spec.secondaryNetwork.multus.version",
        "stable",
        "v4.1.0",
        NO_LATEST + ": K8s/image/multus-cni",
    ),
    (
        "network-operator/manifests/nicclusterpolicy.yaml",
        "spec.secondaryNetwork.ipamPlugin.version",
        "latest",
        "v0.7.0",
        NO_LATEST + ": K8s/image/whereabouts-ipam",
    ),
    (
        "network-operator/manifests/nicclusterpolicy.yaml",
        "spec.secondaryNetwork.cniPlugins",
        ABSENT,
        {
            "image": "plugins",
            "repository": "ghcr.io/k8snetworkplumbingwg",
            "version": "v1.6.2",
            "imagePullSecrets": [],
        },
        "K8s/image/container-networking-plugins takes effect: Multus needs the CNI plugins",
    ),
    (
        "network-operator/manifests/nicclusterpolicy.yaml",
        "spec.nicFeatureDiscovery",
        {
            "image": "nic-feature-discovery",
            "repository": "nvcr.io/nvidia/cloud-native",
            "version": "latest",
            "imagePullSecrets": [],
        },
        ABSENT,
        UNPINNED,
    ),
]

YAML_FILES = [
    "gpu-operator/values.yaml",
    "gpu-operator/manifests/clusterpolicy.yaml",
    "network-operator/values.yaml",
    "network-operator/manifests/nicclusterpolicy.yaml",
]


def _diff(ref: Any, ours: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Differences as (path, reference, ours); a block only one side has is one row."""
    if isinstance(ref, dict) and isinstance(ours, dict):
        for key in [*ref, *(k for k in ours if k not in ref)]:
            here = f"{path}.{key}" if path else key
            if key not in ref:
                yield here, ABSENT, ours[key]
            elif key not in ours:
                yield here, ref[key], ABSENT
            else:
                yield from _diff(ref[key], ours[key], here)
    elif ref != ours or type(ref) is not type(ours):
        yield path, ref, ours


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden")
    assert bundle(reference_recipe(), out).ok
    return out


@pytest.mark.parametrize("name", YAML_FILES)
def test_reference_recipe_matches_reference_bundle_except_listed_fixes(
    ours: Path, name: str
) -> None:
    component, rest = name.split("/", 1)
    mine = component_dir(ours, component) / rest
    found = [
        (name, p, r, o) for p, r, o in _diff(read_yaml(REFERENCE_BUNDLE / name), read_yaml(mine))
    ]
    expected = [(f, p, r, o) for f, p, r, o, _ in DIFFERENCES if f == name]
    assert sorted(found, key=repr) == sorted(expected, key=repr)


def test_every_listed_difference_has_a_reason() -> None:
    assert all(reason.strip() for *_, reason in DIFFERENCES)
    assert len({(f, p) for f, p, *_ in DIFFERENCES}) == len(DIFFERENCES)


#: The reference wrote scripts, a README and checksums per operator; the full-stack layout
#: has one deploy.sh/undeploy.sh, README.md and checksums.txt for the whole bundle.
TOP_LEVEL = {"scripts/install.sh", "scripts/uninstall.sh", "README.md", "checksums.txt"}


@pytest.mark.parametrize(("position", "bundler"), [(1, "gpu-operator"), (2, "network-operator")])
def test_reference_recipe_gives_the_reference_files_in_order(
    ours: Path, position: int, bundler: str
) -> None:
    # the reference copy lacks its scripts on disk, but its checksums.txt lists every file
    listed = {
        line.split("  ", 1)[1]
        for line in (REFERENCE_BUNDLE / bundler / "checksums.txt").read_text().splitlines()
    }
    folder = ours / f"{position:02d}-{bundler}"
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert on_disk == listed - TOP_LEVEL
    top = {p.name for p in ours.iterdir() if p.is_file()}
    assert {"deploy.sh", "undeploy.sh", "README.md", "checksums.txt"} <= top
