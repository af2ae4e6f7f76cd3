"""deploy.sh and undeploy.sh, run for real: bash -n, shellcheck, the dry run, and runs
against fake helm/kubectl executables on PATH that record their argv (ordering, waits,
retries, --only/--skip, idempotent re-runs, refusal of a modified bundle)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bundle_helpers import bundle

from eidos.bundlers.overrides import Overrides, parse_set
from eidos.model import Query
from eidos.recipe import RecipeBuilder, RecipeStore

BASH = shutil.which("bash")
SHELLCHECK = shutil.which("shellcheck") or shutil.which(
    "shellcheck", path=str(Path(sys.executable).parent)
)
pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")
ORDER = [
    "aws-efa-k8s-device-plugin",
    "cert-manager",
    "kube-prometheus-stack",
    "gpu-operator",
    "kai-scheduler",
    "nvidia-dra-driver-gpu",
    "nvsentinel",
    "skyhook-operator",
]
FAKE = """#!/usr/bin/env bash
printf '%s\\n' "$(basename "$0") $*" >> "$EIDOS_CALLS"
if [ -n "${FAIL_ONCE:-}" ] && [[ "$*" == *"$FAIL_ONCE"* ]] && [ ! -e "$EIDOS_CALLS.failed" ]; then
  touch "$EIDOS_CALLS.failed"; exit 1
fi
if [ "$1" = status ]; then exit "${STATUS_EXIT:-0}"; fi
exit 0
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scripts") / "my bundle"
    query = Query.build(os="ubuntu", service="eks", gpu="h100", intent="training")
    recipe = RecipeBuilder(RecipeStore.load(), cache_size=0).build(query)
    overrides = Overrides(sets=(parse_set("gpu-operator:mig.strategy=mixed"),))
    assert bundle(recipe, root, overrides=overrides).ok
    return root


def _tools(tmp_path: Path, fake: bool) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in ("dirname", "sha256sum", "env", "basename", "touch", "sleep", "cat", "bash"):
        found = shutil.which(tool)
        if found and not (bin_dir / tool).exists():
            (bin_dir / tool).symlink_to(found)
    if fake:
        for tool in ("helm", "kubectl"):
            (bin_dir / tool).write_text(FAKE)
            (bin_dir / tool).chmod(0o755)
    return str(bin_dir)


