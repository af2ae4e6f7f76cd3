"""How the ``eidos`` program ends a one-shot command: output flushed whole, then no teardown.

Real subprocesses: the fast end (``os._exit``) must never lose output, turn a vanished
reader into a traceback, or skip the teardown where coverage or another thread needs it.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from eidos.cli import main

EIDOS = [sys.executable, "-m", "eidos"]
RECIPE = Path(__file__).parents[1] / "fixtures/reference/recipes/h100-eks-ubuntu-training.yaml"
ENV = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}


def _spawn(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*EIDOS, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
        env=ENV,
    )


def test_output_larger_than_the_pipe_arrives_whole(capsys):
    args = ["recipe", "--service", "eks", "--gpu", "h100", "--intent", "training", "--context"]
    args += ["-t", "json"]
    assert main(args) == 0
    expected = capsys.readouterr().out
    read, write = os.pipe()
    size = fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 4096)
    assert len(expected) > 4 * size  # the child must block on a full pipe, several times
    with os.fdopen(read, "rb") as reader:
        proc = subprocess.Popen([*EIDOS, *args], stdout=write, stderr=subprocess.PIPE, env=ENV)
        os.close(write)
        got = reader.read()
        assert proc.stderr is not None
        assert (proc.wait(timeout=60), proc.stderr.read()) == (0, b"")
        proc.stderr.close()
    assert got.decode() == expected
    json.loads(got)


def test_a_reader_that_went_away_is_not_an_error():
    read, write = os.pipe()
    os.close(read)  # nobody will read: the first write fails with EPIPE
    try:
        proc = _spawn("recipe", "--gpu", "h100", stdout=write)
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr) == (0, "")


def test_a_full_disk_on_stdout_is_exit_3_with_one_line():
    with open("/dev/full", "w") as full:
        proc = _spawn("recipe", "--gpu", "h100", stdout=full.fileno())
    assert proc.returncode == 3
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("Error: I/O error")
    assert "Traceback" not in proc.stderr


def test_a_bundle_is_complete_when_the_program_has_ended(tmp_path):
    proc = _spawn("bundle", "-f", str(RECIPE), "-o", str(tmp_path / "b"))
    assert proc.returncode == 0, proc.stderr
    # the summary table goes to stdout through the buffer: flushed before the process ends
    assert proc.stdout.startswith("COMPONENT")
    assert proc.stdout.endswith(f"bytes in {tmp_path / 'b'}\n")
    sums = (tmp_path / "b" / "checksums.txt").read_text().splitlines()
    assert len(sums) > 5
    for line in sums:
        _, name = line.split(maxsplit=1)
        assert (tmp_path / "b" / name).is_file(), name


def _ending(setup: str, out: Path) -> subprocess.CompletedProcess[str]:
    """Run ``eidos recipe`` as the program does, after ``setup``; the teardown says so."""
    code = textwrap.dedent(
        f"""
        import atexit, sys
        {setup}
        atexit.register(lambda: print("teardown ran", file=sys.stderr))
        from eidos.cli import main
        sys.argv = ["eidos", "recipe", "--gpu", "h100", "-o", sys.argv[1]]
        sys.exit(main())
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=ENV,
    )


def test_a_one_shot_command_skips_the_teardown(tmp_path):
    proc = _ending("", tmp_path / "r.yaml")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert (tmp_path / "r.yaml").read_text().startswith("kind: Recipe")


def test_the_teardown_runs_while_another_thread_runs(tmp_path):
    setup = "import threading, time; threading.Thread(target=time.sleep, args=(0.5,)).start()"
    proc = _ending(setup, tmp_path / "r.yaml")
    assert (proc.returncode, proc.stderr) == (0, "teardown ran\n")


def test_the_teardown_runs_when_coverage_measures_the_process(tmp_path):
    proc = _ending("sys.modules.setdefault('coverage', type(sys)('coverage'))", tmp_path / "r.yaml")
    assert (proc.returncode, proc.stderr) == (0, "teardown ran\n")


def test_main_called_by_another_program_returns():
    # tests, scripts and the API's callers call main(argv): it must come back to them
    assert main(["recipe", "--gpu", "h100", "-o", os.devnull]) == 0
