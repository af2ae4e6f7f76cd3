"""``eidos snapshot --deploy-agent``: apply RBAC + Job, wait, read the snapshot, clean up.

Every object of one deployment carries the same ``app.kubernetes.io/instance`` label and
a per-run name, so concurrent runs never touch each other's objects. Clean-up runs on
success, failure, timeout and Ctrl-C alike, unless ``keep`` is set.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from eidos import kube
from eidos.agent.manifests import AgentOptions, namespace_manifest, render_manifests
from eidos.errors import EidosError, InvalidRequestError, NotFoundError
from eidos.logging import get_logger
from eidos.serializer.configmap import configmap_document_text

__all__ = ["deploy_agent"]

log = get_logger(__name__)

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return


def deploy_agent(
    client: kube.Kube,
    opts: AgentOptions,
    *,
    keep: bool = False,
    poll: float = 2.0,
    progress: Progress = _quiet,
) -> str:
    """Run the agent Job once and return the snapshot text it wrote (YAML).

    Raises:
        CollectorError: the Job failed (its last log lines went to ``progress``).
        DeadlineExceededError: the Job did not finish within ``opts.timeout``.
        UnauthorizedError: the caller may not create the RBAC objects or the Job.
    """
    created: list[dict[str, Any]] = []
    made_namespace = _ensure_namespace(client, opts, progress)
    if made_namespace:
        created.append(namespace_manifest(opts))
    try:
        for obj in render_manifests(opts, namespace=False):
            _create(client, obj, opts)
            created.append(obj)
        progress(f"agent Job {opts.namespace}/{opts.name} created (image {opts.image})")
        try:
            kube.wait_for_job(
                client,
                opts.namespace,
                opts.name,
                timeout=opts.timeout,
                poll=poll,
                on_progress=progress,
                kept=keep,
            )
        except EidosError:
            _show_log(client, opts, progress)
            raise
        return _read_snapshot(client, opts)
    finally:
        if keep:
            progress(_kept_hint(opts, made_namespace))
        else:
            _cleanup(client, opts, created, progress)


def _ensure_namespace(client: kube.Kube, opts: AgentOptions, progress: Progress) -> bool:
    """Create the namespace when missing (True if this run created it)."""
    ns = namespace_manifest(opts)
    live = kube.read_object(client, ns)
    if live is None:
        kube.create_object(client, ns)
        progress(f"created namespace {opts.namespace}")
        return True
    level = ((live.get("metadata") or {}).get("labels") or {}).get(
        "pod-security.kubernetes.io/enforce", ""
    )
    if level in ("baseline", "restricted"):
        log.warning(
            f"namespace {opts.namespace} enforces Pod Security '{level}', which "
            "forbids the agent's read-only host mounts; use a namespace at level "
            "'privileged' (or let eidos create one with --namespace NEW)"
        )
    return False


def _create(client: kube.Kube, obj: dict[str, Any], opts: AgentOptions) -> None:
    if kube.create_object(client, obj):
        return
    live = kube.read_object(client, obj) or {}
    instance = ((live.get("metadata") or {}).get("labels") or {}).get("app.kubernetes.io/instance")
    if instance != opts.labels()["app.kubernetes.io/instance"]:
        raise InvalidRequestError(
            f"{obj['kind']} {obj['metadata']['name']} already exists and does not belong to "
            "this run; delete it or choose another --namespace"
        )


def _read_snapshot(client: kube.Kube, opts: AgentOptions) -> str:
    try:
        cm = kube.read_configmap(client, opts.namespace, opts.configmap)
    except NotFoundError:
        raise NotFoundError(
            f"the agent Job finished but wrote no ConfigMap {opts.namespace}/{opts.configmap}"
        ) from None
    return configmap_document_text(cm, f"cm://{opts.namespace}/{opts.configmap}")


def _show_log(client: kube.Kube, opts: AgentOptions, progress: Progress) -> None:
    try:
        tail = kube.pod_log_tail(client, opts.namespace, opts.name)
    except EidosError:
        return
    if tail.strip():
        progress(f"last log lines of the agent:\n{tail.rstrip()}")


def _cleanup(
    client: kube.Kube, opts: AgentOptions, created: list[dict[str, Any]], progress: Progress
) -> None:
    """Delete what this run created, newest first; report but never raise."""
    cm = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": opts.configmap, "namespace": opts.namespace},
    }
    started = time.monotonic()
    for obj in [cm, *reversed(created)]:
        try:
            kube.delete_object(client, obj)
        except EidosError as exc:
            log.warning(f"could not delete {obj['kind']} {obj['metadata']['name']}: {exc.message}")
    progress(f"cleaned up ({time.monotonic() - started:.1f}s)")


def _kept_hint(opts: AgentOptions, made_namespace: bool) -> str:
    selector = f"app.kubernetes.io/instance={opts.labels()['app.kubernetes.io/instance']}"
    hint = (
        f"kept the agent objects; remove them with:\n  kubectl -n {opts.namespace} delete "
        f"job,serviceaccount,role,rolebinding -l {selector}\n  kubectl -n {opts.namespace} "
        f"delete configmap {opts.configmap}\n  kubectl delete clusterrole,clusterrolebinding "
        f"-l {selector}"
    )
    if made_namespace:
        hint += f"\n  kubectl delete namespace {opts.namespace}"
    return hint
