"""A small, stateful Kubernetes API emulator on 127.0.0.1 (http.server in a thread).

Why not kmock: its emulator has no ``limit``/``continue`` pagination, no resourceVersion
checks (so no 409 on a stale update), and it merges a PUT instead of replacing the object;
it is also an aiohttp server on the test's own event loop while our client is synchronous.

What it does: JSON REST for core and grouped resources, namespaced and cluster-scoped;
list with ``limit``/``continue``/``labelSelector``/``fieldSelector``; create (409 when it
exists), replace (409 on a stale ``resourceVersion``), delete; what a real API server
refuses (:mod:`kube_limits`: 3 MiB bodies, 1 MiB ConfigMap data, names); bearer-token auth
(401); RBAC denials (403); injected faults (any status, ``Retry-After``,
slow answers, dropped connections); throttling beyond a rate with 429 and ``Retry-After``
as API Priority and Fairness does (:meth:`KubeEmulator.throttle`); a request log; hooks to
script Job behaviour.
"""

from __future__ import annotations

import base64
import bisect
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kube_limits import body_too_large, invalid_object

Obj = dict[str, Any]
Answer = tuple[int, dict[str, str], bytes]

#: (group/version, plural) -> namespaced?
BUILTIN_RESOURCES: dict[tuple[str, str], bool] = {
    ("v1", "namespaces"): False,
    ("v1", "nodes"): False,
    ("v1", "pods"): True,
    ("v1", "configmaps"): True,
    ("v1", "serviceaccounts"): True,
    ("v1", "events"): True,
    ("rbac.authorization.k8s.io/v1", "roles"): True,
    ("rbac.authorization.k8s.io/v1", "rolebindings"): True,
    ("rbac.authorization.k8s.io/v1", "clusterroles"): False,
    ("rbac.authorization.k8s.io/v1", "clusterrolebindings"): False,
    ("batch/v1", "jobs"): True,
}
_KINDS = {
    "namespaces": "Namespace",
    "nodes": "Node",
    "pods": "Pod",
    "configmaps": "ConfigMap",
    "serviceaccounts": "ServiceAccount",
    "events": "Event",
    "roles": "Role",
    "rolebindings": "RoleBinding",
    "clusterroles": "ClusterRole",
    "clusterrolebindings": "ClusterRoleBinding",
    "jobs": "Job",
    "clusterpolicies": "ClusterPolicy",
}
_VERBS = {"GET": "get", "POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}


@dataclass
class Fault:
    """Answer matching requests with ``status`` (or drop/slow them), ``times`` times."""

    method: str
    path: re.Pattern[str]
    status: int = 500
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False


@dataclass
class Route:
    gv: str
    plural: str
    namespace: str | None
    name: str | None
    sub: str | None


class KubeEmulator:
    """The emulated API server; use as a context manager or call start()/stop()."""

    def __init__(self, *, token: str = "emulator-token") -> None:
        self.token = token
        self.version: Obj = {
            "major": "1",
            "minor": "33",
            "gitVersion": "v1.33.5-eks-3025e55",
            "platform": "linux/amd64",
            "goVersion": "go1.24.9",
        }
        self.resources = dict(BUILTIN_RESOURCES)
        self.objects: dict[tuple[str, str, str, str], Obj] = {}
        self.logs: dict[tuple[str, str], str] = {}
        self.faults: list[Fault] = []
        self.forbidden: set[tuple[str, str]] = set()
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.on_create: dict[str, Callable[[KubeEmulator, Obj], None]] = {}
        #: Admission: each sees every mutating request first and may answer it instead.
        self.admission: list[Callable[[KubeEmulator, str, Route, bytes], Answer | None]] = []
        self.on_get: dict[str, Callable[[KubeEmulator, Obj], None]] = {}
        self.after_get: dict[str, Callable[[KubeEmulator, Obj], None]] = {}
        #: Throttling (see :meth:`throttle`): 429s sent, and requests that came before
        #: the ``Retry-After`` of the last 429 had passed (a client that does not wait).
        self.throttled = 0
        self.early = 0
        self._rate: tuple[float, float, str] | None = None  # qps, burst, Retry-After
        self._tokens = 0.0
        self._tokens_at = 0.0
        self._not_before = 0.0
        self._rv = 1000
        self._sorted: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> KubeEmulator:
        handler = type("Handler", (_Handler,), {"emulator": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> KubeEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def write_kubeconfig(
        self, path: Path, *, namespace: str = "default", context: str = "emulator"
    ) -> Path:
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "current-context": context,
            "clusters": [{"name": context, "cluster": {"server": self.url}}],
            "users": [{"name": context, "user": {"token": self.token}}],
            "contexts": [
                {
                    "name": context,
                    "context": {"cluster": context, "user": context, "namespace": namespace},
                }
            ],
        }
        path.write_text(json.dumps(config))
        return path

    # -- test set-up helpers ---------------------------------------------------------------
    def install(self, gv: str, plural: str, *, namespaced: bool = False) -> None:
        self.resources[(gv, plural)] = namespaced

    def fail(
        self,
        method: str,
        path: str,
        status: int = 500,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        drop: bool = False,
    ) -> None:
        self.faults.append(
            Fault(method.upper(), re.compile(path), status, times, dict(headers or {}), delay, drop)
        )

    def throttle(self, qps: float, *, burst: int = 1, retry_after: str = "1") -> None:
        """Answer 429 + ``Retry-After`` to requests beyond ``qps`` a second (after ``burst``).

        A token bucket, like the seats API Priority and Fairness gives a flow: a real API
        server answers 429 with ``Retry-After: 1``; tests may pass a shorter one.
        """
        with self._lock:
            self._rate = (qps, float(burst), retry_after)
            self._tokens, self._tokens_at = float(burst), time.monotonic()

    def _throttled(self) -> Answer | None:
        if self._rate is None:
            return None
        qps, burst, retry_after = self._rate
        now = time.monotonic()
        if now < self._not_before - 0.01:
            self.early += 1
        self._tokens = min(burst, self._tokens + (now - self._tokens_at) * qps)
        self._tokens_at = now
        if self._tokens >= 1:
            self._tokens -= 1
            return None
        self.throttled += 1
        self._not_before = now + float(retry_after)
        return _status(
            429,
            "Too many requests, please try again later.",
            {"Retry-After": retry_after},
            reason="TooManyRequests",
        )

    def forbid(self, verb: str, plural: str) -> None:
        self.forbidden.add((verb, plural))

    def put(self, gv: str, plural: str, obj: Obj) -> Obj:
        meta = obj.setdefault("metadata", {})
        key = (
            gv,
            plural,
            meta.get("namespace", "") if self.resources[(gv, plural)] else "",
            meta["name"],
        )
        with self._lock:
            self._stamp(obj, gv, plural)
            self._store(key, obj)
        return obj

    def get(self, gv: str, plural: str, name: str, namespace: str = "") -> Obj | None:
        return self.objects.get((gv, plural, namespace, name))

    def count(self, method: str, path_prefix: str) -> int:
        return sum(1 for m, p, _ in self.requests if m == method and p.startswith(path_prefix))

    def _store(self, key: tuple[str, str, str, str], obj: Obj | None) -> None:
        if obj is None:
            self.objects.pop(key, None)
        else:
            self.objects[key] = obj
        self._sorted.pop(key[:2], None)

    def _keys(self, gv: str, plural: str) -> list[tuple[str, str, str, str]]:
        keys = self._sorted.get((gv, plural))
        if keys is None:
            keys = sorted(k for k in self.objects if k[0] == gv and k[1] == plural)
            self._sorted[(gv, plural)] = keys
        return keys

    # -- request handling ------------------------------------------------------------------
    def _stamp(self, obj: Obj, gv: str, plural: str) -> None:
        self._rv += 1
        meta = obj.setdefault("metadata", {})
        meta["resourceVersion"] = str(self._rv)
        meta.setdefault("uid", f"uid-{self._rv}")
        meta.setdefault("creationTimestamp", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        obj.setdefault("apiVersion", gv)
        obj.setdefault("kind", _KINDS.get(plural, plural.rstrip("s").title()))

    def handle(
        self,
        method: str,
        target: str,
        headers: Any,
        body: bytes,
    ) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(target)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with self._lock:
            self.requests.append((method, parts.path, query))
            fault = self._fault(method, parts.path)
            throttled = None if fault is not None else self._throttled()
        if throttled is not None:
            return throttled
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop:
                return -1, {}, b""
            return _status(fault.status, "injected fault", fault.headers)
        if self.token and headers.get("Authorization") != f"Bearer {self.token}":
            return _status(401, "Unauthorized")
        if refusal := body_too_large(len(body)):
            return _status(refusal[0], refusal[1], reason=refusal[2])
        if parts.path == "/version":
            return 200, {}, json.dumps(self.version).encode()
        route = _route(parts.path)
        if route is None or (route.gv, route.plural) not in self.resources:
            return _status(404, f"the server could not find the requested resource ({parts.path})")
        verb = _VERBS.get(method, "get")
        if verb == "get" and route.name is None:
            verb = "list"
        if (verb, route.plural) in self.forbidden:
            return _forbidden(verb, route)
        with self._lock:
            return self._dispatch(method, route, query, body)

    def _fault(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.method in (method, "*") and fault.path.search(path):
                fault.times -= 1
                return fault
        return None

    def _dispatch(
        self,
        method: str,
        route: Route,
        query: dict[str, str],
        body: bytes,
    ) -> tuple[int, dict[str, str], bytes]:
        ns = route.namespace or ""
        if method != "GET":
            for admit in self.admission:
                if (answer := admit(self, method, route, body)) is not None:
                    return answer
        if route.sub == "log":
            text = self.logs.get((ns, route.name or ""))
            if text is None:
                return _status(404, f'pods "{route.name}" not found')
            return 200, {"Content-Type": "text/plain"}, text.encode()
        if method == "GET" and route.name is None:
            return self._list(route, query)
        if method == "GET":
            return self._read(route, ns)
        if method == "POST":
            return self._create(route, ns, json.loads(body))
        if method == "PUT":
            return self._replace(route, ns, json.loads(body))
        if method == "DELETE":
            return self._delete(route, ns)
        return _status(405, f"method {method} not allowed")

    def _read(self, route: Route, ns: str) -> tuple[int, dict[str, str], bytes]:
        obj = self.objects.get((route.gv, route.plural, ns, route.name or ""))
        if obj is None:
            return _status(404, f'{route.plural} "{route.name}" not found', reason="NotFound")
        if hook := self.on_get.get(route.plural):
            hook(self, obj)
        payload = json.dumps(obj).encode()
        if hook := self.after_get.get(route.plural):
            hook(self, obj)
        return 200, {}, payload

    def _list(self, route: Route, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        keys = self._keys(route.gv, route.plural)
        if route.namespace is not None:
            keys = [k for k in keys if k[2] == route.namespace]
        if "labelSelector" in query or "fieldSelector" in query:
            keys = [k for k in keys if _selected(self.objects[k], query)]
        start = 0
        if token := query.get("continue"):
            start = bisect.bisect_right(keys, tuple(json.loads(base64.urlsafe_b64decode(token))))
        limit = int(query.get("limit") or 0) or len(keys) or 1
        page = [(k, self.objects[k]) for k in keys[start : start + limit]]
        if hook := self.on_get.get(route.plural):  # a list is a read of each object
            for _, obj in page:
                hook(self, obj)
        meta: Obj = {"resourceVersion": str(self._rv)}
        if start + limit < len(keys):
            meta["continue"] = base64.urlsafe_b64encode(json.dumps(page[-1][0]).encode()).decode()
            meta["remainingItemCount"] = len(keys) - start - limit
        kind = _KINDS.get(route.plural, "Object") + "List"
        return (
            200,
            {},
            json.dumps(
                {
                    "apiVersion": route.gv,
                    "kind": kind,
                    "metadata": meta,
                    "items": [o for _, o in page],
                }
            ).encode(),
        )

    def _create(self, route: Route, ns: str, obj: Obj) -> tuple[int, dict[str, str], bytes]:
        meta = obj.setdefault("metadata", {})
        if ns:
            meta["namespace"] = ns
        key = (route.gv, route.plural, ns, meta.get("name", ""))
        if key in self.objects:
            return _status(409, f'{route.plural} "{key[3]}" already exists', reason="AlreadyExists")
        if invalid := _invalid(route, obj):
            return invalid
        self._stamp(obj, route.gv, route.plural)
        self._store(key, obj)
        if hook := self.on_create.get(route.plural):
            hook(self, obj)
        return 201, {}, json.dumps(obj).encode()

    def _replace(self, route: Route, ns: str, obj: Obj) -> tuple[int, dict[str, str], bytes]:
        key = (route.gv, route.plural, ns, route.name or "")
        current = self.objects.get(key)
        if current is None:
            return _status(404, f'{route.plural} "{route.name}" not found', reason="NotFound")
        sent = (obj.get("metadata") or {}).get("resourceVersion")
        if sent and sent != current["metadata"]["resourceVersion"]:
            return _status(
                409,
                f'Operation cannot be fulfilled on {route.plural} "{route.name}"'
                ": the object has been modified; please apply your changes to the "
                "latest version and try again",
                reason="Conflict",
            )
        if invalid := _invalid(route, obj):
            return invalid
        obj["metadata"]["uid"] = current["metadata"]["uid"]
        self._stamp(obj, route.gv, route.plural)
        self._store(key, obj)
        return 200, {}, json.dumps(obj).encode()

    def _delete(self, route: Route, ns: str) -> tuple[int, dict[str, str], bytes]:
        key = (route.gv, route.plural, ns, route.name or "")
        if key not in self.objects:
            return _status(404, f'{route.plural} "{route.name}" not found', reason="NotFound")
        self._store(key, None)
        if route.plural == "namespaces":
            for other in [k for k in self.objects if k[2] == route.name]:
                self._store(other, None)
        return _status(200, "deleted", status="Success")


def _route(path: str) -> Route | None:
    parts = [p for p in path.split("/") if p]
    if parts[:2] == ["api", "v1"]:
        gv, rest = "v1", parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        gv, rest = f"{parts[1]}/{parts[2]}", parts[3:]
    else:
        return None
    if len(rest) >= 3 and rest[0] == "namespaces":
        return Route(
            gv,
            rest[2],
            rest[1],
            rest[3] if len(rest) > 3 else None,
            rest[4] if len(rest) > 4 else None,
        )
    if not rest:
        return None
    return Route(gv, rest[0], None, rest[1] if len(rest) > 1 else None, None)


def _lookup(obj: Obj, dotted: str) -> Any:
    value: Any = obj
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _selected(obj: Obj, query: dict[str, str]) -> bool:
    labels = (obj.get("metadata") or {}).get("labels") or {}
    for term in filter(None, query.get("labelSelector", "").split(",")):
        key, _, value = term.partition("=")
        if labels.get(key) != value:
            return False
    for term in filter(None, query.get("fieldSelector", "").split(",")):
        key, _, value = term.partition("=")
        if str(_lookup(obj, key)) != value:
            return False
    return True


def _invalid(route: Route, obj: Obj) -> tuple[int, dict[str, str], bytes] | None:
    refusal = invalid_object(route.plural, _KINDS.get(route.plural, route.plural), obj)
    return None if refusal is None else _status(refusal[0], refusal[1], reason=refusal[2])


def _status(
    code: int,
    message: str,
    headers: dict[str, str] | None = None,
    *,
    reason: str = "",
    status: str = "Failure",
) -> tuple[int, dict[str, str], bytes]:
    body = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": status,
        "message": message,
        "reason": reason,
        "code": code,
    }
    return code, dict(headers or {}), json.dumps(body).encode()


def _forbidden(verb: str, route: Route) -> tuple[int, dict[str, str], bytes]:
    group = route.gv.rpartition("/")[0]
    where = f' in the namespace "{route.namespace}"' if route.namespace else " at the cluster scope"
    return _status(
        403,
        f'{route.plural} is forbidden: User "system:serviceaccount:test:eidos" '
        f'cannot {verb} resource "{route.plural}" in API group "{group}"{where}',
        reason="Forbidden",
    )


class _Handler(BaseHTTPRequestHandler):
    emulator: KubeEmulator
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        code, headers, payload = self.emulator.handle(self.command, self.path, self.headers, body)
        if code < 0:
            self.close_connection = True
            return
        self.send_response(code)
        self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve


def make_pod(
    namespace: str, name: str, images: list[str], *, init: list[str] | None = None, padding: int = 0
) -> Obj:
    """A realistic-looking Pod (``padding`` adds env entries to approach real object sizes)."""
    containers = [
        {
            "name": f"c{i}",
            "image": image,
            "imagePullPolicy": "IfNotPresent",
            "env": [{"name": f"VAR_{j}", "value": f"value-{j}"} for j in range(padding)],
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
            "volumeMounts": [{"name": "kube-api-access", "mountPath": "/var/run/secrets"}],
        }
        for i, image in enumerate(images)
    ]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {"app": name},
            "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z"},
        },
        "spec": {
            "containers": containers,
            "initContainers": [
                {"name": f"init{i}", "image": image} for i, image in enumerate(init or [])
            ],
            "nodeName": "node-1",
            "serviceAccountName": "default",
            "volumes": [{"name": "kube-api-access", "projected": {"sources": []}}],
        },
        "status": {
            "phase": "Running",
            "podIP": "10.0.0.1",
            "hostIP": "10.0.1.1",
            "conditions": [{"type": "Ready", "status": "True"}],
        },
    }


#: Pod states a scripted Job goes through, one per read of the Job.
_POD_STATES: dict[str, Obj] = {
    "unschedulable": {
        "phase": "Pending",
        "conditions": [
            {
                "type": "PodScheduled",
                "status": "False",
                "reason": "Unschedulable",
                "message": "0/3 nodes are available: 3 node(s) didn't match node affinity.",
            }
        ],
    },
    "creating": {
        "phase": "Pending",
        "containerStatuses": [
            {"name": "eidos", "state": {"waiting": {"reason": "ContainerCreating"}}}
        ],
    },
    "imagepull": {
        "phase": "Pending",
        "containerStatuses": [
            {
                "name": "eidos",
                "state": {
                    "waiting": {
                        "reason": "ImagePullBackOff",
                        "message": 'Back-off pulling image "x"',
                    }
                },
            }
        ],
    },
    "running": {"phase": "Running"},
    "succeeded": {
        "phase": "Succeeded",
        "containerStatuses": [
            {"name": "eidos", "state": {"terminated": {"reason": "Completed", "exitCode": 0}}}
        ],
    },
    "failed": {
        "phase": "Failed",
        "containerStatuses": [
            {"name": "eidos", "state": {"terminated": {"reason": "Error", "exitCode": 4}}}
        ],
    },
}


def script_job(
    emulator: KubeEmulator, states: list[str], *, snapshot: str | None = None, log: str = ""
) -> None:
    """Act as the Job controller and the agent: each read of a Job moves it one state on.

    On ``succeeded`` the snapshot is stored in the ConfigMap named by the Job's
    ``--output cm://ns/name`` argument, as the real agent would.
    """
    remaining = list(states)

    def pod_of(job: Obj) -> Obj:
        meta = job["metadata"]
        name = f"{meta['name']}-x7k2p"
        pod = emulator.get("v1", "pods", name, meta["namespace"])
        if pod is None:
            pod = emulator.put(
                "v1",
                "pods",
                {
                    "metadata": {
                        "name": name,
                        "namespace": meta["namespace"],
                        "labels": {"job-name": meta["name"]},
                    },
                    "spec": {"nodeName": "gpu-node-1"},
                },
            )
        return pod

    def advance(emu: KubeEmulator, job: Obj) -> None:
        if not remaining:
            return
        state = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        pod = pod_of(job)
        pod["status"] = json.loads(json.dumps(_POD_STATES[state]))
        emu.logs[(job["metadata"]["namespace"], pod["metadata"]["name"])] = log
        if state == "succeeded":
            job["status"] = {"succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]}
            if snapshot is not None:
                write_agent_snapshot(
                    emu,
                    job,
                    {
                        "snapshot.yaml": snapshot,
                        "format": "yaml",
                        "timestamp": "2026-01-02T18:01:13Z",
                    },
                )
        elif state == "failed":
            job["status"] = {
                "failed": 1,
                "conditions": [
                    {
                        "type": "Failed",
                        "status": "True",
                        "reason": "BackoffLimitExceeded",
                        "message": "Job has reached the specified backoff limit",
                    }
                ],
            }

    emulator.on_create["jobs"] = lambda emu, job: pod_of(job)
    emulator.on_get["jobs"] = advance


def write_agent_snapshot(emu: KubeEmulator, job: Obj, data: dict[str, str]) -> None:
    """Write what the agent of ``job`` writes: its snapshot ConfigMap (from ``--output``)."""
    args = job["spec"]["template"]["spec"]["containers"][0]["args"]
    ns, name = args[args.index("--output") + 1][len("cm://") :].split("/")
    labels = {"app.kubernetes.io/name": "eidos", "app.kubernetes.io/component": "snapshot"}
    emu.put(
        "v1",
        "configmaps",
        {"metadata": {"name": name, "namespace": ns, "labels": labels}, "data": data},
    )
