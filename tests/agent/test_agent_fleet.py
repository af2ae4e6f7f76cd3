"""A fleet run against a simulated cluster: every node, failing nodes, 429s, bounds, clean-up.

The run's clock is virtual (sleeping advances it), so pacing and per-node timeouts cost
no real time; the API client's own waits (Retry-After) are real, as the emulator's
throttle is.
"""

from __future__ import annotations

import json
from pathlib import Path

import kubernetes_validate
import pytest

from eidos.agent import AgentOptions, new_run
from eidos.agent.fleet import deploy_fleet
from eidos.agent.hints import explain
from eidos.agent.nodes import FleetSettings, job_name, select_nodes
from eidos.errors import UnauthorizedError
from eidos.kube import Kube, KubeSettings
from kube_cluster import ClusterSim, SimNode, gpu_node

H100 = Path(__file__).parents[1] / "fixtures" / "reference" / "snapshots" / "h100.yaml"
RUN_KINDS = {"serviceaccounts", "roles", "rolebindings", "clusterroles", "clusterrolebindings"}
RUN_KINDS |= {"jobs", "configmaps", "pods"}


class VirtualTime:
    """A clock that only moves when the run sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(seconds, 0.0)


def left(emulator) -> list[tuple[str, str]]:
    return sorted((k[1], k[3]) for k in emulator.objects if k[1] in RUN_KINDS)


def fleet_sim(emulator, count: int, **node_options) -> ClusterSim:
    nodes = [gpu_node(f"gpu-{i:03d}.example.internal", **node_options) for i in range(count)]
    sim = ClusterSim(emulator, nodes=nodes, snapshot=H100.read_text()).install()
    sim.steps_per_read = 10
    return sim


@pytest.fixture
def client(emulator_settings):
    with Kube(emulator_settings) as kube:
        yield kube


def run_fleet(client, nodes, *, settings=None, timeout=60.0, events=None, **kw):
    time_ = kw.pop("time", None) or VirtualTime()
    got: dict[str, object] = {}
    result = deploy_fleet(
        client,
        new_run(timeout, snapshot_format="json", image="registry.local/eidos:dev"),
        nodes,
        timeout=timeout,
        collect=lambda node, snap: got.__setitem__(node, snap),
        settings=settings or FleetSettings(rate=1000.0, burst=1000, poll=1.0),
        progress=events.append if events is not None else None,
        clock=time_.clock,
        sleep=time_.sleep,
        **kw,
    )
    return result, got


def test_sixty_nodes_each_give_their_own_snapshot_and_nothing_is_left(kube_emulator, client):
    fleet_sim(kube_emulator, 60)
    nodes, left_out = select_nodes(client, {})
    assert len(nodes) == 60 and left_out == {}
    events: list = []
    result, got = run_fleet(client, nodes, events=events)
    assert result.failures == {} and result.error is None
    assert sorted(result.collected) == nodes == sorted(got)
    for node, snapshot in got.items():
        assert snapshot.header.metadata["source-node"] == node
        assert [m.type for m in snapshot.measurements] == ["SystemD", "OS", "K8s", "GPU"]
    assert left(kube_emulator) == []  # Jobs, pods, ConfigMaps, RBAC: all gone
    assert events[-1].done == 60 and events[-1].failed == 0
    assert kube_emulator.count("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces") == 2
    # Looking at 60 Jobs costs two lists per look, not requests per Job.
    job_gets = [p for m, p, _ in kube_emulator.requests if m == "GET" and "/jobs/" in p]
    assert job_gets == []


def test_the_role_names_every_configmap_of_the_run_and_nothing_else(kube_emulator, client):
    fleet_sim(kube_emulator, 3)
    seen: list[dict] = []
    kube_emulator.on_create["roles"] = lambda emu, role: seen.append(role)
    nodes, _ = select_nodes(client, {})
    result, _ = run_fleet(client, nodes)
    assert len(result.collected) == 3
    (role,) = seen
    rules = {tuple(r["verbs"]): r for r in role["rules"]}
    names = rules[("get", "update")]["resourceNames"]
    assert len(names) == 3 and all(n.endswith("-snapshot") for n in names)
    assert "resourceNames" not in rules[("create",)]  # Kubernetes cannot limit create by name


def test_failing_nodes_fail_fast_and_the_others_are_collected(kube_emulator, client):
    sim = fleet_sim(kube_emulator, 8)
    sim.nodes[1].taints = [{"key": "maintenance", "value": "yes", "effect": "NoSchedule"}]
    sim.nodes[4].images = set()  # cannot pull the agent image
    sim.nodes.append(gpu_node("gpu-cordoned", cordoned=True))
    sim.nodes.append(gpu_node("gpu-notready", ready=False))
    sim.nodes.append(SimNode("cpu-node"))  # not a GPU node: not part of the fleet
    sim.publish_nodes()
    nodes, left_out = select_nodes(client, {})
    assert "cpu-node" not in nodes and "cpu-node" not in left_out
    assert "cordoned" in left_out["gpu-cordoned"] and "not Ready" in left_out["gpu-notready"]
    time_ = VirtualTime()
    result, got = run_fleet(client, nodes, time=time_, timeout=300.0)
    bad = {"gpu-001.example.internal", "gpu-004.example.internal"}
    assert set(result.failures) == bad
    assert sorted(got) == sorted(set(nodes) - bad)
    taint = result.failures["gpu-001.example.internal"]
    assert "untolerated taint {maintenance: yes}" in taint and "--toleration" in taint
    pull = result.failures["gpu-004.example.internal"]
    assert "ErrImagePull" in pull and "--image" in pull
    assert time_.now - 1000.0 < 30  # seconds of (virtual) waiting, not the 300 s timeout
    assert left(kube_emulator) == []


def test_a_node_that_never_finishes_times_out_alone(kube_emulator, client):
    sim = fleet_sim(kube_emulator, 4)
    slow = "gpu-002.example.internal"
    original = sim._tick

    def tick(emu, job):
        annotations = job["metadata"].get("annotations") or {}
        if annotations.get("eidos.dgxc.io/node") != slow:
            original(emu, job)

    kube_emulator.on_get["jobs"] = tick
    result, got = run_fleet(client, [n.name for n in sim.nodes], timeout=90.0)
    assert set(result.failures) == {slow}
    assert "did not finish within 90s" in result.failures[slow]
    assert len(got) == 3 and left(kube_emulator) == []


def test_at_most_parallel_jobs_exist_and_they_are_created_at_a_bounded_rate(kube_emulator, client):
    sim = fleet_sim(kube_emulator, 50)
    sim.steps_per_read = 1  # each Job takes several looks
    time_ = VirtualTime()
    concurrent: list[int] = []
    created_at: list[float] = []
    job_created = kube_emulator.on_create["jobs"]

    def count(emu, job):
        concurrent.append(sum(1 for k in emu.objects if k[1] == "jobs"))
        created_at.append(time_.now)
        job_created(emu, job)

    kube_emulator.on_create["jobs"] = count
    settings = FleetSettings(parallel=7, rate=5.0, burst=3, poll=0.5)
    result, got = run_fleet(client, [n.name for n in sim.nodes], settings=settings, time=time_)
    assert len(got) == 50 and not result.failures
    assert max(concurrent) == 7  # the bound is reached and never passed
    for i, start in enumerate(created_at):  # token bucket: burst + rate x window
        for j in range(i, len(created_at)):
            assert j - i + 1 <= 3 + 5.0 * (created_at[j] - start) + 1e-6


def test_429_storms_are_waited_out_as_the_server_says(kube_emulator, emulator_settings):
    fleet_sim(kube_emulator, 12)
    settings = KubeSettings(kubeconfig=emulator_settings.kubeconfig, timeout=5.0)
    # slower than any client, however loaded the machine: 429s are certain
    kube_emulator.throttle(20.0, burst=1, retry_after="0.05")
    # and a storm of 429s on Job creation, longer than the circuit breaker's threshold
    kube_emulator.fail("POST", r"/jobs$", 429, times=8, headers={"Retry-After": "0.01"})
    with Kube(settings) as client:
        nodes, _ = select_nodes(client, {})
        result, got = run_fleet(client, nodes)
    assert len(got) == 12 and not result.failures and result.error is None
    assert kube_emulator.throttled > 0
    assert kube_emulator.early == 0  # never came back before Retry-After had passed
    assert left(kube_emulator) == []


def test_every_node_failing_stops_the_run_early(kube_emulator, client):
    fleet_sim(kube_emulator, 40, images=set())
    settings = FleetSettings(parallel=5, rate=1000.0, burst=1000, poll=1.0)
    result, got = run_fleet(
        client, [f"gpu-{i:03d}.example.internal" for i in range(40)], settings=settings
    )
    assert got == {} and len(result.failures) == 40
    posts = [p for m, p, _ in kube_emulator.requests if m == "POST" and p.endswith("/jobs")]
    assert len(posts) == 5  # the first five failed: the other 35 were never started
    assert sum("not started: the first 5 nodes all failed" in r for r in result.failures.values())
    assert left(kube_emulator) == []


def test_losing_permission_mid_run_keeps_what_was_collected(kube_emulator, client):
    sim = fleet_sim(kube_emulator, 10)
    posts = 0
    job_created = kube_emulator.on_create["jobs"]

    def forbid_after_four(emu, job):
        nonlocal posts
        posts += 1
        job_created(emu, job)
        if posts == 4:
            emu.forbid("create", "jobs")

    kube_emulator.on_create["jobs"] = forbid_after_four
    settings = FleetSettings(parallel=2, rate=1000.0, burst=1000, poll=1.0)
    result, got = run_fleet(client, [n.name for n in sim.nodes], settings=settings)
    assert isinstance(result.error, UnauthorizedError)
    assert len(got) == 4 and len(result.failures) == 6
    assert all("the run stopped" in why for why in result.failures.values())
    assert left(kube_emulator) == []


@pytest.mark.parametrize("version", ["1.29", "1.33"])
def test_keep_leaves_every_object_valid_and_says_how_to_remove_them(kube_emulator, client, version):
    fleet_sim(kube_emulator, 3)
    events: list = []
    _, got = run_fleet(
        client, [f"gpu-{i:03d}.example.internal" for i in range(3)], keep=True, events=events
    )
    assert len(got) == 3
    kinds = {kind for kind, _ in left(kube_emulator)}
    assert {"jobs", "configmaps", "roles", "clusterroles"} <= kinds
    assert "kept the agent objects" in events[-1].text
    assert "| xargs kubectl -n eidos delete" in events[-1].text  # this run's ConfigMaps only
    for (_, plural, _, _), obj in kube_emulator.objects.items():
        if plural in RUN_KINDS - {"pods", "configmaps"}:
            if version == "1.29":  # no recursiveReadOnly there: the server is 1.33 here
                obj = json.loads(json.dumps(obj).replace(', "recursiveReadOnly": "IfPossible"', ""))
            kubernetes_validate.validate(obj, version, strict=True)
    job = next(o for k, o in kube_emulator.objects.items() if k[1] == "jobs")
    node = job["metadata"]["annotations"]["eidos.dgxc.io/node"]
    terms = job["spec"]["template"]["spec"]["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"
    ]["nodeSelectorTerms"]
    pin = {"key": "metadata.name", "operator": "In", "values": [node]}
    assert terms == [{"matchFields": [pin]}]


def test_a_pinned_agent_blames_its_nodes_taint_not_the_other_nodes():
    opts = AgentOptions(node="gpu-1")
    taint = (
        "0/3 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 1 "
        "node(s) had untolerated taint {x: y}."
    )
    assert "--toleration" in explain("unschedulable", taint, opts)
    gone = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."
    assert "Node gpu-1 is not there or not ready" in explain("unschedulable", gone, opts)


def test_a_bad_or_foreign_snapshot_fails_only_its_node(kube_emulator, client):
    sim = fleet_sim(kube_emulator, 4)
    write = sim._write_snapshot

    def agent(job, node):
        write(job, node)
        args = job["spec"]["template"]["spec"]["containers"][0]["args"]
        name = args[args.index("--output") + 1].rsplit("/", 1)[1]
        cm = kube_emulator.get("v1", "configmaps", name, "eidos")
        if node.startswith("gpu-001"):
            cm["data"]["snapshot.json"] = '{"kind": "Recipe"}'
        elif node.startswith("gpu-002"):
            cm["data"]["snapshot.json"] = cm["data"]["snapshot.json"].replace(node, "elsewhere")

    sim._write_snapshot = agent  # type: ignore[method-assign]
    result, got = run_fleet(client, [n.name for n in sim.nodes])
    assert sorted(got) == ["gpu-000.example.internal", "gpu-003.example.internal"]
    assert (
        "the agent wrote no valid snapshot: not a Snapshot document"
        in (result.failures["gpu-001.example.internal"])
    )
    assert (
        "the agent on node gpu-002.example.internal says it ran on elsewhere"
        in (result.failures["gpu-002.example.internal"])
    )
    assert left(kube_emulator) == []


def test_a_job_someone_else_deleted_fails_its_node(kube_emulator, client):
    sim = fleet_sim(kube_emulator, 2)
    sim.steps_per_read = 1
    created = kube_emulator.on_create["jobs"]

    def delete_the_first(emu, job):
        created(emu, job)
        if job["metadata"]["annotations"]["eidos.dgxc.io/node"].startswith("gpu-000"):
            emu._store(("batch/v1", "jobs", "eidos", job["metadata"]["name"]), None)

    kube_emulator.on_create["jobs"] = delete_the_first
    result, got = run_fleet(client, [n.name for n in sim.nodes])
    assert list(got) == ["gpu-001.example.internal"]
    assert "its Job disappeared" in result.failures["gpu-000.example.internal"]


def test_a_job_name_taken_by_someone_else_is_never_deleted(kube_emulator, client):
    sim = fleet_sim(kube_emulator, 2)
    opts = new_run(60.0, snapshot_format="json")
    taken = job_name(opts.name, sim.nodes[0].name)
    kube_emulator.put(
        "batch/v1", "jobs", {"metadata": {"name": taken, "namespace": "eidos"}, "spec": {}}
    )
    result = deploy_fleet(
        client,
        opts,
        [n.name for n in sim.nodes],
        timeout=60.0,
        collect=lambda node, snap: None,
        settings=FleetSettings(rate=1000.0, burst=1000, poll=1.0),
        sleep=lambda s: None,
    )
    assert "already exists and does not belong to this run" in result.error.message
    assert kube_emulator.get("batch/v1", "jobs", taken, "eidos") is not None  # still there
    assert not [k for k in kube_emulator.objects if k[1] in ("roles", "clusterroles")]
