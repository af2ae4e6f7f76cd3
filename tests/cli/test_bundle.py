"""``eidos bundle`` as a user runs it: real subprocesses, exit codes, stdout summary."""

from __future__ import annotations

import io
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


def test_bundles_both_operators_and_prints_a_table(tmp_path: Path) -> None:
    proc = run("bundle", "-f", str(RECIPE), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["BUNDLER", "FILES", "BYTES", "DURATION", "STATUS"]
    assert [line.split()[0] for line in lines[1:]] == ["gpu-operator", "network-operator"]
    assert all(line.split()[1] == "6" and line.split()[-1] == "ok" for line in lines[1:])
    assert (tmp_path / "out/gpu-operator/checksums.txt").is_file()
    assert proc.stderr == ""


def test_default_output_is_bundles_in_the_working_directory(tmp_path: Path) -> None:
    proc = run("bundle", "-f", str(RECIPE), "-b", "gpu-operator", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "bundles/gpu-operator/values.yaml").is_file()


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_json_and_yaml_summaries_list_files_with_digests(tmp_path: Path, fmt: str) -> None:
    proc = run("bundle", "-f", str(RECIPE), "-o", str(tmp_path), "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout) if fmt == "json" else yaml.safe_load(proc.stdout)
    assert doc["success"] is True and doc["totalFiles"] == 12
    files = {f["path"]: f for f in doc["bundlers"][0]["files"]}
    assert files["scripts/install.sh"]["mode"] == "0755"
    assert files["values.yaml"]["size"] == (tmp_path / "gpu-operator/values.yaml").stat().st_size


def test_recipe_from_stdin_and_bundlers_repeated_and_comma_split(tmp_path: Path) -> None:
    proc = run(
        "bundle",
        "-f",
        "-",
        "-o",
        str(tmp_path),
        "-b",
        " network-operator , ",
        "-b",
        "network-operator",
        stdin=RECIPE.read_text(),
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".eidos-bundle", "network-operator"]


def test_unknown_bundler_lists_the_valid_ones_and_exits_2(tmp_path: Path) -> None:
    proc = run("bundle", "-f", str(RECIPE), "-o", str(tmp_path), "-b", "gpu-operator,nope")
    assert proc.returncode == 2
    assert proc.stderr == (
        "Error: unknown bundler 'nope'; valid bundlers: gpu-operator, network-operator\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_existing_bundles_need_force(tmp_path: Path) -> None:
    assert run("bundle", "-f", str(RECIPE), "-o", str(tmp_path)).returncode == 0
    again = run("bundle", "-f", str(RECIPE), "-o", str(tmp_path))
    assert again.returncode == 2
    assert again.stderr == f"Error: {tmp_path} already holds a bundle; use --force to replace it\n"
    assert again.stdout == ""
    assert run("bundle", "-f", str(RECIPE), "-o", str(tmp_path), "--force").returncode == 0


def test_overrides_reach_the_scripts(tmp_path: Path) -> None:
    proc = run(
        "bundle",
        "-f",
        str(RECIPE),
        "-o",
        str(tmp_path),
        "-b",
        "gpu-operator",
        "--namespace",
        "gpu-system",
        "--chart-version",
        "gpu-operator=v25.3.3",
        "--chart-repo",
        "gpu-operator=https://charts.example.com/nv",
        "--label",
        "team=ml",
    )
    assert proc.returncode == 0, proc.stderr
    script = (tmp_path / "gpu-operator/scripts/install.sh").read_text()
    assert "NAMESPACE=gpu-system" in script
    assert "CHART_VERSION=v25.3.3" in script
    assert "REPO_URL=https://charts.example.com/nv" in script
    assert "REPO_NAME=eidos-gpu-operator" in script
    assert "CHART=eidos-gpu-operator/gpu-operator" in script
    policy = yaml.safe_load((tmp_path / "gpu-operator/manifests/clusterpolicy.yaml").read_text())
    assert policy["metadata"]["labels"] == {"team": "ml"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--chart-version", "gpu-operator"], "--chart-version expects KEY=VALUE"),
        (["--chart-version", "dcgm=v1"], "chart override for unknown bundler 'dcgm'"),
        (["--namespace", "Bad NS"], "invalid namespace"),
        (["--format", "xml"], "unknown output format 'xml'"),
        (["-o", "../escape"], "must not contain '..' components"),
        (["-b", ""], "no bundler selected; valid bundlers: gpu-operator, network-operator"),
        (["-b", " , "], "no bundler selected"),
    ],
)
def test_bad_arguments_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    proc = run("bundle", "-f", str(RECIPE), *args, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert proc.stdout == ""


def test_a_snapshot_is_not_a_recipe(tmp_path: Path) -> None:
    snapshot = Path(__file__).parents[1] / "fixtures/reference/snapshots/h100.yaml"
    proc = run("bundle", "-f", str(snapshot), "-o", str(tmp_path))
    assert proc.returncode == 2
    assert "not a Recipe document: kind 'Snapshot'" in proc.stderr


def test_missing_recipe_file_exits_3(tmp_path: Path) -> None:
    proc = run("bundle", "-f", str(tmp_path / "nope.yaml"), "-o", str(tmp_path))
    assert proc.returncode == 3
    assert "file not found" in proc.stderr


def test_recipe_without_k8s_names_bundler_and_key(tmp_path: Path) -> None:
    doc = yaml.safe_load(RECIPE.read_text())
    doc["measurements"] = [m for m in doc["measurements"] if m["type"] != "K8s"]
    proc = run("bundle", "-f", "-", "-o", str(tmp_path), stdin=yaml.safe_dump(doc))
    assert proc.returncode == 2
    assert "gpu-operator: recipe has no K8s measurement" in proc.stderr
    assert "network-operator: recipe has no K8s measurement" in proc.stderr
    assert "Traceback" not in proc.stderr


def _without_network_operator() -> str:
    doc = yaml.safe_load(RECIPE.read_text())
    for m in doc["measurements"]:
        for s in m["subtypes"]:
            if s["subtype"] == "image":
                del s["data"]["network-operator"]
    return yaml.safe_dump(doc)


def test_one_failing_bundler_fails_the_command_after_the_other_finished(tmp_path: Path) -> None:
    proc = run("bundle", "-f", "-", "-o", str(tmp_path), stdin=_without_network_operator())
    assert proc.returncode == 2
    assert proc.stderr == (
        "Error: network-operator: recipe has no K8s/image/network-operator "
        "(the Network Operator version to install)\n"
    )
    assert (tmp_path / "gpu-operator/values.yaml").is_file()
    rows = {line.split()[0]: line.split()[-1] for line in proc.stdout.splitlines()[1:]}
    assert rows == {"gpu-operator": "ok", "network-operator": "failed"}


def test_fail_fast_writes_nothing_when_a_bundler_rejects_the_recipe(tmp_path: Path) -> None:
    proc = run(
        "bundle", "-f", "-", "-o", str(tmp_path), "--fail-fast", stdin=_without_network_operator()
    )
    assert proc.returncode == 2
    assert list(tmp_path.iterdir()) == []


def test_help_teaches_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["bundle", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "bundlers: gpu-operator, network-operator" in out
    assert "eidos bundle -f recipe.yaml -b gpu-operator -o out" in out


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


def test_in_process_run_writes_bundles_and_a_yaml_summary(
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
    assert [b["status"] for b in doc["bundlers"]] == ["ok", "ok"]
    policy = yaml.safe_load(
        (tmp_path / "network-operator/manifests/nicclusterpolicy.yaml").read_text()
    )
    assert policy["metadata"]["annotations"] == {"owner": "platform"}


def test_in_process_failures_return_the_first_error_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(_without_network_operator().encode()))
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["bundle", "-f", "-", "-o", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert "network-operator  0" in captured.out
    assert captured.err.startswith("Error: network-operator: recipe has no")
    assert main(["bundle", "-f", str(RECIPE), "-o", str(tmp_path), "--label", "x"]) == 2
    assert "--label expects KEY=VALUE" in capsys.readouterr().err
    assert main(["bundle", "-f", str(RECIPE), "-o", str(tmp_path)]) == 2
    assert "already holds a bundle; use --force" in capsys.readouterr().err


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
