"""``eidos completion``: the scripts parse, and bash completes values and file names."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

EIDOS = [sys.executable, "-m", "eidos"]
BASH = shutil.which("bash")


def script(shell: str) -> str:
    proc = subprocess.run(
        [*EIDOS, "completion", shell], capture_output=True, text=True, timeout=30, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def complete(words: list[str]) -> list[str]:
    """What bash offers for ``words`` (the last one being completed)."""
    assert BASH is not None
    quoted = " ".join(f"'{w}'" for w in words)
    probe = (
        script("bash")
        + f"\nCOMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; COMPREPLY=(); _eidos\n"
        + 'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    proc = subprocess.run(
        [BASH, "--norc", "--noprofile", "-c", probe],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return [line for line in proc.stdout.splitlines() if line]


def test_unknown_shell_exits_2_and_lists_the_valid_ones() -> None:
    proc = subprocess.run(
        [*EIDOS, "completion", "tcsh"], capture_output=True, text=True, timeout=30, check=False
    )
    assert proc.returncode == 2
    assert "invalid choice: 'tcsh' (choose from 'bash', 'zsh', 'fish')" in proc.stderr


@pytest.mark.skipif(BASH is None, reason="needs bash")
def test_bash_script_is_valid_bash() -> None:
    proc = subprocess.run(
        [BASH, "-n"], input=script("bash"), capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.skipif(BASH is None, reason="needs bash")
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["eidos", "rec"], ["recipe"]),
        (["eidos", "recipe", "--gpu", "h"], ["h100", "h200"]),
        (["eidos", "bundle", "--deployer", ""], ["helm", "argocd", "flux", "helmfile"]),
        (["eidos", "--log-format", ""], ["text", "json"]),
        (["eidos", "serve", "--log-level", "w"], ["warning"]),
        # a value that is a path: nothing from eidos, so bash's file completion takes over
        (["eidos", "bundle", "-f", ""], []),
        (["eidos", "recipe", "--data", ""], []),
        (["eidos", "snapshot", "-o", ""], []),
    ],
)
def test_bash_completes_values_and_leaves_paths_to_bash(
    words: list[str], expected: list[str]
) -> None:
    assert complete(words) == expected


def test_fish_script_completes_choices_and_files() -> None:
    text = script("fish")
    assert "-l gpu -l accelerator -xa 'h100 h200 gb200 b200 a100 l40 l40s'" in text
    assert "-s f -l recipe -r -F" in text


def test_zsh_script_loads_bash_completion() -> None:
    text = script("zsh")
    assert text.startswith("#compdef eidos\n")
    assert "bashcompinit" in text and "complete -o default -F _eidos eidos" in text
