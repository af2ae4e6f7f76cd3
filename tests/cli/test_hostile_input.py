"""What a hostile user or server feeds the CLI: real subprocesses, one-line errors, exit codes,
nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eidos.errors import RecipeError
from eidos.recipe import RecipeStore
from eidos.serializer.limits import MAX_DEPTH
from http_fixtures import answer, drip, raw, serving, url

EIDOS = [sys.executable, "-m", "eidos"]
RECIPE = Path(__file__).parents[1] / "fixtures/reference/recipes/h100-eks-ubuntu-training.yaml"
SNAPSHOT = Path(__file__).parents[1] / "fixtures/reference/snapshots/h100.yaml"
NESTING = f"document refused: nested deeper than {MAX_DEPTH} levels (the nesting limit)"


def run(*args: str, redirect: str = "", env: dict[str, str] | None = None, stdin: str = ""):
    """Run eidos; ``redirect`` is a shell redirection such as ``>&-`` applied to it."""
    command = [*EIDOS, *args]
    if redirect:
        command = ["sh", "-c", f'exec "$@" {redirect}', "sh", *command]
    return subprocess.run(
        command,
        capture_output=not redirect,
        stderr=subprocess.PIPE if redirect else None,
        input=stdin if not redirect else None,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **(env or {})},
    )


# -- closed standard streams --------------------------------------------------------------


def test_a_closed_stdout_is_an_io_error_and_writes_nothing(tmp_path):
    proc = run("recipe", "--gpu", "h100", redirect=">&-")
    assert (proc.returncode, proc.stderr) == (
        3,
        "Error: standard output is closed; write to a file with -o FILE\n",
    )
    proc = run("bundle", "-f", str(RECIPE), "-o", str(tmp_path / "out"), redirect=">&-")
    assert proc.returncode == 3
    assert proc.stderr == "Error: standard output is closed; write to a file with -o FILE\n"
    assert not (tmp_path / "out").exists()


def test_a_closed_stdout_does_not_matter_when_output_goes_to_a_file(tmp_path):
    proc = run("recipe", "--gpu", "h100", "-o", str(tmp_path / "r.yaml"), redirect=">&-")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert (tmp_path / "r.yaml").read_text().startswith("kind: Recipe")


def test_a_closed_stdin_is_an_io_error(tmp_path):
    proc = run("bundle", "-f", "-", "-o", str(tmp_path / "out"), redirect="<&-")
    assert (proc.returncode, proc.stderr) == (
        3,
        "Error: standard input is closed; give a file instead of '-'\n",
    )
    proc = run("recipe", "--snapshot", "-", redirect="<&-")
    assert proc.returncode == 3 and "standard input is closed" in proc.stderr


def test_a_closed_stderr_still_gives_the_exit_code():
    proc = subprocess.run(
        ["sh", "-c", 'exec "$@" 2>&-', "sh", *EIDOS, "recipe", "--os", "windows"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2


# -- nesting, duplicates, aliases ----------------------------------------------------------


def _nested_json(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def _nested_yaml(levels: int) -> str:
    return "".join("  " * i + "a:\n" for i in range(levels - 1)) + "  " * (levels - 1) + "b: 1\n"


@pytest.mark.parametrize("make", [_nested_json, _nested_yaml], ids=["json", "yaml"])
@pytest.mark.parametrize("levels", [960, 1_500])
def test_deeply_nested_documents_are_one_line_naming_the_limit(tmp_path, make, levels):
    doc = tmp_path / "deep.doc"
    doc.write_text(make(levels))
    for args, code in (
        (["bundle", "-f", str(doc), "-o", str(tmp_path / "out")], 2),
        (["recipe", "--snapshot", str(doc)], 2),
        (["recipe", "--data", str(doc), "--gpu", "h100"], 5),
    ):
        proc = run(*args)
        assert proc.returncode == code, proc.stderr
        assert proc.stderr.count("\n") == 1 and proc.stderr.endswith(f"{doc}: {NESTING}\n")
    assert not (tmp_path / "out").exists()


def test_server_recipe_data_past_the_nesting_limit_is_a_typed_error(tmp_path):
    # what EIDOS_DATA / --data hand to the server at start-up
    doc = tmp_path / "data.json"
    doc.write_text(_nested_json(2_000))
    with pytest.raises(RecipeError) as info:
        RecipeStore.load(str(doc))
    assert info.value.message == f"cannot load recipe data: {doc}: {NESTING}"
    assert info.value.exit_code == 5


def test_the_api_server_refuses_such_data_at_start_up_with_one_line(tmp_path):
    doc = tmp_path / "data.yaml"
    doc.write_text(_nested_yaml(1_500))
    proc = subprocess.run(
        [sys.executable, "-m", "eidos.server", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "EIDOS_DATA": str(doc)},
    )
    assert proc.returncode == 5
    assert proc.stderr == f"Error: cannot load recipe data: {doc}: {NESTING}\n"


def test_a_duplicate_key_is_refused_naming_key_and_line(tmp_path):
    doc = tmp_path / "r.yaml"
    doc.write_text("kind: Recipe\napiVersion: recipe.dgxc.io/v1\nkind: Snapshot\n")
    proc = run("bundle", "-f", str(doc), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert proc.stderr == (
        f"Error: {doc}: invalid YAML: line 3, column 1: duplicate key 'kind' (first on line 1)\n"
    )
    proc = run("recipe", "--snapshot", "-", stdin='{"kind": "Snapshot",\n"kind": "Recipe"}')
    assert proc.returncode == 2
    assert proc.stderr == (
        "Error: stdin: invalid JSON: line 2, column 1: duplicate key 'kind' (first on line 1)\n"
    )


def test_alias_amplification_is_refused_before_any_work(tmp_path):
    # ~165 KB of YAML: 20,000 aliases of one 100 KB anchor (~2 GB once expanded)
    doc = tmp_path / "r.yaml"
    text = "kind: Recipe\nmatchedRules:\n  - &big " + "x" * 100_000 + "\n"
    doc.write_text(text + "".join("  - *big\n" for _ in range(20_000)))
    started = time.monotonic()
    proc = run("bundle", "-f", str(doc), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "larger than 16 MiB or 1000000 values once aliases are expanded" in proc.stderr
    assert time.monotonic() - started < 30  # minutes before the fix
    assert not (tmp_path / "out").exists()


# -- URLs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["http://127.0.0.1:9/a b.yaml", "http://127.0.0.1:9/a\r\nX: y"])
def test_a_malformed_url_exits_2(bad):
    proc = run("recipe", "--snapshot", bad)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"Error: invalid URL {bad!r}: it contains ")


def test_a_non_http_answer_exits_3():
    with serving(raw(b"SSH-2.0-OpenSSH_9.6\r\n")) as server:
        proc = run("recipe", "--snapshot", url(server))
    assert proc.returncode == 3
    assert proc.stderr == (
        f"Error: bad answer from {url(server)}: not an HTTP status line: SSH-2.0-OpenSSH_9.6\n"
    )


def test_a_download_cut_short_exits_3_and_writes_nothing(tmp_path):
    full = RECIPE.read_bytes()
    prefix = full[: full.index(b"  - type: K8s")]  # parses, but lacks K8s/config
    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(full)}\r\nConnection: close\r\n\r\n"
    with serving(raw(head.encode() + prefix)) as server:
        proc = run("bundle", "-f", url(server), "-o", str(tmp_path / "out"))
    assert proc.returncode == 3
    assert proc.stderr == (
        f"Error: {url(server)}: incomplete download: got {len(prefix)} of {len(full)} bytes\n"
    )
    assert not (tmp_path / "out").exists()
    with serving(answer(full)) as server:  # the whole answer bundles fine
        assert run("bundle", "-f", url(server), "-o", str(tmp_path / "out")).returncode == 0


def test_a_dripping_server_is_cut_off_by_the_whole_download_limit():
    with serving(drip(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nkind: ")) as server:
        started = time.monotonic()
        proc = run("recipe", "--snapshot", url(server), env={"EIDOS_URL_TIMEOUT": "1"})
        took = time.monotonic() - started
    assert proc.returncode == 3
    assert proc.stderr == (
        f"Error: cannot read {url(server)}: timed out after 1s "
        "(the limit for the whole download, EIDOS_URL_TIMEOUT)\n"
    )
    assert took < 30  # forever before the fix


def test_a_snapshot_url_still_makes_a_recipe():
    with serving(answer(SNAPSHOT.read_bytes())) as server:
        proc = run("recipe", "--snapshot", url(server), "-t", "json")
    assert proc.returncode == 0, proc.stderr
    assert '"kind": "Recipe"' in proc.stdout
