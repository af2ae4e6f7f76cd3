"""``eidos bundle`` as a user runs it: real subprocesses, exit codes, stdout summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from eidos.cli import main

EIDOS = [sys.executable, "-m", "eidos"]
RECIPE = Path(__file__).parents[1] / "fixtures/reference/recipes/h100-eks-ubuntu-training.yaml"


def run(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*EIDOS, *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=30,
        check=False,
        cwd=cwd,
    )


def test_bundles_the_reference_recipe_and_prints_a_table(tmp_path: Path) -> None:
    out = tmp_path / "b"
    done = run("bundle", "-f", str(RECIPE), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split() == [
        "COMPONENT",
        "FOLDER",
        "FILES",
        "BYTES",
        "STATUS",
    ]
    assert (out / "01-gpu-operator" / "values.yaml").is_file()
    assert (out / "02-network-operator" / "manifests" / "nicclusterpolicy.yaml").is_file()
    assert (out / "deploy.sh").stat().st_mode & 0o111


def test_default_output_is_bundles_in_the_working_directory(tmp_path: Path) -> None:
    assert run("bundle", "-f", str(RECIPE), cwd=tmp_path).returncode == 0
    assert (tmp_path / "bundles" / "01-gpu-operator" / "values.yaml").is_file()


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_json_and_yaml_summaries_list_components_and_files(tmp_path: Path, fmt: str) -> None:
    done = run("bundle", "-f", str(RECIPE), "-o", str(tmp_path / "b"), "-t", fmt)
    doc = json.loads(done.stdout) if fmt == "json" else yaml.safe_load(done.stdout)
    assert doc["success"] is True
    assert [c["name"] for c in doc["components"]] == ["gpu-operator", "network-operator"]
    assert doc["totalFiles"] == len(list((tmp_path / "b").rglob("*.*"))) - 1


def test_full_stack_from_stdin_with_overrides(tmp_path: Path) -> None:
    recipe = run(
        "recipe", "--os", "ubuntu", "--service", "eks", "--gpu", "h100", "--intent", "training"
    ).stdout
    done = run(
        "bundle",
        "-f",
        "-",
        "-o",
        str(tmp_path / "b"),
        "--set",
        "gpu-operator:driver.version=580.95.05",
        "--set",
        "nvsentinel:enabled=false",
        "--system-node-selector",
        "nodeGroup=system",
        "--accelerated-toleration",
        "nvidia.com/gpu=present:NoSchedule",
        "--registry",
        "registry.example.com/mirror",
        stdin=recipe,
    )
    assert done.returncode == 0, done.stderr
    out = tmp_path / "b"
    assert not list(out.glob("*-nvsentinel"))
    images = (out / "images.txt").read_text().split()
    assert "registry.example.com/mirror/nvidia/driver:580.95.05" in images
    assert all(i.startswith("registry.example.com/mirror/") for i in images)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "nope:a=1"], "unknown component 'nope'"),
        (["--set", "gpu-operator"], "expected COMPONENT:PATH=VALUE"),
        (["--chart-version", "dcgm=1.0"], "unknown component 'dcgm'"),
        (["--system-toleration", "k=v:Sometimes"], "EFFECT one of"),
        (["--registry", "not a registry"], "--registry"),
        (["--deployer", "ansible"], "unknown deployer 'ansible'; valid deployers: helm"),
        (["-c", ""], "no component selected"),
    ],
)
def test_bad_arguments_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    done = run("bundle", "-f", str(RECIPE), "-o", str(tmp_path / "b"), *args)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert not (tmp_path / "b").exists()


def test_dropping_what_others_need_is_refused(tmp_path: Path) -> None:
    done = run(
        "bundle",
        "-f",
        str(RECIPE),
        "-o",
        str(tmp_path / "b"),
        "--set",
        "gpu-operator:enabled=false",
    )
    assert done.returncode == 0  # nothing in the reference recipe depends on it
    assert not list((tmp_path / "b").glob("*-gpu-operator"))


def test_dropping_a_component_the_others_need_exits_2_naming_them(tmp_path: Path) -> None:
    recipe = run("recipe", "--service", "eks", "--gpu", "h100", "--intent", "training").stdout
    done = run(
        "bundle",
        "-f",
        "-",
        "-o",
        str(tmp_path / "b"),
        "--set",
        "cert-manager:enabled=false",
        stdin=recipe,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("Error: cannot drop cert-manager")
    assert "nvsentinel depends on it" in done.stderr
    assert not (tmp_path / "b").exists()


def test_recipe_without_k8s_or_components_exits_2(tmp_path: Path) -> None:
    doc = yaml.safe_load(RECIPE.read_text())
    doc["measurements"] = [m for m in doc["measurements"] if m["type"] != "K8s"]
    proc = run("bundle", "-f", "-", "-o", str(tmp_path / "b"), stdin=yaml.safe_dump(doc))
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: recipe has no K8s measurement and no componentRefs")
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "b").exists()


def test_in_process_run_writes_the_bundle_and_a_yaml_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "bundle",
            "-f",
            str(RECIPE),
            "-o",
            str(tmp_path),
            "-t",
            "yaml",
            "--annotation",
            "owner=platform",
            "--chart-repo",
            "network-operator=https://charts.example.com/nv",
        ]
    )
    assert code == 0
    doc = yaml.safe_load(capsys.readouterr().out)
    assert [c["status"] for c in doc["components"]] == ["ok", "ok"]
    policy = yaml.safe_load(
        (tmp_path / "02-network-operator/manifests/nicclusterpolicy.yaml").read_text()
    )
    assert policy["metadata"]["annotations"] == {"owner": "platform"}
    assert "https://charts.example.com/nv" in (tmp_path / "charts.txt").read_text()


def test_in_process_failures_return_the_error_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = "gpu-operator:driver.version='no good'"
    assert main(["bundle", "-f", str(RECIPE), "-o", str(tmp_path / "b"), "--set", bad]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("Error: gpu-operator: ")
    assert main(["bundle", "-f", str(RECIPE), "-o", str(tmp_path), "--label", "x"]) == 2
    assert "--label expects KEY=VALUE" in capsys.readouterr().err
    assert main(["bundle", "-f", str(RECIPE), "-o", str(tmp_path / "c")]) == 0
    assert main(["bundle", "-f", str(RECIPE), "-o", str(tmp_path / "c")]) == 2
    assert "already holds a bundle; use --force" in capsys.readouterr().err


def test_a_failing_component_fails_the_command_after_the_others_are_written(
    tmp_path: Path,
) -> None:
    recipe = run("recipe", "--service", "eks", "--gpu", "h100").stdout
    bad = "kube-prometheus-stack:prometheus.prometheusSpec.image.tag='bad tag'"
    done = run("bundle", "-f", "-", "-o", str(tmp_path / "b"), "--set", bad, stdin=recipe)
    assert done.returncode == 2
    assert "not an image reference" in done.stderr
    assert list((tmp_path / "b").glob("*-cert-manager"))
    done = run(
        "bundle", "-f", "-", "-o", str(tmp_path / "ff"), "--fail-fast", "--set", bad, stdin=recipe
    )
    assert done.returncode == 2 and not (tmp_path / "ff").exists()


def test_help_teaches_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["bundle", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for needle in ("--set COMPONENT:PATH=VALUE", "--registry", "deploy.sh", "examples:"):
        assert needle in text


def test_existing_bundles_need_force(tmp_path: Path) -> None:
    assert run("bundle", "-f", str(RECIPE), "-o", str(tmp_path)).returncode == 0
    again = run("bundle", "-f", str(RECIPE), "-o", str(tmp_path))
    assert again.returncode == 2
    assert again.stderr == f"Error: {tmp_path} already holds a bundle; use --force to replace it\n"
    assert again.stdout == ""
    assert run("bundle", "-f", str(RECIPE), "-o", str(tmp_path), "--force").returncode == 0


def test_a_snapshot_is_not_a_recipe(tmp_path: Path) -> None:
    snapshot = Path(__file__).parents[1] / "fixtures/reference/snapshots/h100.yaml"
    proc = run("bundle", "-f", str(snapshot), "-o", str(tmp_path))
    assert proc.returncode == 2
    assert "not a Recipe document: kind 'Snapshot'" in proc.stderr


def test_missing_recipe_file_exits_3(tmp_path: Path) -> None:
    proc = run("bundle", "-f", str(tmp_path / "nope.yaml"), "-o", str(tmp_path))
    assert proc.returncode == 3
    assert "file not found" in proc.stderr


def test_other_commands_do_not_import_jinja_or_the_bundlers() -> None:
    code = (
        "import sys; from eidos.cli.app import build_parser; "
        "build_parser(['recipe', '--os', 'ubuntu']); build_parser(['bundle']); "
        "print(sorted(m for m in sys.modules if m.startswith(('jinja2', 'eidos.bundlers'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_bundle_command_does_not_load_asyncio(tmp_path: Path) -> None:
    # the bundlers run in threads: asyncio's import alone cost a cold bundle ~40 ms
    code = (
        "import sys; from eidos.cli import main; "
        f"rc = main(['bundle', '-f', {str(RECIPE)!r}, '-o', {str(tmp_path)!r}]); "
        "print(rc, 'asyncio' in sys.modules, file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.strip().splitlines()[-1] == "0 False"


def test_same_recipe_gives_identical_bundles_across_processes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert run("bundle", "-f", str(RECIPE), "-o", str(tmp_path / name)).returncode == 0
    for path in (tmp_path / "a").rglob("*"):
        if path.is_file():
            twin = tmp_path / "b" / path.relative_to(tmp_path / "a")
            assert twin.read_bytes() == path.read_bytes()


def test_a_recipe_of_another_api_version_is_refused(tmp_path: Path) -> None:
    doc = yaml.safe_load(RECIPE.read_text())
    doc["apiVersion"] = "recipe.dgxc.io/v2"
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(doc))
    proc = run("bundle", "-f", str(path), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert proc.stderr == (
        f"Error: {path}: unsupported apiVersion 'recipe.dgxc.io/v2' for kind Recipe "
        "(expected recipe.dgxc.io/v1)\n"
    )
    assert not (tmp_path / "out").exists()
