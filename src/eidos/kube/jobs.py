"""Watch Jobs: say what their pod is doing, and tell waiting from trouble that will not pass.

:func:`observe_job` takes one look at a Job, its newest pod, the pod's conditions and
events; :func:`observe_jobs` does the same for every Job of a label selector in three
lists (a fleet run). :func:`wait_for_job` polls
one Job until it is done, a ``ready`` check says the result is already there, it is in
:class:`Trouble` (no node fits, a host path cannot be mounted, the image cannot be
pulled, the container cannot be created, admission refused the pod, the Job failed),
or the time is up. Trouble fails the wait at once, with the cause; a caller maps its
``kind`` to the fix it can offer.
"""

from __future__ import annotations

import time

from eidos.errors import CollectorError, DeadlineExceededError
from eidos.kube.client import Kube
from eidos.kube.errors import Action
from eidos.kube.objects import list_objects
from eidos.kube.reads import list_pods

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = [
    "JobState",
    "Trouble",
    "diagnose_pod",
    "observe_job",
    "observe_jobs",
    "pod_log_tail",
    "wait_for_job",
]

#: Container waiting reasons that waiting longer will not fix, by kind of trouble.
FATAL_WAITING = {
    "ErrImagePull": "image",
    "ImagePullBackOff": "image",
    "InvalidImageName": "image",
    "ErrImageNeverPull": "image",
    "CreateContainerConfigError": "container",
    "CreateContainerError": "container",
    "RunContainerError": "container",
}
#: Pod events that mean "a node is on its way" (cluster-autoscaler, Karpenter): an
#: unschedulable pod may still be placed.
SCALING_UP = frozenset({"TriggeredScaleUp", "Nominated"})


class Trouble:
    """Why a Job cannot make progress by itself: ``kind`` and a one-line ``message``.

    Kinds: ``unschedulable``, ``mount``, ``image``, ``container``, ``admission``,
    ``failed`` (the Job's Failed condition; ``reason`` is its reason, e.g.
    ``DeadlineExceeded``).
    """

    __slots__ = ("kind", "message", "reason")

    def __init__(self, kind: str, message: str, reason: str = "") -> None:
        self.kind = kind
        self.message = message
        self.reason = reason

    def __repr__(self) -> str:
        return f"Trouble({self.kind!r}, {self.message!r})"


class JobState:
    """One look at a Job: ``done`` (it succeeded), a progress ``line``, ``trouble`` or None."""

    __slots__ = ("done", "line", "name", "namespace", "pod", "trouble")

    def __init__(
        self,
        namespace: str,
        name: str,
        *,
        done: bool,
        line: str,
        trouble: Trouble | None = None,
        pod: str | None = None,
    ) -> None:
        self.namespace = namespace
        self.name = name
        self.done = done
        self.line = line
        self.trouble = trouble
        self.pod = pod


def _condition(obj: dict[str, Any], kind: str) -> dict[str, Any] | None:
    for cond in (obj.get("status") or {}).get("conditions") or []:
        if cond.get("type") == kind and cond.get("status") == "True":
            return dict(cond)
    return None


def _suffix(message: Any) -> str:
    return f": {' '.join(str(message).split())}" if message else ""


def _warnings(events: list[dict[str, Any]], reason: str) -> list[str]:
    return [
        " ".join(str(e.get("message") or "").split())
        for e in events
        if e.get("type") == "Warning" and e.get("reason") == reason
    ]


