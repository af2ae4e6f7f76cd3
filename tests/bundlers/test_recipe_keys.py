"""Typed recipe reads: wrong types and unsafe strings are errors that name bundler and key."""

from __future__ import annotations

import pytest

from eidos.bundlers.recipe_keys import RecipeKeys, clean_text
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
