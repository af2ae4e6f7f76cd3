"""What the GPU Operator README states: components, settings and warnings, from the recipe."""

from __future__ import annotations

from eidos.bundlers.common import BundleMeta
from eidos.bundlers.gpu_operator.settings import GpuSettings
from eidos.bundlers.gpu_operator.values import mig_node_label
from eidos.bundlers.markdown import table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["components", "notes", "settings_rows", "warnings"]


def _state(enabled: bool | None) -> str:
    if enabled is None:
        return "chart default"
    return "enabled" if enabled else "disabled"


def _ref(block: dict[str, Any] | None, image: str) -> str:
    if not block or "version" not in block:
        return "chart default"
    return f"{block['repository']}/{image}:{block['version']}"


def components(s: GpuSettings, values: dict[str, Any]) -> list[dict[str, str]]:
    """README rows: component, state, image, and the recipe keys that decided them."""
    driver = values["driver"]
    driver_state = (
        "deployed by the operator"
        if s.driver_enabled
        else ("not deployed (preinstalled on the nodes)")
    )
    driver_image = (
        "precompiled, branch " + str(driver.get("version", "?"))
        if driver.get("usePrecompiled")
        else _ref(driver, "driver")
    )
    mig = values.get("migManager", {})
    rows = [
        (
            "GPU Operator",
            "enabled",
            _ref(values["operator"], "gpu-operator"),
            "K8s/image/gpu-operator",
        ),
        ("NVIDIA driver", driver_state, driver_image, "K8s/image/driver, driver_enabled"),
        (
            "Container toolkit",
            _state(s.toolkit_enabled),
            _ref(values["toolkit"], "container-toolkit"),
            "K8s/image/container-toolkit",
        ),
        (
            "Device plugin",
            "enabled",
            _ref(values["devicePlugin"], "k8s-device-plugin"),
            "K8s/image/k8s-device-plugin",
        ),
        (
            "DCGM (standalone)",
            _state(s.dcgm_enabled),
            _ref(values["dcgm"], "dcgm"),
            "K8s/image/dcgm, dcgm_enabled",
        ),
        (
            "DCGM exporter",
            _state(s.dcgm_exporter_enabled),
            _ref(values["dcgmExporter"], "dcgm-exporter"),
            "K8s/image/dcgm-exporter",
        ),
        (
            "GPU feature discovery",
            _state(s.gfd_enabled),
            _ref(values["gfd"], "k8s-device-plugin"),
            "gfd_enabled",
        ),
        ("Node feature discovery", _state(s.nfd_enabled), "chart default", "nfd_enabled"),
        ("MIG manager", _state(mig.get("enabled")), _ref(mig, "k8s-mig-manager"), "mig"),
        (
            "GPUDirect Storage (nvidia-fs)",
            _state(s.gds),
            _ref(values["gds"], "nvidia-fs"),
            "gds, K8s/image/nvidia-fs",
        ),
        ("GDRCopy", _state(s.gdrcopy), _ref(values["gdrcopy"], "gdrdrv"), "gdrcopy"),
        ("vGPU manager", _state(s.vgpu), "from your vGPU registry", "vgpu"),
        (
            "Confidential computing manager",
            _state(s.confidential_computing),
            "chart default",
            "confidential_computing",
        ),
    ]
    return [{"name": n, "state": st, "image": im, "sources": k} for n, st, im, k in rows]


def _kernel(driver: dict[str, Any]) -> str:
    if "kernelModuleType" in driver:
        return str(driver["kernelModuleType"])
    if "useOpenKernelModules" in driver:
        return "open" if driver["useOpenKernelModules"] else "proprietary"
    return "chart default (auto)"


def settings_rows(s: GpuSettings, values: dict[str, Any]) -> list[dict[str, str]]:
    """README rows: setting, value and where it lands (markdown)."""
    driver = values["driver"]
    rdma = driver.get("rdma", {})
    sandbox = values.get("sandboxWorkloads", {})
    rows = [
        ("MIG strategy", s.mig_strategy, "`mig.strategy`"),
        (
            "MIG layout (node label)",
            mig_node_label(s) or "none (MIG off or no mig_profile)",
            "node label, applied by `deploy.sh`",
        ),
        ("CDI", _state(s.cdi), "`cdi.enabled`"),
        ("GPUDirect RDMA", _state(rdma.get("enabled")), "`driver.rdma.enabled`"),
        ("Host MOFED for RDMA", _state(rdma.get("useHostMofed")), "`driver.rdma.useHostMofed`"),
        ("Kernel modules", _kernel(driver), "`driver.kernelModuleType`"),
        (
            "Secure Boot (signed precompiled driver)",
            _state(driver.get("usePrecompiled")),
            "`driver.usePrecompiled`",
        ),
        (
            "Sandbox workloads",
            sandbox.get("defaultWorkload", "chart default")
            if sandbox.get("enabled")
            else _state(sandbox.get("enabled")),
            "`sandboxWorkloads`",
        ),
        (
            "Driver install dir",
            s.driver_install_dir or "chart default",
            "`hostPaths.driverInstallDir`",
        ),
        ("Toolkit install dir", s.toolkit_install_dir or "chart default", "`toolkit.installDir`"),
    ]
    return [{"name": n, "value": v, "path": p} for n, v, p in rows]


def warnings(s: GpuSettings, meta: BundleMeta) -> list[str]:
    """Things the user must know before installing this bundle."""
    out: list[str] = []
    if s.vgpu:
        out.append(
            "vgpu is true: the vGPU manager image is not public; set "
            "vgpuManager.repository and vgpuManager.version in values.yaml to your "
            "registry before installing"
        )
    os_name = meta.query.get("os")
    if s.secure_boot and s.driver_enabled and os_name not in (None, "ubuntu"):
        out.append(
            f"secure_boot is true but the recipe's OS is {os_name}: signed "
            "precompiled driver images are published for Ubuntu only"
        )
    if s.secure_boot and not s.driver_enabled:
        out.append(
            "secure_boot is true and the driver is preinstalled: the host driver "
            "must be signed for Secure Boot"
        )
    return out


def notes(s: GpuSettings, values: dict[str, Any]) -> str:
    """The README's operand and settings tables, and how to check the ClusterPolicy."""
    rows = [(c["name"], c["state"], c["image"], c["sources"]) for c in components(s, values)]
    settings = [(r["name"], r["value"], r["path"].strip("`")) for r in settings_rows(s, values)]
    return (
        "Operands (the recipe keys that decide each):\n\n"
        + table(("Operand", "State", "Image", "Recipe keys"), rows)
        + "\n"
        + table(("Setting", "Value", "Where"), settings)
        + "\nCheck: `kubectl get clusterpolicies.nvidia.com cluster-policy "
        "-o jsonpath='{.status.state}'` prints `ready`.\n"
    )
