"""``-o FILE`` as a user aims it: symlinks, FIFOs, kept permissions, unwritable places."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

EIDOS = [sys.executable, "-m", "eidos"]


def recipe_to(target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*EIDOS, "recipe", "--gpu", "h100", "-o", target],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_a_symlink_is_followed_and_stays_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "real" / "recipe.yaml"
    target.parent.mkdir()
    link = tmp_path / "recipe.yaml"
    link.symlink_to(target)
    proc = recipe_to(str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink()
    assert yaml.safe_load(target.read_text())["kind"] == "Recipe"
    assert sorted(p.name for p in target.parent.iterdir()) == ["recipe.yaml"]


def test_an_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "recipe.yaml"
    target.write_text("old\n")
    target.chmod(0o600)
    proc = recipe_to(str(target))
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith("kind: Recipe")


def test_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    proc = recipe_to(str(fifo))
    reader.join(timeout=10)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0].startswith("kind: Recipe")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="needs procfs")
def test_a_file_that_cannot_be_written_is_exit_3_and_one_line() -> None:
    proc = recipe_to("/proc/version")
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith("Error: cannot write /proc/version: ")
    assert proc.stderr.count("\n") == 1 and "internal error" not in proc.stderr
