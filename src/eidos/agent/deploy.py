"""``eidos snapshot --deploy-agent``: create one run's objects, wait, read the snapshot, clean up.

A run's objects are its own: a per-run name (:func:`new_run`), the run's name as
``app.kubernetes.io/instance``, and an expiry annotation for ``--cleanup-only``. The
namespace is shared by every run and never deleted by one; a namespace that is being
deleted is waited for, then made again. Clean-up runs on success, failure, timeout and
interruption alike, unless ``keep`` is set.
"""

from __future__ import annotations

import math
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from eidos import kube
from eidos.agent.hints import explain
from eidos.agent.manifests import AgentOptions, namespace_manifest, render_manifests
from eidos.errors import (
    CollectorError,
    EidosError,
    InvalidRequestError,
    NotFoundError,
    UnavailableError,
)
from eidos.logging import get_logger
from eidos.serializer.configmap import configmap_document_text

__all__ = [
    "check_read_only",
    "cleanup",
    "create_owned",
    "deploy_agent",
    "ensure_namespace",
    "new_run",
    "read_snapshot",
    "with_server_features",
]

log = get_logger(__name__)

Progress = Callable[[str], None]

#: Seconds the Job may run beyond the wait: it must never be stopped as late while the
#: CLI still waits for it, and a finished snapshot is read even after the wait.
DEADLINE_MARGIN = 60.0
#: Seconds after its Job's deadline that a run's objects become removable by others.
EXPIRY_MARGIN = 60.0
#: The first Kubernetes minor version that knows ``recursiveReadOnly`` (beta in 1.31).
RRO_MINOR = 30


def _quiet(_: str) -> None:
    return


def new_run(timeout: float, **options: Any) -> AgentOptions:
    """Options for one run: a fresh name, a Job deadline past ``timeout``, an expiry time."""
    name = f"eidos-agent-{secrets.token_hex(3)}"
    deadline = math.ceil(timeout) + DEADLINE_MARGIN
    expires = time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + deadline + EXPIRY_MARGIN)
    )
    return AgentOptions(
        name=name, configmap=f"{name}-snapshot", deadline=deadline, expires=expires, **options
    )


