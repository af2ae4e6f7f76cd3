"""The agent's objects: namespace, least-privilege RBAC and the snapshot Job, as manifests.

``deploy/agent/*.yaml`` is this output for the default options (a test keeps them equal);
the YAML files carry the comments that explain why each privilege is there. Every object
of one run carries the run's name as ``app.kubernetes.io/instance`` and, for runs of
``--deploy-agent``, when it may be removed (:data:`EXPIRES`); the namespace is shared.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eidos import IMAGE_REPOSITORY, __version__
from eidos.errors import InvalidRequestError
from eidos.model import scheduling

__all__ = [
    "AGENT_SELECTOR",
    "AGENT_UID",
    "DEFAULT_IMAGE",
    "DEFAULT_TOLERATIONS",
    "EXPIRES",
    "HOST_MOUNTS",
    "NODE",
    "RUN_NAMESPACE",
    "AgentOptions",
    "parse_node_selector",
    "parse_toleration",
    "render_manifests",
]

#: The agent image: what ``make image-push`` publishes for this version (docs/release.md).
DEFAULT_IMAGE = f"{IMAGE_REPOSITORY}:v{__version__}"

#: uid/gid of the agent: ``nobody``, which every common distribution's passwd has.
#: dbus-daemon drops peers whose uid it cannot look up when its policy has group
#: rules (as Debian and Ubuntu hosts do), so a uid missing from the host's passwd (such
#: as 65532) gets an empty SystemD measurement. The agent sees no host process, so
#: sharing the uid with the host's nobody exposes nothing (docs/kubernetes.md).
AGENT_UID = 65534

#: Annotation on every object of a ``--deploy-agent`` run: after this time (RFC 3339)
#: no run can still be using it, so ``--cleanup-only`` may remove it.
EXPIRES = "eidos.dgxc.io/expires"

#: Annotation on the cluster-scoped objects of a run: the namespace of the run.
RUN_NAMESPACE = "eidos.dgxc.io/namespace"

#: Annotation on a Job pinned to one node: that node's name (label values are too short
#: for every node name).
NODE = "eidos.dgxc.io/node"

#: Host directories the agent reads, read-only under /host: (volume, host path,
#: hostPath type, why). Not /: only what the snapshot reads, and no host /proc (the
#: agent's own /proc shows the node's kernel). /run/dbus may be absent (no D-Bus): the
#: kubelet then creates the empty directory and the SystemD measurement is empty.
HOST_MOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("host-etc", "/etc", "Directory", "the node's os-release"),
    ("host-usr-lib", "/usr/lib", "Directory", "os-release (often a link to here)"),
    ("host-dbus", "/run/dbus", "DirectoryOrCreate", "the D-Bus system socket (systemd)"),
)

#: Taints GPU nodes commonly carry; the agent must run there anyway.
DEFAULT_TOLERATIONS: tuple[dict[str, str], ...] = (
    {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoExecute"},
)

#: Node labels that mark an NVIDIA GPU node: GPU feature discovery, or NFD's PCI vendor 10de.
GPU_NODE_LABELS = ("nvidia.com/gpu.present", "feature.node.kubernetes.io/pci-10de.present")


HOST_ROOT = "/host"


@dataclass(frozen=True, kw_only=True)
class AgentOptions:
    """What to deploy and where; the defaults are the ones in ``deploy/agent/``."""

    namespace: str = "eidos"
    """Namespace for the Job, its ServiceAccount, Role and the snapshot ConfigMap."""

    name: str = "eidos-agent"
    """Name of the run: its ServiceAccount, Role(Binding), ClusterRole(Binding) and, unless
    ``job`` says otherwise, its Job; every object of the run carries it as a label."""

    job: str | None = None
    """Name of the Job when it is not ``name`` (a fleet run: one Job per node)."""

    configmap: str = "eidos-snapshot"
    """ConfigMap the agent writes the snapshot to (in ``namespace``)."""

    image: str = DEFAULT_IMAGE
    """Container image that holds the ``eidos`` command."""

    node: str | None = None
    """Run on the node of this name (matched on ``metadata.name``, as a DaemonSet's pods
    are); else ``node_selector``."""

    node_selector: dict[str, str] = field(default_factory=dict)
    """Node labels to match; empty means "any NVIDIA GPU node" (GFD or NFD labels)."""

    tolerations: tuple[dict[str, str], ...] = DEFAULT_TOLERATIONS
    """Tolerations of the agent pod."""

    runtime_class: str | None = None
    """RuntimeClass that injects the NVIDIA driver tools (e.g. ``nvidia``), if not default."""

    deadline: float = 360.0
    """Seconds the Job may exist before Kubernetes stops it (``activeDeadlineSeconds``,
    scheduling and image pull included); longer than any wait for it, so a snapshot that
    is there is never thrown away as late."""

    expires: str | None = None
    """RFC 3339 time after which ``--cleanup-only`` may remove the run (annotation)."""

    recursive_read_only: bool = False
    """Ask for ``recursiveReadOnly: IfPossible`` host mounts (Kubernetes 1.30 and later)."""

    snapshot_format: str = "yaml"
    """Format the agent writes its ConfigMap in (a fleet run reads JSON: ~20x faster)."""

    def labels(self, component: str = "agent") -> dict[str, str]:
        """The labels every object of this run carries."""
        return {
            "app.kubernetes.io/name": "eidos",
            "app.kubernetes.io/component": component,
            "app.kubernetes.io/instance": self.name,
            "app.kubernetes.io/managed-by": "eidos",
        }


#: Labels that select every agent object eidos made (``kubectl ... -l``).
AGENT_SELECTOR = "app.kubernetes.io/managed-by=eidos,app.kubernetes.io/component=agent"


def _meta(opts: AgentOptions, *, namespaced: bool = True) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": opts.name}
    if namespaced:
        meta["namespace"] = opts.namespace
    meta["labels"] = opts.labels()
    if opts.expires:
        meta["annotations"] = {EXPIRES: opts.expires}
        if not namespaced:
            meta["annotations"][RUN_NAMESPACE] = opts.namespace
    return meta


def namespace_manifest(opts: AgentOptions) -> dict[str, Any]:
    """The shared namespace; Pod Security ``privileged`` because the pod mounts host paths.

    It carries no run's name: runs share it and none deletes it (``--cleanup-only`` does,
    once no run is left in it).
    """
    labels = {
        "app.kubernetes.io/name": "eidos",
        "app.kubernetes.io/component": "agent",
        "app.kubernetes.io/managed-by": "eidos",
        "pod-security.kubernetes.io/enforce": "privileged",
    }
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": opts.namespace, "labels": labels},
    }


def rbac_manifests(opts: AgentOptions, configmaps: Sequence[str] = ()) -> list[dict[str, Any]]:
    """ServiceAccount, ConfigMap-only Role, read-only ClusterRole, and their bindings.

    The Role lets the agent read and replace only ``configmaps`` (default: the run's one);
    ``create`` cannot be limited by name in Kubernetes.
    """
    rbac = "rbac.authorization.k8s.io/v1"
    subject = [{"kind": "ServiceAccount", "name": opts.name, "namespace": opts.namespace}]
    role_rules = [
        {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["create"]},
        {
            "apiGroups": [""],
            "resources": ["configmaps"],
            "resourceNames": list(configmaps) or [opts.configmap],
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
        term = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [opts.node]}]}
        return {
            "affinity": {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [term]}
                }
            }
        }
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
        {"name": "NVIDIA_VISIBLE_DEVICES", "value": "all"},
        {"name": "NVIDIA_DRIVER_CAPABILITIES", "value": "utility"},
    ]
    mounts: list[dict[str, Any]] = []
    for volume, path, _, _ in HOST_MOUNTS:
        mount: dict[str, Any] = {"name": volume, "mountPath": HOST_ROOT + path, "readOnly": True}
        if opts.recursive_read_only:
            mount["recursiveReadOnly"] = "IfPossible"
        mounts.append(mount)
    return {
        "name": "eidos",
        "image": opts.image,
        "imagePullPolicy": "IfNotPresent",
        "command": ["eidos"],
        "args": [
            "snapshot",
            "--host-root",
            HOST_ROOT,
            "--proc-root",
            "/proc",
            "--format",
            opts.snapshot_format,
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
        "volumeMounts": [*mounts, {"name": "tmp", "mountPath": "/tmp"}],
    }


def job_manifest(opts: AgentOptions) -> dict[str, Any]:
    """The Job that runs ``eidos snapshot`` once on a GPU node."""
    volumes: list[dict[str, Any]] = [
        {"name": volume, "hostPath": {"path": path, "type": kind}}
        for volume, path, kind, _ in HOST_MOUNTS
    ]
    pod_spec: dict[str, Any] = {
        "serviceAccountName": opts.name,
        "restartPolicy": "Never",
        **_placement(opts),
        "tolerations": [dict(t) for t in opts.tolerations],
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": AGENT_UID,
            "runAsGroup": AGENT_UID,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [_container(opts)],
        "volumes": [*volumes, {"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}}],
    }
    if opts.runtime_class:
        pod_spec["runtimeClassName"] = opts.runtime_class
    meta = {**_meta(opts), "name": opts.job or opts.name}
    if opts.job and opts.node:
        meta["annotations"] = {**meta.get("annotations", {}), NODE: opts.node}
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": meta,
        "spec": {
            "backoffLimit": 0,
            "ttlSecondsAfterFinished": 3600,
            "activeDeadlineSeconds": max(math.ceil(opts.deadline), 1),
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
    return scheduling.parse_toleration(text, "--toleration")


def parse_node_selector(items: list[str]) -> dict[str, str]:
    """``k=v`` strings (repeated or comma-separated) → a node selector."""
    selector: dict[str, str] = {}
    for item in (part.strip() for raw in items for part in raw.split(",")):
        if item:
            key, value = scheduling.parse_node_selector(item, "--node-selector")
            selector[key] = value
    return selector
