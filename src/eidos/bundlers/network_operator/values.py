"""Pure mapping from NetSettings to Helm values and the NicClusterPolicy.

Since Network Operator 24.x the chart no longer deploys a NicClusterPolicy; the chart's
values only configure the operator itself. Every component therefore lives in
``manifests/nicclusterpolicy.yaml``, with the image versions pinned by the recipe.
"""

from __future__ import annotations

import json
from typing import Any

from eidos.bundlers.common import manifest_metadata
from eidos.bundlers.config import BundleConfig
from eidos.bundlers.network_operator.settings import NetSettings

__all__ = ["IMAGES", "SOURCES", "helm_values", "image_ref", "nic_cluster_policy"]

_UPSTREAM = "ghcr.io/k8snetworkplumbingwg"
_MELLANOX = "ghcr.io/mellanox"
#: NVIDIA's copies of the component images live in <registry>/mellanox, tagged like this
NVIDIA_TAG_PREFIX = "network-operator-"
#: component -> (image, upstream repository for upstream tags such as v1.5.3)
IMAGES: dict[str, tuple[str, str]] = {
    "ofed": ("doca-driver", ""),
    "rdma": ("k8s-rdma-shared-dev-plugin", _MELLANOX),
    "sriov": ("sriov-network-device-plugin", _UPSTREAM),
    "multus": ("multus-cni", _UPSTREAM),
    "cni_plugins": ("plugins", _UPSTREAM),
    "whereabouts": ("whereabouts", _UPSTREAM),
    "nv_ipam": ("nvidia-k8s-ipam", _MELLANOX),
    "nic_fd": ("nic-feature-discovery", _MELLANOX),
}


def image_ref(s: NetSettings, name: str) -> tuple[str, str, str]:
    """(image, repository, version) of a component.

    The DOCA driver and every ``network-operator-*`` tag come from NVIDIA's registry
    (``<K8s/registry/uri>/mellanox``); upstream tags (``v1.5.3``) from the upstream project.
    """
    image, upstream = IMAGES[name]
    version = s.versions[name]
    nvidia = not upstream or version.startswith(NVIDIA_TAG_PREFIX)
    return image, f"{s.registry}/mellanox" if nvidia else upstream, version


#: values block -> the recipe keys that govern it (shown as comments in values.yaml)
SOURCES: dict[str, tuple[str, ...]] = {
    "operator": ("K8s/registry/uri", "K8s/image/network-operator"),
    "nfd": ("K8s/config/nfd_enabled", "K8s/image/gpu-operator"),
}
#: ConnectX-4 .. ConnectX-8 and BlueField-3 PCI device IDs (vendor 15b3)
_RDMA_DEVICE_IDS = ["1017", "1018", "1019", "101a", "101b", "1021", "1023", "a2dc"]


def helm_values(s: NetSettings) -> dict[str, Any]:
    """The chart's ``values.yaml``: the operator image and NFD, nothing the chart ignores."""
    return {
        "operator": {"repository": f"{s.registry}/cloud-native", "tag": s.operator_version},
        "nfd": {"enabled": s.nfd, "deployNodeFeatureRules": True},
    }


def _image(s: NetSettings, name: str) -> dict[str, Any]:
    image, repository, version = image_ref(s, name)
    return {"image": image, "repository": repository, "version": version, "imagePullSecrets": []}


def _json_lines(doc: Any, indent: str) -> str:
    inner = indent + "  "
    if isinstance(doc, dict) and doc:
        items = [f"{inner}{json.dumps(k)}: {_json_lines(v, inner)}" for k, v in doc.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(doc, list) and any(isinstance(v, dict | list) for v in doc):
        items = [f"{inner}{_json_lines(v, inner)}" for v in doc]
        return "[\n" + ",\n".join(items) + f"\n{indent}]"
    if isinstance(doc, list):
        return "[" + ", ".join(json.dumps(v) for v in doc) + "]"
    return json.dumps(doc)


def _json(doc: Any) -> str:
    """Indented JSON (two spaces) with lists of scalars kept on one line."""
    return _json_lines(doc, "") + "\n"


def _ofed(s: NetSettings) -> dict[str, Any]:
    return {
        **_image(s, "ofed"),
        "startupProbe": {"initialDelaySeconds": 10, "periodSeconds": 20},
        "livenessProbe": {"initialDelaySeconds": 30, "periodSeconds": 30},
        "readinessProbe": {"initialDelaySeconds": 10, "periodSeconds": 30},
        "terminationGracePeriodSeconds": 300,
    }


def _rdma(s: NetSettings) -> dict[str, Any]:
    config = {
        "configList": [
            {
                "resourceName": "rdma_shared_device_a",
                "rdmaHcaMax": 1000,
                "selectors": {"vendors": ["15b3"], "deviceIDs": _RDMA_DEVICE_IDS},
            }
        ]
    }
    return {**_image(s, "rdma"), "config": _json(config)}


def _sriov(s: NetSettings) -> dict[str, Any]:
    config = {
        "resourceList": [
            {
                "resourcePrefix": "nvidia.com",
                "resourceName": "sriov_vf",
                "selectors": {"vendors": ["15b3"], "isRdma": True},
            }
        ]
    }
    return {**_image(s, "sriov"), "config": _json(config)}


def _secondary(s: NetSettings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, key in (
        ("cni_plugins", "cniPlugins"),
        ("multus", "multus"),
        ("whereabouts", "ipamPlugin"),
    ):
        if s.enabled[name]:
            out[key] = _image(s, name)
    if "multus" in out:
        out["multus"]["config"] = ""
    return out


def nic_cluster_policy(s: NetSettings, config: BundleConfig) -> dict[str, Any]:
    """The ``mellanox.com/v1alpha1`` NicClusterPolicy for the enabled components."""
    spec: dict[str, Any] = {}
    if s.enabled["ofed"]:
        spec["ofedDriver"] = _ofed(s)
    if s.enabled["rdma"]:
        spec["rdmaSharedDevicePlugin"] = _rdma(s)
    if s.enabled["sriov"]:
        spec["sriovDevicePlugin"] = _sriov(s)
    if s.enabled["nv_ipam"]:
        spec["nvIpam"] = {**_image(s, "nv_ipam"), "enableWebhook": False}
    secondary = _secondary(s)
    if secondary:
        spec["secondaryNetwork"] = secondary
    if s.enabled["nic_fd"]:
        spec["nicFeatureDiscovery"] = _image(s, "nic_fd")
    return {
        "apiVersion": "mellanox.com/v1alpha1",
        "kind": "NicClusterPolicy",
        "metadata": manifest_metadata("nic-cluster-policy", config),
        "spec": spec,
    }
