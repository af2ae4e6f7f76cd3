"""The error tree: subclasses only narrow their parent, and the drawing tells the truth."""

from __future__ import annotations

import re

import pytest

from eidos import errors, names

CLASSES = [getattr(errors, name) for name in errors.__all__]


def _parent(cls: type[errors.EidosError]) -> type[errors.EidosError]:
    return cls.__mro__[1]


@pytest.mark.parametrize(
    "cls",
    [c for c in CLASSES if _parent(c) not in (errors.EidosError, Exception)],
    ids=lambda c: c.__name__,
)
def test_a_subclass_keeps_what_handlers_of_its_parent_rely_on(cls):
    # `except Parent` decides on exit code and retrying; a subclass may not change either.
    parent = _parent(cls)
    assert cls.exit_code == parent.exit_code
    assert cls.retryable == parent.retryable


def test_nothing_definite_hides_under_the_retryable_unavailable_error():
    assert not issubclass(errors.UnauthorizedError, errors.UnavailableError)
    assert errors.UnauthorizedError.retryable is False
    assert errors.UnavailableError.retryable is True


def test_a_bug_is_not_retryable_and_recipe_failures_are_not_bugs():
    assert errors.InternalError.retryable is False
    assert errors.RecipeError.code != "INTERNAL"
    assert errors.RecipeError.exit_code == names.EXIT_RECIPE
    assert issubclass(errors.NoMatchingRuleError, errors.RecipeError)
    assert not issubclass(errors.NoMatchingRuleError, errors.NotFoundError)


def test_every_exit_code_is_a_documented_one():
    assert {c.exit_code for c in CLASSES} <= set(names.EXIT_CODES)


def test_the_drawn_tree_matches_the_classes():
    drawn = {}
    for line in (errors.__doc__ or "").splitlines():
        match = re.search(
            r"(\w+Error)\s+([A-Z_]+)\s+exit (\d)\s+HTTP (\d{3})\s*(retryable)?\s*$", line
        )
        if match:
            name, code, exit_code, status, retryable = match.groups()
            depth = line.index(name)
            drawn[name] = (code, int(exit_code), int(status), bool(retryable), depth)
    assert set(drawn) == {c.__name__ for c in CLASSES}
    for cls in CLASSES:
        code, exit_code, status, retryable, depth = drawn[cls.__name__]
        assert (code, exit_code, status, retryable) == (
            cls.code,
            cls.exit_code,
            cls.http_status,
            cls.retryable,
        ), cls.__name__
        # indentation follows the inheritance depth
        assert depth == 4 * (len(cls.__mro__) - 3), cls.__name__
