"""Kubernetes collector: the ``K8s`` measurement (``server``, ``image``, ``policy``, ``node``).

No cluster configured → an empty measurement and a warning. A configured cluster that
fails keeps its error class (exit 4 for connection/auth). Pods are read one page at a
time; only ``nvidia.com`` ClusterPolicy objects are read (never Kyverno's). ``eidos.kube``
(the seam to the client library) is loaded only when there is a cluster to read.
"""

from __future__ import annotations

import os

from eidos.collectors._gofmt import go_scalar
from eidos.collectors.host import CollectorCancelled
from eidos.errors import NotFoundError
from eidos.logging import get_logger
from eidos.model import Measurement, Reading, Subtype

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from threading import Event
    from typing import Any

    from eidos.kube import Kube

__all__ = ["KubernetesCollector", "flatten_policy", "image_tags", "provider_of"]

log = get_logger(__name__)

_PROVIDERS = {"aws": "eks", "gce": "gke", "azure": "aks", "oci": "oke"}
_NODE_ENV = ("NODE_NAME", "KUBERNETES_NODE_NAME")

#: Node labels worth keeping: GPUs and NICs (NFD/GFD), instance type, topology, accelerators.
_LABEL_PREFIXES = (
    "nvidia.com/",
    "feature.node.kubernetes.io/pci-10de",
    "feature.node.kubernetes.io/pci-15b3",
    "node.kubernetes.io/instance-type",
    "topology.kubernetes.io/",
    "kubernetes.io/arch",
    "kubernetes.io/os",
    "cloud.google.com/gke-accelerator",
    "cloud.google.com/gke-os-distribution",
    "k8s.amazonaws.com/accelerator",
    "kubernetes.azure.com/accelerator",
)


class KubernetesCollector:
    """Reads the API server version, pod images, the GPU Operator policy and this node."""

    name = "k8s"

    def __init__(
        self,
        kube: Kube | None,
        *,
        node: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.kube = kube
        self.node = node
        self.environ = os.environ if environ is None else environ

    def collect(self, *, stop: Event) -> Measurement:
        """Return the ``K8s`` measurement (empty when no cluster is configured)."""
        if self.kube is None or not self.kube.configured:
            log.warning(
                "no Kubernetes cluster configured (no --kubeconfig, KUBECONFIG, "
                "~/.kube/config or in-cluster service account); the K8s measurement "
                "is empty"
            )
            return Measurement("K8s", [])
        return self._collect(self.kube, stop)

    def _collect(self, kube: Kube, stop: Event) -> Measurement:
        from eidos.kube import list_cluster_policies, server_version

        subtypes = [Subtype("server", _server(server_version(kube)))]
        subtypes.append(Subtype("image", image_tags(_images(kube, stop))))
        _check(stop)
        subtypes.append(Subtype("policy", flatten_policies(list_cluster_policies(kube))))
        _check(stop)
        node = self._node(kube)
        if node is not None:
            subtypes.append(Subtype("node", node))
        return Measurement("K8s", subtypes)

    def _node(self, kube: Kube) -> dict[str, Reading] | None:
        from eidos.kube import read_node

        name, origin = self.node, "--node"
        for var in _NODE_ENV:
            if not name and self.environ.get(var, "").strip():
                name, origin = self.environ[var].strip(), var
        explicit = bool(name)
        name = name or self.environ.get("HOSTNAME", "").strip() or os.uname().nodename
        try:
            return node_readings(read_node(kube, name))
        except NotFoundError:
            if explicit:
                raise NotFoundError(
                    f"node {name!r} (from {origin}) is not a node of this cluster"
                    "; list them with: kubectl get nodes"
                ) from None
            log.warning(
                f"this host ({name}) is not a node of the cluster; pass --node NAME to "
                "describe one. The K8s measurement has no node"
            )
            return None


def _check(stop: Event) -> None:
    if stop.is_set():
        raise CollectorCancelled


def _server(version: Mapping[str, Any]) -> dict[str, Reading]:
    keys = (("version", "gitVersion"), ("platform", "platform"), ("goVersion", "goVersion"))
    return {key: str(version[src]) for key, src in keys if version.get(src)}


def _images(kube: Kube, stop: Event) -> Iterable[str]:
    from eidos.kube import list_pods

    for page in list_pods(kube):
        _check(stop)
        for pod in page:
            spec = pod.get("spec") or {}
            for field in ("containers", "initContainers", "ephemeralContainers"):
                for container in spec.get(field) or []:
                    if isinstance(container, dict) and isinstance(container.get("image"), str):
                        yield container["image"]


def image_tags(images: Iterable[str]) -> dict[str, Reading]:
    """Short image name → tag, as the reference keys them (the last one seen wins).

    ``nvcr.io/nvidia/driver:570.133.20-ubuntu22.04`` → ``driver: 570.133.20-ubuntu22.04``;
    ``x/y:v1@sha256:…`` → ``y: v1``; ``repo/image`` → ``image: latest``.
    """
    tags: dict[str, Reading] = {}
    for image in images:
        short = image.rsplit("/", 1)[-1].split("@", 1)[0]
        name, sep, tag = short.rpartition(":")
        if not sep:
            name, tag = short, "latest"
        if name:
            tags[name] = tag
    return tags


def flatten_policies(items: Iterable[Mapping[str, Any]]) -> dict[str, Reading]:
    """Flatten the ``spec`` of every ClusterPolicy into one map (later items win)."""
    out: dict[str, Reading] = {}
    for item in items:
        spec = item.get("spec")
        if not isinstance(spec, dict):
            name = (item.get("metadata") or {}).get("name", "?")
            log.warning(f"ClusterPolicy {name} has no spec; skipped")
            continue
        out.update(flatten_policy(spec))
    return out


def flatten_policy(spec: Mapping[str, Any], prefix: str = "") -> dict[str, Reading]:
    """Dotted keys for nested maps; lists as compact JSON (empty ones omitted); all strings.

    Example: ``{"driver": {"enabled": True, "env": []}, "psa": {"enabled": 1}}`` →
    ``{"driver.enabled": "true", "psa.enabled": "1"}``.
    """
    out: dict[str, Reading] = {}
    for key, value in spec.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten_policy(value, path + "."))
        elif isinstance(value, list):
            if value:
                out[path] = _go_json(value)
        else:
            out[path] = go_scalar(value)
    return out


