"""The `eidos query` examples in docs/cli.md print what the docs say they print."""

from __future__ import annotations

import re
import shlex
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
