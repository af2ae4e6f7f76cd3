"""Pure mapping from GpuSettings to Helm values, the ClusterPolicy and README facts.

Each recipe key governs one place (see ``docs/bundles.md``): ``use_open_kernel_module``
-> ``driver.kernelModuleType`` (``driver.useOpenKernelModules`` before v24.9),
``secure_boot`` -> ``driver.usePrecompiled``, ``rdma`` -> ``driver.rdma.enabled``,
``gds`` -> ``gds.enabled``, ``mig_strategy`` -> ``mig.strategy`` and so on.
"""

from __future__ import annotations

from eidos.bundlers.common import manifest_metadata, release_at_least
from eidos.bundlers.config import BundleConfig
from eidos.bundlers.gpu_operator.settings import GpuSettings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "IMAGE_NAMES",
    "MIG_CONFIG_LABEL",
    "SOURCES",
    "cluster_policy",
    "helm_values",
    "kernel_module_key",
    "mig_node_label",
    "validator",
]

#: node label the MIG manager reads the wanted MIG layout from
MIG_CONFIG_LABEL = "nvidia.com/mig.config"

#: values block -> image name, for the ClusterPolicy (the chart fills these in itself)
IMAGE_NAMES: dict[str, str] = {
    "driver": "driver",
    "toolkit": "container-toolkit",
    "devicePlugin": "k8s-device-plugin",
    "dcgm": "dcgm",
    "dcgmExporter": "dcgm-exporter",
    "gfd": "k8s-device-plugin",
    "migManager": "k8s-mig-manager",
    "gdrcopy": "gdrdrv",
    "gds": "nvidia-fs",
}
_C = "K8s/config/"
#: values block -> the recipe keys that govern it (shown as comments in values.yaml)
SOURCES: dict[str, tuple[str, ...]] = {
    "operator": ("K8s/registry/uri", "K8s/image/gpu-operator"),
    "validator": ("K8s/image/gpu-operator-validator",),
    "driver": (
        "K8s/image/driver",
        "GPU/smi/driver-version",
        f"{_C}driver_enabled",
        f"{_C}use_open_kernel_module",
        f"{_C}secure_boot",
        f"{_C}rdma",
        "K8s/network-config/use_host_mofed",
        "K8s/image/k8s-driver-manager",
    ),
    "hostPaths": (f"{_C}driver_install_dir",),
    "toolkit": ("K8s/image/container-toolkit", f"{_C}toolkit_enabled", f"{_C}toolkit_install_dir"),
    "devicePlugin": ("K8s/image/k8s-device-plugin",),
    "dcgm": ("K8s/image/dcgm", f"{_C}dcgm_enabled"),
    "dcgmExporter": ("K8s/image/dcgm-exporter", f"{_C}dcgm_exporter_enabled"),
    "gfd": (f"{_C}gfd_enabled",),
    "nfd": (f"{_C}nfd_enabled",),
    "mig": (f"{_C}mig_strategy",),
    "migManager": (f"{_C}mig", "K8s/image/k8s-mig-manager"),
    "gds": (f"{_C}gds", "K8s/image/nvidia-fs"),
    "gdrcopy": (f"{_C}gdrcopy", "K8s/image/gdrdrv"),
    "cdi": (f"{_C}cdi",),
    "sandboxWorkloads": (f"{_C}vgpu", f"{_C}confidential_computing"),
    "vgpuManager": (f"{_C}vgpu",),
    "ccManager": (f"{_C}confidential_computing",),
    "kataManager": (f"{_C}confidential_computing",),
}
#: first GPU Operator release with driver.kernelModuleType
_KERNEL_MODULE_TYPE_SINCE = (24, 9)
#: first GPU Operator release whose validator runs the operator image
_VALIDATOR_IN_OPERATOR_SINCE = (25, 10)


def kernel_module_key(operator_version: str) -> str:
    """``kernelModuleType`` from v24.9 on (``useOpenKernelModules`` is a no-op there)."""
    if release_at_least(operator_version, _KERNEL_MODULE_TYPE_SINCE):
        return "kernelModuleType"
    return "useOpenKernelModules"


def validator(registry: str, operator_version: str, version: str) -> dict[str, Any]:
    """The validator image: the operator image from v25.10 on, its own image before."""
    if release_at_least(operator_version, _VALIDATOR_IN_OPERATOR_SINCE):
        return {"repository": registry, "image": "gpu-operator", "version": version}
    return {
        "repository": f"{registry}/cloud-native",
        "image": "gpu-operator-validator",
        "version": version,
    }


def _image(enabled: bool, repository: str, version: str | None) -> dict[str, Any]:
    block: dict[str, Any] = {"enabled": enabled, "repository": repository}
    if version:
        block["version"] = version
    return block


def _driver(s: GpuSettings) -> dict[str, Any]:
    versions = s.versions
    driver: dict[str, Any] = {"enabled": s.driver_enabled, "repository": s.registry}
    version = versions.get("driver")
    precompiled = bool(s.secure_boot) and s.driver_enabled
    if precompiled and version:
        version = version.split(".", 1)[0]
    if version:
        driver["version"] = version
    if s.secure_boot is not None and s.driver_enabled:
        driver["usePrecompiled"] = precompiled
    if s.open_kernel_module is not None:
        key = kernel_module_key(versions["operator"])
        if key == "kernelModuleType":
            driver[key] = "open" if s.open_kernel_module else "proprietary"
        else:
            driver[key] = s.open_kernel_module
    rdma: dict[str, Any] = {}
    if s.rdma is not None:
        rdma["enabled"] = s.rdma
    if s.use_host_mofed is not None:
        rdma["useHostMofed"] = s.use_host_mofed
    if rdma:
        driver["rdma"] = rdma
    if "driver_manager" in versions:
        driver["manager"] = {
            "repository": f"{s.registry}/cloud-native",
            "version": versions["driver_manager"],
        }
    return driver


