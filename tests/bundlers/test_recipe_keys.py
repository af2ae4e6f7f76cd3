"""Typed recipe reads: wrong types and unsafe strings are errors that name bundler and key."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cpu_guard import cpu_budget
from eidos.bundlers.recipe_keys import KINDS, RecipeKeys, clean_text
from eidos.errors import BundlerValidationError
from eidos.model import Measurement, Recipe, Subtype


def _keys(data: dict[str, object], context: dict[str, str] | None = None) -> RecipeKeys:
    recipe = Recipe([Measurement("K8s", [Subtype("config", dict(data), context or {})])])  # type: ignore[arg-type]
    return RecipeKeys(recipe, "demo")


def test_flags_must_be_real_booleans() -> None:
    keys = _keys({"mig": "yes"})
    with pytest.raises(BundlerValidationError) as info:
        keys.flag("K8s/config/mig")
    assert str(info.value) == (
        "demo: recipe key K8s/config/mig must be true or false, got str 'yes'"
    )
    assert info.value.details == {"bundler": "demo", "key": "K8s/config/mig"}
    assert info.value.exit_code == 2


def test_absent_keys_give_the_default_and_are_not_recorded() -> None:
    keys = _keys({})
    assert keys.flag("K8s/config/mig", True) is True
    assert keys.text("K8s/config/x", "version") is None
    assert keys.used == {}


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("version", "v25.3.0", "v1\nfoo: bar"),
        ("version", "570.133.20", "$(id)"),
        ("version", "25.04-0.6.1.0-2", "a b"),
        ("registry", "registry.example.com:5000/nvidia", "nvcr.io/nvidia'; rm -rf /"),
        ("registry", "nvcr.io/nvidia", "NVCR.io/x"),
        ("path", "/home/kubernetes/bin/nvidia", "relative/path"),
        ("path", "/run/nvidia/driver", "/run/$(id)"),
        ("name", "all-1g.10gb", "x: y"),
        ("name", "all-balanced", "trailing-"),
    ],
)
def test_strings_must_match_their_kind(kind: str, good: str, bad: str) -> None:
    assert _keys({"v": good}).text("K8s/config/v", kind) == good
    with pytest.raises(BundlerValidationError, match="demo: recipe key K8s/config/v must be"):
        _keys({"v": bad}).text("K8s/config/v", kind)


def test_integer_versions_are_read_as_text_but_floats_are_not() -> None:
    assert _keys({"v": 570}).text("K8s/config/v", "version") == "570"
    with pytest.raises(BundlerValidationError, match=r"got float 12\.8"):
        _keys({"v": 12.8}).text("K8s/config/v", "version")


def test_choice_lists_the_allowed_values() -> None:
    with pytest.raises(BundlerValidationError, match="must be one of single, mixed"):
        _keys({"s": "none"}).choice("K8s/config/s", ("single", "mixed"), "single")


def test_require_names_the_key_and_its_purpose() -> None:
    with pytest.raises(
        BundlerValidationError, match=r"demo: recipe has no K8s/image/x \(the thing\)"
    ):
        _keys({}).require("K8s/image/x", "version", "the thing")


def test_later_subtypes_of_the_same_name_win() -> None:
    recipe = Recipe(
        [Measurement("K8s", [Subtype("config", {"mig": False}), Subtype("config", {"mig": True})])]
    )
    assert RecipeKeys(recipe, "demo").flag("K8s/config/mig") is True


def test_context_is_one_clean_line() -> None:
    keys = _keys({"mig": True}, {"mig": "line one\nline: two\x1b[31m"})
    assert keys.context("K8s/config/mig") == "line one line: two [31m"


def test_clean_text_limits_length() -> None:
    assert clean_text("x" * 300, 10) == "x" * 9 + "…"


#: The patterns before the rewrite (the host path one backtracked exponentially). Used as
#: the oracle on short inputs, where their backtracking is harmless: the linear checks must
#: accept exactly the same language.
PREVIOUS = {
    "version": re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}"),
    "registry": re.compile(
        r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*"
    ),
    "path": re.compile(r"/([A-Za-z0-9._@+-]+/?)*"),
    "name": re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?"),
}
SHORT = st.text(alphabet="aZ09._-+@/:!$ \n", max_size=14)


@settings(max_examples=400)
@given(kind=st.sampled_from(sorted(KINDS)), value=SHORT)
def test_linear_checks_accept_exactly_what_the_previous_patterns_did(kind: str, value: str) -> None:
    check, _ = KINDS[kind]
    assert check(value) == (PREVIOUS[kind].fullmatch(value) is not None)


#: prefixes, repeated runs and endings that make backtracking regexes blow up
PREFIXES = ["", "/", "a", "a.", "nvcr.io/", "a:1/", "v1."]
RUNS = ["a", "a/", "a.", "-", "a-", "/a", "0", ".", "_", "a.b/"]
ENDINGS = ["", "!", "/", "-", ".", " ", "\n", "//", ":", "$"]


@st.composite
def pathological(draw: st.DrawFn) -> str:
    prefix, run, ending = (draw(st.sampled_from(x)) for x in (PREFIXES, RUNS, ENDINGS))
    count = draw(st.integers(1, (4096 - len(prefix) - len(ending)) // len(run)))
    return prefix + run * count + ending


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(sorted(KINDS)), value=pathological())
@example(kind="path", value="/" + "a" * 30 + "!")  # minutes with the previous pattern
@example(kind="registry", value="a" + "/a" * 2000 + "!")
def test_any_value_up_to_4_kb_is_judged_without_backtracking(kind: str, value: str) -> None:
    check, _ = KINDS[kind]
    with cpu_budget(1.0, f"{kind} check of {value[:40]!r}... ({len(value)} chars)"):
        verdict = check(value)
    if verdict:  # accepted values really are of their kind
        assert kind != "path" or (value.startswith("/") and "//" not in value)


def test_the_reported_driver_install_dir_is_rejected_at_once() -> None:
    value = "/" + "a" * 30 + "!"
    with cpu_budget(1.0, "driver_install_dir"), pytest.raises(BundlerValidationError):
        _keys({"driver_install_dir": value}).text("K8s/config/driver_install_dir", "path")


@pytest.mark.parametrize(
    ("kind", "longest"), [("version", 128), ("registry", 255), ("path", 4096), ("name", 63)]
)
def test_values_longer_than_their_kind_allows_are_rejected(kind: str, longest: int) -> None:
    check, hint = KINDS[kind]
    value = {"version": "v", "registry": "a", "path": "/", "name": "a"}[kind]
    value += "a" * (longest - len(value))
    assert check(value)
    assert not check(value + "a")
    assert f"at most {longest}" in hint
