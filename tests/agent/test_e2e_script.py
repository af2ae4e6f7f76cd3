"""tools/e2e: lint-clean bash, a helpful CLI, and the whole flow against the emulator."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kube_emulator import script_job

ROOT = Path(__file__).parents[2]
E2E = ROOT / "tools" / "e2e"
H100 = ROOT / "tests" / "fixtures" / "reference" / "snapshots" / "h100.yaml"


def _shellcheck() -> str | None:
    local = Path(sys.executable).parent / "shellcheck"
    return shutil.which("shellcheck") or (str(local) if local.exists() else None)


def test_passes_shellcheck():
    shellcheck = _shellcheck()
    if shellcheck is None:
        pytest.skip("shellcheck is not installed")
    done = subprocess.run(
        [shellcheck, "--severity=style", str(E2E)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout
    assert E2E.read_text().splitlines()[:5].count("set -euo pipefail") == 1


def test_help_lists_every_flag():
    done = subprocess.run([str(E2E), "-h"], capture_output=True, text=True)
    assert done.returncode == 0
    for flag in ("-s, --snapshot PATH", "-r, --recipe PATH", "-b, --bundle DIR", "-h, --help"):
        assert flag in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "unknown option: --bogus"),
        (["-r"], "-r needs a value"),
        (["-b", "-s"], "-b needs a value"),
    ],
)
def test_usage_mistakes_exit_2(args, message):
    done = subprocess.run([str(E2E), *args], capture_output=True, text=True)
    assert done.returncode == 2
    assert message in done.stderr


@pytest.mark.slow
def test_agent_to_recipe_to_bundle_against_the_emulator(kube_emulator, tmp_path):
    script_job(kube_emulator, ["succeeded"], snapshot=H100.read_text())
    wrapper = tmp_path / "eidos"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m eidos "$@"\n')
    wrapper.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "NODE_NAME"}
    env.update(KUBECONFIG=str(kube_emulator.write_kubeconfig(tmp_path / "kc")), EIDOS=str(wrapper))
    recipe, bundles = tmp_path / "recipe.yaml", tmp_path / "bundles"
    done = subprocess.run(
        [str(E2E), "-b", str(bundles), "-r", str(recipe), "-t", "30"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "e2e: == SUCCESS" in done.stderr
    assert recipe.read_text().startswith("kind: Recipe")
    assert (bundles / "checksums.txt").is_file() and (bundles / "deploy.sh").is_file()
    assert kube_emulator.get("v1", "configmaps", "eidos-snapshot", "eidos") is not None
