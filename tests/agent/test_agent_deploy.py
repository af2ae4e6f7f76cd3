"""`snapshot --deploy-agent` against a simulated cluster: success, trouble, namespaces, mounts."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import kubernetes_validate
import pytest

from eidos.agent import AgentOptions, deploy_agent, new_run
from eidos.errors import (
    CollectorError,
    DeadlineExceededError,
    InvalidRequestError,
    UnauthorizedError,
    UnavailableError,
)
from eidos.kube import Action, Kube, create_object
from kube_cluster import ClusterSim, SimNode, gpu_node

H100 = Path(__file__).parents[1] / "fixtures" / "reference" / "snapshots" / "h100.yaml"
KINDS = {
    "namespaces",
    "serviceaccounts",
    "roles",
    "rolebindings",
    "clusterroles",
    "clusterrolebindings",
    "jobs",
    "configmaps",
}


def ours(emulator) -> list[tuple[str, str]]:
    return sorted((k[1], k[3]) for k in emulator.objects if k[1] in KINDS)


@pytest.fixture
def client(emulator_settings):
    with Kube(emulator_settings) as kube:
        yield kube


@pytest.fixture
def sim(kube_emulator):
    return ClusterSim(kube_emulator, snapshot=H100.read_text()).install()


def _run(client, opts=None, lines=None, *, timeout=5.0, **kw):
    lines = [] if lines is None else lines
    opts = opts or new_run(timeout)
    kw.setdefault("sleep", lambda _: None)
    kw.setdefault("progress", lines.append)
    text = deploy_agent(client, opts, timeout=timeout, poll=0.0, **kw)
    return text, lines


def test_success_returns_the_snapshot_and_leaves_only_the_shared_namespace(
    kube_emulator, sim, client
):
    text, lines = _run(client)
    assert text == H100.read_text()
    assert ours(kube_emulator) == [("namespaces", "eidos")]
    assert lines[0] == "created namespace eidos"
    assert "agent Job eidos/eidos-agent-" in lines[1]
    assert any("Running on node gpu-node-1" in line for line in lines)
    assert lines[-1].startswith("cleaned up")


def test_a_node_without_dbus_still_gives_a_snapshot(kube_emulator, client):
    node = gpu_node()
    del node.paths["/run/dbus"], node.paths["/run/dbus/system_bus_socket"]
    ClusterSim(kube_emulator, nodes=[node], snapshot=H100.read_text()).install()
    text, _ = _run(client)
    assert text == H100.read_text()
    assert node.paths["/run/dbus"] == "Directory"  # the kubelet made the empty directory


def test_each_run_has_its_own_objects_and_an_expiry(kube_emulator, sim, client):
    first, second = new_run(5.0), new_run(5.0)
    assert first.name != second.name and first.configmap == f"{first.name}-snapshot"
    assert first.deadline >= 5.0 + 60 and first.expires
    _, lines = _run(client, first, keep=True)
    job = kube_emulator.get("batch/v1", "jobs", first.name, "eidos")
    assert job["spec"]["activeDeadlineSeconds"] == 65
    assert job["metadata"]["annotations"]["eidos.dgxc.io/expires"] == first.expires
    assert job["metadata"]["labels"]["app.kubernetes.io/instance"] == first.name
    assert "--cleanup-only --namespace eidos" in lines[-1]
    for (_, plural, _, _), obj in kube_emulator.objects.items():
        if plural in KINDS:
            kubernetes_validate.validate(obj, "1.33", strict=True)


def test_a_run_started_during_another_one_never_loses_its_namespace(kube_emulator, sim, client):
    inner: list[str] = []
    outer: list[str] = []

    def progress(line: str) -> None:
        outer.append(line)
        if "agent Job" in line and not inner:  # the first run is under way: start another
            _run(client, lines=inner)

    text, _ = _run(client, progress=progress)
    assert text == H100.read_text()
    assert inner[0].startswith("agent Job")  # the second run found the namespace there
    assert outer[-1].startswith("cleaned up") and inner[-1].startswith("cleaned up")
    assert ours(kube_emulator) == [("namespaces", "eidos")]


def test_concurrent_runs_in_threads_all_succeed(kube_emulator, sim, emulator_settings):
    results: list[str] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            with Kube(emulator_settings) as kube:
                results.append(_run(kube)[0])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and results == [H100.read_text()] * 4
    assert ours(kube_emulator) == [("namespaces", "eidos")]


def test_a_namespace_being_deleted_is_waited_for_and_made_again(kube_emulator, sim, client):
    _run(client)
    sim.linger = 3
    client.request("DELETE", "/api/v1/namespaces/eidos", action=Action("delete", "namespaces"))
    text, lines = _run(client)
    assert text == H100.read_text()
    assert "namespace eidos is being deleted; waiting until it is gone" in lines
    assert "created namespace eidos" in lines


def test_writing_into_a_terminating_namespace_says_so_not_rbac(kube_emulator, sim, client):
    kube_emulator.put("v1", "namespaces", {"metadata": {"name": "eidos"}})
    sim.terminating["eidos"] = 99
    sa = {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": "x", "namespace": "eidos"},
    }
    with pytest.raises(UnavailableError, match="namespace eidos is being deleted") as info:
        create_object(client, sa)
    assert "auth can-i" not in info.value.message
    assert info.value.details["reason"] == "NamespaceTerminating"


def test_a_namespace_that_stays_terminating_fails_after_the_timeout(kube_emulator, sim, client):
    kube_emulator.put(
        "v1", "namespaces", {"metadata": {"name": "eidos"}, "status": {"phase": "Terminating"}}
    )
    with pytest.raises(UnavailableError, match=r"is being deleted .* and is still there"):
        _run(client, timeout=0.0)


@pytest.mark.parametrize(
    ("nodes", "fix"),
    [
        ([SimNode("cpu-1")], "label one (kubectl label node NAME nvidia.com/gpu.present=true)"),
        (
            [gpu_node(taints=[{"key": "dedicated", "value": "ml", "effect": "NoSchedule"}])],
            "add --toleration KEY[=VALUE]:EFFECT",
        ),
    ],
    ids=["no-gpu-label", "untolerated-taint"],
)
def test_unschedulable_fails_at_once_with_the_fix(kube_emulator, client, nodes, fix):
    ClusterSim(kube_emulator, nodes=nodes).install()
    with pytest.raises(CollectorError, match="cannot succeed: Unschedulable: 0/1 nodes") as info:
        _run(client, timeout=300.0)
    assert fix in info.value.message
    assert kube_emulator.count("GET", "/apis/batch/v1/namespaces/eidos/jobs/") <= 2
    assert ours(kube_emulator) == [("namespaces", "eidos")]


def test_unschedulable_while_a_node_is_added_keeps_waiting(kube_emulator, client):
    sim = ClusterSim(kube_emulator, nodes=[SimNode("cpu-1")]).install()
    sim.scaling_up = True
    with pytest.raises(DeadlineExceededError, match="a node is being added"):
        _run(client, timeout=0.2, sleep=time.sleep)


def test_a_wrong_node_name_says_so(kube_emulator, sim, client):
    opts = new_run(5.0, node="gpu-node-9")
    with pytest.raises(CollectorError, match="Node gpu-node-9 is not there or not ready"):
        _run(client, opts)


def test_an_image_that_cannot_be_pulled_fails_at_once_with_cause_and_image_hint(
    kube_emulator, client
):
    ClusterSim(kube_emulator, registry={"ghcr.io/nvidia/eidos:v0.1.0"}).install()
    opts = new_run(300.0, image="registry.local/eidos:dev")
    with pytest.raises(CollectorError) as info:
        _run(client, opts, timeout=300.0)
    message = info.value.message
    assert 'ErrImagePull: Failed to pull image "registry.local/eidos:dev"' in message
    assert "registry.local/eidos:dev: not found" in message
    assert "pass --image (or set EIDOS_AGENT_IMAGE)" in message
    assert kube_emulator.count("GET", "/apis/batch/v1/namespaces/eidos/jobs/") <= 4


def test_a_host_directory_that_cannot_be_mounted_fails_at_once(kube_emulator, client):
    node = gpu_node()
    del node.paths["/usr/lib"]
    ClusterSim(kube_emulator, nodes=[node]).install()
    with pytest.raises(
        CollectorError, match=r'FailedMount: MountVolume.SetUp failed for volume "host-usr-lib"'
    ):
        _run(client, timeout=300.0)


def test_a_container_that_cannot_be_created_fails_at_once(kube_emulator, sim, client):
    sim.create_error = 'failed to create containerd task: "nvidia-container-cli": exit 1'
    opts = new_run(300.0, runtime_class="nvidia")
    with pytest.raises(CollectorError, match="CreateContainerError: failed to create") as info:
        _run(client, opts, timeout=300.0)
    assert "check that RuntimeClass nvidia exists" in info.value.message


def test_a_failed_agent_shows_its_log_and_still_cleans_up(kube_emulator, sim, client):
    sim.exit_code = 1
    sim.log = "Error: collector 'gpu' failed: nvidia-smi crashed\n"
    lines: list[str] = []
    with pytest.raises(CollectorError, match="BackoffLimitExceeded"):
        _run(client, lines=lines)
    assert any("nvidia-smi crashed" in line and "last log lines" in line for line in lines)
    assert ours(kube_emulator) == [("namespaces", "eidos")]


def test_a_snapshot_written_before_the_deadline_is_used(kube_emulator, sim, client):
    sim.fail_after_write = "DeadlineExceeded"
    text, _ = _run(client)
    assert text == H100.read_text()


def test_the_wait_stops_at_the_timeout_and_cleans_up(kube_emulator, sim, client):
    sim.run_ticks = 10**6
    with pytest.raises(DeadlineExceededError, match=r"did not finish within 0\.1s"):
        _run(client, timeout=0.1, sleep=time.sleep)
    assert ours(kube_emulator) == [("namespaces", "eidos")]


@pytest.mark.parametrize(
    ("git", "recursive"), [("v1.29.10", False), ("v1.30.2", True), ("v1.33.5-eks-3025e55", True)]
)
def test_recursive_read_only_mounts_follow_the_server_version(
    kube_emulator, sim, client, git, recursive, capsys
):
    from eidos import logging as elog

    elog.configure("warning")
    kube_emulator.version["gitVersion"] = git
    opts = new_run(5.0)
    _run(client, opts, keep=True)
    job = kube_emulator.get("batch/v1", "jobs", opts.name, "eidos")
    mounts = job["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]
    host = [m for m in mounts if m["mountPath"].startswith("/host/")]
    assert len(host) == 3 and all(m["readOnly"] for m in host)
    assert all(("recursiveReadOnly" in m) is recursive for m in host)
    assert (
        "cannot make the agent's host mounts recursively read-only" in capsys.readouterr().err
    ) is not recursive


def test_a_server_that_drops_recursive_read_only_is_reported(kube_emulator, sim, client, capsys):
    from eidos import logging as elog

    elog.configure("warning")

    def strip(emu, job):
        for mount in job["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]:
            mount.pop("recursiveReadOnly", None)
        sim._job_created(emu, job)

    kube_emulator.on_create["jobs"] = strip
    _run(client)
    assert "dropped recursiveReadOnly" in capsys.readouterr().err


def test_forbidden_rbac_creation_names_the_permission(kube_emulator, sim, client):
    kube_emulator.forbid("create", "clusterroles")
    with pytest.raises(
        UnauthorizedError,
        match=r"kubectl auth can-i create clusterroles.rbac.authorization.k8s.io",
    ):
        _run(client)
    assert ours(kube_emulator) == [("namespaces", "eidos")]


def test_a_foreign_object_with_the_same_name_is_not_taken_over(kube_emulator, sim, client):
    opts = new_run(5.0)
    kube_emulator.put(
        "rbac.authorization.k8s.io/v1", "clusterroles", {"metadata": {"name": opts.name}}
    )
    with pytest.raises(InvalidRequestError, match=f"ClusterRole {opts.name} already exists"):
        _run(client, opts)
    assert ("clusterroles", opts.name) in ours(kube_emulator)


def test_an_existing_namespace_is_used_and_kept(kube_emulator, sim, client):
    kube_emulator.put("v1", "namespaces", {"metadata": {"name": "gpu-operator"}})
    opts = AgentOptions(namespace="gpu-operator", name="eidos-agent-t2", configmap="t2-snap")
    _run(client, opts)
    assert ours(kube_emulator) == [("namespaces", "gpu-operator")]
