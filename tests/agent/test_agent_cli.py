"""`eidos snapshot --deploy-agent` as a real process: output, options, signals, clean-up."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from eidos.agent import new_run, render_manifests
from kube_cluster import ClusterSim

H100 = Path(__file__).parents[1] / "fixtures" / "reference" / "snapshots" / "h100.yaml"
RUN_KINDS = {"serviceaccounts", "roles", "rolebindings", "clusterroles", "clusterrolebindings"}
RUN_KINDS |= {"jobs", "configmaps"}


def left(emulator) -> list[tuple[str, str]]:
    return sorted((k[1], k[3]) for k in emulator.objects if k[1] in RUN_KINDS | {"namespaces"})


@pytest.fixture
def sim(kube_emulator):
    sim = ClusterSim(kube_emulator, snapshot=H100.read_text()).install()
    sim.steps_per_read = 10
    return sim


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "NODE_NAME")}


def _cli(*args: str, kubeconfig: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eidos", "snapshot", "--kubeconfig", str(kubeconfig), *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )


def test_deploy_agent_writes_the_snapshot_where_o_says(kube_emulator, sim, tmp_path):
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
        "--timeout",
        "2m",
        kubeconfig=kc,
    )
    assert done.returncode == 0, done.stderr
    doc = yaml.safe_load(out.read_text())
    assert doc["kind"] == "Snapshot"
    assert doc["metadata"]["source-node"] == "ip-10-0-158-18.ec2.internal"
    assert "cleaned up" in done.stderr and done.stdout == ""
    assert left(kube_emulator) == [("namespaces", "eidos")]
    posts = [p for m, p, _ in kube_emulator.requests if m == "POST" and p.endswith("/jobs")]
    assert len(posts) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--namespace", "x"], "--namespace needs --deploy-agent"),
        (["--keep"], "--keep needs --deploy-agent"),
        (["--cleanup-only"], "--cleanup-only needs --deploy-agent"),
        (["--deploy-agent", "--collectors", "os"], "--collectors cannot be combined with"),
        (["--deploy-agent", "--proc-root", "/proc"], "--proc-root cannot be combined with"),
        (["--deploy-agent", "--toleration", "a:Never"], "invalid --toleration"),
        (["--deploy-agent", "--namespace", "Bad"], "invalid --namespace"),
        (["--deploy-agent", "--timeout", "5 min"], "--timeout must be a duration"),
    ],
)
def test_option_mistakes_exit_2(args, message, tmp_path):
    done = _cli(*args, kubeconfig=tmp_path / "absent")
    assert done.returncode == 2, done.stderr
    assert message in done.stderr


def test_deploy_agent_without_a_cluster_exits_4(tmp_path):
    env = _env()
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


def _job_appears(emulator, proc: subprocess.Popen[str]) -> None:
    until = time.monotonic() + 30
    while not any(k[1] == "pods" for k in emulator.objects):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < until, "the agent Job never appeared"
        time.sleep(0.05)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_sigterm_and_sighup_clean_up_like_ctrl_c(kube_emulator, sim, tmp_path, signum, code):
    sim.run_ticks = 10**6  # the agent never finishes
    sim.steps_per_read = 1
    kc = kube_emulator.write_kubeconfig(tmp_path / "kc")
    proc = subprocess.Popen(
        [sys.executable, "-m", "eidos", "snapshot", "--kubeconfig", str(kc), "--deploy-agent"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    _job_appears(kube_emulator, proc)
    assert len(left(kube_emulator)) == 7  # namespace + 6 objects of the run
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert "cleaned up" in err and f"terminated by {signal.Signals(signum).name}" in err
    assert left(kube_emulator) == [("namespaces", "eidos")]


def _leftover_run(emulator, *, expires: str) -> str:
    """The objects of a run killed with SIGKILL (nothing could clean them up)."""
    opts = dataclasses.replace(new_run(60.0), expires=expires)
    plurals = {
        "Namespace": ("v1", "namespaces"),
        "ServiceAccount": ("v1", "serviceaccounts"),
        "Role": ("rbac.authorization.k8s.io/v1", "roles"),
        "RoleBinding": ("rbac.authorization.k8s.io/v1", "rolebindings"),
        "ClusterRole": ("rbac.authorization.k8s.io/v1", "clusterroles"),
        "ClusterRoleBinding": ("rbac.authorization.k8s.io/v1", "clusterrolebindings"),
        "Job": ("batch/v1", "jobs"),
    }
    for obj in render_manifests(opts):
        if emulator.get(*plurals[obj["kind"]], obj["metadata"]["name"]) is None:
            emulator.put(*plurals[obj["kind"]], obj)
    emulator.put(
        "v1",
        "configmaps",
        {
            "metadata": {
                "name": opts.configmap,
                "namespace": "eidos",
                "labels": {"app.kubernetes.io/name": "eidos"},
            },
            "data": {"snapshot.yaml": "x"},
        },
    )
    return opts.name


def test_cleanup_only_removes_expired_runs_and_leaves_live_ones(kube_emulator, sim, tmp_path):
    kc = kube_emulator.write_kubeconfig(tmp_path / "kc")
    dead = _leftover_run(kube_emulator, expires="2020-01-01T00:00:00Z")
    live = _leftover_run(kube_emulator, expires="2999-01-01T00:00:00Z")
    done = _cli("--deploy-agent", "--cleanup-only", kubeconfig=kc)
    assert done.returncode == 0, done.stderr
    assert f"removed run {dead} (6 objects)" in done.stderr
    assert f"left run {live} (may still be running; expires 2999-01-01T00:00:00Z)" in done.stderr
    names = {name for _, name in left(kube_emulator)}
    assert not {dead, f"{dead}-snapshot"} & names
    assert {live, f"{live}-snapshot", "eidos"} <= names


def test_cleanup_only_removes_the_namespace_once_nothing_is_left(kube_emulator, sim, tmp_path):
    kc = kube_emulator.write_kubeconfig(tmp_path / "kc")
    _leftover_run(kube_emulator, expires="2020-01-01T00:00:00Z")
    done = _cli("--deploy-agent", "--cleanup-only", kubeconfig=kc)
    assert done.returncode == 0, done.stderr
    assert "removed namespace eidos" in done.stderr
    assert left(kube_emulator) in ([], [("namespaces", "eidos")])  # terminating, then gone
    assert "eidos" in sim.terminating or left(kube_emulator) == []


def test_in_process_run_then_cleanup_only(kube_emulator, sim, tmp_path, capsys):
    from eidos.cli import main

    kc = kube_emulator.write_kubeconfig(tmp_path / "kc")
    out = tmp_path / "snap.yaml"
    assert main(["snapshot", "--kubeconfig", str(kc), "--deploy-agent", "-o", str(out)]) == 0
    assert yaml.safe_load(out.read_text())["kind"] == "Snapshot"
    assert "cleaned up" in capsys.readouterr().err
    assert left(kube_emulator) == [("namespaces", "eidos")]
    assert main(["snapshot", "--kubeconfig", str(kc), "--deploy-agent", "--cleanup-only"]) == 0
    assert "removed namespace eidos" in capsys.readouterr().err
    sim.terminating.clear()
    kube_emulator.objects.clear()
    assert main(["snapshot", "--kubeconfig", str(kc), "--deploy-agent", "--cleanup-only"]) == 0
    assert "nothing to clean up in namespace eidos" in capsys.readouterr().err


def test_sigterm_inside_the_block_is_an_exception_and_the_handler_comes_back():
    from eidos.cli.app import Terminated, terminate_on_signals

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated) as info, terminate_on_signals():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    assert info.value.signum == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is before
