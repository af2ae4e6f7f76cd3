"""The root command as a user meets it: usage errors, environment variables, help layout."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

EIDOS = [sys.executable, "-m", "eidos"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*EIDOS, *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize(
    "command", ["snapshot", "recipe", "bundle -f r.yaml", "serve", "completion bash"]
)
def test_an_unknown_flag_points_at_the_commands_help(command):
    proc = run(*command.split(), "--bogus")
    command = command.split()[0]
    assert proc.returncode == 2
    assert proc.stderr == (
        f"Error: unrecognized arguments: --bogus\nRun 'eidos {command} --help' for usage.\n"
    )
    assert proc.stdout == ""


def test_an_unknown_flag_before_any_command_points_at_eidos_help():
    proc = run("--bogus")
    assert proc.returncode == 2
    assert proc.stderr.endswith("Run 'eidos --help' for usage.\n")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("EIDOS_LOG_FORMAT", "xml", "invalid EIDOS_LOG_FORMAT 'xml': expected text or json"),
        ("EIDOS_DEBUG", "maybe", "invalid EIDOS_DEBUG 'maybe': expected true or false"),
    ],
)
def test_invalid_environment_values_exit_2(name, value, message):
    proc = run("recipe", "--gpu", "h100", env={name: value})
    assert proc.returncode == 2
    assert proc.stderr == f"Error: {message}" + (
        " (1/0, yes/no, on/off)\n" if name == "EIDOS_DEBUG" else "\n"
    )
    assert proc.stdout == ""


@pytest.mark.parametrize(
    ("env", "debug"),
    [({"EIDOS_DEBUG": "off", "EIDOS_LOG_FORMAT": "JSON"}, False), ({"EIDOS_DEBUG": "1"}, True)],
)
def test_valid_environment_values_are_honoured(env, debug):
    proc = run("recipe", "--os", "windows", env=env)
    assert proc.returncode == 2
    assert ("Traceback" in proc.stderr) is debug


def test_one_line_descriptions_wrap_to_the_terminal():
    proc = run("snapshot", "--help", env={"COLUMNS": "80"})
    assert proc.returncode == 0
    assert max(len(line) for line in proc.stdout.splitlines()[:12]) <= 80
    assert "Capture this node's configuration" in proc.stdout


def test_api_server_usage_errors_are_one_line_and_a_hint():
    proc = subprocess.run(
        [sys.executable, "-m", "eidos.server", "--bogus"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "Error: unrecognized arguments: --bogus\nRun 'eidos-api-server --help' for usage.\n"
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["recipe", "--gpu", "h100"], ["completion", "bash"]])
def test_a_full_stdout_is_an_io_error_not_a_crash(args):
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [*EIDOS, *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=30
        )
    assert proc.returncode == 3
    assert proc.stderr == "Error: I/O error: No space left on device\n"