def _go_json(value: Any) -> str:
    import json  # loaded with eidos.kube anyway, which is the only way data gets here

    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def provider_of(provider_id: str) -> str:
    """``aws:///us-east-1e/i-0861…`` → ``eks`` (gce→gke, azure→aks, oci→oke, else as is)."""
    scheme = provider_id.split("://", 1)[0].strip().lower()
    return _PROVIDERS.get(scheme, scheme)


def node_readings(node: Mapping[str, Any]) -> dict[str, Reading]:
    """The node's provider, runtime, kubelet, OS and kernel, GPU-relevant labels and taints."""
    meta = node.get("metadata") or {}
    spec = node.get("spec") or {}
    info = (node.get("status") or {}).get("nodeInfo") or {}
    out: dict[str, Reading] = {"source-node": str(meta.get("name", ""))}
    if provider_id := str(spec.get("providerID") or "").strip():
        out["provider-id"] = provider_id
        out["provider"] = provider_of(provider_id)
    if runtime := str(info.get("containerRuntimeVersion") or ""):
        out["container-runtime-id"] = runtime
        if "://" in runtime:
            out["container-runtime-name"], out["container-runtime-version"] = runtime.split(
                "://", 1
            )
    for key, src in (
        ("kernel-version", "kernelVersion"),
        ("operating-system", "operatingSystem"),
        ("os-image", "osImage"),
        ("kubelet-version", "kubeletVersion"),
        ("architecture", "architecture"),
    ):
        if info.get(src):
            out[key] = str(info[src])
    for label, value in (meta.get("labels") or {}).items():
        if label.startswith(_LABEL_PREFIXES):
            out[f"label.{label}"] = str(value)
    taints: dict[str, list[str]] = {}
    for taint in spec.get("taints") or []:
        value, effect = taint.get("value"), taint.get("effect", "")
        taints.setdefault(f"taint.{taint.get('key', '')}", []).append(
            f"{value}:{effect}" if value else str(effect)
        )
    out.update({key: ",".join(values) for key, values in taints.items()})
    return out
