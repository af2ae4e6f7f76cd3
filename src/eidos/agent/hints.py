"""What to do about an agent Job that cannot succeed, by kind of trouble (``eidos.kube.jobs``).

The Kubernetes side names the cause; this side names the fix in terms of the options a
user of ``eidos snapshot --deploy-agent`` has. docs/kubernetes.md lists the same cases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eidos.agent.manifests import AgentOptions

__all__ = ["explain"]


def explain(kind: str, message: str, opts: AgentOptions) -> str:
    """One or two sentences: what to change so that the next run succeeds."""
    look = f"kubectl -n {opts.namespace} describe pod -l job-name={opts.name}"
    if kind == "unschedulable":
        return _unschedulable(message, opts)
    if kind == "image":
        return (
            f"The node cannot pull {opts.image}: pass --image (or set EIDOS_AGENT_IMAGE) "
            "with an image your nodes can pull, or publish this one (make image-push; "
            "docs/release.md)"
        )
    if kind == "mount":
        return (
            "A host directory the agent reads cannot be mounted on that node "
            f"(/etc, /usr/lib or /run/dbus); look with: {look}"
        )
    if kind == "container":
        runtime = (
            f"check that RuntimeClass {opts.runtime_class} exists (kubectl get "
            "runtimeclass) or drop --runtime-class; "
            if opts.runtime_class
            else ""
        )
        return f"The container runtime cannot start the agent: {runtime}look with: {look}"
    if kind == "admission":
        return (
            f"Admission refused the pod: namespace {opts.namespace} must allow Pod Security "
            "level 'privileged' (the agent mounts host directories); use --namespace with "
            "such a namespace, or a new one that eidos creates"
        )
    if "DeadlineExceeded" in message:
        return (
            "The Job ran past its deadline before the snapshot was written; raise --timeout, "
            f"or look with: {look}"
        )
    return "The agent's last log lines are above"


def _unschedulable(message: str, opts: AgentOptions) -> str:
    # A pod pinned to one node does not match every other node by design: what counts
    # is why its own node refused it.
    pinned = opts.node is not None and ("taint" in message or "Insufficient" in message)
    if not pinned and ("affinity" in message or "selector" in message):
        if opts.node:
            return f"Node {opts.node} is not there or not ready: check --node (kubectl get nodes)"
        if opts.node_selector:
            return (
                "No node has the labels of --node-selector: fix them (kubectl get nodes "
                "--show-labels), or pass --node NAME"
            )
        return (
            "No node is labelled as an NVIDIA GPU node (nvidia.com/gpu.present=true or NFD's "
            "feature.node.kubernetes.io/pci-10de.present=true): label one (kubectl label node "
            "NAME nvidia.com/gpu.present=true), or pick nodes with --node NAME or "
            "--node-selector KEY=VALUE"
        )
    if "taint" in message:
        return (
            "The nodes carry taints the agent does not tolerate: add --toleration "
            "KEY[=VALUE]:EFFECT for each (kubectl describe nodes | grep Taints)"
        )
    if "Insufficient" in message:
        return "No matching node has 100m CPU and 128Mi memory free for the agent"
    return f"Look with: kubectl -n {opts.namespace} describe pod -l job-name={opts.name}"
