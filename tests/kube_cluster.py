"""The parts of a cluster the agent meets, played against the API emulator.

``ClusterSim`` acts as the scheduler, the kubelet, the Job controller, the namespace
controller and the agent itself, each one step per read of a Job (so tests run as fast
as the client polls, and deterministically):

* scheduling: nodeSelector, required node affinity (``In``/``Exists``, and ``matchFields``
  on ``metadata.name`` as DaemonSets use) and taints vs. tolerations; no fit gives
  ``PodScheduled=False/Unschedulable`` and a ``FailedScheduling`` event worded as
  kube-scheduler words it;
* mounting: hostPath volumes against the node's paths (``Directory``, ``Socket``,
  ``DirectoryOrCreate``), a ``FailedMount`` event when the type check fails;
* pulling: images the registry (or the node) has; otherwise a ``Failed`` event with the
  cause, ``ErrImagePull``, then ``ImagePullBackOff``;
* creating and running the container (``create_error`` gives ``CreateContainerError``);
  the agent writes its snapshot to the ConfigMap its ``--output`` names in its
  ``--format``, as the real one does (JSON with the node's ``source-node``), and the Job
  becomes ``Complete`` (or ``Failed`` with its reason);
* the garbage collector: deleting a Job deletes its pods;
* namespaces: deleting one marks it ``Terminating``; writes into it are refused with
  ``NamespaceTerminating`` until its contents and then it are gone (``linger`` reads
  later); writes into a namespace that does not exist get 404.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from kube_emulator import Answer, KubeEmulator, Obj, Route, _status, write_agent_snapshot

Agent = Callable[[Obj, "SimNode"], tuple[int, str]]


@dataclass
class SimNode:
    """A node: labels, taints, and the host paths that exist on it (path -> type)."""

    name: str
    labels: dict[str, str] = field(default_factory=dict)
    taints: list[dict[str, str]] = field(default_factory=list)
    images: set[str] | None = None  # what it can pull (None: what the registry has)
    ready: bool = True
    cordoned: bool = False
    paths: dict[str, str] = field(
        default_factory=lambda: {
            "/etc": "Directory",
            "/usr/lib": "Directory",
            "/run/dbus": "Directory",
            "/run/dbus/system_bus_socket": "Socket",
        }
    )


def gpu_node(name: str = "gpu-node-1", **kw: Any) -> SimNode:
    """A node labelled by GPU feature discovery."""
    return SimNode(name, labels={"nvidia.com/gpu.present": "true", **kw.pop("labels", {})}, **kw)


@dataclass
class _PodRun:
    step: str = "schedule"
    ticks: int = 0


class ClusterSim:
    """Install on an emulator with :meth:`install`; tests tune the public attributes."""

    def __init__(
        self,
        emulator: KubeEmulator,
        *,
        nodes: list[SimNode] | None = None,
        registry: set[str] | None = None,
        snapshot: str = "kind: Snapshot\n",
    ) -> None:
        self.emu = emulator
        self.nodes = nodes if nodes is not None else [gpu_node()]
        self.registry = registry  # None: every image can be pulled
        self.snapshot = snapshot
        self.create_error: str | None = None
        self.exit_code = 0
        self.log = "wrote the snapshot\n"
        self.run_ticks = 1  # reads of the Job while the agent runs
        self.fail_after_write: str | None = None  # e.g. "DeadlineExceeded"
        self.linger = 2  # reads of the namespace while it terminates
        self.scaling_up = False
        self.steps_per_read = 1  # how far one read of a Job moves it on
        self.pods: dict[tuple[str, str], _PodRun] = {}
        self._parsed: Obj | None = None
        self.terminating: dict[str, int] = {}
        self._clock = 0

    def install(self) -> ClusterSim:
        self.emu.on_create["jobs"] = self._job_created
        self.emu.on_get["jobs"] = self._tick
        self.emu.on_get["namespaces"] = self._namespace_tick
        self.emu.admission.append(self._admit)
        return self.publish_nodes()

    def publish_nodes(self) -> ClusterSim:
        """Store the Node objects (again, after a test changed ``nodes``)."""
        for node in self.nodes:
            ready = "True" if node.ready else "Unknown"
            reason = "KubeletReady" if node.ready else "NodeStatusUnknown"
            self.emu.put(
                "v1",
                "nodes",
                {
                    "metadata": {"name": node.name, "labels": node.labels},
                    "spec": {"unschedulable": True} if node.cordoned else {},
                    "status": {
                        "conditions": [{"type": "Ready", "status": ready, "reason": reason}]
                    },
                },
            )
        return self

    # -- namespaces ------------------------------------------------------------------------
    def _admit(self, emu: KubeEmulator, method: str, route: Route, body: bytes) -> Answer | None:
        if route.plural == "jobs" and method == "DELETE" and route.name:
            for key, pod in list(emu.objects.items()):
                labels = pod.get("metadata", {}).get("labels") or {}
                mine = key[2] == route.namespace and labels.get("job-name") == route.name
                if key[1] == "pods" and mine:
                    emu._store(key, None)
            self.pods.pop((route.namespace or "", route.name), None)
            return None
        if route.plural == "namespaces" and method == "DELETE" and route.name:
            ns = emu.get("v1", "namespaces", route.name)
            if ns is None:
                return None
            ns.setdefault("metadata", {})["deletionTimestamp"] = self._now()
            ns["status"] = {"phase": "Terminating"}
            self.terminating[route.name] = self.linger
            return 200, {}, json.dumps(ns).encode()
        if method != "POST" or route.namespace is None:
            return None
        if emu.get("v1", "namespaces", route.namespace) is None:
            return _status(404, f'namespaces "{route.namespace}" not found', reason="NotFound")
        if route.namespace in self.terminating:
            name = json.loads(body or b"{}").get("metadata", {}).get("name", "")
            answer = _status(
                403,
                f'{route.plural} "{name}" is forbidden: unable to create new content in '
                f"namespace {route.namespace} because it is being terminated",
                reason="Forbidden",
            )
            status = json.loads(answer[2])
            status["details"] = {
                "name": name,
                "kind": route.plural,
                "causes": [
                    {
                        "reason": "NamespaceTerminating",
                        "message": f"namespace {route.namespace} is being terminated",
                        "field": "metadata.namespace",
                    }
                ],
            }
            return 403, {}, json.dumps(status).encode()
        return None

    def _namespace_tick(self, emu: KubeEmulator, ns: Obj) -> None:
        name = ns["metadata"]["name"]
        if name not in self.terminating:
            return
        self.terminating[name] -= 1
        for key in [k for k in emu.objects if k[2] == name and k[1] != "namespaces"]:
            emu._store(key, None)
        if self.terminating[name] <= 0:
            del self.terminating[name]
            emu._store(("v1", "namespaces", "", name), None)

    # -- jobs, pods, events ----------------------------------------------------------------
    def _now(self) -> str:
        self._clock += 1
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_767_225_600 + self._clock))

    def event(self, obj: Obj, kind: str, type_: str, reason: str, message: str) -> None:
        meta = obj["metadata"]
        self.emu.put(
            "v1",
            "events",
            {
                "metadata": {
                    "name": f"{meta['name']}.{self._clock:06d}{reason.lower()}",
                    "namespace": meta["namespace"],
                },
                "involvedObject": {"kind": kind, "name": meta["name"]},
                "type": type_,
                "reason": reason,
                "message": message,
                "lastTimestamp": self._now(),
            },
        )

    def _job_created(self, emu: KubeEmulator, job: Obj) -> None:
        meta = job["metadata"]
        name = f"{meta['name']}-x7k2p"
        template = job["spec"]["template"]
        pod = emu.put(
            "v1",
            "pods",
            {
                "metadata": {
                    "name": name,
                    "namespace": meta["namespace"],
                    "labels": {
                        **(template["metadata"].get("labels") or {}),
                        "job-name": meta["name"],
                    },
                },
                "spec": json.loads(json.dumps(template["spec"])),
                "status": {"phase": "Pending"},
            },
        )
        self.pods[(meta["namespace"], meta["name"])] = _PodRun()
        self.event(job, "Job", "Normal", "SuccessfulCreate", f"Created pod: {name}")
        del pod

    def _tick(self, emu: KubeEmulator, job: Obj) -> None:
        meta = job["metadata"]
        run = self.pods.get((meta["namespace"], meta["name"]))
        pod = emu.get("v1", "pods", f"{meta['name']}-x7k2p", meta["namespace"])
        for _ in range(self.steps_per_read):
            if run is None or pod is None or run.step == "done":
                return
            following = getattr(self, f"_{run.step}")(job, pod, run)
            if following is None:
                return
            run.step = following

    def _schedule(self, job: Obj, pod: Obj, run: _PodRun) -> str | None:
        spec = pod["spec"]
        reasons: dict[str, int] = {}
        fits = []
        for node in self.nodes:
            why = _misfit(spec, node)
            if why:
                reasons[why] = reasons.get(why, 0) + 1
            else:
                fits.append(node)
        if not fits:
            detail = ", ".join(f"{n} {why}" for why, n in sorted(reasons.items()))
            message = (
                f"0/{len(self.nodes)} nodes are available: {detail}. preemption: 0/"
                f"{len(self.nodes)} nodes are available: {len(self.nodes)} Preemption is not "
                "helpful for scheduling."
            )
            pod["status"] = {
                "phase": "Pending",
                "conditions": [
                    {
                        "type": "PodScheduled",
                        "status": "False",
                        "reason": "Unschedulable",
                        "message": message,
                    }
                ],
            }
            self.event(pod, "Pod", "Warning", "FailedScheduling", message)
            if self.scaling_up:
                self.event(pod, "Pod", "Normal", "TriggeredScaleUp", "pod triggered scale-up")
            return None
        node = fits[0]
        spec["nodeName"] = node.name
        pod["status"] = {
            "phase": "Pending",
            "conditions": [{"type": "PodScheduled", "status": "True"}],
            "containerStatuses": [_waiting("ContainerCreating")],
        }
        self.event(pod, "Pod", "Normal", "Scheduled", f"Successfully assigned to {node.name}")
        return "mount"

    def _node(self, pod: Obj) -> SimNode:
        return next(n for n in self.nodes if n.name == pod["spec"]["nodeName"])

    def _mount(self, job: Obj, pod: Obj, run: _PodRun) -> str | None:
        node = self._node(pod)
        for volume in pod["spec"].get("volumes") or []:
            host = volume.get("hostPath")
            if host is None:
                continue
            path, want = host["path"], host.get("type", "")
            have = node.paths.get(path)
            if want == "DirectoryOrCreate" and have is None:
                node.paths[path] = "Directory"
            elif want in ("Directory", "Socket", "File") and have != want:
                kind = {"Directory": "directory", "Socket": "socket file", "File": "file"}[want]
                self.event(
                    pod,
                    "Pod",
                    "Warning",
                    "FailedMount",
                    f'MountVolume.SetUp failed for volume "{volume["name"]}" : hostPath type '
                    f"check failed: {path} is not a {kind}",
                )
                return None
        return "pull"

    def _pull(self, job: Obj, pod: Obj, run: _PodRun) -> str | None:
        image = pod["spec"]["containers"][0]["image"]
        node = self._node(pod)
        registry = node.images if node.images is not None else self.registry
        if registry is None or image in registry:
            self.event(pod, "Pod", "Normal", "Pulled", f'Container image "{image}" present')
            return "create"
        status = pod["status"]["containerStatuses"][0]["state"]
        if status.get("waiting", {}).get("reason") == "ErrImagePull":
            status["waiting"] = {
                "reason": "ImagePullBackOff",
                "message": f'Back-off pulling image "{image}"',
            }
            self.event(pod, "Pod", "Normal", "BackOff", f'Back-off pulling image "{image}"')
            return None
        cause = (
            f'rpc error: code = NotFound desc = failed to pull and unpack image "{image}": '
            f'failed to resolve reference "{image}": {image}: not found'
        )
        status["waiting"] = {"reason": "ErrImagePull", "message": cause}
        self.event(pod, "Pod", "Warning", "Failed", f'Failed to pull image "{image}": {cause}')
        return None

    def _create(self, job: Obj, pod: Obj, run: _PodRun) -> str | None:
        if self.create_error:
            pod["status"]["containerStatuses"] = [
                _waiting("CreateContainerError", self.create_error)
            ]
            self.event(pod, "Pod", "Warning", "Failed", f"Error: {self.create_error}")
            return None
        pod["status"] = {
            "phase": "Running",
            "conditions": [{"type": "PodScheduled", "status": "True"}],
            "containerStatuses": [{"name": "eidos", "state": {"running": {}}}],
        }
        return "run"

    def _run(self, job: Obj, pod: Obj, run: _PodRun) -> str | None:
        run.ticks += 1
        if run.ticks < self.run_ticks:
            return None
        meta = job["metadata"]
        self.emu.logs[(meta["namespace"], pod["metadata"]["name"])] = self.log
        if self.exit_code == 0:
            self._write_snapshot(job, pod["spec"]["nodeName"])
        reason = "Completed" if self.exit_code == 0 else "Error"
        pod["status"] = {
            "phase": "Succeeded" if self.exit_code == 0 else "Failed",
            "containerStatuses": [
                {
                    "name": "eidos",
                    "state": {"terminated": {"reason": reason, "exitCode": self.exit_code}},
                }
            ],
        }
        failure = self.fail_after_write if self.exit_code == 0 else "BackoffLimitExceeded"
        if failure:
            message = {
                "DeadlineExceeded": "Job was active longer than specified deadline",
                "BackoffLimitExceeded": "Job has reached the specified backoff limit",
            }.get(failure, failure)
            job["status"] = {
                "failed": 1,
                "conditions": [
                    {"type": "Failed", "status": "True", "reason": failure, "message": message}
                ],
            }
        else:
            job["status"] = {"succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]}
        return "done"

    def _write_snapshot(self, job: Obj, node: str) -> None:
        args = job["spec"]["template"]["spec"]["containers"][0]["args"]
        fmt = args[args.index("--format") + 1]
        text = self.snapshot
        if fmt == "json":
            if self._parsed is None:
                self._parsed = yaml.safe_load(self.snapshot)
            doc = self._parsed
            doc.setdefault("metadata", {})["source-node"] = node
            text = json.dumps(doc)
        write_agent_snapshot(self.emu, job, {f"snapshot.{fmt}": text, "format": fmt})


def _waiting(reason: str, message: str = "") -> dict[str, Any]:
    waiting = {"reason": reason, **({"message": message} if message else {})}
    return {"name": "eidos", "state": {"waiting": waiting}}


def _misfit(spec: Obj, node: SimNode) -> str | None:
    """Why ``node`` cannot run a pod with ``spec`` (kube-scheduler's words), or None."""
    selector = spec.get("nodeSelector") or {}
    labels = {**node.labels, "kubernetes.io/hostname": node.name}
    terms = (
        ((spec.get("affinity") or {}).get("nodeAffinity") or {})
        .get("requiredDuringSchedulingIgnoredDuringExecution", {})
        .get("nodeSelectorTerms")
    )
    if any(labels.get(k) != v for k, v in selector.items()) or (
        terms and not any(_term_matches(t, labels, node.name) for t in terms)
    ):
        return "node(s) didn't match Pod's node affinity/selector"
    for taint in node.taints:
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not any(
            _tolerates(t, taint) for t in spec.get("tolerations") or []
        ):
            value = f": {taint['value']}" if taint.get("value") else ""
            return f"node(s) had untolerated taint {{{taint['key']}{value}}}"
    return None


def _term_matches(term: Obj, labels: dict[str, str], name: str) -> bool:
    for expr in term.get("matchFields") or []:
        if expr["key"] == "metadata.name" and name not in expr.get("values", []):
            return False
    for expr in term.get("matchExpressions") or []:
        value = labels.get(expr["key"])
        if expr["operator"] == "In" and value not in expr.get("values", []):
            return False
        if expr["operator"] == "Exists" and value is None:
            return False
    return True


def _tolerates(toleration: Obj, taint: dict[str, str]) -> bool:
    if toleration.get("key") not in (None, taint["key"]):
        return False
    if toleration.get("effect") not in (None, taint.get("effect")):
        return False
    if toleration.get("operator", "Equal") == "Exists":
        return True
    return toleration.get("value") == taint.get("value")
