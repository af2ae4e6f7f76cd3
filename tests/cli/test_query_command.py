"""eidos query and the new recipe criteria, as a user runs them (real subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

EIDOS = [sys.executable, "-m", "eidos"]
H100_EKS = ["--service", "eks", "--gpu", "h100", "--intent", "training"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*EIDOS, *args], capture_output=True, text=True, input=stdin, timeout=30, check=False
    )


def test_scalars_print_raw_for_shell_scripts():
    proc = run("query", *H100_EKS, "--selector", "components.gpu-operator.values.driver.version")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "580.105.08\n", "")
    proc = run("query", *H100_EKS, "-s", "components.gpu-operator.values.cdi.enabled")
    assert proc.stdout == "true\n"
    proc = run("query", *H100_EKS, "-s", "components.kube-prometheus-stack.namespace")
    assert proc.stdout == "monitoring\n"


def test_lists_and_maps_print_as_yaml_or_json():
    proc = run("query", *H100_EKS, "--selector", "deploymentOrder")
    order = yaml.safe_load(proc.stdout)
    assert order[0] == "aws-efa-k8s-device-plugin" and "gpu-operator" in order
    assert order.index("kube-prometheus-stack") < order.index("gpu-operator")
    proc = run("query", *H100_EKS, "--selector", "components.gpu-operator.chart", "-t", "json")
    assert json.loads(proc.stdout) == {
        "repository": "https://helm.ngc.nvidia.com/nvidia",
        "name": "gpu-operator",
        "version": "v25.10.1",
    }
    whole = yaml.safe_load(run("query", *H100_EKS, "--selector", ".").stdout)
    assert set(whole) >= {"components", "deploymentOrder", "constraints", "measurements"}


def test_a_selector_that_names_nothing_is_exit_2_with_the_nearest_keys():
    proc = run("query", *H100_EKS, "--selector", "components.gpu-operatr.chart")
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        "Error: selector 'components.gpu-operatr.chart': no 'gpu-operatr' under components; "
        "nearest: gpu-operator"
    )
    assert run("query", *H100_EKS).returncode == 2  # --selector is required


def test_recipes_gain_components_order_and_constraints():
    doc = yaml.safe_load(run("recipe", "--os", "ubuntu", *H100_EKS).stdout)
    names = [ref["name"] for ref in doc["componentRefs"]]
    assert names == doc["deploymentOrder"]
    assert {"gpu-operator", "aws-efa-k8s-device-plugin", "nvsentinel"} <= set(names)
    assert "network-operator" not in names  # EFA instead of ConnectX on EKS
    checks = [c["check"] for c in doc["constraints"]]
    assert "K8s.server.version >= 1.32" in checks and "OS.release.ID == ubuntu" in checks


def test_platform_nodes_and_the_accelerator_alias():
    doc = yaml.safe_load(
        run(
            "recipe",
            "--service",
            "eks",
            "--accelerator",
            "h100",
            "--intent",
            "inference",
            "--platform",
            "dynamo",
            "--nodes",
            "4",
        ).stdout
    )
    assert doc["request"] == {
        "service": "eks",
        "gpu": "h100",
        "intent": "inference",
        "platform": "dynamo",
        "nodes": 4,
    }
    names = {ref["name"] for ref in doc["componentRefs"]}
    assert {"dynamo-crds", "dynamo-platform", "prometheus-adapter"} <= names
    skyhook = next(r for r in doc["componentRefs"] if r["name"] == "skyhook-operator")
    assert skyhook["values"]["estimatedNodeCount"] == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--platform", "slurm"],
            "invalid platform 'slurm'; valid values: any, kubeflow, dynamo, nim",
        ),
        (["--service", "ocp"], "valid values: any, eks, gke, aks, oke, self-managed, kind"),
        (["--nodes", "0"], "invalid node count '0': expected a whole number from 1 to 100000"),
        (["--nodes", ">= 2"], "invalid node count '>= 2'"),
    ],
)
def test_unknown_criteria_values_are_exit_2_with_the_valid_list(args, message):
    proc = run("recipe", *args)
    assert proc.returncode == 2 and message in proc.stderr


def test_a_criteria_file_with_flags_on_top(tmp_path):
    criteria = tmp_path / "criteria.yaml"
    criteria.write_text(
        "kind: RecipeCriteria\nspec:\n  service: eks\n  accelerator: h100\n"
        "  intent: training\n  platform: kubeflow\n  nodes: 8\n"
    )
    doc = yaml.safe_load(run("recipe", "--criteria", str(criteria), "--nodes", "16").stdout)
    assert doc["request"] == {
        "service": "eks",
        "gpu": "h100",
        "intent": "training",
        "platform": "kubeflow",
        "nodes": 16,
    }
    assert "kubeflow-trainer" in doc["deploymentOrder"]
    criteria.write_text("spec: {gpu: h100}\n")
    proc = run("recipe", "--criteria", str(criteria))
    assert proc.returncode == 2 and "expected kind: RecipeCriteria" in proc.stderr
    proc = run("recipe", "--criteria", str(tmp_path / "missing.yaml"))
    assert proc.returncode == 3


def test_a_snapshot_with_values_eidos_does_not_know_warns_about_each(tmp_path):
    snap = tmp_path / "snap.yaml"
    snap.write_text(
        yaml.safe_dump(
            {
                "kind": "Snapshot",
                "measurements": [
                    {"type": "OS", "subtypes": [{"subtype": "release", "data": {"ID": "debian"}}]},
                    {"type": "GPU", "subtypes": [{"subtype": "smi", "data": {"gpu.model": "T4"}}]},
                    {"type": "Storage", "subtypes": []},
                ],
            }
        )
    )
    proc = run("recipe", "--snapshot", str(snap), "--intent", "training")
    assert proc.returncode == 0
    assert "OS/release/ID 'debian' is not a known OS" in proc.stderr
    assert "GPU model 'T4' is not one eidos has recipes for" in proc.stderr
    assert "measurement type 'Storage' is ignored" in proc.stderr


def test_data_without_a_base_adds_site_components(tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text(
        "components:\n"
        "  - name: site-agent\n"
        "    description: The site's own node agent, installed after the GPU Operator\n"
        "    chart: {repository: oci://registry.example.com/charts, name: agent, version: 1.0.0}\n"
        "    namespace: site\n"
        "    dependencies: [gpu-operator]\n"
        "overlays:\n"
        "  - key: {service: eks}\n"
        "    componentRefs: [{name: site-agent}]\n"
    )
    proc = run(
        "query", *H100_EKS, "--data", str(site), "--selector", "components.site-agent.chart.name"
    )
    assert (proc.returncode, proc.stdout) == (0, "agent\n")
    site.write_text("overlays:\n  - key: {service: eks}\n    componentRefs: [{name: nope}]\n")
    proc = run("recipe", *H100_EKS, "--data", str(site))
    assert (
        proc.returncode == 5
        and str(site) in proc.stderr
        and "unknown component 'nope'" in proc.stderr
    )


def test_main_leaves_the_garbage_collector_as_it_found_it(capsys):
    import gc

    from eidos.cli import main

    assert gc.isenabled()
    assert main(["query", "--gpu", "h100", "--selector", "components.gpu-operator.namespace"]) == 0
    assert capsys.readouterr().out == "gpu-operator\n"
    assert gc.isenabled()
