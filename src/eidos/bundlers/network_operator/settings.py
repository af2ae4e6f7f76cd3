"""What a recipe says about the Network Operator, read and validated into one typed record.

A NicClusterPolicy component is deployed when its flag says so; with no flag, components
whose flag defaults to "when pinned" are deployed exactly when the recipe pins their image
version. An enabled component without a version is an error: bundles never use ``latest``.
"""

from __future__ import annotations

from eidos.bundlers.common import DEFAULT_REGISTRY, release_at_least
from eidos.bundlers.recipe_keys import RecipeKeys

__all__ = ["COMPONENTS", "Component", "NetSettings", "read_settings"]

NET = "K8s/network-config"
#: first Network Operator release without secondaryNetwork.ipamPlugin (whereabouts)
_NO_WHEREABOUTS_SINCE = (25, 10)


class Component:
    """One NicClusterPolicy component and the recipe keys that govern it.

    ``default_on``: with no flag in the recipe, deploy when the version is pinned (True)
    or not (False).
    """

    __slots__ = ("default_on", "flag", "image_key", "label", "name")
    name: str
    flag: str | None
    default_on: bool
    image_key: str
    label: str

    def __init__(
        self,
        name: str,
        flag: str | None,
        default_on: bool,
        image_key: str,
        label: str,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "flag", flag)
        object.__setattr__(self, "default_on", default_on)
        object.__setattr__(self, "image_key", image_key)
        object.__setattr__(self, "label", label)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Component is read-only: cannot set {name!r}")

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"Component({fields})"


COMPONENTS: tuple[Component, ...] = (
    Component("ofed", f"{NET}/deploy_ofed", False, "mofed-driver", "DOCA/OFED driver"),
    Component(
        "rdma", "K8s/config/rdma", False, "rdma-shared-device-plugin", "RDMA shared device plugin"
    ),
    Component("sriov", f"{NET}/enable_sriov", False, "sriov-device-plugin", "SR-IOV device plugin"),
    Component("multus", f"{NET}/enable_multus", True, "multus-cni", "Multus CNI"),
    Component("cni_plugins", None, True, "container-networking-plugins", "CNI plugins"),
    Component(
        "whereabouts", f"{NET}/enable_whereabouts", True, "whereabouts-ipam", "Whereabouts IPAM"
    ),
    Component("nv_ipam", f"{NET}/enable_nv_ipam", True, "nv-ipam", "NVIDIA IPAM (nv-ipam)"),
    Component(
        "nic_fd",
        f"{NET}/enable_nic_feature_discovery",
        True,
        "nic-feature-discovery",
        "NIC feature discovery",
    ),
)


class NetSettings:
    """The Network Operator settings a recipe implies."""

    __slots__ = (
        "enabled",
        "k8s_version",
        "nfd",
        "operator_version",
        "registry",
        "use_host_mofed",
        "versions",
        "warnings",
    )
    registry: str
    operator_version: str
    enabled: dict[str, bool]
    versions: dict[str, str]
    use_host_mofed: bool
    nfd: bool
    warnings: tuple[str, ...]
    k8s_version: str | None

    def __init__(
        self,
        *,
        registry: str = DEFAULT_REGISTRY,
        operator_version: str,
        enabled: dict[str, bool] | None = None,
        versions: dict[str, str] | None = None,
        use_host_mofed: bool = False,
        nfd: bool = True,
        warnings: tuple[str, ...] = (),
        k8s_version: str | None = None,
    ) -> None:
        object.__setattr__(self, "registry", registry)
        object.__setattr__(self, "operator_version", operator_version)
        object.__setattr__(self, "enabled", {} if enabled is None else enabled)
        object.__setattr__(self, "versions", {} if versions is None else versions)
        object.__setattr__(self, "use_host_mofed", use_host_mofed)
        object.__setattr__(self, "nfd", nfd)
        object.__setattr__(self, "warnings", warnings)
        object.__setattr__(self, "k8s_version", k8s_version)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"NetSettings is read-only: cannot set {name!r}")

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"NetSettings({fields})"


def _component(
    keys: RecipeKeys,
    comp: Component,
    enabled: dict[str, bool],
    operator_version: str,
    warnings: list[str],
) -> tuple[bool, str | None]:
    image_path = f"K8s/image/{comp.image_key}"
    version = keys.text(image_path, "version")
    flag = keys.flag(comp.flag) if comp.flag else None
    on = flag if flag is not None else comp.default_on and version is not None
    if comp.name == "cni_plugins":
        on = on and enabled.get("multus", False)
    dropped = release_at_least(operator_version, _NO_WHEREABOUTS_SINCE, unparsable=False)
    if comp.name == "whereabouts" and on and dropped:
        if flag:
            raise keys.error(
                str(comp.flag),
                f"is true but Network Operator {operator_version} "
                "has no whereabouts IPAM plugin; use enable_nv_ipam",
            )
        warnings.append(
            f"whereabouts IPAM is not part of Network Operator {operator_version}; "
            f"{image_path} is ignored"
        )
        on = False
    if on and version is None:
        raise keys.error(
            image_path,
            f"is missing: {comp.flag} enables the {comp.label}, which needs a pinned image version",
        )
    return on, version


def read_settings(keys: RecipeKeys) -> NetSettings:
    """Read every key the Network Operator bundler uses.

    Raises:
        BundlerValidationError: no K8s measurement, no operator version, or a bad value.
    """
    keys.require_measurement("K8s", "the Network Operator version and settings live there")
    operator = keys.require(
        "K8s/image/network-operator", "version", "the Network Operator version to install"
    )
    enabled: dict[str, bool] = {}
    versions: dict[str, str] = {}
    warnings: list[str] = []
    for comp in COMPONENTS:
        on, version = _component(keys, comp, enabled, operator, warnings)
        enabled[comp.name] = on
        if version is not None:
            versions[comp.name] = version
    host_mofed = bool(keys.flag(f"{NET}/use_host_mofed", False))
    if host_mofed and enabled["ofed"]:
        raise keys.error(
            f"{NET}/use_host_mofed",
            f"and {NET}/deploy_ofed are both true; choose one driver source",
        )
    if enabled["multus"] and not enabled["cni_plugins"]:
        warnings.append(
            "Multus is deployed without CNI plugins (no "
            "K8s/image/container-networking-plugins): the nodes must provide them"
        )
    gpu_nfd = keys.text("K8s/image/gpu-operator", "version") is not None
    return NetSettings(
        registry=keys.text("K8s/registry/uri", "registry") or DEFAULT_REGISTRY,
        operator_version=operator,
        enabled=enabled,
        versions=versions,
        use_host_mofed=host_mofed,
        nfd=bool(keys.flag("K8s/config/nfd_enabled", True)) and not gpu_nfd,
        warnings=tuple(warnings),
        k8s_version=keys.text("K8s/server/version", "version"),
    )
