"""The argparse-free parser: every line it accepts, argparse parses to the same namespace.

``eidos.cli.fastargs`` parses the everyday lines of the fast commands without importing
argparse (docs/performance.md); anything else must fall through to argparse. The property
tests draw command lines from each command's real option strings, values that look like
options, abbreviations, help flags and positionals, and compare with argparse itself.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eidos.cli import fastargs
from eidos.cli.app import build_parser, declare, root_options
from eidos.names import COMMANDS

FAST = ("recipe", "query", "snapshot", "bundle")


def fast(argv: list[str]) -> fastargs.Namespace | None:
    return fastargs.parse(argv, tuple(COMMANDS), root_options(), declare)


def slow(argv: list[str]) -> dict[str, object] | None:
    """argparse's namespace for ``argv``, or None where it prints help or an error."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            return vars(build_parser(argv).parse_args(argv))
        except SystemExit:
            return None


def actions(command: str) -> list[argparse.Action]:
    sub = build_parser([command]).command_parser  # type: ignore[attr-defined]
    assert sub is not None
    return list(sub._actions)


def option_strings(command: str) -> list[str]:
    return sorted({s for action in actions(command) for s in action.option_strings})


VALUES = st.sampled_from(
    [
        *("ubuntu", "eks", "h100", "json", "yaml", "table", "-", "", "-x", "--", "--os", "-3"),
        *("a=b", "gpu-operator:driver.version=580", "recipe", "x y", "-t json", "cm://ns/n"),
    ]
)


def lines(command: str) -> st.SearchStrategy[list[str]]:
    flags = option_strings(command)
    noise = ["-h", "--help", "--", "positional", "--ser", "--out", "-tjson", "--debug=1"]
    noise += [f"{flags[0]}=v", "--no-context", "--log-format=json", "--log-format=xml"]
    token = st.one_of(st.sampled_from(flags), st.sampled_from(noise), VALUES)
    pair = st.tuples(st.sampled_from(flags), VALUES).map(list)
    eq = st.tuples(st.sampled_from([f for f in flags if f.startswith("--")]), VALUES).map(
        lambda fv: [f"{fv[0]}={fv[1]}"]
    )
    chunk = st.one_of(pair, pair, pair, pair, eq, eq, token.map(lambda t: [t]))
    # the required options, mostly there: else argparse refuses nearly every line
    required = [
        t
        for a in actions(command)
        if a.required and a.option_strings
        for t in (a.option_strings[0], "v")
    ]
    head = st.sampled_from([required, required, required, []])
    return st.tuples(head, st.lists(chunk, max_size=6)).map(
        lambda hc: [command, *hc[0], *(t for c in hc[1] for t in c)]
    )


@pytest.mark.parametrize("command", list(COMMANDS))
@settings(max_examples=200)
@given(data=st.data())
def test_a_line_parsed_without_argparse_is_parsed_as_argparse_parses_it(command, data):
    argv = data.draw(lines(command))
    quick = fast(argv)
    if quick is not None:
        assert slow(argv) == vars(quick), argv


@pytest.mark.parametrize(
    "argv",
    [
        ["recipe", "--os", "ubuntu", "--service", "eks", "--gpu", "h100", "--intent", "training"],
        ["recipe", "--accelerator=h100", "--no-context", "-t", "json", "-o", "-", "--strict"],
        ["query", "--gpu", "h100", "-s", "deploymentOrder", "--debug", "--log-format", "json"],
        ["snapshot", "-t", "json", "--collectors", "os", "--collectors", "gpu,systemd"],
        ["bundle", "-f", "r.yaml", "-o", "out", "--force", "--set", "a:b=c", "--set", "d:e=f"],
    ],
)
def test_everyday_lines_of_the_fast_commands_need_no_argparse(argv):
    quick = fast(argv)
    assert quick is not None
    assert vars(quick) == slow(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["recipe", "--help"],
        ["recipe", "--serv", "eks"],  # abbreviation
        ["recipe", "-tjson"],  # attached short value
        ["recipe", "--os"],  # missing value
        ["recipe", "--os", "--gpu", "h100"],  # an option where the value goes
        ["recipe", "--strict=yes"],  # a value for a flag
        ["recipe", "--log-format", "xml"],  # not a choice
        ["recipe", "extra"],  # a positional
        ["bundle", "-o", "out"],  # -f is required
        ["--debug", "recipe"],  # root options first
        ["completion", "bash"],  # a positional command
        [],
    ],
)
def test_what_the_fast_parser_does_not_model_goes_to_argparse(argv):
    assert fast(argv) is None


@pytest.mark.parametrize("command", FAST)
def test_fast_commands_declare_only_what_the_fast_parser_models(command):
    recorder = fastargs.Recorder()
    declare(recorder, command)  # raises Unsupported for anything not modelled
    assert len(recorder.by_string) == len(option_strings(command)) - 2  # all but -h/--help


def test_parsing_a_recipe_line_imports_no_argparse():
    argv = ["recipe", "--os", "ubuntu", "--service", "eks", "--gpu", "h100", "-t", "json"]
    code = (
        "import sys; from eidos.cli.app import declare, root_options; "
        "from eidos.cli import fastargs; from eidos.names import COMMANDS; "
        f"assert fastargs.parse({argv!r}, tuple(COMMANDS), root_options(), declare); "
        "print(' '.join(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    for heavy in ("argparse", "re", "gettext", "locale", "enum", "contextlib", "warnings"):
        assert heavy not in out, heavy
