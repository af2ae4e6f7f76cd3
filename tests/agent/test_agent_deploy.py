"""`snapshot --deploy-agent`: RBAC + Job, wait with progress, read the snapshot, clean up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from eidos.agent import AgentOptions, deploy_agent
from eidos.errors import (
    CollectorError,
    DeadlineExceededError,
    InvalidRequestError,
    UnauthorizedError,
)
from eidos.kube import Kube
from kube_emulator import script_job

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


def _run(client, opts=None, lines=None, **kw):
    lines = [] if lines is None else lines
    opts = opts or AgentOptions(
        name="eidos-agent-t1", configmap="eidos-agent-t1-snapshot", timeout=5.0
    )
    return deploy_agent(client, opts, poll=0.0, progress=lines.append, **kw), lines


def test_success_returns_the_snapshot_and_removes_everything(kube_emulator, client):
    script_job(kube_emulator, ["creating", "running", "succeeded"], snapshot=H100.read_text())
    text, lines = _run(client)
    assert text == H100.read_text()
    assert ours(kube_emulator) == []
    assert lines[0] == "created namespace eidos"
    assert "agent Job eidos/eidos-agent-t1 created" in lines[1]
    assert "pod eidos-agent-t1-x7k2p Pending: ContainerCreating" in lines
    assert lines[-1].startswith("cleaned up")


def test_keep_leaves_valid_objects_and_says_how_to_remove_them(kube_emulator, client):
    script_job(kube_emulator, ["succeeded"], snapshot=H100.read_text())
    _, lines = _run(client, keep=True)
    left = ours(kube_emulator)
    assert ("jobs", "eidos-agent-t1") in left and ("clusterroles", "eidos-agent-t1") in left
    assert ("configmaps", "eidos-agent-t1-snapshot") in left
    assert "kubectl delete namespace eidos" in lines[-1]
    for (_, plural, _, _), obj in kube_emulator.objects.items():
        if plural in KINDS:
            kubernetes_validate.validate(obj, "1.33", strict=True)


def test_an_existing_namespace_is_used_and_kept(kube_emulator, client):
    kube_emulator.put("v1", "namespaces", {"metadata": {"name": "gpu-operator"}})
    script_job(kube_emulator, ["succeeded"], snapshot="kind: Snapshot\n")
    opts = AgentOptions(
        namespace="gpu-operator",
        name="eidos-agent-t2",
        configmap="eidos-agent-t2-snapshot",
        timeout=5.0,
    )
    _run(client, opts)
    assert ours(kube_emulator) == [("namespaces", "gpu-operator")]


def test_failure_shows_the_agent_log_and_still_cleans_up(kube_emulator, client):
    script_job(
        kube_emulator,
        ["running", "failed"],
        log="Error: collector 'gpu' failed: nvidia-smi crashed\n",
    )
    lines: list[str] = []
    with pytest.raises(CollectorError, match="BackoffLimitExceeded"):
        _run(client, lines=lines)
    assert any("nvidia-smi crashed" in line and "last log lines" in line for line in lines)
    assert ours(kube_emulator) == []


def test_timeout_is_clear_and_cleans_up(kube_emulator, client):
    script_job(kube_emulator, ["unschedulable"])
    opts = AgentOptions(name="eidos-agent-t3", configmap="eidos-agent-t3-snapshot", timeout=0.0)
    with pytest.raises(DeadlineExceededError, match=r"did not finish within 0s .*Unschedulable"):
        _run(client, opts)
    assert ours(kube_emulator) == []


def test_forbidden_rbac_creation_names_the_permission(kube_emulator, client):
    kube_emulator.forbid("create", "clusterroles")
    with pytest.raises(
        UnauthorizedError,
        match=r"kubectl auth can-i create "
        r"clusterroles.rbac.authorization.k8s.io",
    ):
        _run(client)
    assert ours(kube_emulator) == []


def test_a_foreign_object_with_the_same_name_is_not_taken_over(kube_emulator, client):
    kube_emulator.put("v1", "namespaces", {"metadata": {"name": "eidos"}})
    kube_emulator.put(
        "rbac.authorization.k8s.io/v1", "clusterroles", {"metadata": {"name": "eidos-agent-t1"}}
    )
    with pytest.raises(InvalidRequestError, match="ClusterRole eidos-agent-t1 already exists"):
        _run(client)
    assert ("clusterroles", "eidos-agent-t1") in ours(kube_emulator)


def _cli(*args: str, kubeconfig: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "NODE_NAME")}
    return subprocess.run(
        [sys.executable, "-m", "eidos", "snapshot", "--kubeconfig", str(kubeconfig), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_cli_deploy_agent_writes_the_snapshot_where_o_says(kube_emulator, tmp_path):
    script_job(kube_emulator, ["succeeded"], snapshot=H100.read_text())
    kc = kube_emulator.write_kubeconfig(tmp_path / "kc")
    out = tmp_path / "snap.json"
    done = _cli(
        "--deploy-agent",
        "--image",
        "registry.local/eidos:dev",
        "-t",
        "json",
        "-o",
        str(out),
        "--toleration",
        "dedicated=gpu:NoSchedule",
        kubeconfig=kc,
    )
    assert done.returncode == 0, done.stderr
    doc = yaml.safe_load(out.read_text())
    assert doc["kind"] == "Snapshot"
    assert doc["metadata"]["source-node"] == "ip-10-0-158-18.ec2.internal"
    assert "cleaned up" in done.stderr and done.stdout == ""
    assert ours(kube_emulator) == []
    created = [q for m, p, q in kube_emulator.requests if m == "POST" and p.endswith("/jobs")]
    assert len(created) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--namespace", "x"], "--namespace needs --deploy-agent"),
        (["--keep"], "--keep needs --deploy-agent"),
        (["--deploy-agent", "--collectors", "os"], "--collectors cannot be combined with"),
        (["--deploy-agent", "--toleration", "a:Never"], "invalid --toleration"),
        (["--deploy-agent", "--namespace", "Bad"], "invalid --namespace"),
    ],
)
def test_cli_option_mistakes_exit_2(args, message, tmp_path):
    done = _cli(*args, kubeconfig=tmp_path / "absent")
    assert done.returncode == 2, done.stderr
    assert message in done.stderr


def test_cli_deploy_agent_without_a_cluster_exits_4(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG",)}
    env["HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "eidos", "snapshot", "--deploy-agent"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 4
    assert "--deploy-agent needs a cluster" in done.stderr
