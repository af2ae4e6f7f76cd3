"""The docs examples are true: `eidos query` prints what docs/cli.md shows; the bundle
examples of docs/cli.md and the README tour run as written (deploy.sh --dry-run included)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def _examples() -> list[tuple[list[str], list[str]]]:
    section = DOC.read_text().split("## eidos query", 1)[1].split("\n## ", 1)[0]
    out = []
    for block in re.findall(r"```console\n(.*?)```", section, flags=re.DOTALL):
        current: tuple[list[str], list[str]] | None = None
        for line in block.splitlines():
            if line.startswith("$ eidos "):
                current = (shlex.split(line[2:]), [])
                out.append(current)
            elif current is not None:
                current[1].append(line)
    return out


EXAMPLES = _examples()


def test_the_docs_have_query_examples():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize(
    ("argv", "expected"), EXAMPLES, ids=[" ".join(a[1:4]) for a, _ in EXAMPLES]
)
def test_query_examples_print_what_the_docs_show(argv, expected):
    proc = subprocess.run(
        [sys.executable, "-m", "eidos", *argv[1:]], capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    shown = [line for line in expected if line != "..."]
    cut = expected.index("...") if "..." in expected else len(expected)
    assert lines[:cut] == expected[:cut]
    assert len(lines) >= len(shown)


def _bundle_scripts() -> list[tuple[str, str]]:
    """(where, bash script) of the bundle examples in docs/cli.md and the README's tour."""
    cli = DOC.read_text().split("## eidos bundle", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```console\n(.*?)```", cli, flags=re.DOTALL)[0]
    commands = [line[2:] for line in block.splitlines() if line.startswith("$ ")]
    readme = (DOC.parents[1] / "README.md").read_text()
    tour = re.split(r"\n# \d\. ", readme.split("# 3. ", 1)[1].split("```", 1)[0])[0]
    tour_lines = tour.replace("\\\n", " ").splitlines()[1:]
    return [
        ("docs/cli.md eidos bundle", "\n".join(commands)),
        ("README tour step 3", "\n".join(line for line in tour_lines if line.strip())),
    ]


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="sha256sum is not installed")
@pytest.mark.parametrize(("where", "script"), _bundle_scripts(), ids=lambda v: v[:30])
def test_bundle_examples_run_as_written(tmp_path, where, script):
    assert "eidos bundle" in script and "deploy.sh --dry-run" in script, where
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "eidos"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m eidos "$@"\n')
    wrapper.chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, (where, done.stderr[-2000:])
    assert "deploy finished" in done.stderr + done.stdout
