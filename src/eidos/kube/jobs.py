"""Wait for a Job to finish, saying what its pod is doing, and fail early when it cannot.

Progress is one line per change ("pod x Pending: ContainerCreating"); a pod that cannot
start (bad image, bad config) fails the wait at once instead of at the deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from eidos.errors import CollectorError, DeadlineExceededError
from eidos.kube.client import Kube
from eidos.kube.errors import Action
from eidos.kube.reads import list_pods

__all__ = ["describe_pod", "pod_log_tail", "wait_for_job"]

#: Container waiting reasons that will not resolve by waiting longer.
FATAL_WAITING = frozenset(
    {
        "ImagePullBackOff",
        "InvalidImageName",
        "ErrImageNeverPull",
        "CreateContainerConfigError",
        "CreateContainerError",
    }
)


def _condition(obj: dict[str, Any], kind: str) -> dict[str, Any] | None:
    for cond in (obj.get("status") or {}).get("conditions") or []:
        if cond.get("type") == kind and cond.get("status") == "True":
            return dict(cond)
    return None


def describe_pod(pod: dict[str, Any]) -> tuple[str, str | None]:
    """(one-line state of ``pod``, fatal reason or None)."""
    name = (pod.get("metadata") or {}).get("name", "?")
    status = pod.get("status") or {}
    phase = status.get("phase") or "Pending"
    for cs in status.get("containerStatuses") or status.get("initContainerStatuses") or []:
        state = cs.get("state") or {}
        if waiting := state.get("waiting"):
            reason = waiting.get("reason", "Waiting")
            text = f"pod {name} {phase}: {reason}" + _suffix(waiting.get("message"))
            return text, text if reason in FATAL_WAITING else None
        if term := state.get("terminated"):
            return (
                f"pod {name} {phase}: {term.get('reason', 'Terminated')} "
                f"(exit code {term.get('exitCode', '?')})" + _suffix(term.get("message")),
                None,
            )
    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("status") == "False":
            return f"pod {name} {phase}: {cond.get('reason', 'Unschedulable')}" + _suffix(
                cond.get("message")
            ), None
    node = (pod.get("spec") or {}).get("nodeName")
    return f"pod {name} {phase}" + (f" on node {node}" if node else ""), None


def _suffix(message: Any) -> str:
    return f": {' '.join(str(message).split())}" if message else ""


def _job_warning(kube: Kube, namespace: str, name: str) -> str | None:
    resp = kube.request(
        "GET",
        f"/api/v1/namespaces/{namespace}/events",
        allow=(403,),
        params={"fieldSelector": f"involvedObject.kind=Job,involvedObject.name={name}"},
        action=Action("list", "events", namespace),
    )
    if resp.status == 403:
        return None
    warnings = [e for e in resp.json().get("items") or [] if e.get("type") == "Warning"]
    if not warnings:
        return None
    last = warnings[-1]
    return f"Job {name}: {last.get('reason', 'Warning')}" + _suffix(last.get("message"))


def _job_pods(kube: Kube, namespace: str, job: str) -> list[dict[str, Any]]:
    """The pods of Job ``job``, oldest first."""
    pods = [
        p
        for page in list_pods(kube, namespace=namespace, label_selector=f"job-name={job}")
        for p in page
    ]
    pods.sort(key=lambda p: (p.get("metadata") or {}).get("creationTimestamp") or "")
    return pods


def _state(kube: Kube, namespace: str, name: str) -> tuple[bool, str, str | None]:
    """(finished successfully, progress line, failure reason or None)."""
    job = kube.request(
        "GET",
        f"/apis/batch/v1/namespaces/{namespace}/jobs/{name}",
        action=Action("get", "jobs.batch", namespace, name),
    ).json()
    if _condition(job, "Complete") or (job.get("status") or {}).get("succeeded"):
        return True, f"Job {name} completed", None
    pods = _job_pods(kube, namespace, name)
    line, fatal = (
        describe_pod(pods[-1])
        if pods
        else (_job_warning(kube, namespace, name) or f"Job {name}: waiting for its pod", None)
    )
    if failed := _condition(job, "Failed"):
        fatal = f"{failed.get('reason', 'Failed')}{_suffix(failed.get('message'))}; last: {line}"
    return False, line, fatal


def wait_for_job(
    kube: Kube,
    namespace: str,
    name: str,
    *,
    timeout: float,
    poll: float = 2.0,
    on_progress: Callable[[str], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    kept: bool = True,
) -> None:
    """Block until Job ``namespace/name`` succeeds.

    ``kept`` says whether the Job outlives a timeout (the hint then shows how to look at
    it; otherwise it says to rerun with ``--keep``).

    Raises:
        CollectorError: the Job failed or its pod cannot start.
        DeadlineExceededError: still not finished after ``timeout`` seconds.
    """
    deadline = clock() + timeout
    last = ""
    while True:
        done, line, fatal = _state(kube, namespace, name)
        if line != last and on_progress is not None:
            on_progress(line)
        last = line
        if done:
            return
        if fatal:
            raise CollectorError(
                f"the agent Job {namespace}/{name} failed: {fatal}",
                details={"job": name, "namespace": namespace},
            )
        if clock() >= deadline:
            raise DeadlineExceededError(
                f"the agent Job {namespace}/{name} did not finish within {timeout:g}s "
                f"(last: {line}); raise --timeout, or "
                + ("look with" if kept else "rerun with --keep and look with")
                + f": kubectl -n {namespace} describe job/{name}",
                details={"job": name, "namespace": namespace},
            )
        sleep(min(poll, max(deadline - clock(), 0.0)))


def pod_log_tail(kube: Kube, namespace: str, job: str, *, lines: int = 20) -> str:
    """The last ``lines`` log lines of the Job's newest pod ("" when unavailable)."""
    pods = _job_pods(kube, namespace, job)
    if not pods:
        return ""
    pod = (pods[-1].get("metadata") or {}).get("name", "")
    resp = kube.request(
        "GET",
        f"/api/v1/namespaces/{namespace}/pods/{pod}/log",
        params={"tailLines": lines},
        accept="text/plain, */*",
        action=Action("get", "pods/log", namespace, pod),
        allow=(400, 403, 404),
    )
    if resp.status >= 300:
        return ""
    return resp.body.decode("utf-8", "replace")
