"""Every recipe key a bundler reads takes effect: flipping the key flips the output.

Each row: the recipe key, two values, where its effect lands (bundler file and YAML path,
or a regex over a text file), and what lands there for each value. The reference recipe is
the base; ``base`` sets other keys first (e.g. MIG on before choosing a MIG profile).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from bundle_helpers import bundle, component_dir, read_yaml, reference_dict, with_key

ABSENT = "<absent>"
GPU, NET = "gpu-operator", "network-operator"
VALUES, CP, NCP = "values.yaml", "manifests/clusterpolicy.yaml", "manifests/nicclusterpolicy.yaml"
C, N, IMG = "K8s/config/", "K8s/network-config/", "K8s/image/"


class Row(NamedTuple):
    key: str
    a: Any
    b: Any
    bundler: str
    file: str
    where: str
    """dotted YAML path, or ``re:<regex>`` whose group 1 is read from a text file"""
    expect_a: Any
    expect_b: Any
    base: dict[str, Any] = {}


ROWS: list[Row] = [
    Row(
        f"{C}use_open_kernel_module",
        True,
        False,
        GPU,
        VALUES,
        "driver.kernelModuleType",
        "open",
        "proprietary",
    ),
    Row(
        f"{C}use_open_kernel_module",
        True,
        False,
        GPU,
        CP,
        "spec.driver.kernelModuleType",
        "open",
        "proprietary",
    ),
    Row(f"{C}secure_boot", True, False, GPU, VALUES, "driver.usePrecompiled", True, False),
    Row(f"{C}secure_boot", True, False, GPU, VALUES, "driver.version", "570", "570.133.20"),
    Row(f"{C}mig", True, False, GPU, VALUES, "migManager.enabled", True, False),
    Row(f"{C}mig_strategy", "mixed", "single", GPU, VALUES, "mig.strategy", "mixed", "single"),
    Row(f"{C}mig_strategy", "mixed", "single", GPU, CP, "spec.mig.strategy", "mixed", "single"),
    Row(
        f"{C}mig_profile",
        "all-balanced",
        "all-1g.10gb",
        GPU,
        "deploy.sh",
        r"re:label_gpu_nodes (\S+)",
        "nvidia.com/mig.config=all-balanced",
        "nvidia.com/mig.config=all-1g.10gb",
        {f"{C}mig": True},
    ),
    Row(f"{C}gds", True, False, GPU, VALUES, "gds.enabled", True, False),
    Row(f"{C}gdrcopy", True, False, GPU, VALUES, "gdrcopy.enabled", True, False),
    Row(
        f"{C}gds",
        True,
        False,
        GPU,
        "README.md",
        r"re:\| GPUDirect Storage \(nvidia-fs\) \| (\w+)",
        "enabled",
        "disabled",
    ),
    Row(
        f"{N}enable_sriov",
        True,
        False,
        NET,
        "README.md",
        r"re:\| SR-IOV device plugin \| ([\w ]+?) \|",
        "deployed",
        "not deployed",
    ),
    Row(f"{C}rdma", True, False, GPU, VALUES, "driver.rdma.enabled", True, False),
    Row(f"{C}rdma", True, False, NET, NCP, "spec.rdmaSharedDevicePlugin.version", "v1.5.3", ABSENT),
    Row(f"{C}cdi", True, False, GPU, VALUES, "cdi.enabled", True, False),
    Row(f"{C}vgpu", True, False, GPU, VALUES, "vgpuManager.enabled", True, False),
    Row(
        f"{C}vgpu",
        True,
        False,
        GPU,
        VALUES,
        "sandboxWorkloads.defaultWorkload",
        "vm-vgpu",
        "container",
    ),
    Row(f"{C}confidential_computing", True, False, GPU, VALUES, "ccManager.enabled", True, False),
    Row(
        f"{C}confidential_computing",
        True,
        False,
        GPU,
        CP,
        "spec.ccManager.defaultMode",
        "on",
        "off",
    ),
    Row(f"{C}driver_enabled", False, True, GPU, VALUES, "driver.enabled", False, True),
    Row(
        f"{C}driver_install_dir",
        "/home/kubernetes/bin/nvidia",
        "/run/nvidia/driver",
        GPU,
        VALUES,
        "hostPaths.driverInstallDir",
        "/home/kubernetes/bin/nvidia",
        "/run/nvidia/driver",
    ),
    Row(f"{C}toolkit_enabled", False, True, GPU, VALUES, "toolkit.enabled", False, True),
    Row(
        f"{C}toolkit_install_dir",
        "/home/kubernetes/bin/nvidia",
        "/usr/local/nvidia",
        GPU,
        VALUES,
        "toolkit.installDir",
        "/home/kubernetes/bin/nvidia",
        "/usr/local/nvidia",
    ),
    Row(f"{C}dcgm_enabled", False, True, GPU, VALUES, "dcgm.enabled", False, True),
    Row(f"{C}dcgm_exporter_enabled", False, True, GPU, VALUES, "dcgmExporter.enabled", False, True),
    Row(f"{C}gfd_enabled", False, True, GPU, VALUES, "gfd.enabled", False, True),
    Row(f"{C}nfd_enabled", False, True, GPU, VALUES, "nfd.enabled", False, True),
    Row(f"{N}use_host_mofed", True, False, GPU, VALUES, "driver.rdma.useHostMofed", True, False),
    Row(
        f"{N}deploy_ofed",
        True,
        False,
        NET,
        NCP,
        "spec.ofedDriver.version",
        "25.04-0.6.1.0-2",
        ABSENT,
    ),
    Row(
        f"{N}enable_sriov",
        True,
        False,
        NET,
        NCP,
        "spec.sriovDevicePlugin.version",
        "v3.9.0",
        ABSENT,
    ),
    Row(
        f"{N}enable_multus",
        True,
        False,
        NET,
        NCP,
        "spec.secondaryNetwork.multus.version",
        "v4.1.0",
        ABSENT,
    ),
    Row(
        f"{N}enable_whereabouts",
        True,
        False,
        NET,
        NCP,
        "spec.secondaryNetwork.ipamPlugin.version",
        "v0.7.0",
        ABSENT,
    ),
    Row(
        f"{N}enable_nv_ipam",
        True,
        False,
        NET,
        NCP,
        "spec.nvIpam.version",
        "v0.3.7",
        ABSENT,
        {f"{IMG}nv-ipam": "v0.3.7"},
    ),
    Row(
        f"{N}enable_nic_feature_discovery",
        True,
        False,
        NET,
        NCP,
        "spec.nicFeatureDiscovery.version",
        "v0.1.0",
        ABSENT,
        {f"{IMG}nic-feature-discovery": "v0.1.0"},
    ),
    Row(
        f"{IMG}mofed-driver",
        "25.04-0.6.1.0-2",
        "24.10-0.7.0.0-0",
        NET,
        NCP,
        "spec.ofedDriver.version",
        "25.04-0.6.1.0-2",
        "24.10-0.7.0.0-0",
        {f"{N}deploy_ofed": True},
    ),
    Row(
        f"{IMG}gpu-operator",
        "v25.3.0",
        "v25.10.1",
        GPU,
        VALUES,
        "operator.version",
        "v25.3.0",
        "v25.10.1",
    ),
    Row(
        f"{IMG}gpu-operator",
        "v25.3.0",
        "v25.10.1",
        GPU,
        "charts.txt",
        r"re:-operator \S+ \S+ (\S+)",
        "v25.3.0",
        "v25.10.1",
    ),
    Row(
        f"{IMG}gpu-operator",
        "v25.3.0",
        "v25.10.1",
        GPU,
        VALUES,
        "validator.image",
        "gpu-operator-validator",
        "gpu-operator",
    ),
    Row(
        f"{IMG}gpu-operator-validator",
        "v25.3.0",
        "v25.3.3",
        GPU,
        VALUES,
        "validator.version",
        "v25.3.0",
        "v25.3.3",
    ),
    Row(
        f"{IMG}driver",
        "570.133.20",
        "580.82.07",
        GPU,
        VALUES,
        "driver.version",
        "570.133.20",
        "580.82.07",
    ),
    Row(
        f"{IMG}container-toolkit",
        "v1.17.5",
        "v1.17.8",
        GPU,
        VALUES,
        "toolkit.version",
        "v1.17.5",
        "v1.17.8",
    ),
    Row(
        f"{IMG}k8s-device-plugin",
        "v0.17.1",
        "v0.17.4",
        GPU,
        VALUES,
        "devicePlugin.version",
        "v0.17.1",
        "v0.17.4",
    ),
    Row(
        f"{IMG}k8s-device-plugin",
        "v0.17.1",
        "v0.17.4",
        GPU,
        VALUES,
        "gfd.version",
        "v0.17.1",
        "v0.17.4",
    ),
    Row(f"{IMG}dcgm", "4.1.1-2", "4.3.1-1", GPU, VALUES, "dcgm.version", "4.1.1-2", "4.3.1-1"),
    Row(
        f"{IMG}dcgm-exporter",
        "4.1.1",
        "4.3.1",
        GPU,
        VALUES,
        "dcgmExporter.version",
        "4.1.1",
        "4.3.1",
    ),
    Row(
        f"{IMG}k8s-mig-manager",
        "v0.12.1",
        "v0.12.3",
        GPU,
        VALUES,
        "migManager.version",
        "v0.12.1",
        "v0.12.3",
    ),
    Row(
        f"{IMG}k8s-driver-manager",
        "v0.8.0",
        "v0.8.1",
        GPU,
        VALUES,
        "driver.manager.version",
        "v0.8.0",
        "v0.8.1",
    ),
    Row(f"{IMG}gdrdrv", "v2.5", "v2.5.1", GPU, VALUES, "gdrcopy.version", "v2.5", "v2.5.1"),
    Row(f"{IMG}nvidia-fs", "2.20.5", "2.26.6", GPU, VALUES, "gds.version", "2.20.5", "2.26.6"),
    Row(
        "GPU/smi/driver-version",
        "570.133.20",
        "580.82.07",
        GPU,
        VALUES,
        "driver.version",
        "570.133.20",
        "580.82.07",
        {f"{IMG}driver": ...},
    ),
    Row(
        f"{IMG}network-operator",
        "v25.4.0",
        "v25.10.0",
        NET,
        VALUES,
        "operator.tag",
        "v25.4.0",
        "v25.10.0",
    ),
    Row(
        f"{IMG}network-operator",
        "v25.4.0",
        "v25.10.0",
        NET,
        "charts.txt",
        r"re:-operator \S+ \S+ (\S+)",
        "25.4.0",
        "25.10.0",
    ),
    Row(
        f"{IMG}rdma-shared-device-plugin",
        "v1.5.3",
        "network-operator-v25.10.0",
        NET,
        NCP,
        "spec.rdmaSharedDevicePlugin.repository",
        "ghcr.io/mellanox",
        "nvcr.io/nvidia/mellanox",
    ),
    Row(
        f"{IMG}sriov-device-plugin",
        "v3.9.0",
        "v3.7.0",
        NET,
        NCP,
        "spec.sriovDevicePlugin.version",
        "v3.9.0",
        "v3.7.0",
        {f"{N}enable_sriov": True},
    ),
    Row(
        f"{IMG}multus-cni",
        "v4.1.0",
        "v4.0.2",
        NET,
        NCP,
        "spec.secondaryNetwork.multus.version",
        "v4.1.0",
        "v4.0.2",
    ),
    Row(
        f"{IMG}whereabouts-ipam",
        "v0.7.0",
        "v0.6.3",
        NET,
        NCP,
        "spec.secondaryNetwork.ipamPlugin.version",
        "v0.7.0",
        "v0.6.3",
    ),
    Row(
        f"{IMG}container-networking-plugins",
        "v1.6.2",
        "v1.5.1",
        NET,
        NCP,
        "spec.secondaryNetwork.cniPlugins.version",
        "v1.6.2",
        "v1.5.1",
    ),
    Row(f"{IMG}nv-ipam", "v0.3.7", "v0.2.0", NET, NCP, "spec.nvIpam.version", "v0.3.7", "v0.2.0"),
    Row(
        f"{IMG}nic-feature-discovery",
        "v0.1.0",
        "v0.0.1",
        NET,
        NCP,
        "spec.nicFeatureDiscovery.version",
        "v0.1.0",
        "v0.0.1",
    ),
    Row(
        "K8s/registry/uri",
        "registry.example.com/nvidia",
        "nvcr.io/nvidia",
        GPU,
        VALUES,
        "toolkit.repository",
        "registry.example.com/nvidia/k8s",
        "nvcr.io/nvidia/k8s",
    ),
    Row(
        "K8s/registry/uri",
        "registry.example.com/nvidia",
        "nvcr.io/nvidia",
        GPU,
        CP,
        "spec.driver.repository",
        "registry.example.com/nvidia",
        "nvcr.io/nvidia",
    ),
    Row(
        "K8s/registry/uri",
        "registry.example.com/nvidia",
        "nvcr.io/nvidia",
        NET,
        VALUES,
        "operator.repository",
        "registry.example.com/nvidia/cloud-native",
        "nvcr.io/nvidia/cloud-native",
    ),
]


def _probe(root: Path, file: str, where: str) -> Any:
    top = file in ("deploy.sh", "charts.txt", "README.md")
    path = root.parent / file if top else root / file
    if where.startswith("re:"):
        match = re.search(where[3:], path.read_text())
        return match.group(1) if match else ABSENT
    node: Any = read_yaml(path)
    for part in where.split("."):
        if not isinstance(node, dict) or part not in node:
            return ABSENT
        node = node[part]
    return node


def _output(tmp: Path, row: Row, value: Any) -> Any:
    raw = reference_dict()
    for key, base in row.base.items():
        raw = with_key(raw, key, base)
    raw = with_key(raw, row.key, value)
    report = bundle(raw, tmp, [row.bundler])
    assert report.ok, report.results[0].error
    return _probe(component_dir(tmp, row.bundler), row.file, row.where)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.key}->{r.file}:{r.where}" for r in ROWS])
def test_flipping_a_recipe_key_flips_its_output(tmp_path: Path, row: Row) -> None:
    assert _output(tmp_path / "a", row, row.a) == row.expect_a
    assert _output(tmp_path / "b", row, row.b) == row.expect_b
    assert row.expect_a != row.expect_b


def test_the_table_covers_every_key_the_bundlers_read() -> None:
    from eidos.bundlers.gpu_operator.settings import read_settings as gpu_settings
    from eidos.bundlers.network_operator.settings import read_settings as net_settings
    from eidos.bundlers.recipe_keys import RecipeKeys
    from eidos.model import Recipe

    read: set[str] = set()
    for row in ROWS:
        raw = reference_dict()
        for key, value in {**row.base, row.key: row.a}.items():
            raw = with_key(raw, key, value)
        for name, reader in ((GPU, gpu_settings), (NET, net_settings)):
            keys = RecipeKeys(Recipe.from_dict(raw), name)
            reader(keys)
            read |= set(keys.used)
    covered = {row.key for row in ROWS} | {"K8s/server/version"}
    assert read - covered == set()