def _run(
    script: Path, *args: str, tmp_path: Path, fake: bool = True, **env: str
) -> subprocess.CompletedProcess[str]:
    assert BASH is not None
    return subprocess.run(
        [BASH, str(script), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={
            "PATH": _tools(tmp_path, fake),
            "HOME": str(tmp_path),
            "EIDOS_CALLS": str(tmp_path / "calls"),
            **env,
        },
        timeout=60,
    )


def _calls(tmp_path: Path) -> list[str]:
    path = tmp_path / "calls"
    return path.read_text().splitlines() if path.exists() else []


def _installed(lines: list[str]) -> list[str]:
    return [line.split()[3] for line in lines if " upgrade --install " in line]


@pytest.mark.parametrize("name", ["deploy.sh", "undeploy.sh"])
def test_scripts_parse_and_are_executable(out: Path, name: str) -> None:
    assert BASH is not None
    subprocess.run([BASH, "-n", str(out / name)], check=True)
    assert os.stat(out / name).st_mode & 0o777 == 0o755


@pytest.mark.skipif(SHELLCHECK is None, reason="shellcheck is not installed (.[dev])")
@pytest.mark.parametrize("name", ["deploy.sh", "undeploy.sh"])
def test_scripts_pass_shellcheck(out: Path, name: str) -> None:
    done = subprocess.run(
        [str(SHELLCHECK), "--severity=style", str(out / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout


def test_dry_run_prints_every_command_in_order_without_helm_or_kubectl(
    out: Path, tmp_path: Path
) -> None:
    done = _run(out / "deploy.sh", "--dry-run", tmp_path=tmp_path, fake=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert _installed(lines) == ORDER
    assert lines[0] == (
        "helm upgrade --install aws-efa-k8s-device-plugin aws-efa-k8s-device-plugin "
        "--version v0.5.3 --namespace kube-system --create-namespace --values "
        "01-aws-efa-k8s-device-plugin/values.yaml --repo https://aws.github.io/eks-charts "
        "--wait --timeout 10m"
    )
    gpu = lines.index(next(x for x in lines if "install gpu-operator" in x))
    crds = lines.index(next(x for x in lines if "crd/servicemonitors.monitoring.coreos.com" in x))
    webhook = lines.index(
        "kubectl rollout status deployment/kube-prometheus-operator "
        "--namespace monitoring --timeout=10m"
    )
    assert crds < webhook < gpu  # the ServiceMonitor CRD before the chart that uses it
    nvsentinel = next(i for i, x in enumerate(lines) if "install nvsentinel" in x)
    cert = next(i for i, x in enumerate(lines) if "crd/certificates.cert-manager.io" in x)
    assert cert < nvsentinel
    assert (
        "oci://ghcr.io/nvidia/kai-scheduler/kai-scheduler"
        in lines[next(i for i, x in enumerate(lines) if "install kai-scheduler" in x)]
    )
    assert _calls(tmp_path) == []


def test_deploy_runs_helm_in_order_and_again_idempotently(out: Path, tmp_path: Path) -> None:
    for _ in range(2):
        done = _run(out / "deploy.sh", tmp_path=tmp_path)
        assert done.returncode == 0, done.stderr
    calls = _calls(tmp_path)
    assert _installed(calls) == ORDER * 2
    assert calls[0] == "kubectl cluster-info"
    assert all("upgrade --install" in c for c in calls if c.startswith("helm"))


def test_no_wait_skips_every_wait(out: Path, tmp_path: Path) -> None:
    done = _run(out / "deploy.sh", "--no-wait", "--dry-run", tmp_path=tmp_path, fake=False)
    assert done.returncode == 0
    assert "wait" not in done.stdout and "rollout" not in done.stdout


def test_only_and_skip_select_components(out: Path, tmp_path: Path) -> None:
    done = _run(out / "deploy.sh", "--only", "nvsentinel,cert-manager", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    calls = _calls(tmp_path)
    assert _installed(calls) == ["cert-manager", "nvsentinel"]
    # nvsentinel still waits for cert-manager's CRDs and webhook (installed earlier)
    assert any("crd/certificates.cert-manager.io" in c for c in calls)
    (tmp_path / "calls").unlink()
    done = _run(
        out / "deploy.sh", "--skip", "cert-manager", "--skip", "kai-scheduler", tmp_path=tmp_path
    )
    assert done.returncode == 0
    assert _installed(_calls(tmp_path)) == [
        n for n in ORDER if n not in ("cert-manager", "kai-scheduler")
    ]


def test_unknown_component_and_bad_options_exit_2(out: Path, tmp_path: Path) -> None:
    for args in (["--only", "nope"], ["--retries", "x"], ["--timeout", "soon"], ["--bogus"]):
        done = _run(out / "deploy.sh", *args, "--dry-run", tmp_path=tmp_path, fake=False)
        assert done.returncode == 2, args
        assert "Usage: deploy.sh" in done.stderr
    assert _run(out / "deploy.sh", "--help", tmp_path=tmp_path).returncode == 0


def test_a_failed_command_is_retried(out: Path, tmp_path: Path) -> None:
    done = _run(
        out / "deploy.sh", "--retry-delay", "0", tmp_path=tmp_path, FAIL_ONCE="install gpu-operator"
    )
    assert done.returncode == 0, done.stderr
    assert _installed(_calls(tmp_path)).count("gpu-operator") == 2
    assert "attempt 1 failed" in done.stderr


def test_retries_run_out_and_the_deploy_stops(out: Path, tmp_path: Path) -> None:
    (tmp_path / "calls.failed").parent.mkdir(exist_ok=True)
    done = _run(
        out / "deploy.sh",
        "--retries",
        "0",
        "--retry-delay",
        "0",
        tmp_path=tmp_path,
        FAIL_ONCE="install cert-manager",
    )
    assert done.returncode == 1
    assert "failed after 1 attempts" in done.stderr
    assert _installed(_calls(tmp_path)) == ORDER[:2]


def test_deploy_refuses_a_modified_bundle(out: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    values = copy / "04-gpu-operator" / "values.yaml"
    values.write_text(values.read_text() + "# edited\n")
    done = _run(copy / "deploy.sh", tmp_path=tmp_path)
    assert done.returncode == 1
    assert "checksums.txt does not match" in done.stderr
    assert _calls(tmp_path) == []


def test_real_run_without_helm_fails_clearly(out: Path, tmp_path: Path) -> None:
    done = _run(out / "deploy.sh", tmp_path=tmp_path, fake=False)
    assert done.returncode == 1
    assert "helm is required but was not found in PATH" in done.stderr


def test_undeploy_reverses_the_order_and_keeps_crds_by_default(out: Path, tmp_path: Path) -> None:
    done = _run(out / "undeploy.sh", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    calls = _calls(tmp_path)
    removed = [c.split()[2] for c in calls if c.startswith("helm uninstall")]
    assert removed == ORDER[::-1]
    assert not any("delete crd" in c for c in calls)
    namespaces = [c.split()[3] for c in calls if "delete namespace" in c]
    assert "kube-system" not in namespaces and "cert-manager" in namespaces


def test_undeploy_options(out: Path, tmp_path: Path) -> None:
    done = _run(
        out / "undeploy.sh",
        "--dry-run",
        "--delete-crds",
        "--keep-namespaces",
        tmp_path=tmp_path,
        fake=False,
    )
    assert done.returncode == 0
    assert (
        "kubectl delete crd clusterpolicies.nvidia.com nvidiadrivers.nvidia.com "
        "--ignore-not-found" in done.stdout
    )
    assert "delete namespace" not in done.stdout
    done = _run(out / "undeploy.sh", "--only", "gpu-operator", tmp_path=tmp_path, STATUS_EXIT="1")
    assert done.returncode == 0
    assert "release gpu-operator is not installed" in done.stderr
    assert not any(c.startswith("helm uninstall") for c in _calls(tmp_path))
