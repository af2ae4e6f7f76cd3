"""`eidos snapshot` with a cluster: --kubeconfig, --context, --node and cm:// output."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

NODE = {
    "metadata": {"name": "gpu-node-1", "labels": {"nvidia.com/gpu.present": "true"}},
    "spec": {"providerID": "gce://proj/us-central1-a/gke-gpu-1"},
    "status": {"nodeInfo": {"kubeletVersion": "v1.33.5-gke.1"}},
}


def _snapshot(*args: str, env: dict[str, str] | None = None):
    base = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "NODE_NAME")}
    return subprocess.run(
        [sys.executable, "-m", "eidos", "snapshot", "--collectors", "k8s", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        timeout=60,
    )


@pytest.fixture
def kubeconfig(kube_emulator, tmp_path):
    kube_emulator.put("v1", "nodes", NODE)
    return str(kube_emulator.write_kubeconfig(tmp_path / "kc", context="gpu-cluster"))


def test_kubeconfig_context_and_node_flags(kubeconfig):
    done = _snapshot(
        "--kubeconfig", kubeconfig, "--context", "gpu-cluster", "--node", "gpu-node-1", "-t", "json"
    )
    assert done.returncode == 0, done.stderr
    (k8s,) = json.loads(done.stdout)["measurements"]
    assert k8s["type"] == "K8s"
    node = next(s for s in k8s["subtypes"] if s["subtype"] == "node")["data"]
    assert node["provider"] == "gke" and node["label.nvidia.com/gpu.present"] == "true"


def test_node_name_comes_from_the_environment(kubeconfig):
    done = _snapshot("-t", "json", env={"KUBECONFIG": kubeconfig, "NODE_NAME": "gpu-node-1"})
    assert done.returncode == 0, done.stderr
    assert '"source-node": "gpu-node-1"' in done.stdout


def test_snapshot_into_a_configmap(kube_emulator, kubeconfig):
    done = _snapshot(
        "--kubeconfig", kubeconfig, "--node", "gpu-node-1", "-o", "cm://gpu-operator/eidos-snapshot"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    cm = kube_emulator.get("v1", "configmaps", "eidos-snapshot", "gpu-operator")
    assert cm["data"]["snapshot.yaml"].startswith("kind: Snapshot")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--context", "nope"], "context 'nope' not found"),
        (["--node", "ghost"], "node 'ghost' (from --node) is not a node of this cluster"),
    ],
)
def test_cluster_mistakes_are_one_clear_line(kubeconfig, args, message):
    done = _snapshot("--kubeconfig", kubeconfig, *args)
    assert done.returncode in (2, 3)
    assert message in done.stderr and "Traceback" not in done.stderr


def test_missing_kubeconfig_file_exits_2(tmp_path):
    done = _snapshot("--kubeconfig", str(tmp_path / "none"))
    assert done.returncode == 2
    assert "no such file" in done.stderr


def test_no_cluster_is_an_empty_k8s_measurement_and_a_warning(tmp_path):
    done = _snapshot("-t", "json", env={"HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["measurements"][0] == {"type": "K8s", "subtypes": []}
    assert "no Kubernetes cluster configured" in done.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00garbage", "is not valid UTF-8 text"),
        (b"", "defines no contexts"),
    ],
)
def test_unusable_kubeconfig_files_exit_2_with_one_line(tmp_path, content, message):
    path = tmp_path / "kc"
    path.write_bytes(content)
    done = _snapshot("--kubeconfig", str(path))
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert done.stderr.count("\n") == 1


def test_a_directory_given_as_kubeconfig_is_named_as_such(tmp_path):
    done = _snapshot("--kubeconfig", str(tmp_path))
    assert done.returncode == 2
    assert f"--kubeconfig {tmp_path}: is not a file" in done.stderr
