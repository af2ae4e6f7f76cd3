"""What a recipe says about the GPU Operator, read and validated into one typed record.

Defaults for keys the recipe leaves out are documented in ``docs/bundles.md``; every
other mapping decision lives in :mod:`eidos.bundlers.gpu_operator.values`.
"""

from __future__ import annotations

from eidos.bundlers.common import DEFAULT_REGISTRY
from eidos.bundlers.recipe_keys import RecipeKeys
from eidos.errors import BundlerValidationError

__all__ = ["IMAGE_KEYS", "GpuSettings", "read_settings"]

NAME = "gpu-operator"
CONFIG = "K8s/config"
NETWORK = "K8s/network-config"

#: settings field -> K8s/image key holding that component's version
IMAGE_KEYS: dict[str, str] = {
    "operator": "gpu-operator",
    "validator": "gpu-operator-validator",
    "driver": "driver",
    "driver_manager": "k8s-driver-manager",
    "toolkit": "container-toolkit",
    "device_plugin": "k8s-device-plugin",
    "dcgm": "dcgm",
    "dcgm_exporter": "dcgm-exporter",
    "mig_manager": "k8s-mig-manager",
    "gdrcopy": "gdrdrv",
    "gds": "nvidia-fs",
}


class GpuSettings:
    """The GPU Operator settings a recipe implies (``None``: the recipe does not say)."""

    __slots__ = (
        "cdi",
        "confidential_computing",
        "dcgm_enabled",
        "dcgm_exporter_enabled",
        "driver_enabled",
        "driver_install_dir",
        "gdrcopy",
        "gds",
        "gfd_enabled",
        "k8s_version",
        "mig",
        "mig_profile",
        "mig_strategy",
        "nfd_enabled",
        "open_kernel_module",
        "rdma",
        "registry",
        "secure_boot",
        "toolkit_enabled",
        "toolkit_install_dir",
        "use_host_mofed",
        "versions",
        "vgpu",
    )
    registry: str
    versions: dict[str, str]
    driver_enabled: bool
    driver_install_dir: str | None
    toolkit_enabled: bool
    toolkit_install_dir: str | None
    open_kernel_module: bool | None
    secure_boot: bool | None
    mig: bool | None
    mig_strategy: str
    mig_profile: str | None
    gds: bool
    gdrcopy: bool
    rdma: bool | None
    use_host_mofed: bool | None
    cdi: bool
    vgpu: bool | None
    confidential_computing: bool | None
    dcgm_enabled: bool
    dcgm_exporter_enabled: bool
    gfd_enabled: bool
    nfd_enabled: bool
    k8s_version: str | None

    def __init__(
        self,
        *,
        registry: str = DEFAULT_REGISTRY,
        versions: dict[str, str] | None = None,
        driver_enabled: bool = True,
        driver_install_dir: str | None = None,
        toolkit_enabled: bool = True,
        toolkit_install_dir: str | None = None,
        open_kernel_module: bool | None = None,
        secure_boot: bool | None = None,
        mig: bool | None = None,
        mig_strategy: str = "single",
        mig_profile: str | None = None,
        gds: bool = False,
        gdrcopy: bool = False,
        rdma: bool | None = None,
        use_host_mofed: bool | None = None,
        cdi: bool = False,
        vgpu: bool | None = None,
        confidential_computing: bool | None = None,
        dcgm_enabled: bool = False,
        dcgm_exporter_enabled: bool = True,
        gfd_enabled: bool = True,
        nfd_enabled: bool = True,
        k8s_version: str | None = None,
    ) -> None:
        object.__setattr__(self, "registry", registry)
        object.__setattr__(self, "versions", {} if versions is None else versions)
        object.__setattr__(self, "driver_enabled", driver_enabled)
        object.__setattr__(self, "driver_install_dir", driver_install_dir)
        object.__setattr__(self, "toolkit_enabled", toolkit_enabled)
        object.__setattr__(self, "toolkit_install_dir", toolkit_install_dir)
        object.__setattr__(self, "open_kernel_module", open_kernel_module)
        object.__setattr__(self, "secure_boot", secure_boot)
        object.__setattr__(self, "mig", mig)
        object.__setattr__(self, "mig_strategy", mig_strategy)
        object.__setattr__(self, "mig_profile", mig_profile)
        object.__setattr__(self, "gds", gds)
        object.__setattr__(self, "gdrcopy", gdrcopy)
        object.__setattr__(self, "rdma", rdma)
        object.__setattr__(self, "use_host_mofed", use_host_mofed)
        object.__setattr__(self, "cdi", cdi)
        object.__setattr__(self, "vgpu", vgpu)
        object.__setattr__(self, "confidential_computing", confidential_computing)
        object.__setattr__(self, "dcgm_enabled", dcgm_enabled)
        object.__setattr__(self, "dcgm_exporter_enabled", dcgm_exporter_enabled)
        object.__setattr__(self, "gfd_enabled", gfd_enabled)
        object.__setattr__(self, "nfd_enabled", nfd_enabled)
        object.__setattr__(self, "k8s_version", k8s_version)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"GpuSettings is read-only: cannot set {name!r}")

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"GpuSettings({fields})"