def deploy_agent(
    client: kube.Kube,
    opts: AgentOptions,
    *,
    timeout: float,
    keep: bool = False,
    poll: float = 2.0,
    progress: Progress = _quiet,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Run the agent Job once and return the snapshot text it wrote (YAML).

    Raises:
        CollectorError: the Job failed or cannot start; the message says why and what to
            change (its last log lines went to ``progress``).
        DeadlineExceededError: the Job did not finish within ``timeout`` seconds.
        UnauthorizedError: the caller may not create the RBAC objects or the Job.
        UnavailableError: the namespace is being deleted and did not go away in time.
    """
    run = _Run(client, with_server_features(client, opts), progress, poll, sleep)
    created: list[dict[str, Any]] = []
    try:
        run.ensure_namespace(time.monotonic() + timeout)
        for obj in render_manifests(run.opts, namespace=False):
            # Recorded before the request: a signal that lands while it is on the wire
            # must not leave an object the clean-up does not know (deleting a missing one
            # is harmless).
            created.append(obj)
            try:
                live = create_owned(client, obj)
            except EidosError:
                created.pop()  # refused, or someone else's of that name: not ours to delete
                raise
            if obj["kind"] == "Job":
                check_read_only(run.opts, live)
        progress(f"agent Job {run.opts.namespace}/{run.opts.name} created (image {opts.image})")
        run.wait(timeout, keep)
        return read_snapshot(client, run.opts)
    finally:
        if keep:
            progress(_kept_hint(run.opts))
        else:
            cleanup(client, run.opts, created, progress)


class _Run:
    """One run in progress: the client, its options, and how to report and wait."""

    def __init__(
        self,
        client: kube.Kube,
        opts: AgentOptions,
        progress: Progress,
        poll: float,
        sleep: Callable[[float], None],
    ) -> None:
        self.client = client
        self.opts = opts
        self.progress = progress
        self.poll = poll
        self.sleep = sleep
        self.started = time.monotonic()

    def ensure_namespace(self, deadline: float) -> None:
        """Make sure the shared namespace exists and is not being deleted."""
        ensure_namespace(
            self.client,
            self.opts,
            deadline=deadline,
            progress=self.progress,
            poll=self.poll,
            sleep=self.sleep,
        )

    def wait(self, timeout: float, keep: bool) -> None:
        """Wait for the Job (or its snapshot); trouble and failures get cause, fix and log."""
        client, opts = self.client, self.opts

        def written() -> bool:
            return _snapshot_written(client, opts)

        try:
            kube.wait_for_job(
                client,
                opts.namespace,
                opts.name,
                timeout=timeout,
                since=self.started,
                poll=self.poll,
                on_progress=self.progress,
                ready=written,
                sleep=self.sleep,
                kept=keep,
            )
        except CollectorError as exc:
            _show_log(client, opts, self.progress)
            fix = explain(str(exc.details.get("reason", "")), exc.message, opts)
            raise type(exc)(f"{exc.message}. {fix}", details=exc.details) from None
        except EidosError:
            _show_log(client, opts, self.progress)
            raise


def ensure_namespace(
    client: kube.Kube,
    opts: AgentOptions,
    *,
    deadline: float,
    progress: Progress,
    poll: float,
    sleep: Callable[[float], None],
) -> None:
    """Make sure the shared namespace exists and is not being deleted.

    A namespace being deleted is waited for until ``deadline`` (``time.monotonic()``).

    Raises:
        UnavailableError: the namespace is still being deleted at ``deadline``.
    """
    ns = namespace_manifest(opts)
    said = False
    while True:
        live = kube.read_object(client, ns)
        if live is None:
            if kube.create_object(client, ns) is not None:
                progress(f"created namespace {opts.namespace}")
                return
            continue  # made by a run beside us in the meantime: look at it
        if (live.get("status") or {}).get("phase") != "Terminating":
            _check_pod_security(opts, live)
            return
        if time.monotonic() >= deadline:
            raise UnavailableError(
                f"namespace {opts.namespace} is being deleted (terminating) and is still "
                "there; wait until it is gone (kubectl get namespace "
                f"{opts.namespace}) and run again, or use another --namespace",
                details={"reason": "NamespaceTerminating", "namespace": opts.namespace},
            )
        if not said:
            progress(f"namespace {opts.namespace} is being deleted; waiting until it is gone")
            said = True
        sleep(poll)


def with_server_features(client: kube.Kube, opts: AgentOptions) -> AgentOptions:
    """Recursive read-only host mounts where the server knows them, else a warning."""
    version = kube.server_version(client)
    git = str(version.get("gitVersion") or "")
    match = re.match(r"v?(\d+)\.(\d+)", git) or re.match(
        r"(\d+)\D*\.?(\d+)", f"{version.get('major', '')}.{version.get('minor', '')}"
    )
    minor = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if minor >= (1, RRO_MINOR):
        return replace(opts, recursive_read_only=True)
    log.warning(
        f"the Kubernetes API server is {git or 'older than v1.30'}: it cannot make the "
        "agent's host mounts recursively read-only (recursiveReadOnly needs v1.30 or "
        "later); they are read-only, but a file system mounted below /etc, /usr/lib or "
        "/run/dbus on the node would stay writable to the agent"
    )
    return opts


def check_read_only(opts: AgentOptions, live: dict[str, Any] | None) -> None:
    """Warn when the server dropped ``recursiveReadOnly`` (its feature gate is off)."""
    if not opts.recursive_read_only or live is None:
        return
    containers = (((live.get("spec") or {}).get("template") or {}).get("spec") or {}).get(
        "containers"
    ) or [{}]
    mounts = containers[0].get("volumeMounts") or []
    if any(m.get("readOnly") and "recursiveReadOnly" not in m for m in mounts):
        log.warning(
            "the Kubernetes API server dropped recursiveReadOnly from the agent's host "
            "mounts (feature gate RecursiveReadOnlyMounts off): they are read-only, but "
            "not recursively"
        )


def _check_pod_security(opts: AgentOptions, live: dict[str, Any]) -> None:
    level = ((live.get("metadata") or {}).get("labels") or {}).get(
        "pod-security.kubernetes.io/enforce", ""
    )
    if level in ("baseline", "restricted"):
        log.warning(
            f"namespace {opts.namespace} enforces Pod Security '{level}', which "
            "forbids the agent's read-only host mounts; use a namespace at level "
            "'privileged' (or let eidos create one with --namespace NEW)"
        )


def create_owned(client: kube.Kube, obj: dict[str, Any]) -> dict[str, Any] | None:
    """Create ``obj``; the object as the server stored it (None if that is not known)."""
    live = kube.create_object(client, obj)
    if live is not None:
        return live
    raise InvalidRequestError(
        f"{obj['kind']} {obj['metadata']['name']} already exists and does not belong to "
        "this run; run again (a new run gets a new name)"
    )


def _snapshot_written(client: kube.Kube, opts: AgentOptions) -> bool:
    cm = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": opts.configmap, "namespace": opts.namespace},
    }
    return kube.read_object(client, cm) is not None


def read_snapshot(client: kube.Kube, opts: AgentOptions) -> str:
    """The document text of the run's snapshot ConfigMap.

    Raises:
        NotFoundError: the agent wrote no ConfigMap.
        InvalidRequestError: the ConfigMap holds no readable document.
    """
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


def cleanup(
    client: kube.Kube, opts: AgentOptions, created: list[dict[str, Any]], progress: Progress
) -> None:
    """Delete what this run created (and its ConfigMap), newest first; report, never raise."""
    cm = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": opts.configmap, "namespace": opts.namespace},
    }
    started = time.monotonic()
    later = (
        f"remove them later with: eidos snapshot --deploy-agent --cleanup-only "
        f"--namespace {opts.namespace}"
    )
    failed = 0
    try:
        for obj in [cm, *reversed(created)]:
            try:
                kube.delete_object(client, obj)
            except EidosError as exc:
                failed += 1
                log.warning(
                    f"could not delete {obj['kind']} {obj['metadata']['name']}: {exc.message}"
                )
    except BaseException:  # interrupted again while cleaning up: say what is left
        progress(f"clean-up interrupted; {later}")
        raise
    if failed:
        progress(f"cleaned up except {failed} object(s); {later}")
    else:
        progress(f"cleaned up ({time.monotonic() - started:.1f}s)")


def _kept_hint(opts: AgentOptions) -> str:
    selector = f"app.kubernetes.io/instance={opts.name}"
    return (
        f"kept the agent objects; remove them with:\n  kubectl -n {opts.namespace} delete "
        f"job,serviceaccount,role,rolebinding -l {selector}\n  kubectl -n {opts.namespace} "
        f"delete configmap {opts.configmap}\n  kubectl delete clusterrole,clusterrolebinding "
        f"-l {selector}\nor, once the run has expired ({opts.expires}): eidos snapshot "
        f"--deploy-agent --cleanup-only --namespace {opts.namespace}"
    )
