"""``eidos serve``: the same server as ``eidos-api-server``, started through the CLI."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from eidos.cli import serve as cli_serve
from eidos.cli.app import build_parser
from eidos.server.settings import OPTIONS


@pytest.mark.parametrize("option", OPTIONS, ids=[o.flag for o in OPTIONS])
def test_every_server_option_is_declared_and_handed_to_the_server(option):
    args = build_parser(["serve"]).parse_args(["serve", option.flag, "VALUE"])
    assert cli_serve.server_argv(args) == [option.flag, "VALUE"]


def test_serve_help_shows_each_option_with_its_variable(capsys):
    with pytest.raises(SystemExit):
        build_parser(["serve", "--help"]).parse_args(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option in OPTIONS:
        assert f"{option.flag} {option.metavar}" in text
        assert f"[{option.env}]" in text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_runs_the_api_server_and_drains_on_sigterm():
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "eidos",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--rate-limit",
            "0",
            "--access-log",
            "false",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/v1/recipe?gpu=h100&service=eks")
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        assert r.status_code == 200 and r.json()["request"] == {"service": "eks", "gpu": "h100"}
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_serve_rejects_bad_values_like_the_server():
    proc = subprocess.run(
        [sys.executable, "-m", "eidos", "serve", "--handler-timeout", "soon"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: invalid --handler-timeout 'soon'")


def test_a_port_in_use_exits_1_and_names_the_address():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "eidos", "serve", "--host", "127.0.0.1", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert proc.returncode == 1
    assert "address already in use" in proc.stderr
    assert f"could not start serving on 127.0.0.1:{port}" in proc.stderr
    assert "Traceback" not in proc.stderr


EIDOS_SERVE = [sys.executable, "-m", "eidos", "serve", "--host", "127.0.0.1", "--port", "0"]


def test_data_that_is_not_recipe_data_exits_5_before_listening(tmp_path):
    data = tmp_path / "snapshot.yaml"
    data.write_text("kind: Snapshot\nmeasurements: []\n")
    proc = subprocess.run(
        [*EIDOS_SERVE, "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 5
    assert proc.stderr == (
        f"Error: invalid recipe data: {data}: recipe data must be a mapping with base, "
        "overlays or components, got a Snapshot document\n"
    )
