"""One source for every user-facing name: the CLI, the registries and the docs agree with it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from eidos import names

ROOT = Path(__file__).resolve().parent.parent


def _eidos(*args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "eidos", *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"},
    )
    return proc.stdout


def test_names_imports_nothing():
    tree = ast.parse((ROOT / "src" / "eidos" / "names.py").read_text())
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert imports == []


def test_the_exit_code_table_in_docs_is_the_names_table():
    text = (ROOT / "docs" / "cli.md").read_text()
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", text.split("| exit code | meaning |", 1)[1], re.M)
    table = {}
    for code, meaning in rows:
        if int(code) in table:
            break
        table[int(code)] = meaning
    assert table == {code: long for code, (_, long) in names.EXIT_CODES.items()}


def test_eidos_help_lists_every_exit_code_and_command_from_names():
    out = _eidos("--help")
    flat = " ".join(out.split())
    assert f"Exit codes: {names.exit_codes_line()}." in flat
    for command, help_line in names.COMMANDS.items():
        assert re.search(rf"^\s+{command}\s+{re.escape(help_line.split()[0])}", out, re.M)
        assert help_line in flat


def test_the_readme_states_the_same_exit_codes():
    flat = " ".join((ROOT / "README.md").read_text().split())
    assert f"Exit codes: {names.exit_codes_line()}" in flat


@pytest.mark.parametrize("command", list(names.COMMANDS))
def test_each_command_declares_the_help_line_of_the_table(command):
    import argparse

    module = __import__(f"eidos.cli.{command}", fromlist=["register"])
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    module.register(sub)
    (action,) = sub._choices_actions
    assert action.help == names.COMMANDS[command]


def test_registries_and_help_read_the_names():
    from eidos import collectors
    from eidos.bundlers.deployers import DEPLOYER_TABLE
    from eidos.bundlers.profiles import PROFILES
    from eidos.serializer import FORMATS

    assert tuple(collectors.BUILTIN) == names.COLLECTORS
    assert tuple(PROFILES) == names.BUNDLERS
    assert tuple(DEPLOYER_TABLE) == names.DEPLOYERS
    assert FORMATS == names.OUTPUT_FORMATS
    snapshot_help = " ".join(_eidos("snapshot", "--help").split())
    assert f"{', '.join(names.COLLECTORS)} (default all)" in snapshot_help
    assert f"output format: {', '.join(names.OUTPUT_FORMATS)}" in snapshot_help
    bundle_help = " ".join(_eidos("bundle", "--help").split())
    assert f"how the bundle installs: {', '.join(names.DEPLOYERS)}" in bundle_help