def _operands(s: GpuSettings) -> dict[str, Any]:
    v, reg = s.versions, s.registry
    out: dict[str, Any] = {}
    toolkit = _image(s.toolkit_enabled, f"{reg}/k8s", v.get("toolkit"))
    if s.toolkit_install_dir:
        toolkit["installDir"] = s.toolkit_install_dir
    out["toolkit"] = toolkit
    out["devicePlugin"] = _image(True, reg, v.get("device_plugin"))
    out["dcgm"] = _image(s.dcgm_enabled, f"{reg}/cloud-native", v.get("dcgm"))
    out["dcgmExporter"] = _image(s.dcgm_exporter_enabled, f"{reg}/k8s", v.get("dcgm_exporter"))
    out["gfd"] = _image(s.gfd_enabled, reg, v.get("device_plugin"))
    out["nfd"] = {"enabled": s.nfd_enabled}
    out["mig"] = {"strategy": s.mig_strategy}
    mig_manager: dict[str, Any] = {}
    if s.mig is not None:
        mig_manager["enabled"] = s.mig
    if "mig_manager" in v:
        mig_manager.update(repository=f"{reg}/cloud-native", version=v["mig_manager"])
    if mig_manager:
        out["migManager"] = mig_manager
    gds: dict[str, Any] = {"enabled": s.gds}
    if "gds" in v:
        gds.update(repository=f"{reg}/cloud-native", version=v["gds"])
    out["gds"] = gds
    gdrcopy: dict[str, Any] = {"enabled": s.gdrcopy}
    if "gdrcopy" in v:
        gdrcopy.update(repository=f"{reg}/cloud-native", version=v["gdrcopy"])
    out["gdrcopy"] = gdrcopy
    out["cdi"] = {"enabled": s.cdi}
    return out


def _sandbox(s: GpuSettings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if s.vgpu is None and s.confidential_computing is None:
        return out
    workload = (
        "vm-vgpu" if s.vgpu else "vm-passthrough" if s.confidential_computing else ("container")
    )
    out["sandboxWorkloads"] = {
        "enabled": bool(s.vgpu or s.confidential_computing),
        "defaultWorkload": workload,
    }
    if s.vgpu is not None:
        out["vgpuManager"] = {"enabled": s.vgpu}
    if s.confidential_computing is not None:
        cc = s.confidential_computing
        out["ccManager"] = {"enabled": cc, "defaultMode": "on" if cc else "off"}
        out["kataManager"] = {"enabled": cc}
    return out


def mig_node_label(s: GpuSettings) -> str | None:
    """``nvidia.com/mig.config=<mig_profile>`` for GPU nodes when MIG is on, else ``None``.

    The ClusterPolicy only accepts ``all-disabled`` as the default layout, so a profile is
    applied the way the MIG manager expects it: as a node label.
    """
    if s.mig and s.mig_profile:
        return f"{MIG_CONFIG_LABEL}={s.mig_profile}"
    return None


def helm_values(s: GpuSettings, config: BundleConfig) -> dict[str, Any]:
    """The chart's ``values.yaml``: only keys the chart defines, in a stable order."""
    v = s.versions
    values: dict[str, Any] = {"operator": {"repository": s.registry, "version": v["operator"]}}
    if "validator" in v:
        values["validator"] = validator(s.registry, v["operator"], v["validator"])
    values["driver"] = _driver(s)
    if s.driver_install_dir:
        values["hostPaths"] = {"driverInstallDir": s.driver_install_dir}
    values.update(_operands(s))
    values.update(_sandbox(s))
    if config.labels or config.annotations:
        values["daemonsets"] = {
            "labels": dict(config.labels),
            "annotations": dict(config.annotations),
        }
    return values


def _with_image(block: dict[str, Any], image: str) -> dict[str, Any]:
    if "repository" not in block or "image" in block:
        return dict(block)
    out = {k: v for k, v in block.items() if k != "repository"}
    return {"repository": block["repository"], "image": image, **out}


def cluster_policy(values: dict[str, Any], config: BundleConfig) -> dict[str, Any]:
    """The ``nvidia.com/v1`` ClusterPolicy equivalent to ``values`` (what the chart creates)."""
    spec: dict[str, Any] = {
        "operator": {"defaultRuntime": "containerd"},
        "daemonsets": values.get("daemonsets", {}),
    }
    for key, block in values.items():
        if key in ("operator", "nfd", "daemonsets", "node-feature-discovery"):
            continue
        spec[key] = _with_image(block, IMAGE_NAMES[key]) if key in IMAGE_NAMES else block
    if "manager" in spec.get("driver", {}):
        spec["driver"]["manager"] = _with_image(spec["driver"]["manager"], "k8s-driver-manager")
    spec["nodeStatusExporter"] = {"enabled": False}
    return {
        "apiVersion": "nvidia.com/v1",
        "kind": "ClusterPolicy",
        "metadata": manifest_metadata("cluster-policy", config),
        "spec": spec,
    }
