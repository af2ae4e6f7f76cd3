"""`eidos snapshot --deploy-agent --all-nodes` as a real process: outputs, exit codes, signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eidos.agent import cleanup_runs
from eidos.kube import Kube, KubeSettings
from eidos.model import Snapshot
from eidos.model.fleet import SnapshotList
from kube_cluster import ClusterSim, gpu_node

H100 = Path(__file__).parents[1] / "fixtures" / "reference" / "snapshots" / "h100.yaml"
RUN_KINDS = {"serviceaccounts", "roles", "rolebindings", "clusterroles", "clusterrolebindings"}
RUN_KINDS |= {"jobs", "configmaps", "pods"}
NODES = [f"gpu-{i}.example.internal" for i in range(5)]


def left(emulator) -> list[tuple[str, str]]:
    return sorted((k[1], k[3]) for k in emulator.objects if k[1] in RUN_KINDS)


@pytest.fixture
def sim(kube_emulator):
    nodes = [gpu_node(name) for name in NODES]
    nodes[3].images = set()  # this node cannot pull the image
    nodes.append(gpu_node("gpu-cordoned", cordoned=True))
    sim = ClusterSim(kube_emulator, nodes=nodes, snapshot=H100.read_text()).install()
    sim.steps_per_read = 10
    return sim


@pytest.fixture
def kc(kube_emulator, tmp_path) -> Path:
    return kube_emulator.write_kubeconfig(tmp_path / "kc")


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "NODE_NAME")}


def _argv(kc: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "eidos", "snapshot", "--kubeconfig", str(kc), *args]


def _cli(kc: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _argv(kc, "--deploy-agent", "--all-nodes", *args),
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )


def test_a_directory_of_snapshots_the_failures_beside_them_and_exit_1(
    kube_emulator, sim, kc, tmp_path
):
    out = tmp_path / "fleet"
    done = _cli(kc, "-o", f"{out}/", "--image", "registry.local/eidos:dev")
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    good = [n for i, n in enumerate(NODES) if i != 3]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [".eidos-fleet", "_failures.json", *(f"{n}.json" for n in good)]
    )
    for node in good:
        snapshot = Snapshot.from_dict(json.loads((out / f"{node}.json").read_text()))
        assert snapshot.header.metadata["source-node"] == node
    failures = SnapshotList.from_dict(json.loads((out / "_failures.json").read_text()))
    assert failures.items == [] and failures.header.metadata["fleet-nodes"] == "6"
    reasons = {f.node: f.reason for f in failures.failures}
    assert set(reasons) == {NODES[3], "gpu-cordoned"}
    assert "ErrImagePull" in reasons[NODES[3]] and "--image" in reasons[NODES[3]]
    assert "kubectl uncordon gpu-cordoned" in reasons["gpu-cordoned"]
    err = done.stderr
    assert f"{NODES[3]}: FAILED: ErrImagePull" in err
    assert "snapshot collected" in err and "cleaned up" in err
    assert f"wrote 4 snapshot(s) to {out}/ (2 node(s) without one)" in err
    assert err.rstrip().endswith(
        f"Error: 2 of 6 node(s) gave no snapshot: {NODES[3]}, gpu-cordoned; the others "
        "were written (the reasons are above and in the result)"
    )
    assert left(kube_emulator) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fleet", "kc"]  # nothing staged left

    # A second run replaces the directory as a whole: a node gone is gone from it.
    sim.nodes[3].images = None
    sim.nodes[4].cordoned = True
    sim.publish_nodes()
    again = _cli(kc, "-o", str(out))
    assert again.returncode == 1, again.stderr
    names = sorted(p.name for p in out.iterdir())
    assert f"{NODES[3]}.json" in names and f"{NODES[4]}.json" not in names


def test_one_snapshotlist_document_in_a_file_or_on_stdout(kube_emulator, sim, kc, tmp_path):
    sim.nodes[3].images = None
    sim.nodes[-1].cordoned = False  # every node succeeds
    sim.nodes[-1].labels = {}  # and this one is no GPU node: not part of the fleet
    sim.publish_nodes()
    out = tmp_path / "fleet.json"
    done = _cli(kc, "-o", str(out), "--parallel", "3")
    assert done.returncode == 0, done.stderr
    fleet = SnapshotList.from_dict(json.loads(out.read_text()))
    assert [s.header.metadata["source-node"] for s in fleet.items] == NODES
    assert fleet.failures == [] and fleet.header.metadata["fleet-nodes"] == "5"
    piped = _cli(kc)
    assert piped.returncode == 0, piped.stderr
    listed = SnapshotList.from_dict(json.loads(piped.stdout))
    assert len(listed.items) == 5 and "wrote 5 snapshot(s) to standard output" in piped.stderr
    named = _cli(kc, "-o", str(tmp_path / "fleet.yaml"))  # a .yaml name: YAML
    assert named.returncode == 0, named.stderr
    assert (tmp_path / "fleet.yaml").read_text().startswith("kind: SnapshotList\n")


def test_a_directory_eidos_did_not_write_is_refused_before_any_job(
    kube_emulator, sim, kc, tmp_path
):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    done = _cli(kc, "-o", str(out))
    assert done.returncode == 3, done.stderr
    assert "not written by eidos snapshot --all-nodes" in done.stderr
    assert kube_emulator.count("POST", "/apis/batch/v1") == 0
    assert (out / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--all-nodes"], "--all-nodes needs --deploy-agent"),
        (["--deploy-agent", "--parallel", "3"], "--parallel needs --all-nodes"),
        (["--deploy-agent", "--all-nodes", "--parallel", "0"], "--parallel must be 1 or more"),
        (["--deploy-agent", "--all-nodes", "--node", "a"], "--node and --all-nodes exclude"),
        (["--deploy-agent", "--all-nodes", "-t", "table"], "-t table cannot be read back"),
        (["--deploy-agent", "--all-nodes", "--cleanup-only"], "--cleanup-only takes no"),
    ],
)
def test_option_mistakes_exit_2(args, message, tmp_path):
    done = subprocess.run(
        _argv(tmp_path / "absent", *args), capture_output=True, text=True, env=_env(), timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert message in done.stderr


def test_no_matching_node_exits_1_and_says_how_to_look(kube_emulator, sim, kc):
    done = _cli(kc, "--node-selector", "nvidia.com/gpu.product=B300")
    assert done.returncode == 1, done.stderr
    assert "no node matches --node-selector nvidia.com/gpu.product=B300" in done.stderr
    assert "kubectl get nodes --show-labels" in done.stderr
    assert kube_emulator.count("POST", "/") == 0


def _until(check, proc: subprocess.Popen[str], what: str) -> None:
    until = time.monotonic() + 30
    while not check():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < until, what
        time.sleep(0.05)


def _jobs(emulator) -> int:
    return sum(1 for k in emulator.objects if k[1] == "jobs")


def test_sigterm_mid_run_deletes_every_job_and_writes_nothing(kube_emulator, sim, kc, tmp_path):
    sim.run_ticks = 10**6  # the agents never finish
    sim.steps_per_read = 1
    out = tmp_path / "fleet"
    proc = subprocess.Popen(
        _argv(kc, "--deploy-agent", "--all-nodes", "-o", f"{out}/"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    _until(lambda: _jobs(kube_emulator) == 5, proc, "the agent Jobs never appeared")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, err
    assert "cleaned up" in err and "terminated by SIGTERM" in err
    assert left(kube_emulator) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kc"]  # no output, nothing staged


def test_cleanup_only_finds_what_a_killed_fleet_run_left(kube_emulator, sim, kc, tmp_path):
    sim.run_ticks = 10**6
    sim.steps_per_read = 1
    proc = subprocess.Popen(
        _argv(kc, "--deploy-agent", "--all-nodes", "-o", str(tmp_path / "fleet.yaml")),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    _until(lambda: _jobs(kube_emulator) == 5, proc, "the agent Jobs never appeared")
    for key in [k for k in kube_emulator.objects if k[1] == "jobs"][:2]:  # two agents wrote
        job = kube_emulator.objects[key]
        sim._write_snapshot(job, job["metadata"]["annotations"]["eidos.dgxc.io/node"])
    proc.kill()
    proc.communicate(timeout=30)
    assert len([k for k in kube_emulator.objects if k[1] == "configmaps"]) == 2
    live = _cli_cleanup(kc)
    assert "may still be running" in live.stderr and _jobs(kube_emulator) == 5
    with Kube(KubeSettings(kubeconfig=str(kc))) as client:
        report = cleanup_runs(client, "eidos", now=time.time() + 3600)
    assert len(report.removed) == 1 and report.namespace_removed
    assert left(kube_emulator) == []


def _cli_cleanup(kc: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _argv(kc, "--deploy-agent", "--cleanup-only"),
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )


def _main(kc: Path, *args: str) -> int:
    from eidos.cli import main

    return main(["snapshot", "--kubeconfig", str(kc), "--deploy-agent", "--all-nodes", *args])


def test_in_process_a_directory_then_a_configmap(kube_emulator, sim, kc, tmp_path, capsys):
    assert _main(kc, "-o", f"{tmp_path}/fleet/", "-t", "yaml") == 1
    files = sorted(p.name for p in (tmp_path / "fleet").iterdir())
    assert files == sorted(
        [".eidos-fleet", "_failures.yaml", *(f"{n}.yaml" for i, n in enumerate(NODES) if i != 3)]
    )
    assert (tmp_path / "fleet" / "_failures.yaml").read_text().startswith("kind: SnapshotList")
    assert "2 of 6 node(s) gave no snapshot" in capsys.readouterr().err
    sim.nodes[3].images = None
    assert _main(kc, "-o", "cm://eidos/fleet-result") == 1  # the cordoned node still fails
    data = kube_emulator.get("v1", "configmaps", "fleet-result", "eidos")["data"]
    fleet = SnapshotList.from_dict(json.loads(data["snapshot.json"]))
    assert len(fleet.items) == 5 and [f.node for f in fleet.failures] == ["gpu-cordoned"]


def test_in_process_when_no_node_gives_a_snapshot_nothing_is_written(
    kube_emulator, sim, kc, tmp_path, capsys
):
    for node in sim.nodes:
        node.images = set()
    out = tmp_path / "fleet.yaml"
    assert _main(kc, "-o", str(out)) == 1
    err = capsys.readouterr().err
    assert "6 of 6 node(s) gave no snapshot" in err and "nothing was written" in err
    assert not out.exists() and left(kube_emulator) == []


def test_in_process_only_unusable_nodes_create_nothing(kube_emulator, kc, tmp_path, capsys):
    nodes = [gpu_node("a", cordoned=True), gpu_node("b", ready=False)]
    ClusterSim(kube_emulator, nodes=nodes).install()
    assert _main(kc, "-o", f"{tmp_path}/fleet/") == 1
    err = capsys.readouterr().err
    assert "a: not snapshotted: the node is cordoned" in err
    assert "b: not snapshotted: the node is not Ready (NodeStatusUnknown)" in err
    assert kube_emulator.count("POST", "/") == 0 and not (tmp_path / "fleet").exists()


def test_in_process_no_gpu_node_says_how_to_label_one(kube_emulator, kc, capsys):
    ClusterSim(kube_emulator, nodes=[]).install()
    kube_emulator.put("v1", "nodes", {"metadata": {"name": "cpu-1"}})
    assert _main(kc) == 1
    assert "no node is labelled as an NVIDIA GPU node" in capsys.readouterr().err


def test_in_process_without_a_cluster_exits_4(tmp_path, monkeypatch, capsys):
    from eidos.cli import main

    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["snapshot", "--deploy-agent", "--all-nodes"]) == 4
    assert "--deploy-agent needs a cluster" in capsys.readouterr().err


@pytest.mark.parametrize(("output", "nodes"), [("fleet.json", 200), ("cm://eidos/fleet", 11)])
def test_a_list_too_large_to_read_back_is_refused_before_any_job(
    kube_emulator, kc, tmp_path, capsys, output, nodes
):
    ClusterSim(kube_emulator, nodes=[gpu_node(f"g{i}") for i in range(nodes)]).install()
    target = output if output.startswith("cm://") else str(tmp_path / output)
    assert _main(kc, "-o", target) == 2
    err = capsys.readouterr().err
    assert f"{nodes} nodes make one SnapshotList of about" in err
    assert "write a directory instead (-o DIR/)" in err
    assert kube_emulator.count("POST", "/") == 0


def test_validate_and_diff_read_what_a_fleet_run_wrote(kube_emulator, sim, kc, tmp_path, capsys):
    from eidos.cli import main

    assert _main(kc, "-o", f"{tmp_path}/fleet/") == 1  # an image pull failed, one is cordoned
    recipe = tmp_path / "recipe.yaml"
    assert main(["recipe", "--snapshot", str(H100), "-o", str(recipe)]) == 0
    report = tmp_path / "report.json"
    argv = ["validate", "--recipe", str(recipe), "--snapshot", f"{tmp_path}/fleet/", "-t", "json"]
    assert main([*argv, "-o", str(report)]) == 0
    nodes = {n["node"]: n for n in json.loads(report.read_text())["nodes"]}
    assert set(nodes) == {*NODES, "gpu-cordoned"}
    assert "ErrImagePull" in nodes[NODES[3]]["missing"]
    assert "cordoned" in nodes["gpu-cordoned"]["missing"]
    assert all("missing" not in nodes[n] for n in NODES if n != NODES[3])
    assert main([*argv, "--fail-on", "skip", "-o", str(report)]) == 6  # no snapshot counts
    capsys.readouterr()
    assert main(["diff", "--fleet", f"{tmp_path}/fleet/"]) == 0  # four nodes alike
    assert "4 nodes: all agree on every key" in capsys.readouterr().out
