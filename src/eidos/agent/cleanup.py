"""``--cleanup-only``: remove what runs of ``--deploy-agent`` left behind (SIGKILL, lost network).

Runs are found by their labels and grouped by ``app.kubernetes.io/instance`` (a fleet
run's per-node Jobs carry the run's name too; their ConfigMaps are ``<Job>-snapshot``). A run is
removed only once its expiry annotation has passed (then no live run can still be using
its objects); live runs and objects without the annotation (``kubectl apply -f
deploy/agent/``) are left alone and named. The shared namespace goes last, and only when
eidos made it and no eidos object is left in it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from eidos import kube
from eidos.agent.manifests import AGENT_SELECTOR, EXPIRES, RUN_NAMESPACE
from eidos.errors import EidosError
from eidos.logging import get_logger

__all__ = ["CleanupReport", "cleanup_runs"]

log = get_logger(__name__)

RBAC = "rbac.authorization.k8s.io/v1"
#: Kinds a run creates, in the order they are removed.
NAMESPACED = (("batch/v1", "Job"), (RBAC, "RoleBinding"), (RBAC, "Role"), ("v1", "ServiceAccount"))
CLUSTER = ((RBAC, "ClusterRoleBinding"), (RBAC, "ClusterRole"))
INSTANCE = "app.kubernetes.io/instance"


class CleanupReport:
    """What ``--cleanup-only`` did: runs ``removed``, runs ``kept`` (why), ``namespace_removed``."""

    __slots__ = ("kept", "namespace_removed", "removed")

    def __init__(self) -> None:
        self.removed: list[str] = []
        self.kept: list[str] = []
        self.namespace_removed = False


def _annotation(obj: dict[str, Any], key: str) -> str:
    return str(((obj.get("metadata") or {}).get("annotations") or {}).get(key) or "")


def _runs(client: kube.Kube, namespace: str) -> dict[str, list[dict[str, Any]]]:
    """Agent objects of ``namespace`` (and the cluster-scoped ones of its runs), by run."""
    found: list[dict[str, Any]] = []
    for api_version, kind in NAMESPACED:
        found += kube.list_objects(
            client, api_version, kind, namespace=namespace, label_selector=AGENT_SELECTOR
        )
    for api_version, kind in CLUSTER:
        found += [
            obj
            for obj in kube.list_objects(client, api_version, kind, label_selector=AGENT_SELECTOR)
            if _annotation(obj, RUN_NAMESPACE) == namespace
        ]
    runs: dict[str, list[dict[str, Any]]] = {}
    for obj in found:
        run = ((obj.get("metadata") or {}).get("labels") or {}).get(INSTANCE, "")
        runs.setdefault(str(run), []).append(obj)
    return runs


def cleanup_runs(
    client: kube.Kube,
    namespace: str,
    *,
    now: float | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> CleanupReport:
    """Remove expired runs in ``namespace``, then the namespace if eidos made it and it is empty.

    Raises:
        UnauthorizedError: the caller may not list or delete the agent's objects.
    """
    now = time.time() if now is None else now
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
    report = CleanupReport()
    for run, objects in sorted(_runs(client, namespace).items()):
        expiry = {_annotation(obj, EXPIRES) for obj in objects}
        if "" in expiry:
            report.kept.append(f"{run or '?'} (not made by --deploy-agent; delete it with kubectl)")
            continue
        if max(expiry) > stamp:  # RFC 3339 UTC strings sort like the times they name
            report.kept.append(f"{run} (may still be running; expires {max(expiry)})")
            continue
        for obj in [*_configmaps(run, objects, namespace), *sorted(objects, key=_order)]:
            kube.delete_object(client, obj)
        report.removed.append(run)
        progress(f"removed run {run} ({len(objects)} objects)")
    for line in report.kept:
        progress(f"left run {line}")
    if not report.kept:
        report.namespace_removed = _remove_namespace(client, namespace, progress)
    return report


def _configmaps(run: str, objects: list[dict[str, Any]], namespace: str) -> list[dict[str, Any]]:
    """The snapshot ConfigMaps of a run: its own and ``<Job>-snapshot`` for each of its Jobs.

    A run has one Job, a fleet run one per node.
    """
    jobs = {str((o.get("metadata") or {}).get("name")) for o in objects if o.get("kind") == "Job"}
    return [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": f"{name}-snapshot", "namespace": namespace},
        }
        for name in sorted(jobs | {run})
    ]


def _order(obj: dict[str, Any]) -> int:
    kinds = [k for _, k in (*NAMESPACED, *CLUSTER)]
    return kinds.index(obj.get("kind", "")) if obj.get("kind") in kinds else len(kinds)


def _remove_namespace(client: kube.Kube, namespace: str, progress: Callable[[str], None]) -> bool:
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
    live = kube.read_object(client, ns)
    labels = ((live or {}).get("metadata") or {}).get("labels") or {}
    if live is None or labels.get("app.kubernetes.io/managed-by") != "eidos":
        return False
    try:
        left = kube.list_objects(
            client,
            "v1",
            "ConfigMap",
            namespace=namespace,
            label_selector="app.kubernetes.io/name=eidos",
        )
    except EidosError as exc:
        log.warning(f"kept namespace {namespace}: cannot list its ConfigMaps ({exc.message})")
        return False
    if left:
        progress(f"kept namespace {namespace}: it still holds {len(left)} eidos ConfigMap(s)")
        return False
    kube.delete_object(client, ns)
    progress(f"removed namespace {namespace}")
    return True
