"""What the Network Operator README states: components and why each is (not) deployed."""

from __future__ import annotations

from eidos.bundlers.network_operator.settings import COMPONENTS, NetSettings
from eidos.bundlers.network_operator.values import image_ref

__all__ = ["components", "provenance"]

#: component -> NicClusterPolicy path
PATHS: dict[str, str] = {
    "ofed": "spec.ofedDriver",
    "rdma": "spec.rdmaSharedDevicePlugin",
    "sriov": "spec.sriovDevicePlugin",
    "multus": "spec.secondaryNetwork.multus",
    "cni_plugins": "spec.secondaryNetwork.cniPlugins",
    "whereabouts": "spec.secondaryNetwork.ipamPlugin",
    "nv_ipam": "spec.nvIpam",
    "nic_fd": "spec.nicFeatureDiscovery",
}


def _keys(flag: str | None, image_key: str) -> str:
    image = f"K8s/image/{image_key}"
    return f"{flag.rsplit('/', 1)[1]}, {image}" if flag else image


def components(s: NetSettings) -> list[dict[str, str]]:
    """README rows: component, state, pinned image, governing recipe keys."""
    rows = []
    for comp in COMPONENTS:
        on = s.enabled[comp.name]
        ref = "{1}/{0}:{2}".format(*image_ref(s, comp.name)) if on else ""
        rows.append(
            {
                "name": comp.label,
                "state": "deployed" if on else "not deployed",
                "image": ref,
                "sources": _keys(comp.flag, comp.image_key),
                "path": PATHS[comp.name],
            }
        )
    return rows


def provenance(s: NetSettings) -> list[str]:
    """One header line per component of the NicClusterPolicy."""
    return [f"{row['path']}: {row['state']} ({row['sources']})" for row in components(s)]
