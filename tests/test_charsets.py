"""Every value check written without ``re`` accepts exactly what its regular expression did.

The bundle path checks option values, recipe values, image references and YAML scalars
by character class (eidos.charsets; ``re`` with ``enum`` was ~5 ms of a cold ``eidos
bundle``). Each check here is held against the pattern it replaced, on generated text made
of the characters that matter (inside and outside each class, non-ASCII digits, line
breaks) and on lengths around each limit.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eidos.bundlers import config, images, markdown, overrides, recipe_keys
from eidos.charsets import label_key, label_value
from eidos.serializer import yamlfast

_ALPHABET = "aAzZ09_.-+/:@~%=,vsehtpgoci \n٣é'\"$"


def _texts(alphabet: str = _ALPHABET) -> st.SearchStrategy[str]:
    """Short texts, and long runs of one character framed by others (to reach the limits)."""
    char = st.sampled_from(alphabet)
    run = st.builds(
        lambda head, c, n, tail: head + c * n + tail,
        st.text(char, max_size=3),
        char,
        st.integers(0, 1100),
        st.text(char, max_size=3),
    )
    return st.one_of(st.text(char, max_size=12), run)


def _prefixed(prefixes: list[str], alphabet: str = _ALPHABET) -> st.SearchStrategy[str]:
    return st.builds(lambda p, t: p + t, st.sampled_from(prefixes), _texts(alphabet))


# (name, pattern, check, texts)
CASES: list[tuple[str, str, Callable[[str], object], st.SearchStrategy[str]]] = [
    ("namespace", r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", config._namespace, _texts()),
    (
        "chart version",
        r"v?[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}",
        config._chart_version,
        _prefixed(["", "v", "vv", "v1"]),
    ),
    (
        "chart repository",
        r"(https?|oci)://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%+=@/-]*)?",
        config._repo_url,
        _prefixed(["https://", "http://", "oci://", "ftp://", "https:/", "oci://a:", "", "h"]),
    ),
    (
        "Git URL",
        r"(https?|ssh|git)://[A-Za-z0-9._~%+@:-]+(/[A-Za-z0-9._~%+=@/-]*)?"
        r"|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+",
        config._git_url,
        _prefixed(["https://", "ssh://", "git://", "git@", "a@b:", "u@h://", "file://", ""]),
    ),
    ("Git revision", r"[A-Za-z0-9][A-Za-z0-9._/+-]{0,199}", config._git_revision, _texts()),
    ("Git path", r"[A-Za-z0-9._/-]{1,1024}", config._git_path, _texts()),
    (
        "label key",
        r"([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?",
        label_key,
        _texts(),
    ),
    ("label value", r"([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?", label_value, _texts()),
    ("--set integer", r"[-+]?(0|[1-9][0-9]{0,30})", overrides._int, _texts("0123456789-+.eE٣a")),
    (
        "--set decimal",
        r"[-+]?(0|[1-9][0-9]{0,30})\.[0-9]{1,30}([eE][-+]?[0-9]{1,3})?",
        overrides._float,
        _texts("0123456789-+.eE٣a"),
    ),
    ("--set component", r"[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?", overrides._component, _texts()),
    ("recipe version", r"[A-Za-z0-9_][A-Za-z0-9_.+-]*", recipe_keys._version, _texts()),
    (
        "recipe registry",
        r"([a-z0-9]|[a-z0-9][a-z0-9.-]*[a-z0-9])(:[0-9]{1,5})?"
        r"(/([a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9]))*",
        recipe_keys._registry,
        _texts(),
    ),
    ("recipe path", r"/[A-Za-z0-9._@+/-]*", recipe_keys._path, _prefixed(["/", "", "//"])),
    (
        "recipe name",
        r"[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]",
        recipe_keys._name,
        _texts(),
    ),
    ("image host", r"[a-z0-9][a-z0-9.-]{0,252}(:[0-9]{1,5})?", images._host, _texts()),
    ("image path segment", r"[a-z0-9][a-z0-9._-]{0,127}", images._segment, _texts()),
    ("image tag", r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", images._tag, _texts()),
    (
        "image digest",
        r"sha256:[a-f0-9]{64}",
        images._digest,
        _prefixed(["sha256:", "sha256", "sha512:"], "0123456789abcdefg"),
    ),
]


@pytest.mark.parametrize(("name", "pattern", "check", "texts"), CASES, ids=[c[0] for c in CASES])
def test_each_check_accepts_what_its_pattern_matches(name, pattern, check, texts):
    compiled = re.compile(pattern)
    # what the recipe checks asked besides the pattern (unchanged code around it)
    extra: dict[str, Callable[[str], bool]] = {
        "recipe version": lambda t: len(t) <= 128,
        "recipe registry": lambda t: len(t) <= 255,
        "recipe path": lambda t: len(t) <= 4096 and "//" not in t,
        "recipe name": lambda t: len(t) <= 63,
    }

    @settings(max_examples=300)
    @given(texts)
    def agree(text: str) -> None:
        expected = compiled.fullmatch(text) is not None
        expected = expected and extra.get(name, lambda t: True)(text)
        assert bool(check(text)) == expected, text

    agree()


_NUMBER_TEXT = _texts("0123456789-+.e٣ ")


@given(_NUMBER_TEXT)
def test_yaml_numbers_are_read_as_the_patterns_read_them(text):
    if re.fullmatch(r"-?(?:0|[1-9][0-9]*)", text):
        expected: object = int(text)
    elif re.fullmatch(r"-?[0-9]+\.[0-9]+(?:e[-+][0-9]+)?", text):
        expected = float(text)
    else:
        expected = None
    got = yamlfast._number(text) if text else None
    assert got == expected and type(got) is type(expected)


_WORD = re.compile(r"[^\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _clean_by_pattern(text: str, limit: int) -> str:
    words: list[str] = []
    length = -1
    for match in _WORD.finditer(text, 0, 8 * limit + 8):
        words.append(match.group())
        length += len(words[-1]) + 1
        if length > limit:
            break
    line = " ".join(words)
    return line if len(line) <= limit else line[: limit - 1] + "…"


@given(
    st.text(st.sampled_from("ab \t\n\r\x00\x1f\x7f\x85\x9f\xa0\u2028\u2029\u3000é"), max_size=60),
    st.integers(1, 12),
)
def test_clean_text_keeps_the_words_the_pattern_found(text, limit):
    assert recipe_keys.clean_text(text, limit) == _clean_by_pattern(text, limit)


@given(st.text(st.sampled_from("aZ09_@%+=:,./- '\"$é٣\n!*"), max_size=12))
def test_shell_words_are_quoted_as_shlex_quotes_them(text):
    assert markdown.sh(text) == shlex.quote(text)
