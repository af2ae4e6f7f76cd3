"""`eidos validate` as a real process: exit codes 0 / 6 / 2 / 3, --fail-on, the formats,
fleets from directories and SnapshotLists, and --deploy-agent against the API emulator."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from eidos.model import NodeFailure, Snapshot, SnapshotList
from eidos.serializer import dumps, loads
from kube_emulator import script_job

H100 = Path(__file__).parents[1] / "fixtures" / "reference" / "snapshots" / "h100.yaml"
DOC = loads(H100.read_text())


def eidos(*args: str, stdin: str | None = None, env: dict[str, str] | None = None):
    base = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "NODE_NAME")}
    return subprocess.run(
        [sys.executable, "-m", "eidos", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        env={**base, **(env or {})},
    )


def _variant(path: Path, node: str, **smi: object) -> Path:
    doc = copy.deepcopy(DOC)
    doc["metadata"]["source-node"] = node
    for m in doc["measurements"]:
        if m["type"] == "GPU":
            m["subtypes"][0]["data"].update(smi)
    path.write_text(dumps(doc, "json"))
    return path


@pytest.fixture(scope="module")
def recipe(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("recipe") / "recipe.yaml"
    done = eidos("recipe", "--snapshot", str(H100), "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_the_h100_snapshot_passes_its_recipe_with_exit_0(recipe):
    done = eidos("validate", "--recipe", str(recipe), "--snapshot", str(H100))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("PASS: 0 of 1 node failed")
    assert "ip-10-0-158-18.ec2.internal  pass" in done.stdout


def test_another_gpu_exits_6_and_the_table_names_constraint_expected_actual(recipe, tmp_path):
    a100 = _variant(tmp_path / "a100.json", "gpu-a100", **{"gpu.model": "NVIDIA A100-SXM4-80GB"})
    done = eidos("validate", "-r", str(recipe), "-f", str(H100), "-f", str(a100))
    assert done.returncode == 6, done.stderr
    (line,) = [
        x
        for x in done.stdout.splitlines()
        if x.split()[:3] == ["gpu-a100", "fail", "GPU.smi.gpu.model"]
    ]
    assert line.split()[:5] == ["gpu-a100", "fail", "GPU.smi.gpu.model", "contains", "H100"]
    assert "NVIDIA A100-SXM4-80GB" in line
    assert done.stdout.splitlines()[-1].startswith("FAIL: 1 of 2 nodes failed")


def test_an_older_driver_exits_6_in_every_format(recipe, tmp_path):
    old = _variant(tmp_path / "old.json", "gpu-old", driver="525.147.05")
    for fmt in ("json", "yaml", "junit", "ctrf"):
        done = eidos("validate", "-r", str(recipe), "-f", str(old), "-t", fmt)
        assert done.returncode == 6, (fmt, done.stderr)
        assert "525.147.05" in done.stdout, fmt
    report = json.loads(eidos("validate", "-r", str(recipe), "-f", str(old), "-t", "json").stdout)
    (failed,) = [c for c in report["nodes"][0]["checks"] if c["status"] == "fail"]
    assert (failed["check"], failed["expected"], failed["actual"]) == (
        "GPU.smi.driver >= 535",
        ">= 535",
        "525.147.05",
    )


def test_fail_on_warning_makes_a_warning_count(tmp_path):
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "kind: Recipe\napiVersion: recipe.dgxc.io/v1\nmeasurements: []\nconstraints:\n"
        "  - {check: GPU.smi.driver >= 580, severity: warning, reason: R580 for CUDA 13}\n"
    )
    assert eidos("validate", "-r", str(recipe), "-f", str(H100)).returncode == 0
    done = eidos("validate", "-r", str(recipe), "-f", str(H100), "--fail-on", "warning")
    assert done.returncode == 6
    assert "warn    GPU.smi.driver" in done.stdout


def test_a_fleet_directory_and_a_snapshot_list_with_a_failed_node(recipe, tmp_path):
    fleet = tmp_path / "fleet"
    fleet.mkdir()
    for i in range(3):
        _variant(fleet / f"gpu-{i}.json", f"gpu-{i}")
    items = [Snapshot.from_dict(json.loads((fleet / "gpu-0.json").read_text()))]
    lst = tmp_path / "list.yaml"
    lst.write_text(
        dumps(SnapshotList(items, [NodeFailure("gpu-9", "Job timed out")]).to_dict(), "yaml")
    )
    out = tmp_path / "report.xml"
    done = eidos(
        "validate",
        "-r",
        str(recipe),
        "-f",
        str(fleet),
        "-f",
        str(lst),
        "-t",
        "junit",
        "-o",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "node gpu-9 has no snapshot (Job timed out)" in done.stderr
    text = out.read_text()
    assert text.count("<testsuite ") == 5  # three files, the list's item (renamed) and gpu-9
    assert 'name="gpu-0 (' in text
    strict = eidos("validate", "-r", str(recipe), "-f", str(lst), "--fail-on", "skip")
    assert strict.returncode == 6


def test_recipe_and_snapshot_from_stdin_and_a_pipe(recipe):
    done = eidos("validate", "-r", str(recipe), "-f", "-", stdin=H100.read_text())
    assert done.returncode == 0, done.stderr
    both = eidos("validate", "-r", "-", "-f", "-", stdin="")
    assert both.returncode == 2 and "cannot both come from stdin" in both.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ([], 2, "nothing to validate"),
        (["-f", "{snap}", "-t", "xml"], 2, "unknown output format 'xml'"),
        (["-f", "{snap}", "--fail-on", "never"], 2, "invalid --fail-on 'never'"),
        (["-f", "{recipe}"], 2, "not a Snapshot or SnapshotList document (kind 'Recipe')"),
        (["-f", "{missing}"], 3, "file not found"),
        (["-f", "{snap}", "--keep"], 2, "--keep needs --deploy-agent"),
        (["-f", "{snap}", "--timeout", "5m"], 2, "--timeout needs --deploy-agent"),
        (["--deploy-agent", "--timeout", "soon"], 2, "--timeout must be a duration"),
        (["-f", "{snap}", "--cleanup-only"], 2, "unrecognized arguments: --cleanup-only"),
        (["-f", "{snap}", "-o", "cm://ns/report"], 2, "not 'report'"),
    ],
)
def test_mistakes_exit_with_one_line(recipe, tmp_path, args, code, message):
    values = {"snap": str(H100), "recipe": str(recipe), "missing": str(tmp_path / "x.yaml")}
    done = eidos("validate", "-r", str(recipe), *(a.format(**values) for a in args))
    assert done.returncode == code, done.stderr
    assert done.stderr.startswith("Error: ") and message in done.stderr
    assert done.stdout == ""


def test_a_recipe_with_a_bad_constraint_is_an_invalid_document(tmp_path):
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "kind: Recipe\nmeasurements: []\nconstraints:\n"
        "  - {check: GPU.smi.driver >> 5, reason: r}\n"
    )
    done = eidos("validate", "-r", str(recipe), "-f", str(H100))
    assert done.returncode == 2
    assert "constraints[0]" in done.stderr


def test_a_constraint_grammar_error_in_recipe_data_fails_at_load_with_exit_5(tmp_path):
    data = tmp_path / "site.yaml"
    data.write_text(
        "overlays:\n  - key: {gpu: h100}\n    constraints:\n"
        "      - {check: 'GPU.smi.driver >= banana', reason: r}\n"
    )
    done = eidos("recipe", "--gpu", "h100", "--data", str(data))
    assert done.returncode == 5, done.stderr
    assert "banana" in done.stderr and str(data) in done.stderr


def test_deploy_agent_validates_the_node_it_captured(recipe, kube_emulator, tmp_path):
    script_job(kube_emulator, ["running", "succeeded"], snapshot=H100.read_text())
    kc = kube_emulator.write_kubeconfig(tmp_path / "kc")
    done = eidos(
        "validate",
        "-r",
        str(recipe),
        "--deploy-agent",
        "--kubeconfig",
        str(kc),
        "--image",
        "registry.local/eidos:dev",
        "-t",
        "yaml",
    )
    assert done.returncode == 0, done.stderr
    report = yaml.safe_load(done.stdout)
    assert report["nodes"][0]["node"] == "ip-10-0-158-18.ec2.internal"
    assert report["nodes"][0]["source"] == "agent"
    assert "cleaned up" in done.stderr


def test_deploy_agent_without_a_cluster_exits_4(recipe, tmp_path):
    done = eidos("validate", "-r", str(recipe), "--deploy-agent", env={"HOME": str(tmp_path)})
    assert done.returncode == 4
    assert "--deploy-agent needs a cluster" in done.stderr