def _versions(keys: RecipeKeys) -> dict[str, str]:
    versions: dict[str, str] = {}
    for field_name, image in IMAGE_KEYS.items():
        value = keys.text(f"K8s/image/{image}", "version")
        if value is not None:
            versions[field_name] = value
    if "driver" not in versions:
        smi = keys.text("GPU/smi/driver-version", "version")
        if smi is not None:
            versions["driver"] = smi
    return versions


def read_settings(keys: RecipeKeys) -> GpuSettings:
    """Read every key the GPU Operator bundler uses.

    Raises:
        BundlerValidationError: no K8s measurement, no operator version, or a bad value.
    """
    keys.require_measurement("K8s", "the GPU Operator version and settings live there")
    keys.require("K8s/image/gpu-operator", "version", "the GPU Operator version to install")
    flag = keys.flag
    versions = _versions(keys)
    settings = GpuSettings(
        registry=keys.text("K8s/registry/uri", "registry") or DEFAULT_REGISTRY,
        versions=versions,
        driver_enabled=bool(flag(f"{CONFIG}/driver_enabled", True)),
        driver_install_dir=keys.text(f"{CONFIG}/driver_install_dir", "path"),
        toolkit_enabled=bool(flag(f"{CONFIG}/toolkit_enabled", True)),
        toolkit_install_dir=keys.text(f"{CONFIG}/toolkit_install_dir", "path"),
        open_kernel_module=flag(f"{CONFIG}/use_open_kernel_module"),
        secure_boot=flag(f"{CONFIG}/secure_boot"),
        mig=flag(f"{CONFIG}/mig"),
        mig_strategy=keys.choice(f"{CONFIG}/mig_strategy", ("single", "mixed"), "single"),
        mig_profile=keys.text(f"{CONFIG}/mig_profile", "name"),
        gds=bool(flag(f"{CONFIG}/gds", False)),
        gdrcopy=bool(flag(f"{CONFIG}/gdrcopy", False)),
        rdma=flag(f"{CONFIG}/rdma"),
        use_host_mofed=flag(f"{NETWORK}/use_host_mofed"),
        cdi=bool(flag(f"{CONFIG}/cdi", False)),
        vgpu=flag(f"{CONFIG}/vgpu"),
        confidential_computing=flag(f"{CONFIG}/confidential_computing"),
        dcgm_enabled=bool(flag(f"{CONFIG}/dcgm_enabled", "dcgm" in versions)),
        dcgm_exporter_enabled=bool(flag(f"{CONFIG}/dcgm_exporter_enabled", True)),
        gfd_enabled=bool(flag(f"{CONFIG}/gfd_enabled", True)),
        nfd_enabled=bool(flag(f"{CONFIG}/nfd_enabled", True)),
        k8s_version=keys.text("K8s/server/version", "version"),
    )
    _check(settings, keys)
    return settings


def _check(settings: GpuSettings, keys: RecipeKeys) -> None:
    if settings.vgpu and settings.confidential_computing:
        raise BundlerValidationError(
            f"{NAME}: recipe keys {CONFIG}/vgpu and {CONFIG}/confidential_computing are both "
            "true; confidential computing needs GPU passthrough, not vGPU",
            details={"bundler": NAME, "key": f"{CONFIG}/vgpu"},
        )
    if settings.secure_boot and settings.driver_enabled and "driver" not in settings.versions:
        raise keys.error(
            f"{CONFIG}/secure_boot",
            "is true but the recipe has no K8s/image/driver: signed precompiled drivers are "
            "chosen by driver branch",
        )
