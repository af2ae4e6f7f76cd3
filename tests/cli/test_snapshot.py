"""``eidos snapshot`` as a real process: fixture host tree, fake nvidia-smi scripts on PATH."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from eidos import __version__
from eidos.collectors.os.sysctl import is_excluded
from eidos.model import Snapshot
from eidos.serializer import loads

FIXTURES = Path(__file__).parents[1] / "fixtures"
H100 = FIXTURES / "hosts" / "h100"
REFERENCE = FIXTURES / "reference"
SMI_XML = REFERENCE / "snapshots" / "nvidia-smi-q-x.xml"
EIDOS = [sys.executable, "-m", "eidos"]
LOCAL = ["--collectors", "systemd,os,gpu"]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A clean environment: no bus, no cluster, a fake nvidia-smi first on PATH."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    out = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DBUS_SYSTEM_BUS_ADDRESS", "KUBECONFIG", "EIDOS_HOST_ROOT", "NODE_NAME")
    }
    out.update(
        PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}",
        HOME=str(tmp_path),
        NODE_NAME="gpu-node-1",
        EIDOS_TEST_BIN=str(bindir),
    )
    smi(out, f'touch "{tmp_path}/smi-ran"\nexec cat "{SMI_XML}"')
    return out


def smi(env: dict[str, str], body: str) -> None:
    path = Path(env["EIDOS_TEST_BIN"]) / "nvidia-smi"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def run(env: dict[str, str], *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*EIDOS, "snapshot", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def reference() -> Snapshot:
    text = (REFERENCE / "snapshots" / "h100.yaml").read_text()
    return Snapshot.from_dict(loads(text, origin="h100.yaml"))


def test_fixture_host_json_snapshot_matches_the_reference_os_and_gpu(env):
    proc = run(env, "--host-root", str(H100), "-t", "json", *LOCAL)
    assert proc.returncode == 0, proc.stderr
    snap = Snapshot.from_dict(json.loads(proc.stdout))
    assert [m.type for m in snap.measurements] == ["SystemD", "OS", "GPU"]
    mine, theirs = snap.measurement("OS"), reference().measurement("OS")
    for got, expected in zip(mine.subtypes, theirs.subtypes, strict=True):
        assert got.data == {k: v for k, v in expected.data.items() if not is_excluded(k)}
    gpu = snap.measurement("GPU")
    assert gpu.subtype("smi").data["gpu-count"] == 8
    assert gpu.subtype("smi").data["gpu.model"] == "NVIDIA H100 80GB HBM3"
    assert [s.name for s in gpu.subtypes[1:]] == [f"gpu{i}" for i in range(8)]
    assert snap.metadata["source-node"] == "gpu-node-1"
    assert snap.metadata["snapshot-version"] == __version__
    assert "systemd is not reachable" in proc.stderr


def test_yaml_is_the_default_and_reads_back_like_the_json(env):
    as_yaml = run(env, "--host-root", str(H100), *LOCAL)
    as_json = run(env, "--host-root", str(H100), "-t", "json", *LOCAL)
    assert as_yaml.returncode == as_json.returncode == 0, as_yaml.stderr
    from_yaml = Snapshot.from_dict(loads(as_yaml.stdout, origin="yaml"))
    from_json = Snapshot.from_dict(json.loads(as_json.stdout))
    from_yaml.metadata.pop("snapshot-timestamp")
    from_json.metadata.pop("snapshot-timestamp")
    assert from_yaml == from_json  # values keep their types: "0x0000", 8, "24.04"


def test_table_format_lists_type_subtype_key_and_value(env):
    proc = run(env, "--host-root", str(H100), "-t", "table", "--collectors", "os,gpu")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert any(
        "OS" in ln and "release" in ln and "VERSION_ID" in ln and "24.04" in ln for ln in lines
    )
    assert any("GPU" in ln and "gpu7" in ln and "uuid" in ln for ln in lines)


def test_output_file_is_written_and_stdout_stays_empty(env, tmp_path):
    target = tmp_path / "snap.yaml"
    proc = run(env, "--host-root", str(H100), "-o", str(target), "--collectors", "os")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    snap = Snapshot.from_dict(loads(target.read_text(), origin=str(target)))
    assert [m.type for m in snap.measurements] == ["OS"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-t", "xml"], 2, "unknown output format 'xml'; valid formats: yaml, json, table"),
        (
            ["--collectors", "gpu,disk"],
            2,
            "unknown collector 'disk'; valid collectors: systemd, os, k8s, gpu",
        ),
        (["--collectors", ","], 2, "no collector selected"),
        (["--host-root", "/no/such/dir"], 2, "host root '/no/such/dir' is not a directory"),
        (["--timeout", "0"], 2, "--timeout must be a duration such as 90, 90s"),
        (["--timeout", "soon"], 2, "more than 0; got 'soon'"),
        (["-o", "/no/such/dir/snap.yaml"], 3, "directory /no/such/dir does not exist"),
        (["--systemd-units", " , "], 2, "--systemd-units names no unit"),
    ],
    ids=[
        "format",
        "collector",
        "no-collector",
        "host-root",
        "timeout",
        "timeout-type",
        "output-dir",
        "no-unit",
    ],
)
def test_bad_arguments_fail_before_anything_is_collected(env, tmp_path, args, code, message):
    proc = run(env, *args)
    assert proc.returncode == code, proc.stderr
    assert message in proc.stderr
    assert proc.stdout == ""
    assert not (tmp_path / "smi-ran").exists()


def test_a_hanging_nvidia_smi_fails_the_snapshot_at_the_timeout(env):
    smi(env, "exec sleep 300")
    proc = run(env, "--host-root", str(H100), "--timeout", "0.5", *LOCAL)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1].startswith("Error: collector 'gpu' failed: ")
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_best_effort_writes_the_rest_and_marks_the_snapshot_incomplete(env):
    smi(env, "echo '<nvidia_smi_log><gpu>'")
    proc = run(env, "--host-root", str(H100), "--best-effort", "-t", "json", *LOCAL)
    assert proc.returncode == 0, proc.stderr
    snap = Snapshot.from_dict(json.loads(proc.stdout))
    assert snap.metadata["snapshot-incomplete"] == "gpu"
    assert [m.type for m in snap.measurements] == ["SystemD", "OS"]
    assert "not nvidia-smi XML" in proc.stderr


def test_garbage_from_nvidia_smi_is_a_clear_error(env):
    smi(env, "echo garbage")
    proc = run(env, "--host-root", str(H100), "--collectors", "gpu")
    assert proc.returncode == 1
    assert (
        "Error: collector 'gpu' failed: nvidia-smi -q -x printed output that is not "
        "nvidia-smi XML" in proc.stderr
    )


@pytest.fixture
def bare_host_env(tmp_path: Path, bus_without_systemd: str) -> dict[str, str]:
    """This machine's real /proc, with the rest pinned whatever the host runs: a system
    bus without systemd (it fails to start it), no nvidia-smi, no cluster."""
    hidden = ("KUBECONFIG", "EIDOS_HOST_ROOT", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    env.update(HOME=str(tmp_path), PATH=str(empty), DBUS_SYSTEM_BUS_ADDRESS=bus_without_systemd)
    return env


def test_real_run_on_this_machine_succeeds_and_warns_about_what_is_missing(bare_host_env):
    proc = subprocess.run(
        [*EIDOS, "snapshot", "-t", "json"],
        capture_output=True,
        text=True,
        env=bare_host_env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    snap = Snapshot.from_dict(json.loads(proc.stdout))
    assert [m.type for m in snap.measurements] == ["SystemD", "OS", "K8s", "GPU"]
    assert snap.measurement("OS").subtype("sysctl").data
    for mtype in ("SystemD", "K8s", "GPU"):
        assert snap.measurement(mtype).subtypes == [], mtype
    warnings = sorted(line for line in proc.stderr.splitlines() if line.startswith("warning: "))
    systemd = [w for w in warnings if w.startswith("warning: systemd is not reachable")]
    assert len(systemd) == 1 and "org.freedesktop.DBus.Error.Spawn.ChildExited" in systemd[0]
    assert any("no Kubernetes cluster configured" in w for w in warnings)
    assert any("nvidia-smi not found" in w for w in warnings)
    assert "Error:" not in proc.stderr


def test_two_snapshots_of_an_unchanged_node_are_equal_but_for_the_time(env, tmp_path):
    host = tmp_path / "host"
    shutil.copytree(H100, host, symlinks=True)
    cmdline = host / "proc/cmdline"
    cmdline.write_text(cmdline.read_text().strip() + " -- --addr 0.0.0.0:2024 quiet\n")
    first = run(env, "--host-root", str(host), "-t", "json", *LOCAL)
    # What the kernel changes between two reads (and what differs from pod to pod):
    changes = {
        "kernel/random/uuid": "0b1d9f0e-3f2c-4f8e-9c1a-7d2e5b6a4c3f",
        "kernel/random/entropy_avail": "3754",
        "kernel/ns_last_pid": "987654",
        "kernel/hostname": "eidos-agent-3f9a1c-x7k2p",
        "kernel/pty/nr": "12",
        "fs/file-nr": "9152\t0\t9223372036854775807",
        "fs/inode-nr": "812345\t1024",
        "fs/dentry-state": "1\t2\t45\t0\t3\t0",
        "fs/quota/syncs": "57",
        "sunrpc/svc_rdma/rdma_stat_recv": "42",
    }
    for name, value in changes.items():
        (host / "proc/sys" / name).write_text(value + "\n")
    second = run(env, "--host-root", str(host), "-t", "json", *LOCAL)
    assert first.returncode == second.returncode == 0, second.stderr
    one, two = (json.loads(p.stdout) for p in (first, second))
    for doc in (one, two):
        doc["metadata"].pop("snapshot-timestamp")
    assert one == two
    grub = Snapshot.from_dict(one).measurement("OS").subtype("grub").data
    assert "--addr" not in grub and "quiet" not in grub and grub["panic"] == "-1"


@pytest.mark.parametrize("value", ["90", "90s", "1.5m", "5m", "1h", "1m30s", "2500ms"])
def test_timeout_takes_the_durations_kubectl_users_type(env, value):
    proc = run(env, "--host-root", str(H100), "--collectors", "os", "--timeout", value)
    assert proc.returncode == 0, proc.stderr


def test_snapshot_pipes_into_recipe(env):
    snapshot = subprocess.Popen(
        [*EIDOS, "snapshot", "--host-root", str(H100), *LOCAL],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    recipe = subprocess.run(
        [*EIDOS, "recipe", "--snapshot", "-", "-t", "json"],
        stdin=snapshot.stdout,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert snapshot.stdout is not None
    snapshot.stdout.close()
    assert snapshot.wait(timeout=60) == 0
    assert recipe.returncode == 0, recipe.stderr
    doc = json.loads(recipe.stdout)
    assert doc["kind"] == "Recipe"
    assert doc["request"]["os"] == "ubuntu" and doc["request"]["osv"] == "24.04"
    assert doc["request"]["kernel"] == "6.8.0-1024-aws"
    assert doc["request"]["gpu"] == "h100"
    assert doc["measurements"]


def test_in_process_run_writes_json_for_the_selected_collectors(env, monkeypatch, capsys):
    from eidos.cli import main

    for name in ("PATH", "NODE_NAME", "HOME"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    code = main(
        [
            "snapshot",
            "--host-root",
            str(H100),
            "-t",
            "json",
            "--collectors",
            "gpu",
            "--collectors",
            "os",
            "--timeout",
            "10",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    snap = Snapshot.from_dict(json.loads(captured.out))
    assert [m.type for m in snap.measurements] == ["OS", "GPU"]
    assert snap.metadata["source-node"] == "gpu-node-1"


def test_in_process_usage_errors_exit_2(env, monkeypatch, capsys):
    from eidos.cli import main

    monkeypatch.setenv("PATH", env["PATH"])
    assert main(["snapshot", "--collectors", "nope"]) == 2
    assert "unknown collector 'nope'" in capsys.readouterr().err
    assert main(["snapshot", "--timeout", "-1"]) == 2
    assert "--timeout must be a duration" in capsys.readouterr().err
