from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from eidos.cli import main

EIDOS = [sys.executable, "-m", "eidos"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*EIDOS, *args], capture_output=True, text=True, input=stdin, timeout=30, check=False
    )


def test_query_mode_prints_a_full_recipe_as_yaml():
    proc = run(
        "recipe", "--os", "ubuntu", "--service", "eks", "--gpu", "h100", "--intent", "training"
    )
    assert proc.returncode == 0, proc.stderr
    doc = yaml.safe_load(proc.stdout)
    assert doc["kind"] == "Recipe" and doc["apiVersion"] == "recipe.dgxc.io/v1"
    assert doc["request"] == {"os": "ubuntu", "service": "eks", "gpu": "h100", "intent": "training"}
    assert doc["matchedRules"]
    image = next(
        s
        for m in doc["measurements"]
        if m["type"] == "K8s"
        for s in m["subtypes"]
        if s["subtype"] == "image"
    )
    assert image["data"]["gpu-operator"].startswith("v")


def test_snapshot_mode_with_reference_data_matches_golden(reference):
    proc = run(
        "recipe",
        "--data",
        str(reference / "recipe-data-v1.yaml"),
        "-f",
        str(reference / "snapshots/h100.yaml"),
        "--intent",
        "training",
        "-t",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    golden = yaml.safe_load((reference / "recipes/h100-eks-ubuntu-training.yaml").read_text())
    assert doc["matchedRules"] == golden["matchedRules"]
    assert doc["measurements"] == golden["measurements"]


def test_snapshot_from_stdin(reference):
    text = (reference / "snapshots/h100.yaml").read_text()
    proc = run(
        "recipe", "--data", str(reference / "recipe-data-v1.yaml"), "--snapshot", "-", stdin=text
    )
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load(proc.stdout)["request"]["gpu"] == "h100"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--gpu", "t4"], 2, "invalid gpu type 't4'; valid values: any, h100"),
        (["--os", "windows"], 2, "valid values: any, ubuntu, rhel, cos, amazonlinux"),
        (["--k8s", "1.x"], 2, "invalid kubernetes version"),
        (["--kernel", "-6.8"], 2, "kernel version cannot contain negative numbers"),
        (["-t", "xml"], 2, "unknown output format 'xml'; valid formats: yaml, json, table"),
        (["-f", "/nonexistent/snap.yaml"], 3, "file not found: /nonexistent/snap.yaml"),
        (["-f", "http://127.0.0.1:9/s.yaml"], 3, "cannot reach"),
        (["-f", "http://127.0.0.1:port/s.yaml"], 2, "invalid URL 'http://127.0.0.1:port/s.yaml'"),
        (["-f", "https:///s.yaml"], 2, "invalid URL 'https:///s.yaml': no host given"),
        (["--data", "/nonexistent"], 3, "file not found"),
        (["-o", "/nonexistent/dir/r.yaml"], 3, "does not exist"),
        (
            ["--gpu", "a100", "--service", "oke", "--strict", "--data", "REF"],
            5,
            "no overlay matched",
        ),
        (["--bogus"], 2, "unrecognized arguments: --bogus\nRun 'eidos recipe --help'"),
        (
            ["--osv", "24.x"],
            2,
            "invalid os version '24.x': component 'x' is not a number (expected "
            "[v]MAJOR[.MINOR[.PATCH]] with optional -/+ extras, e.g. 24.04)",
        ),
    ],
)
def test_bad_input_exits_with_documented_codes_and_one_line(args, code, message, reference):
    args = [str(reference / "recipe-data-v1.yaml") if a == "REF" else a for a in args]
    proc = run("recipe", *args)
    assert proc.returncode == code, proc.stderr
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kind: Recipe\nmeasurements: []\n", "not a Snapshot document: kind 'Recipe'"),
        ("just text\n", "not a Snapshot document"),
        ("kind: Snapshot\nmeasurements: [{type: OS, subtypes: 3}]\n", "subtypes: expected a list"),
        ("a: [1,\n", "invalid YAML"),
    ],
)
def test_documents_that_are_not_snapshots_exit_2(tmp_path, content, message):
    path = tmp_path / "s.yaml"
    path.write_text(content)
    proc = run("recipe", "-f", str(path))
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_base_only_warns_on_stderr_and_still_succeeds(reference, capsys):
    code = main(["recipe", "--data", str(reference / "recipe-data-v1.yaml"), "--gpu", "a100"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "warning: no overlay matched gpu=a100" in err
    assert yaml.safe_load(out)["kind"] == "Recipe"


def test_output_file_and_formats(tmp_path):
    target = tmp_path / "r.json"
    assert (
        main(["recipe", "--gpu", "h100", "--service", "eks", "-t", "json", "-o", str(target)]) == 0
    )
    assert json.loads(target.read_text())["request"]["gpu"] == "h100"
    table = tmp_path / "r.txt"
    assert main(["recipe", "--gpu", "h100", "-t", "table", "-o", str(table)]) == 0
    assert "TYPE" in table.read_text() and "SUBTYPE" in table.read_text()


def test_context_flag(capsys):
    main(["recipe", "--gpu", "h100", "--context", "-t", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert any("context" in s for m in doc["measurements"] for s in m["subtypes"])
    main(["recipe", "--gpu", "h100", "-t", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert not any("context" in s for m in doc["measurements"] for s in m["subtypes"])


def test_version_help_and_completion():
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("eidos version ")
    helptext = run("recipe", "--help").stdout
    assert "examples:" in helptext and "--strict" in helptext
    for shell in ("bash", "zsh", "fish"):
        proc = run("completion", shell)
        assert proc.returncode == 0 and "recipe" in proc.stdout
    bash = run("completion", "bash").stdout
    assert "h100" in bash and "complete -o default -F _eidos eidos" in bash


def test_bash_completion_script_really_completes(tmp_path: Path):
    script = run("completion", "bash").stdout
    probe = tmp_path / "probe.sh"
    probe.write_text(
        script + "\nCOMP_WORDS=(eidos recipe --gpu h); COMP_CWORD=3; _eidos; "
        'echo "${COMPREPLY[*]}"\n'
    )
    out = subprocess.run(["bash", str(probe)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["h100", "h200"]


def test_debug_flag_shows_traceback_for_errors():
    proc = run("--debug", "recipe", "-f", "/nonexistent.yaml")
    assert proc.returncode == 3
    assert "Traceback" in proc.stderr and "file not found" in proc.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "kind: Snapshot\nmeasurements: []\n",
            "recipe data must be a mapping with base, overlays or components, "
            "got a Snapshot document",
        ),
        (
            "a: 1\n",
            "recipe data must be a mapping with base, overlays or components, got a mapping",
        ),
        ("a: [1,\n", "cannot load recipe data"),
        ("", "cannot load recipe data"),
    ],
)
def test_data_that_is_not_recipe_data_exits_5(tmp_path, content, message):
    path = tmp_path / "data.yaml"
    path.write_text(content)
    proc = run("recipe", "--data", str(path), "--gpu", "h100")
    assert proc.returncode == 5, proc.stderr
    assert message in proc.stderr
    assert proc.stdout == "" and proc.stderr.count("\n") == 1


def test_a_snapshot_of_another_api_version_is_refused(reference):
    text = (reference / "snapshots/h100.yaml").read_text()
    text = text.replace("snapshot.dgxc.io/v1", "snapshot.dgxc.io/v9")
    proc = run("recipe", "-f", "-", stdin=text)
    assert proc.returncode == 2
    assert proc.stderr == (
        "Error: stdin: unsupported apiVersion 'snapshot.dgxc.io/v9' for kind Snapshot "
        "(expected snapshot.dgxc.io/v1)\n"
    )


def test_malformed_yaml_names_line_and_column_without_parser_noise(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("\n\nkind: Snapshot\nmeasurements: [\n")
    proc = run("recipe", "-f", str(path))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"Error: {path}: invalid YAML: line 5, column 1: ")
    assert "<unicode string>" not in proc.stderr


def test_criteria_flags_next_to_a_snapshot_are_reported_as_ignored(reference):
    proc = run(
        "recipe", "-f", str(reference / "snapshots/h100.yaml"), "--gpu", "a100", "--os", "rhel"
    )
    assert proc.returncode == 0, proc.stderr
    assert "warning: --os, --gpu ignored: with --snapshot the criteria come from the snapshot" in (
        proc.stderr
    )
    assert yaml.safe_load(proc.stdout)["request"]["gpu"] == "h100"


def test_base_only_warning_follows_the_log_format():
    proc = run("--log-format", "json", "recipe")
    assert proc.returncode == 0
    (line,) = proc.stderr.splitlines()
    record = json.loads(line)
    assert record["level"] == "WARNING"
    assert record["msg"].startswith("no overlay matched an empty query")
