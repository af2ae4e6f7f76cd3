"""The agent's objects: namespace, least-privilege RBAC and the snapshot Job, as manifests.

``deploy/agent/*.yaml`` is this output for the default options (a test keeps them equal);
the YAML files carry the comments that explain why each privilege is there.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from eidos import __version__
from eidos.errors import InvalidRequestError

__all__ = [
    "DEFAULT_IMAGE",
    "DEFAULT_TOLERATIONS",
    "AgentOptions",
    "parse_node_selector",
    "parse_toleration",
    "render_manifests",
]

#: The agent image (built from the repository's Containerfile); override with --image.
DEFAULT_IMAGE = f"ghcr.io/nvidia/eidos:v{__version__}"

#: Taints GPU nodes commonly carry; the agent must run there anyway.
DEFAULT_TOLERATIONS: tuple[dict[str, str], ...] = (
    {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoExecute"},
)

#: Node labels that mark an NVIDIA GPU node: GPU feature discovery, or NFD's PCI vendor 10de.
GPU_NODE_LABELS = ("nvidia.com/gpu.present", "feature.node.kubernetes.io/pci-10de.present")

_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
_NAME = r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?"
_LABEL_KEY = re.compile(r"([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?" + _NAME)
_LABEL_VALUE = re.compile(f"({_NAME})?")

HOST_ROOT = "/host"
DBUS_SOCKET = "/run/dbus/system_bus_socket"


@dataclass(frozen=True, kw_only=True)
class AgentOptions:
    """What to deploy and where; the defaults are the ones in ``deploy/agent/``."""

    namespace: str = "eidos"
    """Namespace for the Job, its ServiceAccount, Role and the snapshot ConfigMap."""

    name: str = "eidos-agent"
    """Name of the Job, ServiceAccount, Role(Binding) and ClusterRole(Binding)."""

    configmap: str = "eidos-snapshot"
    """ConfigMap the agent writes the snapshot to (in ``namespace``)."""

    image: str = DEFAULT_IMAGE
    """Container image that holds the ``eidos`` command."""

    node: str | None = None
    """Run on this node (``kubernetes.io/hostname``); else ``node_selector``."""

    node_selector: dict[str, str] = field(default_factory=dict)
    """Node labels to match; empty means "any NVIDIA GPU node" (GFD or NFD labels)."""

    tolerations: tuple[dict[str, str], ...] = DEFAULT_TOLERATIONS
    """Tolerations of the agent pod."""

    runtime_class: str | None = None
    """RuntimeClass that injects the NVIDIA driver tools (e.g. ``nvidia``), if not default."""

    timeout: float = 300.0
    """Seconds the Job may run at most (``activeDeadlineSeconds``)."""

    instance: str | None = None
    """Value of ``app.kubernetes.io/instance`` (default ``name``); marks one deployment."""

    def labels(self, component: str = "agent") -> dict[str, str]:
        """The labels every agent object carries."""
        return {
            "app.kubernetes.io/name": "eidos",
            "app.kubernetes.io/component": component,
            "app.kubernetes.io/instance": self.instance or self.name,
            "app.kubernetes.io/managed-by": "eidos",
        }


def _meta(opts: AgentOptions, *, namespaced: bool = True) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": opts.name}
    if namespaced:
        meta["namespace"] = opts.namespace
    meta["labels"] = opts.labels()
    return meta


def namespace_manifest(opts: AgentOptions) -> dict[str, Any]:
    """The namespace; Pod Security level ``privileged`` because the pod mounts host paths."""
    labels = {**opts.labels(), "pod-security.kubernetes.io/enforce": "privileged"}
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": opts.namespace, "labels": labels},
    }


def rbac_manifests(opts: AgentOptions) -> list[dict[str, Any]]:
    """ServiceAccount, ConfigMap-only Role, read-only ClusterRole, and their bindings."""
    rbac = "rbac.authorization.k8s.io/v1"
    subject = [{"kind": "ServiceAccount", "name": opts.name, "namespace": opts.namespace}]
    role_rules = [
        {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["create"]},
        {
            "apiGroups": [""],
            "resources": ["configmaps"],
            "resourceNames": [opts.configmap],
            "verbs": ["get", "update"],
        },
    ]
    cluster_rules = [
        {"apiGroups": [""], "resources": ["nodes"], "verbs": ["get"]},
        {"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]},
        {"apiGroups": ["nvidia.com"], "resources": ["clusterpolicies"], "verbs": ["list"]},
    ]
    return [
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": _meta(opts),
            "automountServiceAccountToken": True,
        },
        {"apiVersion": rbac, "kind": "Role", "metadata": _meta(opts), "rules": role_rules},
        {
            "apiVersion": rbac,
            "kind": "RoleBinding",
            "metadata": _meta(opts),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": opts.name},
            "subjects": subject,
        },
        {
            "apiVersion": rbac,
            "kind": "ClusterRole",
            "metadata": _meta(opts, namespaced=False),
            "rules": cluster_rules,
        },
        {
            "apiVersion": rbac,
            "kind": "ClusterRoleBinding",
            "metadata": _meta(opts, namespaced=False),
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "ClusterRole",
                "name": opts.name,
            },
            "subjects": subject,
        },
    ]


def _placement(opts: AgentOptions) -> dict[str, Any]:
    if opts.node:
        return {"nodeSelector": {"kubernetes.io/hostname": opts.node}}
    if opts.node_selector:
        return {"nodeSelector": dict(opts.node_selector)}
    terms = [
        {"matchExpressions": [{"key": label, "operator": "In", "values": ["true"]}]}
        for label in GPU_NODE_LABELS
    ]
    return {
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}
            }
        }
    }


def _container(opts: AgentOptions) -> dict[str, Any]:
    env = [
        {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
        {"name": "EIDOS_HOST_ROOT", "value": HOST_ROOT},
        {"name": "DBUS_SYSTEM_BUS_ADDRESS", "value": f"unix:path={DBUS_SOCKET}"},
        {"name": "NVIDIA_VISIBLE_DEVICES", "value": "all"},
        {"name": "NVIDIA_DRIVER_CAPABILITIES", "value": "utility"},
    ]
    return {
        "name": "eidos",
        "image": opts.image,
        "imagePullPolicy": "IfNotPresent",
        "command": ["eidos"],
        "args": [
            "snapshot",
            "--host-root",
            HOST_ROOT,
            "--format",
            "yaml",
            "--output",
            f"cm://{opts.namespace}/{opts.configmap}",
        ],
        "env": env,
        "resources": {
            "requests": {"cpu": "100m", "memory": "128Mi"},
            "limits": {"cpu": "1", "memory": "512Mi"},
        },
        "securityContext": {
            "privileged": False,
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "volumeMounts": [
            {
                "name": "host",
                "mountPath": HOST_ROOT,
                "readOnly": True,
                "recursiveReadOnly": "IfPossible",
            },
            {"name": "dbus", "mountPath": DBUS_SOCKET, "readOnly": True},
            {"name": "tmp", "mountPath": "/tmp"},
        ],
    }


def job_manifest(opts: AgentOptions) -> dict[str, Any]:
    """The Job that runs ``eidos snapshot`` once on a GPU node."""
    pod_spec: dict[str, Any] = {
        "serviceAccountName": opts.name,
        "restartPolicy": "Never",
        **_placement(opts),
        "tolerations": [dict(t) for t in opts.tolerations],
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": 65532,
            "runAsGroup": 65532,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [_container(opts)],
        "volumes": [
            {"name": "host", "hostPath": {"path": "/", "type": "Directory"}},
            {"name": "dbus", "hostPath": {"path": DBUS_SOCKET, "type": "Socket"}},
            {"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}},
        ],
    }
    if opts.runtime_class:
        pod_spec["runtimeClassName"] = opts.runtime_class
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": _meta(opts),
        "spec": {
            "backoffLimit": 0,
            "ttlSecondsAfterFinished": 3600,
            "activeDeadlineSeconds": max(math.ceil(opts.timeout), 1),
            "template": {"metadata": {"labels": opts.labels()}, "spec": pod_spec},
        },
    }


def render_manifests(opts: AgentOptions, *, namespace: bool = True) -> list[dict[str, Any]]:
    """Every object in apply order (the namespace first, when asked for)."""
    head = [namespace_manifest(opts)] if namespace else []
    return [*head, *rbac_manifests(opts), job_manifest(opts)]


def check_namespace(namespace: str) -> str:
    """Return ``namespace`` if it is a valid namespace name, else raise InvalidRequestError."""
    if len(namespace) > 63 or not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", namespace):
        raise InvalidRequestError(
            f"invalid --namespace {namespace!r}: lower-case letters, digits and '-', at most "
            "63 characters"
        )
    return namespace


def parse_toleration(text: str) -> dict[str, str]:
    """``key[=value][:effect]`` → a toleration (``Exists`` without a value, else ``Equal``).

    Example: ``nvidia.com/gpu:NoSchedule`` → ``{key: nvidia.com/gpu, operator: Exists,
    effect: NoSchedule}``; ``dedicated=gpu:NoExecute`` → operator ``Equal``, value ``gpu``.
    """
    rest, _, effect = text.strip().rpartition(":") if ":" in text else (text.strip(), "", "")
    key, eq, value = rest.partition("=")
    if (
        not _LABEL_KEY.fullmatch(key)
        or (eq and not _LABEL_VALUE.fullmatch(value))
        or (effect and effect not in _EFFECTS)
    ):
        raise InvalidRequestError(
            f"invalid --toleration {text!r}: expected key[=value][:effect] with effect one of "
            f"{', '.join(_EFFECTS)} (e.g. nvidia.com/gpu:NoSchedule)"
        )
    toleration = {"key": key, "operator": "Equal" if eq else "Exists"}
    if eq:
        toleration["value"] = value
    if effect:
        toleration["effect"] = effect
    return toleration


def parse_node_selector(items: list[str]) -> dict[str, str]:
    """``k=v`` strings (repeated or comma-separated) → a node selector."""
    selector: dict[str, str] = {}
    for item in (part.strip() for raw in items for part in raw.split(",")):
        if not item:
            continue
        key, eq, value = item.partition("=")
        if not eq or not _LABEL_KEY.fullmatch(key) or not _LABEL_VALUE.fullmatch(value):
            raise InvalidRequestError(
                f"invalid --node-selector {item!r}: expected label=value "
                "(e.g. nvidia.com/gpu.present=true)"
            )
        selector[key] = value
    return selector
