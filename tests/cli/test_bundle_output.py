"""The bundle output directory under stress: real CLI processes, SIGKILLs and races.

Two recipes' outputs (A: the reference recipe, B: the same with another namespace) are
told apart byte for byte, so "complete" means: exactly every file of one run, nothing else.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eidos.bundlers.lock import OutputLock

EIDOS = [sys.executable, "-m", "eidos"]
RECIPE = Path(__file__).parents[1] / "fixtures/reference/recipes/h100-eks-ubuntu-training.yaml"
ARGS = {
    "A": ["bundle", "-f", str(RECIPE), "--force"],
    "B": ["bundle", "-f", str(RECIPE), "--force", "--namespace", "recipe-b"],
}


def _bundle(out: Path, which: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*EIDOS, *ARGS[which], "-o", str(out), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """Every file of a complete A and a complete B output."""
    base = tmp_path_factory.mktemp("expected")
    trees = {}
    for which in ARGS:
        proc = _bundle(base / which, which)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        trees[which] = _tree(base / which)
    assert trees["A"] != trees["B"] and trees["A"].keys() == trees["B"].keys()
    return trees


def _leftovers(parent: Path, name: str = "out") -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}.eidos-"))


def _leftovers_after_removal(parent: Path) -> list[str]:
    """Leftovers once the detached removal of the last replaced tree had time to finish.

    The CLI returns as soon as its new tree is in place; a detached process removes the
    old one (docs/performance.md), so right after the command it may still be there.
    """
    deadline = time.monotonic() + 20
    while (left := _leftovers(parent)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_force_refuses_a_users_directory_with_exit_3(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "gpu-operator").mkdir(parents=True)
    (out / "gpu-operator" / "my-values.yaml").write_text("mine: true\n")
    proc = _bundle(out, "A")
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 3
    assert stderr.startswith(f"Error: {out} is not empty and was not written by eidos bundle")
    assert stdout == ""
    assert _tree(out) == {"gpu-operator/my-values.yaml": b"mine: true\n"}


def test_a_failed_bundle_leaves_no_output_directory(tmp_path: Path) -> None:
    doc = RECIPE.read_text().replace("gpu-operator: v25.3.0", "gpu-operator: v1 x")
    assert doc != RECIPE.read_text()
    (tmp_path / "r.yaml").write_text(doc)
    out = tmp_path / "new" / "out"
    proc = subprocess.run(
        [*EIDOS, "bundle", "-f", str(tmp_path / "r.yaml"), "-b", "gpu-operator", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.yaml"]


def _kill_at_random(out: Path, which: str, rng: random.Random) -> None:
    """Run ``which`` into ``out`` and SIGKILL it: at a random time, or (one kill in two) just
    as it starts writing (a staging or moved-aside directory of its own appears)."""
    before = set(_leftovers(out.parent))
    proc = _bundle(out, which)
    if rng.random() < 0.5:
        time.sleep(rng.uniform(0.0, 0.5))
    else:
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            mine = set(_leftovers(out.parent)) - before
            if any(name.endswith((".new", ".old")) for name in mine):
                break
            time.sleep(0.0005)
        time.sleep(rng.uniform(0.0, 0.004))
    proc.kill()
    proc.communicate(timeout=30)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_sigkill_at_any_moment_leaves_the_complete_old_or_new_output(
    tmp_path: Path, expected: dict[str, dict[str, bytes]]
) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    out = tmp_path / "out"
    proc = _bundle(out, "A")
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    for kill in range(30):
        _kill_at_random(out, "AB"[kill % 2], rng)
        found = _tree(out)
        assert found in (expected["A"], expected["B"]), f"kill {kill} (seed {seed})"
    proc = _bundle(out, "B")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert _tree(out) == expected["B"]
    assert _leftovers_after_removal(tmp_path) == [], f"seed {seed}"


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_concurrent_writers_take_turns_and_never_mix_recipes(
    tmp_path: Path, expected: dict[str, dict[str, bytes]]
) -> None:
    out = tmp_path / "out"
    procs = [_bundle(out, "AB"[i % 2]) for i in range(8)]
    results = [(p.communicate(timeout=120), p.returncode) for p in procs]
    assert [code for _, code in results] == [0] * 8, [err for (_, err), _ in results]
    assert _tree(out) in (expected["A"], expected["B"])
    assert _leftovers_after_removal(tmp_path) == []


def test_no_wait_names_the_writer_holding_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputLock(tmp_path / ".out.eidos-lock", what=str(out)):
        proc = _bundle(out, "A", "--no-wait")
        stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 3
    assert stderr == (
        f"Error: {out} is being written by another eidos (pid {os.getpid()}); try again "
        "when it is done, or leave out --no-wait to wait for it\n"
    )
    assert not out.exists() and stdout == ""


def test_a_second_writer_waits_for_the_first(
    tmp_path: Path, expected: dict[str, dict[str, bytes]]
) -> None:
    out = tmp_path / "out"
    with OutputLock(tmp_path / ".out.eidos-lock", what=str(out)):
        proc = _bundle(out, "A")
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert line == (
            f"warning: waiting for another eidos (pid {os.getpid()}) to finish writing {out}\n"
        )
        assert proc.poll() is None and not out.exists()
    _, rest = proc.communicate(timeout=60)
    assert proc.returncode == 0, rest
    assert _tree(out) == expected["A"]
    assert _leftovers(tmp_path) == []


def test_interrupting_a_waiting_writer_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputLock(tmp_path / ".out.eidos-lock", what=str(out)):
        proc = _bundle(out, "A")
        assert proc.stderr is not None
        assert "waiting for another eidos" in proc.stderr.readline()
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert not out.exists()
    assert _leftovers(tmp_path) == []