def diagnose_pod(pod: dict[str, Any], events: list[dict[str, Any]]) -> tuple[str, Trouble | None]:
    """(one-line state of ``pod``, trouble that waiting will not fix, or None).

    ``events`` are the pod's events, oldest first. Example: a pod whose container waits
    in ``ImagePullBackOff`` after an event ``Failed: Failed to pull image "x": not found``
    gives trouble ``image`` with that event's message as the cause.
    """
    name = (pod.get("metadata") or {}).get("name", "?")
    status = pod.get("status") or {}
    phase = status.get("phase") or "Pending"
    prefix = f"pod {name} {phase}"
    host_volumes = {
        v.get("name") for v in (pod.get("spec") or {}).get("volumes") or [] if "hostPath" in v
    }
    mounts = [m for m in _warnings(events, "FailedMount") if _names_any(m, host_volumes)]
    for cs in status.get("containerStatuses") or status.get("initContainerStatuses") or []:
        state = cs.get("state") or {}
        if waiting := state.get("waiting"):
            reason = waiting.get("reason", "Waiting")
            line = f"{prefix}: {reason}" + _suffix(waiting.get("message"))
            kind = FATAL_WAITING.get(reason)
            if kind == "image":
                pulls = [m for m in _warnings(events, "Failed") if "pull" in m.lower()]
                cause = pulls[-1] if pulls else " ".join(str(waiting.get("message", "")).split())
                return line, Trouble("image", f"{reason}: {cause}" if cause else reason)
            if kind == "container":
                return line, Trouble("container", line[len(prefix) + 2 :])
            if mounts:
                return line, Trouble("mount", f"FailedMount: {mounts[-1]}")
            return line, None
        if term := state.get("terminated"):
            return (
                f"{prefix}: {term.get('reason', 'Terminated')} "
                f"(exit code {term.get('exitCode', '?')})" + _suffix(term.get("message")),
                None,
            )
    if mounts:
        return f"{prefix}: FailedMount", Trouble("mount", f"FailedMount: {mounts[-1]}")
    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("status") == "False":
            reason = cond.get("reason", "Unschedulable")
            line = f"{prefix}: {reason}" + _suffix(cond.get("message"))
            scaling = any(e.get("reason") in SCALING_UP for e in events)
            if reason == "Unschedulable" and not scaling:
                return line, Trouble("unschedulable", line[len(prefix) + 2 :])
            return line + (" (a node is being added)" if scaling else ""), None
    node = (pod.get("spec") or {}).get("nodeName")
    return prefix + (f" on node {node}" if node else ""), None


def _names_any(message: str, volumes: set[Any]) -> bool:
    return any(f'volume "{v}"' in message for v in volumes if v)


def _events(kube: Kube, namespace: str, kind: str, name: str) -> list[dict[str, Any]]:
    """Events about ``kind/name``, oldest first ([] without permission to list events)."""
    resp = kube.request(
        "GET",
        f"/api/v1/namespaces/{namespace}/events",
        allow=(403,),
        params={"fieldSelector": f"involvedObject.kind={kind},involvedObject.name={name}"},
        action=Action("list", "events", namespace),
    )
    if resp.status == 403:
        return []
    items = [e for e in resp.json().get("items") or [] if isinstance(e, dict)]
    items.sort(key=lambda e: (_when(e), (e.get("metadata") or {}).get("name", "")))
    return items


def _when(event: dict[str, Any]) -> str:
    meta = event.get("metadata") or {}
    return str(
        event.get("lastTimestamp")
        or event.get("eventTime")
        or event.get("firstTimestamp")
        or meta.get("creationTimestamp")
        or ""
    )


def _job_pods(kube: Kube, namespace: str, job: str) -> list[dict[str, Any]]:
    """The pods of Job ``job``, oldest first."""
    pods = [
        p
        for page in list_pods(kube, namespace=namespace, label_selector=f"job-name={job}")
        for p in page
    ]
    pods.sort(key=_created)
    return pods


def observe_job(kube: Kube, namespace: str, name: str) -> JobState:
    """Look once at Job ``namespace/name``, its newest pod and their events.

    Raises:
        NotFoundError: the Job does not exist (any more).
    """
    job = kube.request(
        "GET",
        f"/apis/batch/v1/namespaces/{namespace}/jobs/{name}",
        action=Action("get", "jobs.batch", namespace, name),
    ).json()
    pods = _job_pods(kube, namespace, name)
    return _state(namespace, job, pods, lambda kind, what: _events(kube, namespace, kind, what))


def observe_jobs(kube: Kube, namespace: str, label_selector: str) -> dict[str, JobState]:
    """Look once at every Job matching ``label_selector`` in ``namespace``, by Job name.

    Three lists whatever the number of Jobs: the Jobs, their pods, and the namespace's
    Warning events (where the causes of trouble are). Only an unschedulable pod costs a
    request of its own: whether a node is being added for it is a Normal event.
    """
    jobs = list_objects(kube, "batch/v1", "Job", namespace=namespace, label_selector=label_selector)
    pods: dict[str, list[dict[str, Any]]] = {}
    for page in list_pods(kube, namespace=namespace, label_selector=label_selector):
        for pod in page:
            labels = (pod.get("metadata") or {}).get("labels") or {}
            owner = labels.get("batch.kubernetes.io/job-name") or labels.get("job-name")
            if owner:
                pods.setdefault(str(owner), []).append(pod)
    warnings = _warning_events(kube, namespace) if jobs else {}
    unschedulable = {
        (pod.get("metadata") or {}).get("name")
        for mine in pods.values()
        for pod in mine
        for cond in (pod.get("status") or {}).get("conditions") or []
        if cond.get("type") == "PodScheduled" and cond.get("status") == "False"
    }

    def events(kind: str, name: str) -> list[dict[str, Any]]:
        if kind == "Pod" and name in unschedulable:
            return _events(kube, namespace, kind, name)
        return warnings.get((kind, name), [])

    states: dict[str, JobState] = {}
    for job in jobs:
        name = str((job.get("metadata") or {}).get("name") or "")
        states[name] = _state(namespace, job, sorted(pods.get(name, []), key=_created), events)
    return states


