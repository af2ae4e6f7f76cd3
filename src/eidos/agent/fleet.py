"""``--deploy-agent --all-nodes``: one agent Job per node, a bounded number at a time.

A fleet run is one run (its name, ServiceAccount, Role, RoleBinding, ClusterRole and
ClusterRoleBinding) with one Job per node, pinned to that node, writing the ConfigMap
``<Job>-snapshot``. At most ``parallel`` Jobs exist at once, new ones are created at most
``rate`` a second, and all of them are looked at together (:func:`eidos.kube.observe_jobs`:
two lists per look, however many Jobs). A node's snapshot goes to ``collect`` as soon as
it is read, and its ConfigMap and Job are deleted at once; a node that cannot succeed is
recorded with the reason and the fix, and the others go on. What the run created is
deleted on success, failure and interruption alike, unless ``keep``.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from eidos import kube
from eidos.agent.deploy import (
    check_read_only,
    cleanup,
    create_owned,
    ensure_namespace,
    read_snapshot,
    with_server_features,
)
from eidos.agent.hints import explain
from eidos.agent.manifests import AgentOptions, job_manifest, rbac_manifests
from eidos.agent.nodes import FleetSettings, TokenBucket, job_name
from eidos.errors import CollectorError, EidosError
from eidos.logging import get_logger
from eidos.model import DocumentError, Snapshot
from eidos.serializer import loads

__all__ = ["FleetEvent", "FleetResult", "deploy_fleet"]

log = get_logger(__name__)


class FleetEvent:
    """What just happened, with the run's counts and its slowest running node.

    ``kind``: ``collected`` (``text``: the seconds it took), ``failed`` (``text``: why
    and the fix), ``look`` (after each look at the Jobs) or ``note`` (a line to print).
    """

    __slots__ = ("done", "failed", "kind", "node", "running", "slowest", "text", "total")

    def __init__(self, kind: str, node: str, text: str, fleet: _Fleet) -> None:
        self.kind = kind
        self.node = node
        self.text = text
        self.total = len(fleet.nodes)
        self.done = len(fleet.result.collected)
        self.failed = len(fleet.result.failures)
        self.running = len(fleet.active)
        self.slowest = fleet.slowest()


class FleetResult:
    """What a fleet run gave.

    ``collected``: the nodes whose snapshot went to ``collect``; ``failures``: node ->
    reason and fix; ``error``: what stopped the run early, if anything did.
    """

    __slots__ = ("collected", "error", "failures")

    def __init__(self) -> None:
        self.collected: list[str] = []
        self.failures: dict[str, str] = {}
        self.error: EidosError | None = None


class _Node:
    __slots__ = ("line", "name", "opts", "started")

    def __init__(self, name: str, opts: AgentOptions, started: float) -> None:
        self.name = name
        self.opts = opts
        self.started = started
        self.line = "created"


def deploy_fleet(
    client: kube.Kube,
    opts: AgentOptions,
    nodes: list[str],
    *,
    timeout: float,
    collect: Callable[[str, Snapshot], None],
    settings: FleetSettings | None = None,
    keep: bool = False,
    progress: Callable[[FleetEvent], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> FleetResult:
    """Snapshot every node of ``nodes``; each snapshot goes to ``collect(node, snapshot)``.

    ``timeout`` is per node, from the creation of its Job. A node's failure is recorded
    and the run goes on; once the first ``parallel`` Jobs (at least five) have all failed
    and none succeeded, the rest is not started (the cause is surely the same everywhere).
    An API error after the start (a lost permission, an unreachable server) stops the
    run: ``result.error``, the nodes not collected listed as failures with it.

    Raises:
        EidosError: the run could not start (namespace, RBAC); nothing was collected.
    """
    fleet = _Fleet(client, opts, nodes, timeout, collect, settings or FleetSettings(), progress)
    fleet.clock, fleet.sleep, fleet.keep = clock, sleep, keep
    try:
        fleet.prepare()
        try:
            fleet.run()
        except EidosError as exc:
            fleet.stop(f"the run stopped: {exc.message}")
            fleet.result.error = exc
        return fleet.result
    finally:
        fleet.finish()


class _Fleet:
    """One fleet run in progress."""

    def __init__(  # noqa: PLR0917 (private; one call site)
        self,
        client: kube.Kube,
        opts: AgentOptions,
        nodes: list[str],
        timeout: float,
        collect: Callable[[str, Snapshot], None],
        settings: FleetSettings,
        progress: Callable[[FleetEvent], None] | None,
    ) -> None:
        self.client = client
        self.opts = opts
        self.nodes = nodes
        self.timeout = timeout
        self.collect = collect
        self.settings = settings
        self.progress = progress
        self.clock: Callable[[], float] = time.monotonic
        self.sleep: Callable[[float], None] = time.sleep
        self.jobs = {node: job_name(opts.name, node) for node in nodes}
        self.pending = deque(nodes)
        self.active: dict[str, _Node] = {}  # by Job name: created, not finished
        self.alive: dict[str, AgentOptions] = {}  # by Job name: created, not deleted
        self.created: list[dict[str, Any]] = []  # the run's RBAC objects
        self.result = FleetResult()
        self.selector = f"app.kubernetes.io/instance={opts.name}"
        self.jobs_failed = 0
        self.keep = False
        self.checked = False  # whether the server's answer to a Job create was looked at

    def emit(self, kind: str, node: str = "", text: str = "") -> None:
        if self.progress is not None:
            self.progress(FleetEvent(kind, node, text, self))

    def note(self, text: str) -> None:
        self.emit("note", text=text)

    def slowest(self) -> tuple[str, float] | None:
        """The running node that has taken longest so far, and its seconds."""
        if not self.active:
            return None
        oldest = min(self.active.values(), key=lambda n: n.started)
        return oldest.name, self.clock() - oldest.started

    # -- the run ---------------------------------------------------------------------------
    def prepare(self) -> None:
        """Namespace, server features and the run's RBAC (the Role names every ConfigMap)."""
        self.opts = with_server_features(self.client, self.opts)
        ensure_namespace(
            self.client,
            self.opts,
            deadline=self.clock() + self.timeout,
            progress=self.note,
            poll=self.settings.poll,
            sleep=self.sleep,
        )
        configmaps = [f"{job}-snapshot" for job in self.jobs.values()]
        for obj in rbac_manifests(self.opts, configmaps):
            self.created.append(obj)  # before the request: see deploy_agent
            try:
                create_owned(self.client, obj)
            except EidosError:
                self.created.pop()
                raise
        self.note(
            f"run {self.opts.name}: {len(self.nodes)} node(s), at most "
            f"{self.settings.parallel} agent Job(s) at once (image {self.opts.image})"
        )

    def run(self) -> None:
        bucket = TokenBucket(self.settings.rate, self.settings.burst, self.clock)
        next_look = self.clock()
        while self.pending or self.active:
            while self.pending and len(self.active) < self.settings.parallel:
                wait = bucket.wait()
                if wait > 0:
                    if self.active and self.clock() + wait >= next_look:
                        break
                    self.sleep(wait)
                    continue
                bucket.take()
                self.start(self.pending[0])
                self.pending.popleft()  # only once its Job exists: else stop() names it
            if self.clock() < next_look:
                self.sleep(next_look - self.clock())
            next_look = self.clock() + self.settings.poll
            states = kube.observe_jobs(self.client, self.opts.namespace, self.selector)
            for job in list(self.active):
                self.look(job, states.get(job))
            self.emit("look")
            if self.jobs_failed >= max(self.settings.parallel, 5) and not self.result.collected:
                self.stop(
                    f"not started: the first {self.jobs_failed} nodes all failed, so "
                    "the others would too; fix that and run again"
                )

    def start(self, node: str) -> None:
        job = self.jobs[node]
        opts = replace(self.opts, job=job, configmap=f"{job}-snapshot", node=node)
        self.alive[job] = opts  # before the request, as the RBAC objects
        try:
            live = create_owned(self.client, job_manifest(opts))
        except EidosError:
            del self.alive[job]  # refused, or someone else's of that name: not ours to delete
            raise
        if not self.checked:
            check_read_only(opts, live)
            self.checked = True
        self.active[job] = _Node(node, opts, self.clock())

    def look(self, job: str, state: kube.JobState | None) -> None:
        run = self.active[job]
        if state is None:
            self.finish_node(job, "its Job disappeared (deleted by someone else?)")
        elif state.done:
            self.finish_node(job)
        elif state.trouble is not None:
            trouble = state.trouble
            fix = explain(trouble.kind, trouble.message, run.opts)
            why = f"{trouble.message.rstrip('.')}. {fix}"
            # A Job stopped at its deadline may have written its snapshot first.
            self.finish_node(job, why, maybe=trouble.kind == "failed")
        elif self.clock() - run.started >= self.timeout:
            self.finish_node(
                job,
                f"the agent did not finish within {self.timeout:g}s (last: {state.line}); "
                f"raise --timeout, or rerun with --keep and look with: kubectl -n "
                f"{run.opts.namespace} describe job/{job}",
            )
        else:
            run.line = state.line

    def finish_node(self, job: str, failure: str = "", *, maybe: bool = False) -> None:
        """Read the node's snapshot (unless it failed), then delete its ConfigMap and Job."""
        run = self.active.pop(job)
        if not failure or maybe:
            try:
                snapshot = self.read(run)
            except EidosError as exc:
                failure = failure or exc.message
            else:
                self.collect(run.name, snapshot)
                self.result.collected.append(run.name)
                self.emit("collected", run.name, f"{self.clock() - run.started:.1f}s")
                failure = ""
        if failure:
            self.jobs_failed += 1
            self.result.failures[run.name] = failure
            self.emit("failed", run.name, failure)
        self.release(job)

    def read(self, run: _Node) -> Snapshot:
        """The node's snapshot, checked: a Snapshot document of that very node."""
        text = read_snapshot(self.client, run.opts)
        origin = f"cm://{run.opts.namespace}/{run.opts.configmap}"
        try:
            snapshot = Snapshot.from_dict(loads(text, origin=origin))
        except DocumentError as exc:
            raise CollectorError(f"{origin}: the agent wrote no valid snapshot: {exc}") from None
        said = snapshot.header.metadata.get("source-node")
        if said and said != run.name:
            raise CollectorError(f"{origin}: the agent on node {run.name} says it ran on {said}")
        snapshot.header.metadata["source-node"] = run.name
        return snapshot

    def release(self, job: str) -> None:
        """Delete a finished node's ConfigMap, then its Job (what is left goes at the end)."""
        if self.keep:
            return
        opts = self.alive[job]
        try:
            kube.delete_configmap(self.client, opts.namespace, opts.configmap)
            kube.delete_object(self.client, job_manifest(opts))
        except EidosError as exc:
            log.warning(f"could not delete the Job of node {opts.node} yet: {exc.message}")
            return
        del self.alive[job]

    def stop(self, why: str) -> None:
        """Record every node not collected yet as failed with ``why``; stop the loop."""
        for node in self.pending:
            self.result.failures[node] = why
        self.pending.clear()
        for job, run in list(self.active.items()):
            self.active.pop(job)
            self.result.failures[run.name] = f"stopped while {run.line}: {why}"
        self.emit("look")

    def finish(self) -> None:
        """Delete what is left of the run (or say how to), newest first."""
        left = [job_manifest(opts) for opts in self.alive.values()]
        configmaps = [
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": o.configmap, "namespace": o.namespace},
            }
            for o in self.alive.values()
        ]
        if self.keep:
            self.note(_kept_hint(self.opts))
            return
        # Newest first: ConfigMaps, then their Jobs (a Job left alone still leads
        # --cleanup-only to its ConfigMap), then the RBAC objects.
        cleanup(self.client, self.opts, [*self.created, *left, *configmaps], self.note)


def _kept_hint(opts: AgentOptions) -> str:
    selector = f"app.kubernetes.io/instance={opts.name}"
    return (
        f"kept the agent objects; remove them with:\n  kubectl -n {opts.namespace} get "
        f"configmap -o name | grep /{opts.name}- | xargs kubectl -n {opts.namespace} delete"
        f"\n  kubectl -n {opts.namespace} delete job,serviceaccount,role,rolebinding -l "
        f"{selector}\n  kubectl delete clusterrole,clusterrolebinding -l {selector}\nor, "
        "once the run has expired "
        f"({opts.expires}): eidos snapshot --deploy-agent --cleanup-only --namespace "
        f"{opts.namespace}"
    )
