"""Every regular expression in src/ runs in linear time on any input.

The patterns are found in the source (every ``re.<function>(pattern, ...)`` call, the pattern
evaluated in its module), so a new one cannot escape these checks. Two checks:

- statically, no repeat that can run more than once contains another such repeat (the shape
  behind catastrophic backtracking, e.g. ``(a+/?)*``);
- dynamically, each pattern meets 4 KB strings built to make backtracking blow up, under a
  generous CPU budget (a hang guard, not a timing).
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from cpu_guard import cpu_budget

SRC = Path(__file__).resolve().parent.parent / "src"
_FUNCTIONS = {"compile", "match", "fullmatch", "search", "sub", "subn", "split", "findall"}
_FUNCTIONS |= {"finditer"}


def _patterns() -> dict[str, re.Pattern[Any]]:
    """``module:line`` -> compiled pattern, for every ``re`` call in src/."""
    found: dict[str, re.Pattern[Any]] = {}
    for path in sorted((SRC / "eidos").rglob("*.py")):
        tree = ast.parse(path.read_text())
        calls = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _FUNCTIONS
            and node.args
        ]
        if not calls:
            continue
        module = ".".join(path.relative_to(SRC).with_suffix("").parts)
        namespace = vars(importlib.import_module(module))
        for call in calls:
            pattern = eval(compile(ast.Expression(call.args[0]), str(path), "eval"), namespace)
            flags = 0
            if call.func.attr == "compile" and len(call.args) > 1:
                flags = eval(compile(ast.Expression(call.args[1]), str(path), "eval"), namespace)
            found[f"{module}:{call.lineno}"] = re.compile(pattern, flags)
    return found


PATTERNS = _patterns()


def _nodes(sub: Any) -> Any:
    """Every (op, argument) node of a parsed pattern, depth first."""
    from re import _constants as c

    for op, av in sub:
        yield op, av
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            yield from _nodes(av[2])
        elif op is c.SUBPATTERN:
            yield from _nodes(av[3])
        elif op is c.BRANCH:
            for branch in av[1]:
                yield from _nodes(branch)
        elif op in (c.ASSERT, c.ASSERT_NOT):
            yield from _nodes(av[1])
        elif op is c.ATOMIC_GROUP:
            yield from _nodes(av)


def nested_repeats(pattern: re.Pattern[Any]) -> list[str]:
    """Repeats (able to run more than once, backtracking) that contain another such repeat."""
    from re import _constants as c
    from re import _parser

    def backtracking_loop(op: Any, av: Any) -> bool:
        return op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[1] > 1

    problems = []
    for op, av in _nodes(_parser.parse(pattern.pattern, pattern.flags)):
        if backtracking_loop(op, av) and any(backtracking_loop(*n) for n in _nodes(av[2])):
            problems.append(f"{pattern.pattern!r}")
    return problems


def test_the_sources_have_patterns_to_check() -> None:
    assert len(PATTERNS) >= 10
    # the recipe value checks are character classes now (eidos.charsets, tests/test_charsets.py)
    assert any(key.startswith("eidos.serializer.oci:") for key in PATTERNS)


def test_the_static_check_catches_the_shape_that_hung_bundle() -> None:
    assert nested_repeats(re.compile(r"/([A-Za-z0-9._@+-]+/?)*"))
    assert nested_repeats(re.compile(r"(?:x|a{1,5})*"))
    assert not nested_repeats(re.compile(r"([a-z]+)?/[a-z]*"))


@pytest.mark.parametrize("where", sorted(PATTERNS))
def test_no_pattern_nests_repeats(where: str) -> None:
    assert nested_repeats(PATTERNS[where]) == []


def _alphabet(pattern: re.Pattern[Any]) -> list[str]:
    """Characters the pattern names (literals, range ends, a member of each category)."""
    from re import _constants as c
    from re import _parser

    chars = {" ", "!", "\n", "a", "0", "/", ".", "-"}
    for op, av in _nodes(_parser.parse(pattern.pattern, pattern.flags)):
        items = av if op is c.IN else [(op, av)]
        for item_op, item in items:
            if item_op is c.LITERAL:
                chars.add(chr(item))
            elif item_op is c.RANGE:
                chars.update((chr(item[0]), chr(item[1])))
    return sorted(chars)


@st.composite
def _attack(draw: st.DrawFn, where: str) -> str:
    """A string the pattern accepts, one stretch of it repeated up to 4 KB, then junk.

    This is the input that makes a backtracking pattern try every way to split the run.
    """
    pattern = PATTERNS[where]
    letters = st.sampled_from(_alphabet(pattern))
    text = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode()
    accepted = draw(st.from_regex(re.compile(text, pattern.flags & ~re.DEBUG), fullmatch=True))
    if len(accepted) < 2:
        accepted += "".join(draw(st.lists(letters, min_size=2, max_size=4)))
    start = draw(st.integers(0, len(accepted) - 1))
    end = draw(st.integers(start + 1, min(len(accepted), start + 4)))
    run = accepted[start:end]
    ending = "".join(draw(st.lists(letters, max_size=3)))
    count = draw(st.integers(1, max(1, (4096 - len(accepted) - len(ending)) // len(run))))
    return accepted[:start] + run * count + accepted[end:] + ending


@pytest.mark.parametrize("where", sorted(PATTERNS))
def test_every_pattern_handles_hostile_4_kb_strings(where: str) -> None:
    pattern = PATTERNS[where]

    @settings(max_examples=20, deadline=None, phases=[Phase.explicit, Phase.generate])
    @given(text=_attack(where))
    def check(text: str) -> None:
        subject: Any = text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text
        with cpu_budget(2.0, f"{where} on {text[:30]!r}... ({len(text)} chars)"):
            pattern.fullmatch(subject)
            pattern.search(subject)
            pattern.findall(subject)

    check()