def _warning_events(kube: Kube, namespace: str) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The namespace's Warning events by (kind, name) of their object, oldest first."""
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    params: dict[str, str | int] = {"fieldSelector": "type=Warning", "limit": 500}
    while True:
        resp = kube.request(
            "GET",
            f"/api/v1/namespaces/{namespace}/events",
            allow=(403,),
            params=params,
            action=Action("list", "events", namespace),
        )
        if resp.status == 403:
            return {}
        page = resp.json()
        for event in page.get("items") or []:
            about = (event.get("involvedObject") or {}) if isinstance(event, dict) else {}
            key = (str(about.get("kind") or ""), str(about.get("name") or ""))
            found.setdefault(key, []).append(event)
        token = (page.get("metadata") or {}).get("continue")
        if not token:
            break
        params = {**params, "continue": token}
    for items in found.values():
        items.sort(key=lambda e: (_when(e), (e.get("metadata") or {}).get("name", "")))
    return found


def _created(obj: dict[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("creationTimestamp") or "")


def _state(
    namespace: str,
    job: dict[str, Any],
    pods: list[dict[str, Any]],
    events: Callable[[str, str], list[dict[str, Any]]],
) -> JobState:
    """The state of ``job`` whose pods (oldest first) are ``pods``.

    ``events(kind, name)`` gives the events of an object, oldest first.
    """
    name = str((job.get("metadata") or {}).get("name") or "")
    if _condition(job, "Complete") or (job.get("status") or {}).get("succeeded"):
        return JobState(namespace, name, done=True, line=f"Job {name} completed")
    pod_name = None
    trouble: Trouble | None = None
    if pods:
        pod_name = (pods[-1].get("metadata") or {}).get("name", "")
        line, trouble = diagnose_pod(pods[-1], events("Pod", pod_name))
    else:
        line = f"Job {name}: waiting for its pod"
        refusals = _warnings(events("Job", name), "FailedCreate")
        if refusals:
            line = f"Job {name}: FailedCreate: {refusals[-1]}"
            if "forbidden" in refusals[-1].lower():
                trouble = Trouble("admission", line)
    if failed := _condition(job, "Failed"):
        reason = str(failed.get("reason", "Failed"))
        trouble = Trouble(
            "failed", f"{reason}{_suffix(failed.get('message'))}; last: {line}", reason
        )
    return JobState(namespace, name, done=False, line=line, trouble=trouble, pod=pod_name)


def wait_for_job(
    kube: Kube,
    namespace: str,
    name: str,
    *,
    timeout: float,
    poll: float = 2.0,
    on_progress: Callable[[str], None] | None = None,
    ready: Callable[[], bool] | None = None,
    since: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    kept: bool = True,
) -> JobState:
    """Block until Job ``namespace/name`` succeeds, or ``ready()`` says its result is there.

    ``ready`` is checked after each look (e.g. "the snapshot ConfigMap exists"): a result
    that is there counts even if the Job has not been marked complete yet. ``kept`` says
    whether the Job outlives a timeout (the hint then shows how to look at it; otherwise
    it says to rerun with ``--keep``). ``since`` is the ``clock()`` time the timeout
    counts from (default: now).

    Raises:
        CollectorError: trouble (``details["reason"]`` is its kind, ``details["cause"]``
            the Job's failure reason when the Job failed).
        DeadlineExceededError: still not finished after ``timeout`` seconds.
    """
    deadline = (clock() if since is None else since) + timeout
    last = ""
    details = {"job": name, "namespace": namespace}
    while True:
        state = observe_job(kube, namespace, name)
        if state.line != last and on_progress is not None:
            on_progress(state.line)
        last = state.line
        if state.done or (ready is not None and ready()):
            return state
        if state.trouble is not None:
            raise CollectorError(
                f"the agent Job {namespace}/{name} cannot succeed: {state.trouble.message}",
                details={**details, "reason": state.trouble.kind, "cause": state.trouble.reason},
            )
        if clock() >= deadline:
            raise DeadlineExceededError(
                f"the agent Job {namespace}/{name} did not finish within {timeout:g}s "
                f"(last: {state.line}); raise --timeout, or "
                + ("look with" if kept else "rerun with --keep and look with")
                + f": kubectl -n {namespace} describe job/{name}",
                details=details,
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
